//! Supply against need: the forecast of children in foster care by age band, for the region or
//! one council, against the foster places its carer register offers that band today and is
//! expected to offer at +6, +12 and +24 months (today's places, plus households the assessment
//! pipeline is expected to approve, less those expected to leave). In-house and kinship care are
//! met by the register; agency care is shown as what commissioning must buy. Also a printable
//! one-page summary per council for its sufficiency strategy, and every figure as CSV.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

use super::analysis::{Band, LocationView};

/// How the page names its dates: today, then the horizons after it.
pub const HORIZONS_LABELS: [&str; 4] = ["today", "6 months", "12 months", "24 months"];

/// The supply page's options: a council's code, or empty for the region; and scenario changes
/// to the forecast's rates, written as on the forecast page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupplyQuery {
    pub council: String,
    pub scenario: String,
}

/// One kind's places for a band today: approved = filled + vacant + not available. `None`
/// where a count of children could be worked out (beyond the caller's own council).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlacesToday {
    pub kind: String,
    pub approved: u64,
    pub filled: Option<u64>,
    pub vacant: Option<u64>,
    pub not_available: Option<u64>,
}

/// One kind's need and expected places for a band at one horizon.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KindAt {
    pub kind: String,
    /// Children in this kind of foster care: mean, low, high.
    pub need: Band,
    pub places_today: f64,
    pub joining: f64,
    pub leaving: f64,
    /// Places expected: today's + joining − leaving.
    pub places: f64,
}

impl KindAt {
    /// Places less need (negative: short).
    pub fn gap(&self) -> f64 {
        self.places - self.need.0
    }
}

/// A band's figures at one horizon: in-house and kinship against the register, and agency care
/// to commission.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BandAt {
    pub kinds: Vec<KindAt>,
    pub agency: Band,
}

/// One age band's line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BandLine {
    pub band: String,
    pub today: Vec<PlacesToday>,
    /// One per horizon.
    pub at: Vec<BandAt>,
}

/// One stage of the assessment pipeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageLine {
    pub stage: String,
    /// Open cases at this stage now (in the council, or the region).
    pub open: u64,
    /// The region's share of closed cases reaching this stage that were approved.
    pub conversion: Option<f64>,
    /// The region's median days from reaching this stage to approval.
    pub median_days: Option<i64>,
}

/// One kind's leaving figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeavingLine {
    pub kind: String,
    /// Households approved today.
    pub households: u64,
    /// Of which have given notice.
    pub resigning: u64,
    /// The region's deregistrations per household-year over the last three years.
    pub yearly_rate: Option<f64>,
    /// Households expected to be approved by each horizon, from the pipeline.
    pub joining: Vec<f64>,
}

/// Everything the supply page and the printable summary show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupplyPage {
    pub query: SupplyQuery,
    /// Councils with returns: `(code, name)`.
    pub councils: Vec<(String, String)>,
    /// "the region" or the council's name.
    pub scope: String,
    pub problem: Option<String>,
    pub errors: crate::error::FieldErrors,
    pub today: String,
    /// Where the returns end and the forecast starts.
    pub data_end: String,
    /// +6, +12 and +24 months from today.
    pub horizons: Vec<String>,
    pub bands: Vec<BandLine>,
    pub stages: Vec<StageLine>,
    pub leaving: Vec<LeavingLine>,
    /// Whether counts of children are suppressed for this caller and scope.
    pub suppressed: bool,
    /// Councils on the register with no returns imported: left out of the region's figures.
    pub left_out: Vec<String>,
    /// Children in care on the forecast's start day (`None` where suppressed), and all children
    /// in care forecast at each horizon.
    pub in_care_now: Option<i64>,
    pub in_care_at: Vec<Band>,
    /// The council's placement location measures (the summary's), if it has any.
    pub location: Option<LocationView>,
    /// England's and the region's latest published placement-location figures.
    pub comparators: Vec<crate::sufficiency::location::PublishedArea>,
    pub csv_href: String,
    /// The printable summary with the same options.
    pub summary_href: String,
}
