//! Database plumbing shared by every domain.

use crate::error::AppError;
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

/// Turns a named constraint's violation into a message a person can act on, so a rule the
/// schema enforces (a unique name, a check) needs no hand matching of database errors. Any
/// other database error stays an internal error, logged with a reference.
///
/// ```ignore
/// db::insert(&mut tx, &code, name).await
///     .on_constraint("council_code_key", |_| {
///         AppError::Validation(FieldErrors::field("code", "A council with this code already exists"))
///     })
///     .on_constraint("council_name_key", |_| {
///         AppError::Validation(FieldErrors::field("name", "A council with this name already exists"))
///     })?;
/// ```
pub trait ResultExt<T> {
    fn on_constraint(
        self,
        name: &str,
        map: impl FnOnce(&dyn sqlx::error::DatabaseError) -> AppError,
    ) -> Result<T, Constrained>;
}

/// A database result after `on_constraint`: either already a person's error, or still the
/// database's (so further `on_constraint` calls can look at it). `?` turns it into `AppError`.
#[derive(Debug)]
pub enum Constrained {
    Mapped(AppError),
    Db(sqlx::Error),
}

impl From<Constrained> for AppError {
    fn from(c: Constrained) -> Self {
        match c {
            Constrained::Mapped(e) => e,
            Constrained::Db(e) => e.into(),
        }
    }
}

fn map_constraint(
    err: sqlx::Error,
    name: &str,
    map: impl FnOnce(&dyn sqlx::error::DatabaseError) -> AppError,
) -> Constrained {
    match &err {
        sqlx::Error::Database(db) if db.constraint() == Some(name) => {
            Constrained::Mapped(map(db.as_ref()))
        }
        _ => Constrained::Db(err),
    }
}

impl<T> ResultExt<T> for Result<T, sqlx::Error> {
    fn on_constraint(
        self,
        name: &str,
        map: impl FnOnce(&dyn sqlx::error::DatabaseError) -> AppError,
    ) -> Result<T, Constrained> {
        self.map_err(|e| map_constraint(e, name, map))
    }
}

impl<T> ResultExt<T> for Result<T, Constrained> {
    fn on_constraint(
        self,
        name: &str,
        map: impl FnOnce(&dyn sqlx::error::DatabaseError) -> AppError,
    ) -> Result<T, Constrained> {
        self.map_err(|c| match c {
            Constrained::Db(e) => map_constraint(e, name, map),
            mapped => mapped,
        })
    }
}

/// Runs a search or report built with `sqlx::QueryBuilder` (optional filters appended as bound
/// parameters, never as text) inside a read-only transaction planned for its actual values.
///
/// The server plans every prepared statement once (`plan_cache_mode=force_generic_plan`, see
/// `server/src/main.rs`), which suits our small indexed lookups. A search with many optional
/// filters is different: whether "council = $1" or "postcode within $2 miles" should drive the
/// plan depends on the values given, so a generic plan would be wrong for most calls. `SET LOCAL`
/// confines the custom planning to this transaction; the connection returns to the pool with the
/// server's setting.
///
/// ```ignore
/// let mut q = QueryBuilder::new("select enquiry_id, reference from enquiry where true");
/// if let Some(council) = filter.council { q.push(" and council_id = ").push_bind(council); }
/// if !filter.text.is_empty() { q.push(" and full_name ilike ").push_bind(format!("%{}%", filter.text)); }
/// q.push(" order by created_at desc limit ").push_bind(25_i64);
/// let rows: Vec<Row> = db::search(pool, q).await?;
/// ```
pub async fn search<O>(
    pool: &PgPool,
    mut query: sqlx::QueryBuilder<'_, Postgres>,
) -> Result<Vec<O>, sqlx::Error>
where
    O: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    let mut tx = begin(pool).await?;
    sqlx::query("set transaction read only")
        .execute(&mut *tx)
        .await?;
    sqlx::query("set local plan_cache_mode = force_custom_plan")
        .execute(&mut *tx)
        .await?;
    let rows = query.build_query_as::<O>().fetch_all(&mut *tx).await?;
    tx.commit().await?;
    Ok(rows)
}
