//! Database plumbing shared by every domain.

use sqlx::{PgPool, Postgres, Transaction};

/// Starts a transaction that is safe to abandon half way.
///
/// A request's work is dropped when the browser goes away. sqlx 0.8's `begin` is not safe to
/// drop while its `BEGIN` is in flight: the connection then returns to the pool inside an open
/// transaction, and whatever next borrows it (another person's request, the email worker) writes
/// into that transaction and never commits. Running the `BEGIN` in a task of its own means it
/// always completes, so a `Transaction` always exists to roll back when dropped.
pub async fn begin(pool: &PgPool) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let pool = pool.clone();
    tokio::spawn(async move { pool.begin().await })
        .await
        .map_err(|_| sqlx::Error::WorkerCrashed)?
}
