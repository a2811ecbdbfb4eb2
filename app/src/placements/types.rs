//! Forms and choices for placements and holds.

use crate::ui::DateParts;
use serde::{Deserialize, Serialize};

/// Recording that a child has moved in with a household (the household's council, or the hub).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlacementForm {
    /// The household: its council's code and register reference.
    pub council: String,
    pub reference: String,
    /// The responsible council (code); empty for the household's own council.
    pub child_council: String,
    /// The responsible council's reference for the child (never a name).
    pub child_reference: String,
    pub child_date_of_birth: DateParts,
    pub child_sex: String,
    pub child_postcode: String,
    pub placement_type: String,
    pub start_on: DateParts,
    pub planned_end_on: DateParts,
    /// An open placement of the same household this child is a brother or sister of.
    pub sibling_of: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndPlacementForm {
    pub council: String,
    pub reference: String,
    pub placement_id: String,
    pub ended_on: DateParts,
    pub end_reason: String,
}

/// Holding places (or the whole household) for a reason, from a date.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HoldForm {
    pub council: String,
    pub reference: String,
    /// `places` or `whole`.
    pub extent: String,
    pub places: String,
    pub reason: String,
    pub starts_on: DateParts,
    pub expires_on: DateParts,
    pub review_on: DateParts,
    pub note: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReleaseHoldForm {
    pub council: String,
    pub reference: String,
    pub hold_id: String,
}

/// An exemption or temporary variation letting a household take placements outside its terms.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExemptionForm {
    pub council: String,
    pub reference: String,
    pub route: String,
    pub covers: String,
    pub starts_on: DateParts,
    pub ends_on: DateParts,
    pub note: String,
}

pub const HOLD_REASONS: [(&str, &str); 6] = [
    ("carers-break", "Carers' break"),
    ("allegation", "Allegation under investigation"),
    ("staying-put", "Staying put"),
    ("reserved", "Reserved for a named child"),
    ("household-change", "Change in the household"),
    ("other", "Other"),
];

/// Reasons a member of staff can choose for a hold (a reservation is made by the search).
pub const STAFF_HOLD_REASONS: [(&str, &str); 5] = [
    ("carers-break", "Carers' break"),
    ("allegation", "Allegation under investigation"),
    ("staying-put", "Staying put"),
    ("household-change", "Change in the household"),
    ("other", "Other"),
];

pub const END_REASONS: [(&str, &str); 9] = [
    ("returned-home", "Returned home"),
    ("moved-placement", "Moved to another placement"),
    ("adopted", "Adopted"),
    ("special-guardianship", "Special guardianship order"),
    ("staying-put", "Staying put (18 or over)"),
    ("independent-living", "Moved to independent living"),
    (
        "planned-end",
        "Planned end of a short-term or short-break placement",
    ),
    ("disruption", "Ended unplanned (disruption)"),
    ("other", "Other"),
];

pub const ROUTES: [(&str, &str); 2] = [
    ("exemption", "Exemption"),
    ("temporary-variation", "Temporary variation"),
];

pub const COVERS: [(&str, &str); 4] = [
    ("number", "More children than the approved number"),
    ("age", "Children outside the approved age range"),
    ("sex", "Children outside the approved sex"),
    ("type", "A placement type the household is not approved for"),
];

pub fn label(list: &[(&'static str, &'static str)], code: &str) -> &'static str {
    list.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("Other")
}
