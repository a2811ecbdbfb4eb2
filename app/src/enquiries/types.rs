use serde::{Deserialize, Serialize};

/// Kinds of fostering an enquirer can say they are interested in: `(value, label)`.
pub const INTERESTS: &[(&str, &str)] = &[
    ("short_term", "Short-term fostering"),
    ("long_term", "Long-term fostering"),
    ("emergency", "Emergency fostering"),
    ("short_breaks", "Short breaks (respite)"),
    ("parent_and_child", "Parent and child fostering"),
    (
        "connected_person",
        "Caring for a child I already know (family and friends)",
    ),
    ("not_sure", "I'm not sure yet"),
];

pub const HEARD_ABOUT: &[(&str, &str)] = &[
    ("search", "Internet search"),
    ("social_media", "Social media"),
    ("friend_or_family", "A friend or family member"),
    ("foster_carer", "A foster carer"),
    ("event", "An event or stall"),
    ("radio_tv", "Radio or TV"),
    ("leaflet_poster", "Leaflet, poster or advert"),
    ("other", "Somewhere else"),
];

pub const SPARE_BEDROOM: &[(&str, &str)] = &[
    ("yes", "Yes"),
    ("soon", "Not yet, but I will have one soon"),
    ("no", "No"),
];

/// The council choice for someone who lives outside the member councils.
pub const OTHER_AREA: &str = "other";

/// The form's field names, in the order they appear (the error summary follows it).
pub const FIELDS: &[&str] = &[
    "full_name",
    "email",
    "phone",
    "postcode",
    "council",
    "spare_bedroom",
    "interests",
    "heard_about",
    "consent",
];

/// What the enquiry form sends, exactly as typed. Nothing here is trusted: the server parses it
/// into a `ValidEnquiry` or returns field messages, and the page shows these values back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EnquiryForm {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub postcode: String,
    pub council: String,
    pub spare_bedroom: String,
    #[serde(deserialize_with = "crate::forms::many")]
    pub interests: Vec<String>,
    pub heard_about: String,
    #[serde(deserialize_with = "crate::forms::checked")]
    pub consent: bool,
    /// Campaign source carried from `?source=` on the link the person followed.
    pub source: String,
    /// Idempotency key rendered into the form: one enquiry per form, however often it is sent.
    pub submission_key: String,
}

pub use super::lifecycle::{stage_label, STAGES};

pub fn label_of(list: &'static [(&'static str, &'static str)], value: &str) -> String {
    list.iter()
        .find(|(v, _)| *v == value)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| value.to_string())
}

/// Staff list filters, from the page's query string. Everything optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnquiryFilter {
    pub council: String,
    pub status: String,
    pub reference: String,
    /// `me` for the caller's own enquiries, `none` for those not yet allocated, or empty.
    #[serde(default)]
    pub worker: String,
    /// Only enquiries with something overdue.
    #[serde(default)]
    pub overdue: bool,
    pub page: u32,
}

pub const PAGE_SIZE: i64 = 25;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnquiryRow {
    pub reference: String,
    pub full_name: String,
    pub council_name: String,
    pub status: String,
    /// Europe/London, for reading.
    pub received: String,
    /// The named worker, if allocated.
    #[serde(default)]
    pub worker: Option<String>,
    /// What is late, in words ("First contact overdue").
    #[serde(default)]
    pub overdue: Vec<String>,
    /// Paused until this date (for reading), if paused.
    #[serde(default)]
    pub paused_until: Option<String>,
    /// Arrived matching another enquiry, and nobody has looked yet.
    #[serde(default)]
    pub possible_duplicate: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnquiryList {
    pub rows: Vec<EnquiryRow>,
    pub page: u32,
    pub has_next: bool,
    /// Councils the caller may filter by (hub staff: all; council staff: none, it is fixed).
    pub councils: Vec<crate::councils::CouncilOption>,
    /// May select enquiries and act on them together (close, allocate).
    #[serde(default)]
    pub can_update: bool,
    /// Who the selected enquiries may be allocated to: the listed council's workers and the
    /// hub's (`(staff id, name)`).
    #[serde(default)]
    pub workers: Vec<(String, String)>,
}

/// Acting on several enquiries at once from the list: closing them with one reason, or
/// allocating them to one worker (`choice` = `close` or `allocate`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BulkForm {
    #[serde(deserialize_with = "crate::forms::many")]
    pub selected: Vec<String>,
    pub choice: String,
    pub closed_reason: String,
    /// The worker's staff id (not `worker`: the list's filter form has a field of that name).
    pub allocate_to: String,
    /// Where to come back to (the list's own address, with its filters).
    pub back: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnquiryDetail {
    pub reference: String,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub postcode: String,
    pub council_name: String,
    pub lives_outside_region: bool,
    pub spare_bedroom: String,
    pub interests: Vec<String>,
    pub heard_about: String,
    pub campaign_source: Option<String>,
    pub status: String,
    /// The closure reason's code and words ("EQ-05 Duplicate enquiry").
    pub closed_reason: Option<String>,
    pub closed_note: Option<String>,
    pub received: String,
    pub can_update: bool,
    /// Closing now takes Ofsted's withdrawal codes (an application has been submitted).
    pub closes_as_withdrawal: bool,
    pub paused_until: Option<String>,
    pub worker: Option<String>,
    /// Who the enquiry may be allocated to: `(staff id, name)`, for those who may allocate.
    pub workers: Vec<(String, String)>,
    /// Councils it may be routed to (hub staff only): `(code, name)`.
    pub councils: Vec<(String, String)>,
    pub council_code: String,
    pub worker_id: String,
    pub first_contact_due: String,
    pub first_contact_at: Option<String>,
    pub visit_due: Option<String>,
    pub visit_held_at: Option<String>,
    /// The initial visit once booked, in words.
    pub visit_booked: Option<String>,
    pub next_action: Option<String>,
    pub next_action_due: Option<String>,
    pub overdue: Vec<String>,
    pub contacts: Vec<ContactLine>,
    /// Contact attempts (every logged contact but notes).
    pub attempts: i64,
    pub possible_duplicate: bool,
    /// Other enquiries that look like the same household, or were linked to this one.
    pub duplicates: Vec<DuplicateLine>,
    pub history: Vec<crate::audit::AuditLine>,
}

/// Another enquiry that looks like the same household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateLine {
    pub reference: String,
    pub full_name: String,
    pub council_name: String,
    pub stage: String,
    pub received: String,
    /// What matched, in words ("same email, same phone").
    pub matched: String,
    pub linked: bool,
}

/// Linking this enquiry to another as the same household (`choice` = `link`), merging it into
/// the other (`merge`: this one closes as a duplicate), or saying it is not one (`dismiss`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DuplicateForm {
    pub reference: String,
    pub other: String,
    pub choice: String,
}

/// One entry of the contact log, for reading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactLine {
    pub when: String,
    pub who: String,
    pub kind: String,
    pub outcome: String,
    pub note: String,
}

/// A staff member moving an enquiry on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatusUpdate {
    pub reference: String,
    pub status: String,
    pub closed_reason: String,
    /// The reasons in words (required for "other" and "not suitable").
    pub closed_note: String,
    #[serde(deserialize_with = "crate::forms::checked")]
    pub confirmed_in_writing: bool,
}

/// Pausing an enquiry until a date (`choice` = `pause`), or picking it up again (`resume`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PauseForm {
    pub reference: String,
    pub choice: String,
    pub until: crate::ui::DateParts,
}

/// A contact attempt or a note, for the contact log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    pub reference: String,
    pub kind: String,
    pub outcome: String,
    pub note: String,
}

/// Routing an enquiry to a council (hub staff) and a named worker.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AllocateForm {
    pub reference: String,
    /// A council code; empty keeps the enquiry's council.
    pub council: String,
    /// A staff id; empty leaves it unallocated.
    pub worker: String,
}

/// What must happen next, and by when (both empty clears it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NextActionForm {
    pub reference: String,
    pub next_action: String,
    pub due: crate::ui::DateParts,
}

/// Booking (or moving) the initial visit: the day, the time and where.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitForm {
    pub reference: String,
    pub date: crate::ui::DateParts,
    /// "10:30", "2pm", "14:15".
    pub time: String,
    /// Where, in the household's words ("at your home").
    pub place: String,
}
