//! The upload and download flows, the same for every purpose: who may, then what the bytes are,
//! then the store.

use super::policy::{Files, UploadPurpose};
use super::rules::{self, FileKind, Sniffed, TextCheck, TextProblem, SNIFF_BYTES};
use super::store::{ByteStream, CouncilRef, NewFile, Staff, StoredFile};
use crate::audit::db::{self as audit, Actor, Event};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, FieldErrors};
use bytes::BytesMut;
use futures_util::StreamExt;
use sqlx::PgPool;
use std::time::Duration;
use uuid::Uuid;

/// How long a client may pause while sending a file before the upload is given up (and its
/// database transaction ended).
pub const CLIENT_PAUSE: Duration = Duration::from_secs(30);

const STALLED: &str =
    "The upload stopped part way through. Check your connection and upload the file again.";

/// Permission to upload one file for one purpose and council, given before any of the file is
/// read. The only way to `receive` a file.
pub struct UploadPermit<'a> {
    purpose: &'a UploadPurpose,
    council: CouncilRef,
    uploader: Staff,
}

impl UploadPermit<'_> {
    pub fn purpose(&self) -> &UploadPurpose {
        self.purpose
    }
}

/// Checks that `user` may upload a `purpose` file for `council_code` (their own council if
/// `None`). Unknown purposes are "not found"; a refusal is `Forbidden`.
pub async fn permit<'a>(
    pool: &PgPool,
    files: &'a Files,
    purpose: &str,
    user: &CurrentUser,
    council_code: Option<&str>,
) -> AppResult<UploadPermit<'a>> {
    let purpose = files.purpose(purpose).ok_or(AppError::NotFound)?;
    // Someone outside every council uploads only for a council the form names (and the
    // purpose's policy decides whether they may).
    let Some(code) = council_code.or(user.council_code()) else {
        tracing::info!(user = %user.staff_user_id, purpose = purpose.name,
            "upload refused: no council named and the caller belongs to none");
        return Err(AppError::Forbidden);
    };
    if !(purpose.may_upload)(user, code) {
        tracing::info!(user = %user.staff_user_id, purpose = purpose.name, council = code,
            "upload refused by policy");
        return Err(AppError::Forbidden);
    }
    let council = super::db::council(pool, code)
        .await?
        .ok_or_else(|| AppError::BadRequest(format!("there is no council with the code {code}")))?;
    Ok(UploadPermit {
        purpose,
        council,
        uploader: staff(user)?,
    })
}

/// Receives a file: recognises its kind from its first bytes, then streams it into the store
/// while counting its size and (for CSV) checking every byte. Whatever is refused, the store
/// keeps nothing.
pub async fn receive(
    files: &Files,
    permit: UploadPermit<'_>,
    raw_name: &str,
    content: ByteStream<'_>,
) -> AppResult<StoredFile> {
    let purpose = permit.purpose;
    // Waits its turn without reading, so the client waits too.
    let _turn = files
        .receiving
        .acquire()
        .await
        .map_err(|e| AppError::internal("upload queue", e))?;
    let mut content = paced(content);

    let mut head = BytesMut::new();
    while head.len() < SNIFF_BYTES {
        match content.next().await {
            Some(chunk) => head.extend_from_slice(&chunk?),
            None => break,
        }
    }
    if head.is_empty() {
        let mut e = FieldErrors::default();
        e.add("file", "The selected file is empty");
        return Err(AppError::Validation(e));
    }
    let start = &head[..head.len().min(SNIFF_BYTES)];
    let kind = match rules::sniff(start) {
        Sniffed::Kind(kind) if purpose.kinds.contains(&kind) => kind,
        Sniffed::Other if purpose.kinds.contains(&FileKind::Csv) => {
            let problem = TextCheck::default()
                .feed(start)
                .err()
                .unwrap_or(TextProblem::ControlByte);
            return Err(AppError::UnsupportedType(rules::not_text_message(
                purpose.kinds,
                problem,
            )));
        }
        _ => {
            return Err(AppError::UnsupportedType(rules::wrong_kind_message(
                purpose.kinds,
            )))
        }
    };

    let guard = Guard {
        max: purpose.max_bytes,
        seen: 0,
        text: (kind == FileKind::Csv).then(TextCheck::default),
        kinds: purpose.kinds,
    };
    let content = guarded(
        futures_util::stream::once(std::future::ready(Ok(head.freeze())))
            .chain(content)
            .boxed(),
        guard,
    );
    let file = NewFile {
        purpose: purpose.name.to_string(),
        council: Some(permit.council),
        file_name: rules::safe_file_name(raw_name, kind),
        content_type: kind.content_type(),
        uploaded_by: permit.uploader,
    };
    let stored = files.store().store(file, content).await?;
    tracing::info!(file = %stored.stored_file_id, purpose = purpose.name,
        size = stored.size_bytes, "file uploaded");
    Ok(stored)
}

/// A file and its content, if `user` may download it. A file they may not see answers exactly
/// as one that does not exist, so ids cannot be probed. Each download is in the audit trail.
pub async fn download(
    pool: &PgPool,
    files: &Files,
    user: &CurrentUser,
    id: &str,
) -> AppResult<(StoredFile, ByteStream<'static>)> {
    let id = Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
    let file = files.store().find(id).await?.ok_or(AppError::NotFound)?;
    let allowed = files
        .purpose(&file.purpose)
        .is_some_and(|p| (p.may_download)(user, &file));
    if !allowed {
        tracing::info!(user = %user.staff_user_id, file = %id, "download refused by policy");
        return Err(AppError::NotFound);
    }
    let by = staff(user)?;
    let mut conn = pool.acquire().await?;
    audit::record(
        &mut conn,
        Event {
            actor: Actor::Staff {
                id: by.staff_user_id,
                email: &by.email,
            },
            council_id: file.council_id,
            action: "stored_file.downloaded",
            entity_type: "stored_file",
            entity_id: file.stored_file_id,
            details: serde_json::json!({ "purpose": file.purpose }),
        },
    )
    .await?;
    let content = files.store().open(&file);
    Ok((file, content))
}

/// The stored file `id` of `purpose`, for a domain reading it back (to import it), if `user`
/// may download it; "not found" otherwise, so ids cannot be probed.
pub async fn readable(
    files: &Files,
    user: &CurrentUser,
    purpose: &str,
    id: &str,
) -> AppResult<StoredFile> {
    let id = Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    let file = files.store().find(id).await?.ok_or(AppError::NotFound)?;
    let allowed = file.purpose == purpose
        && files
            .purpose(purpose)
            .is_some_and(|p| (p.may_download)(user, &file));
    if !allowed {
        return Err(AppError::NotFound);
    }
    Ok(file)
}

/// A stored text file's whole content (at most its purpose's limit), for an import to read.
pub async fn read_text(files: &Files, file: &StoredFile) -> AppResult<String> {
    let limit = files
        .purpose(&file.purpose)
        .map(|p| p.max_bytes)
        .unwrap_or(0);
    let mut stream = files.store().open(file);
    let mut bytes = Vec::with_capacity(usize::try_from(file.size_bytes).unwrap_or(0));
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk?);
        if bytes.len() as u64 > limit {
            return Err(AppError::TooLarge(rules::too_large_message(limit)));
        }
    }
    // The upload checked it was UTF-8; a file stored some other way is refused the same way.
    String::from_utf8(bytes).map_err(|_| {
        AppError::UnsupportedType(rules::not_text_message(
            &[FileKind::Csv],
            TextProblem::NotUtf8,
        ))
    })
}

/// How an import page shows a stored file waiting to be imported.
pub fn waiting(file: &StoredFile, council_name: &str) -> super::table::UploadedFile {
    super::table::UploadedFile {
        id: file.stored_file_id.to_string(),
        name: file.file_name.clone(),
        size: rules::size_label(u64::try_from(file.size_bytes).unwrap_or(0)),
        council_name: council_name.to_string(),
        uploaded: crate::time::format_london(file.created_at),
    }
}

fn staff(user: &CurrentUser) -> AppResult<Staff> {
    Ok(Staff {
        staff_user_id: Uuid::parse_str(&user.staff_user_id)
            .map_err(|e| AppError::internal("staff user id", e))?,
        email: user.email.clone(),
    })
}

/// Ends the stream with a clear error if the client pauses longer than `CLIENT_PAUSE`.
fn paced(content: ByteStream<'_>) -> ByteStream<'_> {
    futures_util::stream::unfold(Some(content), |state| async move {
        let mut content = state?;
        match tokio::time::timeout(CLIENT_PAUSE, content.next()).await {
            Ok(Some(Ok(bytes))) => Some((Ok(bytes), Some(content))),
            Ok(Some(Err(e))) => Some((Err(e), None)),
            Ok(None) => None,
            Err(_) => Some((Err(AppError::BadRequest(STALLED.into())), None)),
        }
    })
    .boxed()
}

/// What a file must keep to as it streams in: its purpose's size limit and, for CSV, text.
struct Guard {
    max: u64,
    seen: u64,
    text: Option<TextCheck>,
    kinds: &'static [FileKind],
}

impl Guard {
    fn feed(&mut self, bytes: &[u8]) -> AppResult<()> {
        self.seen += bytes.len() as u64;
        if self.seen > self.max {
            return Err(AppError::TooLarge(rules::too_large_message(self.max)));
        }
        let kinds = self.kinds;
        if let Some(text) = self.text.as_mut() {
            text.feed(bytes).map_err(|p| not_text(kinds, p))?;
        }
        Ok(())
    }

    fn finish(&self) -> AppResult<()> {
        match &self.text {
            Some(text) => text.finish().map_err(|p| not_text(self.kinds, p)),
            None => Ok(()),
        }
    }
}

fn not_text(kinds: &[FileKind], problem: TextProblem) -> AppError {
    AppError::UnsupportedType(rules::not_text_message(kinds, problem))
}

fn guarded(content: ByteStream<'_>, guard: Guard) -> ByteStream<'_> {
    futures_util::stream::unfold(Some((content, guard)), |state| async move {
        let (mut content, mut guard) = state?;
        match content.next().await {
            Some(Ok(bytes)) => match guard.feed(&bytes) {
                Ok(()) => Some((Ok(bytes), Some((content, guard)))),
                Err(e) => Some((Err(e), None)),
            },
            Some(Err(e)) => Some((Err(e), None)),
            None => guard.finish().err().map(|e| (Err(e), None)),
        }
    })
    .boxed()
}
