//! Blocking database set-up for start-up and tests: migrations and databases.

use diesel::{Connection, RunQueryDsl};
use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_migrations::MigrationHarness;

use super::{CountRow, MIGRATIONS};

/// Runs `work` with a blocking connection to `url` on its own thread: for
/// start-up and test set-up, never for requests.
pub fn with_blocking_connection<T: Send + 'static>(
    url: &str,
    work: impl FnOnce(&mut AsyncConnectionWrapper<AsyncPgConnection>) -> Result<T, String>
    + Send
    + 'static,
) -> Result<T, String> {
    let url = url.to_owned();
    std::thread::spawn(move || {
        let mut conn = <AsyncConnectionWrapper<AsyncPgConnection> as Connection>::establish(&url)
            .map_err(|e| format!("connecting to the database: {e}"))?;
        work(&mut conn)
    })
    .join()
    .map_err(|_| "the database set-up thread panicked".to_owned())?
}

/// Applies pending migrations to the database at `url`.
pub fn migrate(url: &str) -> Result<(), String> {
    with_blocking_connection(url, |conn| {
        conn.run_pending_migrations(MIGRATIONS)
            .map(|_| ())
            .map_err(|e| format!("applying migrations: {e}"))
    })
}

/// Creates database `name` on the server of `admin_url` unless it exists.
pub fn create_database_if_missing(admin_url: &str, name: &str) -> Result<(), String> {
    let name = name.to_owned();
    with_blocking_connection(admin_url, move |conn| {
        let exists: i64 =
            diesel::sql_query("SELECT count(*) AS count FROM pg_database WHERE datname = $1")
                .bind::<diesel::sql_types::Text, _>(&name)
                .get_result::<CountRow>(conn)
                .map_err(|e| format!("looking up database {name}: {e}"))?
                .count;
        if exists == 0 {
            diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
                .execute(conn)
                .map_err(|e| format!("creating database {name}: {e}"))?;
        }
        Ok(())
    })
}
