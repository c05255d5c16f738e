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
use crate::store::{Store, StoreError};
use crate::validate::Schemas;

/// Why the application did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The database could not be opened or migrated.
    #[error(transparent)]
    Database(StoreError),
    /// The built-in JSON Schemas do not compile.
    #[error("the built-in JSON Schemas do not compile: {0}")]
    Schemas(String),
    /// The facet index could not be read from the database.
    #[error("loading the facet index: {0}")]
    FacetIndex(StoreError),
    /// The address could not be bound.
    #[error("cannot listen on {bind}: {source}")]
    Listen {
        /// The address asked for.
        bind: String,
        /// Why not.
        source: std::io::Error,
    },
    /// The server could not take the bound listener.
    #[error("cannot start the server: {0}")]
    Server(std::io::Error),
}

/// A bound, not yet running, registry.
pub struct Application {
    port: u16,
    server: Server,
    store: Store,
}

impl Application {
    /// Connects to the database (running migrations), compiles the schemas
    /// and binds the listener.
    pub fn build(config: &Config) -> Result<Application, StartupError> {
        let store = Store::connect(&config.database_url).map_err(StartupError::Database)?;
        let schemas = web::Data::new(Schemas::load().map_err(StartupError::Schemas)?);
        let facets = web::Data::new(FacetService::load(&store).map_err(StartupError::FacetIndex)?);
        let listen_error = |source| StartupError::Listen {
            bind: config.bind.clone(),
            source,
        };
        let listener = TcpListener::bind(&config.bind).map_err(listen_error)?;
        let port = listener.local_addr().map_err(listen_error)?.port();
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
        let server = server.listen(listener).map_err(StartupError::Server)?.run();
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
