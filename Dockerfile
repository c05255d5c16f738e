# Multi-stage build: a full Rust toolchain to build, a slim Debian to run.
# SQLite and libpq are compiled into the binary (bundled), so the runtime
# image needs no database client libraries.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src

# Dependencies first, in a layer of their own: built against placeholder
# sources, so that a change to ours rebuilds only ai-registry, not every
# crate. Cargo.toml names the benches, so each gets a placeholder too.
COPY Cargo.toml Cargo.lock build.rs ./
RUN mkdir -p src benches \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && for bench in $(awk '/^\[\[bench\]\]/ { b = 1 } b && $1 == "name" { gsub(/"/, "", $3); print $3; b = 0 }' Cargo.toml); do \
           echo 'fn main() {}' > "benches/$bench.rs"; \
       done \
    && cargo build --release --locked --bin ai-registry \
    && rm -rf src benches

# The whole tree (see .dockerignore): the binary embeds migrations, schemas,
# openapi.yaml and static/. COPY keeps the files' own times, which may be
# older than the placeholder build: touching the crate roots makes cargo
# rebuild ai-registry from the real sources.
COPY . .
RUN touch src/main.rs src/lib.rs \
    && cargo build --release --locked --bin ai-registry

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
# The binary asks itself: `health` sends GET /readyz (the database answers)
# to AI_REGISTRY_BIND on the loopback; the image has no curl.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["ai-registry", "health", "--timeout", "5"]
# SIGTERM (docker stop) drains in-flight requests, then exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["ai-registry"]
CMD ["serve"]
