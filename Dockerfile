# Ponte in a container: a Rust builder stage, then a small Debian runtime
# that holds only the binary. Build with `docker build -t ponte .`, or run
# it with PostgreSQL: `docker compose up` (docker-compose.yml).

# The builder's Rust must be at least the workspace's rust-version (Cargo.toml).
FROM rust:1.85-slim-bookworm AS builder
# aws-lc (TLS) builds C sources.
RUN apt-get update \
 && apt-get install -y --no-install-recommends cmake g++ pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p ponte \
 && install -m 0755 target/release/ponte /usr/local/bin/ponte

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/ponte --create-home ponte \
 && install -d -o ponte -g ponte -m 0700 /var/lib/ponte/data
COPY --from=builder /usr/local/bin/ponte /usr/local/bin/ponte
# Never root: the data dir is the one place it writes.
USER ponte:ponte
WORKDIR /var/lib/ponte
# PONTE_PUBLIC_URL is what browsers and webhooks are given: set it to where
# the container is reached (the default suits `-p 127.0.0.1:8080:8080`).
ENV PONTE_LISTEN=0.0.0.0:8080 \
    PONTE_PUBLIC_URL=http://127.0.0.1:8080 \
    PONTE_DATA_DIR=/var/lib/ponte/data
VOLUME ["/var/lib/ponte/data"]
EXPOSE 8080
# No curl in the image: the binary asks its own /healthz (200 only once
# start-up is complete).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["ponte", "healthcheck"]
ENTRYPOINT ["ponte"]
CMD ["serve"]
