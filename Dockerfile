# syntax=docker/dockerfile:1
#
# planspor container image.
#
# The container always talks to an external PostgreSQL given by DATABASE_URL
# (see docker-compose.yml). The embedded PostgreSQL that planspor starts when
# DATABASE_URL is unset is for bare machines only: this image ships no
# PostgreSQL server binaries, so without DATABASE_URL it exits with an error.
# Migrations are embedded in the binary and run at start-up.

# ---- build ------------------------------------------------------------------
FROM rust:1-bookworm AS build
WORKDIR /app

# Dependency cache: build all dependencies against placeholder sources, so this
# layer is rebuilt only when Cargo.toml or Cargo.lock change. (No libpq needed:
# diesel-async uses the pure-Rust tokio-postgres.)
COPY Cargo.toml Cargo.lock ./
# The workspace's other member (the benchmark's empty handler) must exist for cargo to read the manifest.
COPY bench/empty-handler ./bench/empty-handler
RUN mkdir src \
 && echo 'fn main() {}' > src/main.rs \
 && touch src/lib.rs \
 && cargo build --release --locked \
 && rm -rf src

# The real sources. Touch them so cargo rebuilds the crate itself even when the
# copied files are older than the placeholder build.
COPY src ./src
COPY migrations ./migrations
RUN touch src/main.rs src/lib.rs \
 && cargo build --release --locked \
 && test -x /app/target/release/planspor

# ---- runtime ----------------------------------------------------------------
FROM debian:bookworm-slim AS runtime

RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 planspor \
 && useradd --system --uid 10001 --gid planspor --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin planspor

COPY --from=build /app/target/release/planspor /usr/local/bin/planspor

WORKDIR /app
# DATABASE_URL must be set at run time, e.g. postgres://user:password@db:5432/planspor
ENV PLANSPOR_BIND=0.0.0.0:8080
EXPOSE 8080

HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1

USER planspor
ENTRYPOINT ["/usr/local/bin/planspor"]
