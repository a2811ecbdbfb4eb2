//! What the training pages show and post.

use serde::{Deserialize, Serialize};

/// A competency in the catalogue's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompetencyRow {
    pub id: String,
    pub name: String,
    /// "3 years", "12 months" or "Does not expire".
    pub validity: String,
}

/// A session in a list: its first date, where, and room left.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    pub id: String,
    pub when: String,
    pub dates: u32,
    pub place: String,
    /// "3 places left", "Full: join the waiting list", "Bookings closed", "Cancelled".
    pub room: String,
    /// The caller's own place on it: "Booked", "On the waiting list (2nd)", "Offered a place".
    pub mine: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseRow {
    pub id: String,
    pub title: String,
    pub description: String,
    /// "Staff", "Foster carers", "Staff and foster carers".
    pub audience: String,
    /// "In person, 3 hours", "Online, 90 minutes".
    pub delivery: String,
    pub competencies: Vec<String>,
    pub council_name: String,
    /// Coming sessions, soonest first.
    pub sessions: Vec<SessionRow>,
}

/// The catalogue: the courses meant for the caller, matching their search.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    pub courses: Vec<CourseRow>,
    pub query: String,
    /// Adds courses and sessions (workforce leads).
    pub may_manage: bool,
    /// Sees the workforce leads' forms: they, and administrators (who see every staff page but
    /// whose posts are refused).
    pub sees_forms: bool,
    /// Sees the compliance matrix (workforce leads, team managers).
    pub sees_compliance: bool,
    /// Sees foster carers' TSDS (those who see the register, workforce leads).
    pub sees_tsds: bool,
    /// Decides requests for places (team managers, workforce leads).
    pub sees_approvals: bool,
    pub competencies: Vec<CompetencyRow>,
    /// `/staff/training` or `/account/training`: where links go.
    pub base: String,
}

/// The caller's own place on a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyPlace {
    /// `requested` (waiting for a manager's approval), `booked`, `offered`, `waitlisted`.
    pub status: String,
    /// Their place in the queue (1 = next), when waiting.
    pub position: Option<u32>,
    /// "13:00 BST on Sunday 28 March 2027", when offered.
    pub offer_ends: Option<String>,
    /// They may still cancel it themselves (before the cut-off).
    pub may_cancel: bool,
}

/// Someone on a session, as its workforce lead or trainer sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendeeRow {
    pub booking: String,
    pub name: String,
    pub email: String,
    /// "Booked", "Offered a place until …", "Waiting (1st)".
    pub status: String,
    pub booked: bool,
    /// Per date of the session, in order: present (true), absent (false) or not marked.
    pub marks: Vec<Option<bool>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDateRow {
    pub id: String,
    pub when: String,
    /// The register may be taken (it opens an hour before the start).
    pub register_open: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub id: String,
    pub course_id: String,
    pub course_title: String,
    pub description: String,
    pub council_name: String,
    pub dates: Vec<SessionDateRow>,
    pub place: String,
    pub trainer: Option<String>,
    pub capacity: u32,
    /// Seats taken (booked, or held for someone offered one).
    pub taken: u32,
    pub waiting: u32,
    pub booking_closes: String,
    pub cancel_cutoff: String,
    pub booking_open: bool,
    pub cancelled: bool,
    pub competencies: Vec<String>,
    pub mine: Option<MyPlace>,
    /// Meant for the caller (staff, carers or both).
    pub for_me: bool,
    /// Staff bookings need their manager's approval.
    pub needs_approval: bool,
    /// Manages it: books others, changes capacity, cancels anyone.
    pub may_manage: bool,
    /// Takes its register (the workforce lead, its trainer).
    pub may_take_register: bool,
    /// Shown to those who manage it or take its register.
    pub attendees: Vec<AttendeeRow>,
    /// A team manager books people of their teams onto it.
    pub may_book_team: bool,
    /// The teams the caller may book whole: `(id, "Team (Council)")`.
    pub teams: Vec<(String, String)>,
    pub base: String,
}

/// A person's record of a competency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRow {
    pub reference: String,
    pub competency: String,
    pub achieved: String,
    pub expires: String,
    /// "Attended Skills to Foster", "Evidence recorded by …", "Imported".
    pub how: String,
    /// "Current", "Expiring", "Expired".
    pub standing: String,
    pub voided: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyTraining {
    pub name: String,
    pub records: Vec<RecordRow>,
    /// Their coming sessions and places.
    pub sessions: Vec<(String, SessionRow)>,
    pub base: String,
    /// A foster carer's own Training, Support and Development Standards.
    pub tsds: Option<MyTsds>,
}

/// A foster carer's own TSDS: the rule for their kind of care, and their progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyTsds {
    pub rule: String,
    pub carer: TsdsCarer,
}

/// A certificate, as its page prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub reference: String,
    pub name: String,
    pub competency: String,
    pub achieved: String,
    pub expires: String,
    pub how: String,
    pub voided: bool,
}

/// What checking a certificate found: never more than the certificate says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateCheck {
    pub genuine: bool,
    pub certificate: Option<Certificate>,
}

// Forms

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompetencyForm {
    pub name: String,
    /// Months; blank for a competency that does not expire.
    pub validity_months: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CourseForm {
    pub title: String,
    pub description: String,
    pub audience: String,
    pub delivery: String,
    pub duration_minutes: String,
    #[serde(deserialize_with = "crate::forms::many")]
    pub competencies: Vec<String>,
    /// `yes`: staff bookings need their manager's approval.
    pub needs_approval: String,
}

/// A new session: its first date, up to two more, and its rules.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionForm {
    pub course: String,
    pub day1: crate::ui::DateParts,
    pub starts1: String,
    pub ends1: String,
    pub day2: crate::ui::DateParts,
    pub starts2: String,
    pub ends2: String,
    pub day3: crate::ui::DateParts,
    pub starts3: String,
    pub ends3: String,
    pub capacity: String,
    pub venue: String,
    pub link: String,
    /// The trainer's account email, if they have one.
    pub trainer: String,
    /// Days before the first date that bookings close (blank: 2).
    pub closes_days: String,
    /// Days before the first date that people may no longer cancel themselves (blank: 2).
    pub cutoff_days: String,
}

/// Book, join the waiting list, accept an offer, or give up a place: one button each.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlaceForm {
    pub session: String,
}

/// A workforce lead cancels someone's place (after the cut-off too).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CancelPlaceForm {
    pub session: String,
    pub booking: String,
}

/// A workforce lead books named people, in the order listed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BookPeopleForm {
    pub session: String,
    /// Email addresses, one a line (or separated by commas).
    pub emails: String,
    /// A whole team, by id: its members are booked after anyone listed, in name order.
    pub team: String,
}

/// What booking each named person came to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookedPerson {
    pub email: String,
    /// "Booked", "Waiting list (3rd)", "Already booked", "No account with this email".
    pub outcome: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CapacityForm {
    pub session: String,
    pub capacity: String,
}

/// The register for one date: the bookings marked present (every other booked person is
/// recorded absent).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterForm {
    pub session: String,
    pub date: String,
    #[serde(deserialize_with = "crate::forms::many")]
    pub present: Vec<String>,
}

/// Evidence of a competency, recorded by a workforce lead.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EvidenceForm {
    pub email: String,
    pub competency: String,
    pub achieved_on: crate::ui::DateParts,
    pub note: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CertificateCheckForm {
    pub reference: String,
    pub surname: String,
}

/// A workforce lead moves one date of a session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangeDateForm {
    pub session: String,
    pub date: String,
    pub day: crate::ui::DateParts,
    pub starts: String,
    pub ends: String,
}

/// A workforce lead changes where a session is held (its venue, or its joining link online).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangePlaceForm {
    pub session: String,
    pub place: String,
}

/// A workforce lead cancels a whole session, saying why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CancelSessionForm {
    pub session: String,
    pub reason: String,
}

/// The compliance matrix's filters, sort and page: the query string of
/// `/staff/training/compliance` (and of its CSV). Blank means any.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatrixQuery {
    /// A council's code.
    pub council: String,
    /// A team's id.
    pub team: String,
    /// `role:<role>` or `carer:<carer type>`.
    pub who: String,
    /// A competency's id: only that column, and only people who must hold it.
    pub competency: String,
    /// `name` (the default), `council` (council, team, then name) or `gaps` (most gaps first).
    pub sort: String,
    pub page: u32,
}

/// A column of the matrix: a competency someone filtered must hold, with the totals of its
/// cells over everyone filtered (not only this page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixColumn {
    pub id: String,
    pub name: String,
    pub current: u32,
    pub expiring: u32,
    pub expired: u32,
    pub missing: u32,
}

/// One cell: `current`, `expiring`, `expired`, `missing` or `not_required`, and its words
/// ("Current until 28 February 2027"), the same in the page and the CSV.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixCell {
    pub standing: String,
    pub words: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub name: String,
    /// Where their records are read.
    pub href: String,
    /// "Staff: Assessor, Trainer" or "Foster carer: Mainstream".
    pub kind: String,
    pub council: String,
    pub team: String,
    pub cells: Vec<MatrixCell>,
}

/// A page of the compliance matrix.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matrix {
    pub query: MatrixQuery,
    /// "Kent County Council", "Your teams", "The region": whose people these are.
    pub boundary: String,
    pub columns: Vec<MatrixColumn>,
    pub rows: Vec<MatrixRow>,
    /// Everyone filtered.
    pub people: u32,
    pub page: u32,
    pub pages: u32,
    /// Choices for the filters: (value, label).
    pub councils: Vec<(String, String)>,
    pub teams: Vec<(String, String)>,
    pub whos: Vec<(String, String)>,
    pub competencies: Vec<(String, String)>,
    /// Whether the caller sets the requirements (the hub's workforce leads).
    pub edits_requirements: bool,
}

/// What each role and kind of carer must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirements {
    /// (subject, label, the competencies' names).
    pub subjects: Vec<(String, String, Vec<String>)>,
    /// Every competency: (id, name).
    pub competencies: Vec<(String, String)>,
    /// The subject asked for, and the ids it requires now (for the form).
    pub subject: String,
    pub subject_label: String,
    pub required: Vec<String>,
    pub edits: bool,
}

/// Set what one role or kind of carer must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequirementsForm {
    pub subject: String,
    #[serde(deserialize_with = "crate::forms::many")]
    pub competencies: Vec<String>,
}

/// One TSDS standard for a carer: done (when, and the evidence) or not yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TsdsStandardRow {
    pub id: String,
    pub name: String,
    /// "Signed off 3 March 2026 by Sol Supervising: workbook seen", or none.
    pub done: Option<String>,
}

/// A carer's progress on their TSDS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TsdsCarer {
    /// "1" or "2": which carer of the household.
    pub position: String,
    pub name: String,
    /// "14 March 2027".
    pub due: String,
    /// `complete`, `on_track`, `due_soon` (within 60 days) or `overdue`, and its words.
    pub progress: String,
    pub progress_words: String,
    pub done: u32,
    pub of: u32,
    pub standards: Vec<TsdsStandardRow>,
}

/// A household's TSDS: each carer against their deadline.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdTsds {
    pub council: String,
    pub reference: String,
    pub household: String,
    /// "Mainstream: 7 standards within 12 months of approval".
    pub rule: String,
    pub approved: String,
    pub carers: Vec<TsdsCarer>,
    /// Signs standards off (supervising social workers, managers, workforce leads).
    pub may_sign: bool,
}

/// Sign off one TSDS standard for one carer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TsdsForm {
    pub council: String,
    pub household: String,
    pub carer: String,
    pub standard: String,
    pub achieved_on: crate::ui::DateParts,
    pub note: String,
}

/// `/staff/training/tsds?show=…&page=…`: `show` is `behind` (overdue or due within 60 days,
/// the default), `overdue`, or `all`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TsdsQuery {
    pub show: String,
    pub page: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TsdsRow {
    pub href: String,
    pub household: String,
    pub reference: String,
    pub council: String,
    pub carer: String,
    pub carer_type: String,
    pub due: String,
    /// "3 of 7".
    pub done: String,
    pub progress: String,
    pub progress_words: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TsdsList {
    pub query: TsdsQuery,
    /// "The households you supervise", "Kent County Council", "Every council in the region".
    pub boundary: String,
    pub rows: Vec<TsdsRow>,
    pub total: u32,
    pub page: u32,
    pub pages: u32,
}

/// A request for a place waiting for a manager's approval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRow {
    pub booking: String,
    pub session: String,
    pub person: String,
    pub email: String,
    pub course: String,
    /// The first date, in words.
    pub when: String,
    pub requested: String,
    pub closes: String,
}

/// The requests the caller may decide, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approvals {
    pub rows: Vec<ApprovalRow>,
}

/// Approving (`approve`) or refusing (`refuse`) a request for a place.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecideRequestForm {
    pub booking: String,
    pub decision: String,
}

/// One person's training records, as a workforce lead or their manager reads them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonTraining {
    pub name: String,
    /// "Staff" or "Foster carer".
    pub kind: String,
    pub council: String,
    pub team: String,
    pub records: Vec<RecordRow>,
}
