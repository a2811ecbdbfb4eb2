//! Where file content lives. Today PostgreSQL (`db::PgFileStore`); an object store can take its
//! place behind this interface without the upload and download flows changing.

use crate::error::AppResult;
use bytes::Bytes;
use futures_util::{future::BoxFuture, stream::BoxStream};
use serde::Serialize;
use uuid::Uuid;

/// File content as it streams in or out. An `Err` item ends the stream: an upload refused half
/// way (too large, the wrong type, the connection lost) is one whose stream yields an error.
pub type ByteStream<'a> = BoxStream<'a, AppResult<Bytes>>;

/// A staff member, as the audit trail records them.
#[derive(Clone, Debug)]
pub struct Staff {
    pub staff_user_id: Uuid,
    pub email: String,
}

/// The council a file belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CouncilRef {
    pub council_id: Uuid,
    pub code: String,
}

/// What is known about a file before its content arrives (the content decides the rest).
#[derive(Clone, Debug)]
pub struct NewFile {
    pub purpose: String,
    /// `None`: a file of the whole cooperative rather than of one council.
    pub council: Option<CouncilRef>,
    /// Already made safe by `rules::safe_file_name`.
    pub file_name: String,
    /// Already decided from the first bytes; the stream refuses anything that contradicts it.
    pub content_type: &'static str,
    pub uploaded_by: Staff,
}

/// A file as stored: everything but its content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredFile {
    pub stored_file_id: Uuid,
    pub purpose: String,
    pub council_id: Option<Uuid>,
    pub council_code: Option<String>,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Lower-case hex, as `sha256sum` prints it.
    pub sha256: String,
    pub uploaded_by: Uuid,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Stores, finds, streams out and deletes files. Boxed futures keep it usable as
/// `Arc<dyn FileStore>`, so `AppState` holds whichever store the deployment uses.
pub trait FileStore: Send + Sync {
    /// Stores `content` as one file, all or nothing: if the stream yields an error, nothing of
    /// it is kept and that error is returned. Records the upload in the audit trail.
    fn store<'a>(
        &'a self,
        file: NewFile,
        content: ByteStream<'a>,
    ) -> BoxFuture<'a, AppResult<StoredFile>>;

    /// The file's details, or `None` if there is no such file.
    fn find(&self, id: Uuid) -> BoxFuture<'_, AppResult<Option<StoredFile>>>;

    /// The file's content, read a chunk at a time as the client takes it.
    fn open(&self, file: &StoredFile) -> ByteStream<'static>;

    /// Deletes the file and its content, recording who did it; `false` if there was no such
    /// file. A domain calls this (when a register is replaced, when retention ends).
    fn delete<'a>(&'a self, id: Uuid, by: &'a Staff) -> BoxFuture<'a, AppResult<bool>>;
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
