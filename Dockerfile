# Multi-stage build: a full Rust toolchain to build, a slim Debian to run.
# SQLite and libpq are compiled into the binary (bundled), so the runtime
# image needs no database client libraries.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# The whole tree (see .dockerignore): the binary embeds migrations, schemas,
# openapi.yaml and static/, and Cargo.toml names the benches.
COPY . .
RUN cargo build --release --locked --bin ai-registry

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/ai-registry --create-home registry
COPY --from=build /src/target/release/ai-registry /usr/local/bin/ai-registry
USER registry
WORKDIR /var/lib/ai-registry
# The SQLite file lives on this volume. For PostgreSQL set
# DATABASE_URL=postgres://USER:PASSWORD@HOST/DB instead.
VOLUME ["/var/lib/ai-registry"]
ENV DATABASE_URL=sqlite:///var/lib/ai-registry/ai-registry.db \
    AI_REGISTRY_BIND=0.0.0.0:8080 \
    AI_REGISTRY_LOG_FORMAT=json \
    RUST_LOG=info
EXPOSE 8080
# SIGTERM (docker stop) drains in-flight requests, then exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["ai-registry"]
CMD ["serve"]
