//! Files in PostgreSQL: a `stored_file` row and its content in `stored_file_chunk` rows of up
//! to 1 MiB, written in one transaction while the upload streams in.

use super::store::{hex, ByteStream, CouncilRef, FileStore, NewFile, Staff, StoredFile};
use crate::audit::db::{self as audit, Actor, Event};
use crate::error::{AppError, AppResult, FieldErrors};
use bytes::{Bytes, BytesMut};
use futures_util::{future::BoxFuture, FutureExt, StreamExt};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use uuid::Uuid;

/// The size of a stored chunk (the schema allows no more). Large enough that a 50 MB file is 50
/// inserts, small enough that neither direction holds much of a file in memory.
pub const CHUNK_BYTES: usize = 1024 * 1024;

/// How long an upload's transaction may wait for the client between chunks. Connections are
/// opened with a 10 second idle-in-transaction limit (see `server/src/main.rs`), which a slow
/// office connection sending a 1 MiB chunk could exceed; uploads get longer, and a client that
/// stops sending is cut off by `service` well before this.
const UPLOAD_IDLE_LIMIT: &str = "120s";

#[derive(Clone)]
pub struct PgFileStore {
    pool: PgPool,
}

impl PgFileStore {
    pub fn new(pool: PgPool) -> Self {
        PgFileStore { pool }
    }

    async fn store_stream(
        &self,
        file: NewFile,
        mut content: ByteStream<'_>,
    ) -> AppResult<StoredFile> {
        let id = Uuid::new_v4();
        // The transaction starts with the first full chunk, so a client slow to start holds no
        // database connection; dropping it (on any error below) rolls back every chunk.
        let mut tx: Option<Transaction<'static, Postgres>> = None;
        let mut pending = BytesMut::new();
        let mut seq: i32 = 0;
        let mut size: i64 = 0;
        let mut hasher = Sha256::new();
        while let Some(bytes) = content.next().await {
            let bytes = bytes?;
            hasher.update(&bytes);
            size += bytes.len() as i64;
            pending.extend_from_slice(&bytes);
            while pending.len() >= CHUNK_BYTES {
                let chunk = pending.split_to(CHUNK_BYTES);
                if tx.is_none() {
                    tx = Some(begin_upload(&self.pool).await?);
                }
                if let Some(tx) = tx.as_mut() {
                    insert_chunk(tx, id, seq, &chunk).await?;
                }
                seq += 1;
            }
        }
        if size == 0 {
            let mut e = FieldErrors::default();
            e.add("file", "The selected file is empty");
            return Err(AppError::Validation(e));
        }
        let mut tx = match tx {
            Some(tx) => tx,
            None => begin_upload(&self.pool).await?,
        };
        if !pending.is_empty() {
            insert_chunk(&mut tx, id, seq, &pending).await?;
        }
        let sha256 = hasher.finalize().to_vec();
        let council_id = file.council.as_ref().map(|c| c.council_id);
        let created_at = sqlx::query_scalar!(
            r#"insert into stored_file (stored_file_id, purpose, council_id, file_name, content_type,
                                        size_bytes, sha256, uploaded_by)
               values ($1, $2, $3, $4, $5, $6, $7, $8)
               returning created_at as "created_at: chrono::DateTime<chrono::Utc>""#,
            id,
            file.purpose,
            council_id,
            file.file_name,
            file.content_type,
            size,
            sha256,
            file.uploaded_by.staff_user_id
        )
        .fetch_one(&mut *tx)
        .await?;
        let sha256 = hex(&sha256);
        // The file's name may name a family, so the trail keeps only what identifies the bytes.
        audit::record(
            &mut tx,
            Event {
                actor: Actor::Staff {
                    id: file.uploaded_by.staff_user_id,
                    email: &file.uploaded_by.email,
                },
                council_id,
                action: "stored_file.uploaded",
                entity_type: "stored_file",
                entity_id: id,
                details: serde_json::json!({
                    "purpose": file.purpose,
                    "content_type": file.content_type,
                    "size_bytes": size,
                    "sha256": sha256,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(StoredFile {
            stored_file_id: id,
            purpose: file.purpose,
            council_id,
            council_code: file.council.map(|c| c.code),
            file_name: file.file_name,
            content_type: file.content_type.to_string(),
            size_bytes: size,
            sha256,
            uploaded_by: file.uploaded_by.staff_user_id,
            created_at,
        })
    }

    async fn find_file(&self, id: Uuid) -> AppResult<Option<StoredFile>> {
        let row = sqlx::query!(
            r#"select f.stored_file_id, f.purpose, f.council_id, c.code as "council_code?",
                      f.file_name, f.content_type, f.size_bytes, f.sha256, f.uploaded_by,
                      f.created_at as "created_at: chrono::DateTime<chrono::Utc>"
               from stored_file f left join council c on c.council_id = f.council_id
               where f.stored_file_id = $1"#,
            id
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| StoredFile {
            stored_file_id: r.stored_file_id,
            purpose: r.purpose,
            council_id: r.council_id,
            council_code: r.council_code,
            file_name: r.file_name,
            content_type: r.content_type,
            size_bytes: r.size_bytes,
            sha256: hex(&r.sha256),
            uploaded_by: r.uploaded_by,
            created_at: r.created_at,
        }))
    }

    async fn delete_file(&self, id: Uuid, by: &Staff) -> AppResult<bool> {
        let mut tx = crate::db::begin(&self.pool).await?;
        let deleted = sqlx::query!(
            "delete from stored_file where stored_file_id = $1 returning council_id, purpose, sha256",
            id
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(deleted) = deleted else {
            return Ok(false);
        };
        audit::record(
            &mut tx,
            Event {
                actor: Actor::Staff {
                    id: by.staff_user_id,
                    email: &by.email,
                },
                council_id: deleted.council_id,
                action: "stored_file.deleted",
                entity_type: "stored_file",
                entity_id: id,
                details: serde_json::json!({
                    "purpose": deleted.purpose,
                    "sha256": hex(&deleted.sha256),
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

impl FileStore for PgFileStore {
    fn store<'a>(
        &'a self,
        file: NewFile,
        content: ByteStream<'a>,
    ) -> BoxFuture<'a, AppResult<StoredFile>> {
        self.store_stream(file, content).boxed()
    }

    fn find(&self, id: Uuid) -> BoxFuture<'_, AppResult<Option<StoredFile>>> {
        self.find_file(id).boxed()
    }

    fn open(&self, file: &StoredFile) -> ByteStream<'static> {
        struct Reading {
            pool: PgPool,
            id: Uuid,
            seq: i32,
            left: i64,
        }
        let start = Reading {
            pool: self.pool.clone(),
            id: file.stored_file_id,
            seq: 0,
            left: file.size_bytes,
        };
        // One short query per chunk, each on whatever connection is free: a slow download holds
        // no connection while the client reads.
        futures_util::stream::unfold(Some(start), |state| async move {
            let mut r = state?;
            if r.left <= 0 {
                return None;
            }
            let chunk = sqlx::query_scalar!(
                "select data from stored_file_chunk where stored_file_id = $1 and seq = $2",
                r.id,
                r.seq
            )
            .fetch_optional(&r.pool)
            .await;
            match chunk {
                Ok(Some(data)) => {
                    r.seq += 1;
                    r.left -= data.len() as i64;
                    Some((Ok(Bytes::from(data)), Some(r)))
                }
                // Deleted while being downloaded: the client sees a cut-off download.
                Ok(None) => Some((
                    Err(AppError::internal(
                        "reading a stored file",
                        format!("chunk {} of {} missing", r.seq, r.id),
                    )),
                    None,
                )),
                Err(e) => Some((Err(AppError::from(e)), None)),
            }
        })
        .boxed()
    }

    fn delete<'a>(&'a self, id: Uuid, by: &'a Staff) -> BoxFuture<'a, AppResult<bool>> {
        self.delete_file(id, by).boxed()
    }
}

async fn begin_upload(pool: &PgPool) -> AppResult<Transaction<'static, Postgres>> {
    let mut tx = crate::db::begin(pool).await?;
    sqlx::query_scalar!(
        "select set_config('idle_in_transaction_session_timeout', $1, true)",
        UPLOAD_IDLE_LIMIT
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(tx)
}

async fn insert_chunk(conn: &mut PgConnection, id: Uuid, seq: i32, data: &[u8]) -> AppResult<()> {
    sqlx::query!(
        "insert into stored_file_chunk (stored_file_id, seq, data) values ($1, $2, $3)",
        id,
        seq,
        data
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The council with this code, if there is one.
pub async fn council(pool: &PgPool, code: &str) -> AppResult<Option<CouncilRef>> {
    Ok(sqlx::query!(
        "select council_id, code from council where code = $1 and active",
        code
    )
    .fetch_optional(pool)
    .await?
    .map(|r| CouncilRef {
        council_id: r.council_id,
        code: r.code,
    }))
}
