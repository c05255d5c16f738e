//! Builds the application and binds its port; used by `main` and by the
//! tests alike, so tests run the real server.

use std::net::TcpListener;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};

use crate::api::auth::{self, WriteLimiter};
use crate::api::exports::ExportSlots;
use crate::api::matrix::Matrix;
use crate::api::metrics::{self, Metrics};
use crate::api::{self, body::BodyLimit};
use crate::config::Config;
use crate::index::FacetService;
use crate::store::Store;
use crate::validate::Schemas;

/// A bound, not yet running, registry.
pub struct Application {
    port: u16,
    server: Server,
    store: Store,
}

impl Application {
    /// Connects to the database (running migrations), compiles the schemas
    /// and binds the listener.
    pub fn build(config: &Config) -> anyhow::Result<Application> {
        let store =
            Store::connect(&config.database_url).map_err(|e| anyhow::anyhow!("database: {e}"))?;
        let schemas = web::Data::new(Schemas::load().map_err(|e| anyhow::anyhow!(e))?);
        let facets = web::Data::new(
            FacetService::load(&store).map_err(|e| anyhow::anyhow!("facet index: {e}"))?,
        );
        let listener = TcpListener::bind(&config.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.bind))?;
        let port = listener.local_addr()?.port();
        let store_data = web::Data::new(store.clone());
        let limit = web::Data::new(BodyLimit(config.body_limit));
        let write_limiter =
            web::Data::new(WriteLimiter::new(config.write_rate, config.write_burst));
        let metrics = web::Data::new(Metrics::default());
        let export_slots = web::Data::new(ExportSlots::default());
        let matrix = web::Data::new(Matrix::of(&api::routes()));
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(auth::authorize))
                .wrap(from_fn(metrics::track))
                .wrap(from_fn(api::request_span))
                .app_data(matrix.clone())
                .app_data(write_limiter.clone())
                .app_data(metrics.clone())
                .app_data(export_slots.clone())
                .app_data(store_data.clone())
                .app_data(schemas.clone())
                .app_data(facets.clone())
                .app_data(limit.clone())
                .configure(api::configure)
        })
        .shutdown_timeout(30);
        if let Some(workers) = config.workers {
            server = server.workers(workers);
        }
        let server = server.listen(listener)?.run();
        Ok(Application {
            port,
            server,
            store,
        })
    }

    /// The port the listener is bound to.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The store the application uses.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A handle to stop the server gracefully.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped. SIGTERM and SIGINT drain in-flight requests
    /// (up to 30 s) and then return.
    pub async fn run(self) -> std::io::Result<()> {
        self.server.await
    }
}
