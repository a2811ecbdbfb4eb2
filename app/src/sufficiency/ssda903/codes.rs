//! The DfE's code lists for the columns the product keeps, by collection year, and the
//! postcode handling the import does before minimising.
//!
//! The lists are those of the DfE validation rules as implemented by the sector's validator
//! (`data-to-insight/csc-validator-be-903`, formerly Social Finance's
//! `quality-lac-data-beta-validator`): its ruleset for 2022-23 is the base, and each later year
//! changes only the rules it names (`lac_validator/rules/lac2024_25/rule_101.py` and so on).
//! Years before 2022-23 are checked against the 2022-23 lists: the validator keeps no older ones.

use super::super::types::CollectionYear;

/// A code check: the DfE rule's number and what it says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeRule {
    pub rule: &'static str,
    pub column: &'static str,
    pub name: &'static str,
    /// Whether an empty cell passes (the DfE lets most episode codes be blank; SEX and ETHNIC
    /// must be given).
    pub blank_allowed: bool,
}

pub const SEX: CodeRule = CodeRule {
    rule: "101",
    column: "SEX",
    name: "The child's sex is not a valid code for this collection year",
    blank_allowed: false,
};
pub const ETHNIC: CodeRule = CodeRule {
    rule: "103",
    column: "ETHNIC",
    name: "The ethnicity code is not valid or has not been entered",
    blank_allowed: false,
};
pub const RNE: CodeRule = CodeRule {
    rule: "143",
    column: "RNE",
    name: "The reason for new episode code is not a valid code",
    blank_allowed: true,
};
pub const LS: CodeRule = CodeRule {
    rule: "144",
    column: "LS",
    name: "The legal status code is not a valid code",
    blank_allowed: true,
};
pub const CIN: CodeRule = CodeRule {
    rule: "145",
    column: "CIN",
    name: "The category of need code is not a valid code",
    blank_allowed: true,
};
pub const PLACE: CodeRule = CodeRule {
    rule: "146",
    column: "PLACE",
    name: "The placement type code is not valid for this collection year",
    blank_allowed: true,
};
pub const REC: CodeRule = CodeRule {
    rule: "149",
    column: "REC",
    name: "The reason episode ceased code is not a valid code",
    blank_allowed: true,
};
pub const PLACE_PROVIDER: CodeRule = CodeRule {
    rule: "178",
    column: "PLACE_PROVIDER",
    name: "The placement provider code is not valid, or is given for a temporary or other \
           placement, which has no provider",
    blank_allowed: true,
};

/// Rule 101 to 2023-24; from 2024-25 (`lac2024_25/rule_101.py`) the DfE records sex as M, F or U.
pub fn sex_codes(year: CollectionYear) -> &'static [&'static str] {
    if year <= 2024 {
        &["1", "2"]
    } else {
        &["M", "F", "U"]
    }
}

/// Rule 103 (unchanged since 2022-23).
pub const ETHNIC_CODES: [&str; 20] = [
    "WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
    "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
];

/// The ethnicity codes with the DfE's names, in the DfE's order, for a form's choices.
pub const ETHNIC_NAMES: [(&str, &str); 20] = [
    ("WBRI", "White British"),
    ("WIRI", "White Irish"),
    ("WOTH", "Any other White background"),
    ("WIRT", "Traveller of Irish heritage"),
    ("WROM", "Gypsy/Roma"),
    ("MWBC", "White and Black Caribbean"),
    ("MWBA", "White and Black African"),
    ("MWAS", "White and Asian"),
    ("MOTH", "Any other mixed background"),
    ("AIND", "Indian"),
    ("APKN", "Pakistani"),
    ("ABAN", "Bangladeshi"),
    ("AOTH", "Any other Asian background"),
    ("BCRB", "Caribbean"),
    ("BAFR", "African"),
    ("BOTH", "Any other Black background"),
    ("CHNE", "Chinese"),
    ("OOTH", "Any other ethnic group"),
    ("REFU", "Refused"),
    ("NOBT", "Information not yet obtained"),
];

/// Rule 143 (unchanged since 2022-23).
pub const RNE_CODES: [&str; 6] = ["S", "P", "L", "T", "U", "B"];

/// Rule 144 (unchanged since 2022-23).
pub const LS_CODES: [&str; 13] = [
    "C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2", "L3",
];

/// Rule 145 (unchanged since 2022-23).
pub const CIN_CODES: [&str; 8] = ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"];

/// Rule 149 (unchanged since 2022-23).
pub const REC_CODES: [&str; 22] = [
    "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E5", "E6",
    "E7", "E8", "E9", "E14", "E15", "E16", "E17", "X1",
];

/// Rule 178's provider codes (unchanged since 2022-23).
pub const PLACE_PROVIDER_CODES: [&str; 6] = ["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"];

/// Rule 146 to 2023-24 (`lac2022_23/rule_146.py`).
const PLACE_TO_2024: [&str; 27] = [
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1", "T0",
    "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
];

/// Rule 146 for 2024-25 (`lac2024_25/rule_146.py`): K3 added. The validator spells it `k3`,
/// which matches nothing a council sends; the DfE's code is K3.
const PLACE_2025: [&str; 28] = [
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "K3", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1",
    "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
];

/// Rule 146 from 2025-26 (`lac2025_26/rule_146.py`): H5 and P2 ended, Z1 split into Z11 to Z14.
const PLACE_FROM_2026: [&str; 29] = [
    "A3", "A4", "A5", "A6", "K1", "K2", "K3", "P1", "P3", "R1", "R2", "R3", "R5", "S1", "T0", "T1",
    "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z11", "Z12", "Z13", "Z14",
];

pub fn place_codes(year: CollectionYear) -> &'static [&'static str] {
    match year {
        ..=2024 => &PLACE_TO_2024,
        2025 => &PLACE_2025,
        _ => &PLACE_FROM_2026,
    }
}

/// Placements that have no provider, so take no PLACE_PROVIDER (rule 178; from 2025-26,
/// `lac2025_26/rule_178.py`, the list is T0 to T3 and Z11 to Z14).
pub fn places_without_provider(year: CollectionYear) -> &'static [&'static str] {
    if year <= 2025 {
        &["T0", "T1", "T2", "T3", "T4", "Z1"]
    } else {
        &["T0", "T1", "T2", "T3", "Z11", "Z12", "Z13", "Z14"]
    }
}

/// The codes a rule accepts in a collection year.
pub fn codes_for(rule: &CodeRule, year: CollectionYear) -> &'static [&'static str] {
    match rule.column {
        "SEX" => sex_codes(year),
        "ETHNIC" => &ETHNIC_CODES,
        "RNE" => &RNE_CODES,
        "LS" => &LS_CODES,
        "CIN" => &CIN_CODES,
        "PLACE" => place_codes(year),
        "REC" => &REC_CODES,
        "PLACE_PROVIDER" => &PLACE_PROVIDER_CODES,
        _ => &[],
    }
}

/// Whether `code` (trimmed, upper case) passes `rule` in `year`.
pub fn code_valid(rule: &CodeRule, year: CollectionYear, code: &str) -> bool {
    if code.is_empty() {
        return rule.blank_allowed;
    }
    codes_for(rule, year).contains(&code)
}

/// Rule 178 in full: a provider, if given, is a provider code, and is not given for a
/// placement that has none.
pub fn place_provider_valid(year: CollectionYear, place: &str, provider: &str) -> bool {
    provider.is_empty()
        || (PLACE_PROVIDER_CODES.contains(&provider)
            && !places_without_provider(year).contains(&place))
}

/// A postcode as the product compares them: upper case, one space before the inward code
/// (`po12ab` → `PO1 2AB`). `None` for anything that is not a whole UK postcode (a blank, the
/// `XXXXXXX` some systems send for a confidential address, a district alone).
pub fn normalise_postcode(raw: &str) -> Option<String> {
    let squashed: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let len = squashed.len();
    if !(5..=7).contains(&len) || !squashed.is_ascii() {
        return None;
    }
    let (outward, inward) = squashed.split_at(len - 3);
    let inward_ok = {
        let b = inward.as_bytes();
        b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
    };
    let outward_ok = {
        let b = outward.as_bytes();
        b[0].is_ascii_alphabetic()
            && b.iter().all(|c| c.is_ascii_alphanumeric())
            && b.iter().any(|c| c.is_ascii_digit())
    };
    (inward_ok && outward_ok).then(|| format!("{outward} {inward}"))
}

/// The postcode sector kept in place of a postcode: the outward code and the inward code's
/// digit (`PO1 2AB` → `PO1 2`). `None` if it is not a whole postcode.
pub fn postcode_sector(postcode: &str) -> Option<String> {
    let full = normalise_postcode(postcode)?;
    Some(full[..full.len() - 2].to_string())
}
