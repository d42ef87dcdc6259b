//! Builds the actix application: shared state, middleware, routes; binds the listener.

use std::net::TcpListener;

use actix_web::dev::{Server, Service};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{App, HttpMessage, HttpServer, web};
use tracing_actix_web::{RequestId, TracingLogger};

use crate::auth::password::PasswordPool;
use crate::auth::token::TokenKeys;
use crate::config::Settings;
use crate::db::DbPool;
use crate::extract;

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

const CSP: &str = "default-src 'self'; base-uri 'self'; form-action 'self'; object-src 'none'; frame-ancestors 'none'";
/// Swagger UI styles itself inline and draws icons from data: URIs.
const CSP_DOCS: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; base-uri 'self'; form-action 'self'; object-src 'none'; frame-ancestors 'none'";

impl Application {
    pub fn build(state: AppState, listener: TcpListener) -> anyhow::Result<Self> {
        let port = listener.local_addr()?.port();
        let state = web::Data::new(state);
        let workers = state.settings.http_workers;
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(web::PathConfig::default().error_handler(extract::path_error))
                .configure(crate::routes::configure)
                .default_service(web::to(crate::routes::frontend::serve))
                .wrap_fn(|req, srv| {
                    let docs = req.path().starts_with("/api/docs");
                    let request_id = req.extensions().get::<RequestId>().copied();
                    let fut = srv.call(req);
                    async move {
                        let mut res = fut.await?;
                        let headers = res.headers_mut();
                        headers.insert(
                            header::CONTENT_SECURITY_POLICY,
                            HeaderValue::from_static(if docs { CSP_DOCS } else { CSP }),
                        );
                        headers.insert(
                            header::X_CONTENT_TYPE_OPTIONS,
                            HeaderValue::from_static("nosniff"),
                        );
                        headers.insert(
                            header::REFERRER_POLICY,
                            HeaderValue::from_static("strict-origin-when-cross-origin"),
                        );
                        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
                        if let Some(id) = request_id
                            && let Ok(value) = HeaderValue::from_str(&id.to_string())
                        {
                            headers.insert(header::HeaderName::from_static("x-request-id"), value);
                        }
                        Ok(res)
                    }
                })
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
