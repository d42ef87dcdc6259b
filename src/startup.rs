//! Builds the actix application: shared state, middleware, routes; binds the listener.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::auth::password::PasswordPool;
use crate::auth::token::TokenKeys;
use crate::config::Settings;
use crate::db::DbPool;
use crate::extract;
use crate::middleware::{self, Edge};

/// What every handler may reach.
pub struct AppState {
    pub pool: DbPool,
    pub settings: Settings,
    pub passwords: PasswordPool,
    pub tokens: TokenKeys,
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    pub fn build(state: AppState, listener: TcpListener) -> anyhow::Result<Self> {
        let port = listener.local_addr()?.port();
        let state = web::Data::new(state);
        let workers = state.settings.http_workers;
        let edge = Edge {
            deadline: state.settings.request_timeout,
            hsts: state.settings.public_url.scheme() == "https",
        };
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(web::PathConfig::default().error_handler(extract::path_error))
                .configure(crate::routes::configure)
                .default_service(web::to(crate::routes::frontend::serve))
                .wrap_fn(move |req, srv| middleware::handle(edge, req, srv))
                .wrap(TracingLogger::default())
        })
        .listen(listener)?
        .shutdown_timeout(20);
        let server = if workers > 0 {
            server.workers(workers)
        } else {
            server
        }
        .run();
        Ok(Self { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Runs until SIGINT or SIGTERM, then drains requests in flight (graceful shutdown).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    pub fn server_handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }
}
