//! What the administrators' "Jobs" page shows, worded on the server.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobsOverview {
    pub scheduled: Vec<ScheduledJobView>,
    /// The newest background jobs, newest first.
    pub background: Vec<BackgroundJobView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledJobView {
    pub kind: String,
    pub description: String,
    /// e.g. "Daily at 03:15 London time".
    pub schedule: String,
    /// London time.
    pub next_run: String,
    /// When the latest occurrence last started, London time; none if it never has.
    pub last_run: Option<String>,
    /// "Succeeded", "Running", "Waiting to retry", "Failed", or "Not run yet".
    pub outcome: String,
    pub error: Option<String>,
    pub attempts: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackgroundJobView {
    pub job_id: String,
    pub kind: String,
    /// "Waiting", "Running", "Waiting to retry", "Succeeded" or "Failed".
    pub status: String,
    /// London time.
    pub created: String,
    /// e.g. "40 of 100 (40%): rows imported"; none before any is reported.
    pub progress: Option<String>,
    /// e.g. "2 of 5".
    pub attempts: String,
    pub error: Option<String>,
    /// When it succeeded or was given up, London time.
    pub finished: Option<String>,
}
