//! Upload purposes and their registry. The domain that owns a purpose declares it (the carer
//! register's CSV, SSDA903 returns, panel papers) with its limits and its policy; the server
//! knows only the registry.

use super::rules::FileKind;
use super::store::{FileStore, StoredFile};
use crate::auth::{rules::Scope, CurrentUser};
use std::sync::Arc;

/// Who may upload: the signed-in staff member and the code of the council the file will belong
/// to (their own, unless the form names another). Asked before any byte of the file is read.
pub type UploadPolicy = fn(&CurrentUser, &str) -> bool;

/// Who may download a stored file. Anyone refused is told the file does not exist.
pub type DownloadPolicy = fn(&CurrentUser, &StoredFile) -> bool;

/// One kind of upload, e.g. "a council's carer register as CSV".
#[derive(Clone, Debug)]
pub struct UploadPurpose {
    /// The URL segment (`POST /files/{name}`) and the `purpose` stored with each file:
    /// lower-case letters, digits and hyphens, e.g. `carer-register`.
    pub name: &'static str,
    /// The largest file accepted, in bytes, counted as the file streams in.
    pub max_bytes: u64,
    /// What the file's bytes must be.
    pub kinds: &'static [FileKind],
    /// The page a browser returns to after uploading (`?uploaded={id}` is added) and that a
    /// refusal links back to.
    pub return_to: &'static str,
    pub may_upload: UploadPolicy,
    pub may_download: DownloadPolicy,
}

impl UploadPurpose {
    /// For an upload form's `<input type=file accept=...>`.
    pub fn accept(&self) -> String {
        FileKind::accept(self.kinds)
    }
}

/// The usual boundary: hub staff for any council, council staff for their own council only.
/// A purpose's policy adds its own role check to this.
pub fn within_scope(user: &CurrentUser, council_code: Option<&str>) -> bool {
    match council_code {
        Some(code) => Scope::of(user).includes(code),
        // A file of the whole cooperative: the hub's.
        None => user.is_hub,
    }
}

/// How many uploads one server process receives at once. Each holds a database connection
/// while it streams; more wait their turn rather than starve the pages of connections.
pub const CONCURRENT_UPLOADS: usize = 4;

/// The store and every registered purpose; lives on `AppState`.
pub struct Files {
    store: Arc<dyn FileStore>,
    purposes: Vec<UploadPurpose>,
    pub(super) receiving: tokio::sync::Semaphore,
}

impl Files {
    pub fn new(store: Arc<dyn FileStore>) -> Self {
        Files {
            store,
            purposes: Vec::new(),
            receiving: tokio::sync::Semaphore::new(CONCURRENT_UPLOADS),
        }
    }

    /// Registers a purpose. Purposes are declared in code, so a bad or repeated name is a
    /// programming error, found when the server starts.
    pub fn with_purpose(mut self, purpose: UploadPurpose) -> Self {
        let name_ok = (2..=60).contains(&purpose.name.len())
            && purpose
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        assert!(
            name_ok,
            "upload purpose name {:?} is not valid",
            purpose.name
        );
        assert!(
            self.purpose(purpose.name).is_none(),
            "upload purpose {:?} registered twice",
            purpose.name
        );
        assert!(
            !purpose.kinds.is_empty() && purpose.max_bytes > 0,
            "upload purpose {:?} accepts nothing",
            purpose.name
        );
        self.purposes.push(purpose);
        self
    }

    pub fn purpose(&self, name: &str) -> Option<&UploadPurpose> {
        self.purposes.iter().find(|p| p.name == name)
    }

    pub fn store(&self) -> &dyn FileStore {
        self.store.as_ref()
    }
}
