//! The composition root: builds the actix application around an [`App`] (shared
//! state), its middleware and routes, and binds the listeners.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{App as WebApp, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::app::App;
use crate::http::extract;
use crate::http::middleware::{self, Edge};

pub struct Application {
    port: u16,
    server: Server,
    metrics: Option<(u16, Server)>,
}

impl Application {
    pub fn build(state: App, listener: TcpListener) -> anyhow::Result<Self> {
        let port = listener.local_addr()?.port();
        let metrics = match state.settings.metrics_listen {
            Some(addr) => {
                let listener = TcpListener::bind(addr).map_err(|e| {
                    anyhow::anyhow!("binding {addr} (FACTDESK_METRICS_LISTEN): {e}")
                })?;
                let port = listener.local_addr()?.port();
                let pool = web::Data::new(state.pool.clone());
                let server = HttpServer::new(move || {
                    WebApp::new().app_data(pool.clone()).route(
                        "/metrics",
                        web::get().to(crate::http::metrics::metrics_endpoint),
                    )
                })
                .workers(1)
                .listen(listener)?
                .shutdown_timeout(5)
                .run();
                Some((port, server))
            }
            None => None,
        };
        let state = web::Data::new(state);
        let workers = state.settings.http_workers;
        let edge = Edge {
            deadline: state.settings.request_timeout,
            hsts: state.settings.public_url.scheme() == "https",
        };
        let server = HttpServer::new(move || {
            WebApp::new()
                .app_data(state.clone())
                .app_data(web::PathConfig::default().error_handler(extract::path_error))
                .configure(crate::http::configure)
                .default_service(web::to(crate::http::frontend::serve))
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
        Ok(Self {
            port,
            server,
            metrics,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The metrics listener's port, when there is one.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    /// Runs until SIGINT or SIGTERM, then drains requests in flight (graceful shutdown).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        match self.metrics {
            Some((_, metrics)) => {
                // Both servers are polled at once; the metrics stop with the main one.
                let handle = metrics.handle();
                let main = async {
                    let result = self.server.await;
                    handle.stop(true).await;
                    result
                };
                let (result, _) = tokio::join!(main, metrics);
                result
            }
            None => self.server.await,
        }
    }

    pub fn server_handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }
}
