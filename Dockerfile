# syntax=docker/dockerfile:1
# The same build steps as the README: the web app with npm, the server with cargo.

FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM rust:1.95-bookworm AS server
WORKDIR /src
# Dependencies in their own layer: rebuilt only when Cargo.toml or Cargo.lock change.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src frontend/dist \
 && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
 && cargo build --release --locked \
 && rm -rf src target/release/.fingerprint/factdesk-* target/release/deps/factdesk-* target/release/deps/libfactdesk-*
COPY src src
COPY migrations migrations
COPY templates templates
COPY models models
COPY demo demo
COPY --from=frontend /src/frontend/dist frontend/dist
RUN cargo build --release --locked

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/factdesk --uid 10001 factdesk
COPY --from=server /src/target/release/factdesk /usr/local/bin/factdesk
USER factdesk
WORKDIR /var/lib/factdesk
ENV FACTDESK_LISTEN=0.0.0.0:8080 \
    FACTDESK_DATA_DIR=/var/lib/factdesk \
    FACTDESK_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["factdesk"]
CMD ["serve"]
