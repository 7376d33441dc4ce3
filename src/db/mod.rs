//! Database plumbing: the connection pool, the embedded migrations, the
//! statement counter and the embedded PostgreSQL cluster.

pub mod backup;
pub mod embedded;
mod jsonb;
pub mod schema;
mod setup;

pub use jsonb::SerializedJsonb;
pub use setup::{create_database_if_missing, migrate, with_blocking_connection};

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, embed_migrations};
use futures_util::FutureExt;

use crate::error::ApiError;

/// The migrations in `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// A pooled connection.
pub type Conn = Object<AsyncPgConnection>;
/// The connection type queries take (a pooled [`Conn`] derefs to it).
pub type PgConn = AsyncPgConnection;

/// Counts the SQL statements the service sends, so tests and benchmarks can
/// prove that an endpoint's query count does not grow with the data.
#[derive(Debug, Clone, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// Statements started since the pool was built.
    pub fn get(&self) -> u64 {
        AtomicU64::load(&self.0, Ordering::Relaxed)
    }
}

struct CountingInstrumentation(StatementCounter);

impl Instrumentation for CountingInstrumentation {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            self.0.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The pool and what the handlers need from it.
#[derive(Clone)]
pub struct Database {
    pool: Pool<AsyncPgConnection>,
    /// Statements sent through this pool.
    pub statements: StatementCounter,
}

impl Database {
    /// Builds a pool of `size` connections to `url`; a request waits at most
    /// `timeout` for a connection (or for a new one to be established).
    pub fn connect(url: &str, size: usize, timeout: Duration) -> Result<Self, String> {
        let statements = StatementCounter::default();
        let counter = statements.clone();
        let mut manager_config = ManagerConfig::<AsyncPgConnection>::default();
        // No test query on every checkout: a broken connection is detected by
        // its failed query and dropped; a round trip per request is too dear.
        manager_config.recycling_method = RecyclingMethod::Fast;
        manager_config.custom_setup = Box::new(move |url| {
            let counter = counter.clone();
            async move {
                let mut connection = AsyncPgConnection::establish(url).await?;
                connection.set_instrumentation(CountingInstrumentation(counter));
                Ok(connection)
            }
            .boxed()
        });
        let manager = AsyncDieselConnectionManager::new_with_config(url, manager_config);
        let pool = Pool::builder(manager)
            .max_size(size)
            .wait_timeout(Some(timeout))
            .create_timeout(Some(timeout))
            .recycle_timeout(Some(timeout))
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .map_err(|e| format!("building the connection pool: {e}"))?;
        Ok(Self { pool, statements })
    }

    /// A connection, or 503 when none is available within the timeout.
    pub async fn conn(&self) -> Result<Conn, ApiError> {
        Ok(self.pool.get().await?)
    }

    /// Whether the database answers and every migration of this binary is applied.
    pub async fn is_ready(&self) -> Result<(), ApiError> {
        let mut conn = self.conn().await?;
        let latest = LATEST_MIGRATION.clone();
        let applied: i64 = diesel::sql_query(
            "SELECT count(*) AS count FROM __diesel_schema_migrations WHERE version = $1",
        )
        .bind::<diesel::sql_types::Text, _>(latest)
        .get_result::<CountRow>(&mut conn)
        .await
        .map_err(|e| ApiError::Unavailable(format!("readiness query: {e}")))?
        .count;
        if applied == 1 {
            Ok(())
        } else {
            Err(ApiError::Unavailable("migrations are not applied".into()))
        }
    }
}

#[derive(diesel::prelude::QueryableByName)]
pub(crate) struct CountRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub(crate) count: i64,
}

/// Version of the newest migration compiled into this binary.
static LATEST_MIGRATION: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(latest_migration_version);

fn latest_migration_version() -> String {
    use diesel::migration::MigrationSource;
    let migrations: Vec<_> =
        MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS).unwrap_or_default();
    migrations
        .iter()
        .map(|m| m.name().version().to_string())
        .max()
        .unwrap_or_default()
}

/// Opens the configured database for the server or `planspor admin`: the
/// given `DATABASE_URL`, or the embedded cluster (started if needed, returned
/// so the caller can stop it). Migrations are applied either way.
pub fn prepare(
    config: &crate::config::Config,
) -> Result<(String, Option<embedded::Cluster>), String> {
    use crate::config::DatabaseSource;
    let (url, cluster) = match &config.database {
        DatabaseSource::External(url) => (url.clone(), None),
        DatabaseSource::Embedded => {
            let cluster = embedded::Cluster::start(&config.data_dir).map_err(|e| e.to_string())?;
            create_database_if_missing(&cluster.url("postgres"), embedded::DATABASE)?;
            (cluster.url(embedded::DATABASE), Some(cluster))
        }
    };
    migrate(&url)?;
    Ok((url, cluster))
}
