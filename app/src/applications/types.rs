use super::rules::Progress;
use crate::error::FieldErrors;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One section's form, as posted: the section's code, the button pressed, and its answers (every
/// other field). Answers are kept only where the section's spec names them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SectionForm {
    pub section: String,
    /// `continue` ("Save and continue") or `draft` ("Save and come back later").
    pub action: String,
    /// "Add another" for the group named.
    pub add_another: String,
    /// "Remove" for the item named (`people[2]`).
    pub remove: String,
    #[serde(flatten)]
    pub answers: Map<String, Value>,
}

/// Sending the application: only the button.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmitForm {}

/// Staff inviting a household to apply: the first applicant is the enquirer; a second, joint
/// applicant is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    pub reference: String,
    /// `yes` when a partner applies too.
    pub joint: String,
    pub partner_name: String,
    pub partner_email: String,
}

/// A row of the task list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    pub code: String,
    pub title: String,
    /// Whose part this is, for a per-person section of a joint application.
    pub who: Option<String>,
    pub progress: Progress,
    /// True when the caller may open it (their own part, or the household's).
    pub mine: bool,
}

/// An applicant as the household's pages show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantName {
    pub position: i16,
    pub full_name: String,
}

/// The household's view of where things are: the progress page and the task list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub reference: String,
    pub council_name: String,
    /// The enquiry's stage in the household's words.
    pub stage: String,
    pub worker_name: Option<String>,
    pub worker_email: Option<String>,
    /// What happens next, in a sentence, and by when.
    pub next_step: String,
    pub applicants: Vec<ApplicantName>,
    pub me: i16,
    pub joint: bool,
    pub tasks: Vec<TaskRow>,
    /// "27 November 2026 at 3:04pm", once sent.
    pub submitted_at: Option<String>,
    pub closed: bool,
    /// "1 March 2027" while the household has paused.
    pub paused_until: Option<String>,
    /// The initial visit, once booked: "Tuesday 1 December 2026 at 10:30am, at your home".
    pub visit: Option<String>,
    /// Once sent: the assessment's checks, each done or waiting (never what any found), so the
    /// household can chase its own referees.
    #[serde(default)]
    pub checks: Vec<HouseholdCheck>,
}

/// One of the assessment's checks as the household sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdCheck {
    pub what: String,
    pub done: bool,
}

impl Overview {
    pub fn completed(&self) -> usize {
        self.tasks
            .iter()
            .filter(|t| t.progress == Progress::Completed)
            .count()
    }
}

/// A section's page: its saved answers, where it has got to and what is still needed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionView {
    pub code: String,
    pub who: Option<String>,
    pub answers: Map<String, Value>,
    pub progress: Progress,
    /// What stops completion, for the "still needed" list (empty once complete).
    pub still_needed: FieldErrors,
    pub submitted: bool,
}

/// One answer on "Check your answers" and the staff's copy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerRow {
    pub label: String,
    pub value: String,
    /// The field's id on its section's page, for the Change link.
    pub field_id: String,
}

/// One section's answers, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnsweredSection {
    pub code: String,
    pub title: String,
    pub who: Option<String>,
    pub progress: Progress,
    pub mine: bool,
    pub rows: Vec<AnswerRow>,
    /// What stops completion, as sentences.
    pub still_needed: Vec<String>,
}

/// The whole application: "Check your answers", and staff reading it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FullApplication {
    pub reference: String,
    pub council_name: String,
    pub applicants: Vec<ApplicantName>,
    pub sections: Vec<AnsweredSection>,
    pub submitted_at: Option<String>,
    pub last_saved: String,
}

/// The household pausing its application (with the date it will pick up again), or picking up
/// again now (`action` = `resume`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HouseholdPauseForm {
    pub action: String,
    pub until: crate::ui::DateParts,
}

/// The household withdrawing: a reason from the list, and words for "another reason".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WithdrawForm {
    pub reason: String,
    pub note: String,
}
