//! Two-factor queries: sealed secrets, the last used time-step, recovery code hashes.

use crate::error::AppResult;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct TwoFactorRow {
    pub secret_nonce: Option<Vec<u8>>,
    pub secret_sealed: Option<Vec<u8>>,
    pub pending_nonce: Option<Vec<u8>>,
    pub pending_sealed: Option<Vec<u8>>,
    pub last_used_step: Option<i64>,
}

pub async fn find(pool: &PgPool, id: Uuid) -> AppResult<Option<TwoFactorRow>> {
    Ok(sqlx::query_as!(
        TwoFactorRow,
        "select secret_nonce, secret_sealed, pending_nonce, pending_sealed, last_used_step
         from staff_two_factor where staff_user_id = $1",
        id
    )
    .fetch_optional(pool)
    .await?)
}

/// Keeps a new, unconfirmed secret beside any confirmed one.
pub async fn set_pending(pool: &PgPool, id: Uuid, nonce: &[u8], sealed: &[u8]) -> AppResult<()> {
    sqlx::query!(
        "insert into staff_two_factor (staff_user_id, pending_nonce, pending_sealed)
         values ($1, $2, $3)
         on conflict (staff_user_id) do update
         set pending_nonce = excluded.pending_nonce, pending_sealed = excluded.pending_sealed",
        id,
        nonce,
        sealed
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Makes the pending secret (the one the code was checked against) the confirmed one, with
/// `step` as its last used time-step. False if another request confirmed or replaced it first.
pub async fn confirm(
    conn: &mut PgConnection,
    id: Uuid,
    pending_sealed: &[u8],
    step: i64,
) -> AppResult<bool> {
    let done = sqlx::query!(
        "update staff_two_factor
         set secret_nonce = pending_nonce, secret_sealed = pending_sealed,
             pending_nonce = null, pending_sealed = null,
             last_used_step = $3, enrolled_at = now()
         where staff_user_id = $1 and pending_sealed = $2",
        id,
        pending_sealed,
        step
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records `step` as used, unless it (or a later one) already was: the database decides, so two
/// requests racing with the same code cannot both succeed.
pub async fn use_step(pool: &PgPool, id: Uuid, step: i64) -> AppResult<bool> {
    let done = sqlx::query!(
        "update staff_two_factor set last_used_step = $2
         where staff_user_id = $1 and secret_sealed is not null
           and (last_used_step is null or last_used_step < $2)",
        id,
        step
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces every recovery code of the account (used or not) with these hashes.
pub async fn replace_recovery_codes(
    conn: &mut PgConnection,
    id: Uuid,
    hashes: &[Vec<u8>],
) -> AppResult<()> {
    sqlx::query!(
        "delete from staff_recovery_code where staff_user_id = $1",
        id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into staff_recovery_code (staff_user_id, code_hash)
         select $1, h from unnest($2::bytea[]) as h",
        id,
        hashes
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Uses a recovery code once: true if it was this account's and unused.
pub async fn use_recovery_code(conn: &mut PgConnection, id: Uuid, hash: &[u8]) -> AppResult<bool> {
    let done = sqlx::query!(
        "update staff_recovery_code set used_at = now()
         where staff_user_id = $1 and code_hash = $2 and used_at is null",
        id,
        hash
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
