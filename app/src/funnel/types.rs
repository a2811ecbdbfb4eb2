//! What the funnel pages ask for and what they are given. Figures only: no household is named.

use serde::{Deserialize, Serialize};

/// The filters, exactly as in the address (`/staff/funnel?view=cohort&council=kent&...`).
/// Parsed on the server; anything it cannot read falls back to the default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FunnelQuery {
    /// A council's code, or empty for every council the caller may see.
    pub council: String,
    /// A campaign source, `none` for enquiries without one, or empty for all.
    pub source: String,
    /// Ofsted view: the financial year by its first year (`2025` is 2025-26).
    pub year: String,
    /// Cohort view: the first and last months of arrival, `YYYY-MM`.
    pub from: String,
    pub to: String,
}

/// A choice in a filter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// What both views share: where the figures are from and the filters' choices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scope {
    /// "The region", or the council's name.
    pub label: String,
    /// The council's code, or empty for the region.
    pub council: String,
    /// The source chosen ("" for every source).
    pub source: String,
    /// Councils to choose from (only offered to those who see more than one).
    pub councils: Vec<Choice>,
    /// Sources seen in the period shown.
    pub sources: Vec<Choice>,
}

/// A count with its label (and code, where it has one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub code: String,
    pub label: String,
    pub n: i64,
}

/// One line of a breakdown by council or by source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub label: String,
    /// Enquiries (Ofsted: received in the year; cohort: arrived in the months).
    pub enquiries: i64,
    /// Cohort view only: reached an initial visit.
    pub visited: i64,
    pub applications: i64,
    /// Applications as a share of enquiries, per cent.
    pub conversion: Option<f64>,
}

/// Ofsted's annual return: what happened in one financial year (1 April to 31 March).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfstedView {
    pub scope: Scope,
    /// The year's first year, and its label (`2025-26`).
    pub year: i32,
    pub year_label: String,
    /// Years to choose from, newest first.
    pub years: Vec<Choice>,
    pub enquiries: i64,
    pub applications: i64,
    /// No approvals are recorded yet: they arrive with the assessment work.
    pub approvals: i64,
    /// Applications ÷ enquiries in the same year, per cent.
    pub conversion: Option<f64>,
    /// Withdrawals by Ofsted's code (AW1 to AW5, then AW0), closed in the year.
    pub withdrawals: Vec<Count>,
    /// Enquiries closed in the year by the product's codes (EQ-…).
    pub closures: Vec<Count>,
    /// The last five years' enquiries and applications, oldest first.
    pub trend: Vec<YearFigures>,
    pub by_council: Vec<Breakdown>,
    pub by_source: Vec<Breakdown>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearFigures {
    pub label: String,
    pub enquiries: i64,
    pub applications: i64,
}

/// Enquiries by month of arrival, followed to each later stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortView {
    pub scope: Scope,
    /// `YYYY-MM`, and in words.
    pub from: String,
    pub to: String,
    pub range_label: String,
    /// Months to choose from (the last five years'), newest first.
    pub month_choices: Vec<Choice>,
    pub stages: Vec<Stage>,
    pub intervals: Vec<Interval>,
    /// First contacts made by their due date (the council's clock, from the enquiry), of those
    /// made.
    pub contact_on_time: OnTime,
    /// Initial visits held by their due date (from first contact), of those held.
    pub visit_on_time: OnTime,
    /// The clocks' lengths, in working days, when one council is shown.
    pub clocks: Option<(i32, i32)>,
    /// Closed enquiries of the cohort, by reason (EQ-… and AW…).
    pub closures: Vec<Count>,
    pub months: Vec<CohortMonth>,
    pub by_council: Vec<Breakdown>,
    pub by_source: Vec<Breakdown>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub code: String,
    pub label: String,
    pub reached: i64,
    /// Per cent of the cohort's enquiries.
    pub of_enquiries: Option<f64>,
    /// Per cent of those who reached the stage before.
    pub from_previous: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub code: String,
    pub label: String,
    /// How many enquiries went from one stage to the other.
    pub count: i64,
    /// Median working days (a half when the middle falls between two whole days).
    pub median: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OnTime {
    pub on_time: i64,
    pub of: i64,
    pub share: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortMonth {
    pub month: String,
    pub label: String,
    pub arrived: i64,
    pub contacted: i64,
    pub visited: i64,
    pub invited: i64,
    pub applied: i64,
    pub closed: i64,
}
