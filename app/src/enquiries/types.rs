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

/// Where an enquiry has got to: `(value, label)`.
pub const STATUSES: &[(&str, &str)] = &[
    ("new", "New"),
    ("contacted", "Contacted"),
    ("visit_booked", "Initial visit booked"),
    ("application_invited", "Invited to apply"),
    ("closed", "Closed"),
];

/// Why an enquiry ended, recorded for every closed enquiry (Ofsted asks for withdrawal reasons).
pub const CLOSED_REASONS: &[(&str, &str)] = &[
    ("no_response", "No response after contact attempts"),
    ("not_eligible", "Did not meet the criteria to foster"),
    (
        "personal_circumstances",
        "Withdrew: personal or family circumstances",
    ),
    (
        "chose_other_agency",
        "Withdrew: chose another fostering service",
    ),
    ("not_ready", "Withdrew: not the right time"),
    (
        "referred_elsewhere",
        "Referred to another council or service",
    ),
    ("duplicate", "Duplicate enquiry"),
    ("other", "Other reason"),
];

pub fn status_label(value: &str) -> &'static str {
    STATUSES
        .iter()
        .find(|(v, _)| *v == value)
        .map(|(_, l)| *l)
        .unwrap_or("Unknown")
}

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
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnquiryList {
    pub rows: Vec<EnquiryRow>,
    pub page: u32,
    pub has_next: bool,
    /// Councils the caller may filter by (hub staff: all; council staff: none, it is fixed).
    pub councils: Vec<crate::councils::CouncilOption>,
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
    pub closed_reason: Option<String>,
    pub received: String,
    pub can_update: bool,
    pub history: Vec<crate::audit::AuditLine>,
}

/// A staff member moving an enquiry on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatusUpdate {
    pub reference: String,
    pub status: String,
    pub closed_reason: String,
}
