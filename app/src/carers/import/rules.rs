//! Reading and checking a register file, with no I/O: what the database knows (skills, the
//! council's staff) comes in as [`Known`]; checks that need the register itself (references
//! already on it, email addresses with an account) are the service's.
//!
//! Every row is checked and every problem kept, so one report lists all there is to fix.

use super::{Column, RowProblem, COLUMNS, MAX_HOUSEHOLDS};
use crate::carers::{CarerType, HouseholdStatus, PlacementType, SexTerm, Terms};
use crate::files::table::{self, TableRow as Row, TableSpec};
pub use crate::files::table::{parse_day, MAX_PROBLEMS_KEPT, REAL_DATE};
use chrono::NaiveDate;
use std::collections::HashMap;
use uuid::Uuid;

/// Two carers a household at most, so twice the households in rows.
pub const MAX_ROWS: usize = MAX_HOUSEHOLDS * 2;

/// What the checks need from the database.
pub struct Known<'a> {
    /// Codes of the skills in use.
    pub skills: &'a [String],
    /// The council's active staff: lower-case email to id.
    pub staff: &'a HashMap<String, Uuid>,
    pub council_name: &'a str,
    pub today: NaiveDate,
}

/// A household read from its rows, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct HouseholdIn {
    /// Its first row, where problems found later (a reference already taken) are reported.
    pub row: u32,
    pub reference: String,
    pub name: String,
    pub postcode: String,
    pub carer_type: CarerType,
    pub approved_on: NaiveDate,
    pub status: HouseholdStatus,
    pub terms: Terms,
    pub skills: Vec<String>,
    pub supervisor: Option<Uuid>,
    pub last_review_on: Option<NaiveDate>,
    pub carers: Vec<CarerIn>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CarerIn {
    pub row: u32,
    pub full_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A file read: the households whose rows are all good, and every problem found.
#[derive(Debug, Default)]
pub struct Parsed {
    pub households: Vec<HouseholdIn>,
    pub problems: Vec<RowProblem>,
}

fn problem(row: u32, column: &Column, message: impl Into<String>) -> RowProblem {
    RowProblem {
        row,
        column: column.label.to_string(),
        message: message.into(),
    }
}

fn column(name: &str) -> &'static Column {
    COLUMNS
        .iter()
        .find(|c| c.name == name)
        .expect("every column named in the rules is in COLUMNS")
}

/// Whether a cell starting like a formula is taken anyway: a phone number in international
/// form (`+` then only digits and spaces) is what councils record, and with no letters,
/// brackets or operators after the `+` a spreadsheet can compute nothing from it.
fn formula_allowed(column: &str, cell: &str) -> bool {
    let cell = cell.trim();
    column == "carer_phone"
        && cell.starts_with('+')
        && cell[1..].chars().all(|d| d.is_ascii_digit() || d == ' ')
}

/// Why a cell cannot be taken at all in `column`: a formula or a control character.
pub fn hostile(column: &str, cell: &str) -> Option<&'static str> {
    table::hostile(cell, formula_allowed(column, cell))
}

/// Reads the file's text (already checked as UTF-8 by the upload) and checks every row.
pub fn parse(text: &str, known: &Known<'_>) -> Parsed {
    let mut out = Parsed::default();
    let columns: Vec<(&'static str, &'static str)> =
        COLUMNS.iter().map(|c| (c.name, c.label)).collect();
    let table = table::read(
        text,
        &TableSpec {
            columns: &columns,
            max_rows: MAX_ROWS,
            too_many_rows: format!(
                "The file has more than {MAX_ROWS} rows of carers. Import at most \
                 {MAX_HOUSEHOLDS} households at a time"
            ),
            no_rows: "The file has a header but no rows of carers",
            formula_allowed,
        },
    );
    out.problems = table.problems;
    let mut groups: Vec<Group> = Vec::new();
    let mut by_reference: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        read_row(row, known, &mut groups, &mut by_reference, &mut out);
    }
    if table.stopped {
        out.problems.sort_by_key(|p| p.row);
        return out;
    }
    if groups.len() > MAX_HOUSEHOLDS {
        out.problems.push(RowProblem::file(format!(
            "The file has {} households. Import at most {MAX_HOUSEHOLDS} at a time",
            groups.len()
        )));
    }
    // Each carer's account is theirs alone: two carers cannot share an address.
    let mut emails: HashMap<&str, u32> = HashMap::new();
    for c in groups
        .iter()
        .filter_map(|g| g.household.as_ref())
        .flat_map(|h| h.carers.iter())
    {
        let Some(email) = c.email.as_deref() else {
            continue;
        };
        match emails.get(email) {
            Some(first) => out.problems.push(problem(
                c.row,
                column("carer_email"),
                format!("This email address is also on row {first}. Each carer needs their own"),
            )),
            None => {
                emails.insert(email, c.row);
            }
        }
    }
    out.households = groups
        .into_iter()
        .filter(|g| !g.refused)
        .filter_map(|g| g.household)
        .collect();
    out.problems.sort_by_key(|p| p.row);
    out
}

/// The rows of one household as read so far.
struct Group {
    first_row: u32,
    /// Its household cells as on its first row, to compare the next row's with.
    cells: Vec<(&'static str, String)>,
    carer_rows: usize,
    household: Option<HouseholdIn>,
    /// A row of it has a problem: nothing of it may be imported.
    refused: bool,
}

fn read_row(
    row: &Row,
    known: &Known<'_>,
    groups: &mut Vec<Group>,
    by_reference: &mut HashMap<String, usize>,
    out: &mut Parsed,
) {
    let before = out.problems.len();
    let reference = row
        .get("household_reference")
        .unwrap_or_default()
        .to_string();
    let carer = read_carer(row, out);
    let group = match by_reference.get(&reference) {
        // Refused as hostile: reported already.
        _ if !row.cells.contains_key("household_reference") => None,
        _ if reference.is_empty() => {
            out.problems.push(problem(
                row.number,
                column("household_reference"),
                "Enter the council's reference for the household",
            ));
            None
        }
        Some(&i) if i + 1 != groups.len() => {
            out.problems.push(problem(
                row.number,
                column("household_reference"),
                format!(
                    "{reference} is already used by row {}. Each household needs its own \
                     reference, and its rows must be next to each other",
                    groups[i].first_row
                ),
            ));
            groups[i].refused = true;
            None
        }
        Some(&i) => {
            let g = &mut groups[i];
            g.carer_rows += 1;
            if g.carer_rows > 2 {
                out.problems.push(RowProblem {
                    row: row.number,
                    column: String::new(),
                    message: format!(
                        "Household {reference} has more than 2 carers. A household has 1 or 2"
                    ),
                });
            }
            for (name, first) in &g.cells {
                let here = row.get(name).unwrap_or_default();
                if !here.eq_ignore_ascii_case(first) {
                    out.problems.push(problem(
                        row.number,
                        column(name),
                        format!(
                            "The rows of household {reference} must agree, and row {} has \
                             something different",
                            g.first_row
                        ),
                    ));
                }
            }
            Some(i)
        }
        None => {
            let household = read_household(row, &reference, known, out);
            groups.push(Group {
                first_row: row.number,
                cells: COLUMNS
                    .iter()
                    .filter(|c| c.household && c.name != "household_reference")
                    .map(|c| (c.name, row.get(c.name).unwrap_or_default().to_string()))
                    .collect(),
                carer_rows: 1,
                household,
                refused: false,
            });
            by_reference.insert(reference.clone(), groups.len() - 1);
            Some(groups.len() - 1)
        }
    };
    if let Some(i) = group {
        let g = &mut groups[i];
        if out.problems.len() > before || row.refused {
            g.refused = true;
        }
        if let (Some(h), Some(c)) = (g.household.as_mut(), carer) {
            let twin = h.carers.iter().find(|other| {
                other.full_name.eq_ignore_ascii_case(&c.full_name)
                    && other.date_of_birth == c.date_of_birth
            });
            if let Some(twin) = twin {
                out.problems.push(RowProblem {
                    row: row.number,
                    column: String::new(),
                    message: format!("This carer is already on row {}", twin.row),
                });
                g.refused = true;
            }
            h.carers.push(c);
        }
    }
}

fn read_carer(row: &Row, out: &mut Parsed) -> Option<CarerIn> {
    let before = out.problems.len();
    let n = row.number;
    let name_col = column("carer_full_name");
    let full_name = row.get("carer_full_name").unwrap_or_default();
    if full_name.is_empty() && row.cells.contains_key("carer_full_name") {
        out.problems
            .push(problem(n, name_col, "Enter the carer's full name"));
    } else if full_name.chars().count() > 100 {
        out.problems.push(problem(
            n,
            name_col,
            "The carer's full name must be 100 characters or fewer",
        ));
    }
    let dob_col = column("carer_date_of_birth");
    let date_of_birth = match row.get("carer_date_of_birth").unwrap_or_default() {
        "" => None,
        raw => match parse_day(raw) {
            Some(d) if d.year_ce().1 >= 1900 => Some(d),
            _ => {
                out.problems.push(problem(n, dob_col, REAL_DATE));
                None
            }
        },
    };
    let email = match row.get("carer_email").unwrap_or_default() {
        "" => None,
        raw => match crate::accounts::rules::email_answer(raw) {
            Ok(e) => Some(e),
            Err(_) => {
                out.problems.push(problem(
                    n,
                    column("carer_email"),
                    "Enter an email address in the correct format, like name@example.com, or \
                     leave it empty",
                ));
                None
            }
        },
    };
    let phone = match row.get("carer_phone").unwrap_or_default() {
        "" => None,
        raw => {
            let body = raw.strip_prefix('+').unwrap_or(raw);
            let ok = raw.len() <= 30
                && body.chars().any(|c| c.is_ascii_digit())
                && body
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')'));
            if !ok {
                out.problems.push(problem(
                    n,
                    column("carer_phone"),
                    "Enter a phone number of digits and spaces, like 023 9283 4000 or \
                     +44 7700 900123",
                ));
            }
            Some(raw.to_string())
        }
    };
    (out.problems.len() == before && !row.refused).then(|| CarerIn {
        row: n,
        full_name: full_name.to_string(),
        date_of_birth,
        email,
        phone,
    })
}

use chrono::Datelike;

fn read_household(
    row: &Row,
    reference: &str,
    known: &Known<'_>,
    out: &mut Parsed,
) -> Option<HouseholdIn> {
    let before = out.problems.len();
    let n = row.number;
    let mut fail =
        |name: &str, message: String| out.problems.push(problem(n, column(name), message));
    let cell = |name: &str| row.get(name).unwrap_or_default();
    // A hostile cell is reported already; it is not also "missing".
    let present = |name: &str| row.cells.contains_key(name);

    let reference_ok = reference.len() <= 30
        && reference
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && reference
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '.' | '-'));
    if !reference_ok {
        fail(
            "household_reference",
            "Enter a reference of up to 30 letters, numbers, /, _, . or -, starting with a \
             letter or number"
                .into(),
        );
    }
    let name = cell("household_name");
    if name.is_empty() && present("household_name") {
        fail("household_name", "Enter the household's name".into());
    } else if name.chars().count() > 120 {
        fail(
            "household_name",
            "The household's name must be 120 characters or fewer".into(),
        );
    }
    let postcode = match crate::places::normalise(cell("postcode")) {
        Ok(p) => Some(String::from(p)),
        Err(e) => {
            if present("postcode") {
                fail("postcode", e.to_string());
            }
            None
        }
    };
    let carer_type = CarerType::parse(cell("carer_type"));
    if carer_type.is_none() && present("carer_type") {
        fail(
            "carer_type",
            "Enter mainstream, connected person or short breaks".into(),
        );
    }
    let approved_on = match parse_day(cell("approved_on")) {
        Some(d) if d > known.today => {
            fail(
                "approved_on",
                "The approval date must be today or in the past".into(),
            );
            None
        }
        Some(d) if d.year() < 1950 => {
            fail("approved_on", REAL_DATE.into());
            None
        }
        Some(d) => Some(d),
        None => {
            if present("approved_on") {
                fail("approved_on", REAL_DATE.into());
            }
            None
        }
    };
    // A household deregistered has left the register; it is not imported onto it.
    let status = HouseholdStatus::parse(&cell("status").replace(' ', "_").to_ascii_lowercase())
        .filter(|s| *s != HouseholdStatus::Deregistered);
    if status.is_none() && present("status") {
        fail("status", "Enter active, on hold or resigning".into());
    }

    let mut types = Vec::new();
    let mut types_ok = true;
    for t in cell("placement_types")
        .split(';')
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        match PlacementType::parse(t) {
            Some(p) => types.push(p.as_str().to_string()),
            None => {
                types_ok = false;
                let shown: String = t.chars().take(40).collect();
                fail(
                    "placement_types",
                    format!(
                        "\"{shown}\" is not a placement type. Use {} separated by ;",
                        PlacementType::ALL.map(|p| p.as_str()).join(", ")
                    ),
                );
            }
        }
    }
    if SexTerm::parse(cell("sex")).is_none() && present("sex") {
        fail("sex", "Enter any, female or male".into());
    }
    let terms = if types_ok && present("placement_types") {
        match crate::carers::service::parse_terms(
            cell("max_children"),
            cell("age_min"),
            cell("age_max"),
            cell("sex"),
            &types,
            cell("over_three_basis"),
        ) {
            Ok(t) => Some(t),
            Err(e) => {
                for f in e.fields {
                    // The form's field names are the columns' names, but for `sex` (checked
                    // above, in the file's words).
                    if f.field == "sex" {
                        continue;
                    }
                    let message = if f.field == "placement_types" {
                        "Enter at least one placement type".to_string()
                    } else if f.field == "over_three_basis" {
                        "Enter siblings or exemption, or leave it empty".to_string()
                    } else {
                        f.message
                    };
                    let name = COLUMNS
                        .iter()
                        .find(|c| c.name == f.field)
                        .map(|c| c.name)
                        .unwrap_or("max_children");
                    if present(name) {
                        fail(name, message);
                    }
                }
                None
            }
        }
    } else {
        None
    };

    let mut skills: Vec<String> = Vec::new();
    for code in cell("skills")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let code = code.to_ascii_lowercase();
        if known.skills.contains(&code) {
            if !skills.contains(&code) {
                skills.push(code);
            }
        } else {
            let shown: String = code.chars().take(40).collect();
            fail(
                "skills",
                format!(
                    "\"{shown}\" is not a skill code. Use codes from this list: {}",
                    known.skills.join(", ")
                ),
            );
        }
    }
    let supervisor = match cell("supervising_social_worker_email").to_ascii_lowercase() {
        e if e.is_empty() => None,
        e => match known.staff.get(&e) {
            Some(id) => Some(*id),
            None => {
                fail(
                    "supervising_social_worker_email",
                    format!(
                        "No active staff member of {} has this email address. Enter a staff \
                         member's address, or leave it empty",
                        known.council_name
                    ),
                );
                None
            }
        },
    };
    let last_review_on = match cell("last_annual_review_on") {
        "" => None,
        raw => match parse_day(raw) {
            Some(d) if d > known.today => {
                fail(
                    "last_annual_review_on",
                    "The last annual review date must be today or in the past".into(),
                );
                None
            }
            Some(d) if approved_on.is_some_and(|a| d < a) => {
                fail(
                    "last_annual_review_on",
                    "The last annual review must be on or after the approval date".into(),
                );
                None
            }
            Some(d) => Some(d),
            None => {
                fail("last_annual_review_on", REAL_DATE.into());
                None
            }
        },
    };
    if out.problems.len() > before {
        return None;
    }
    Some(HouseholdIn {
        row: n,
        reference: reference.to_string(),
        name: name.to_string(),
        postcode: postcode?,
        carer_type: carer_type?,
        approved_on: approved_on?,
        status: status?,
        terms: terms?,
        skills,
        supervisor,
        last_review_on,
        carers: Vec::new(),
    })
}

/// The template: the header and one example row.
pub fn template_csv() -> String {
    let header: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    let example: Vec<String> = COLUMNS
        .iter()
        .map(|c| {
            if c.example.contains([',', '"']) {
                format!("\"{}\"", c.example.replace('"', "\"\""))
            } else {
                c.example.to_string()
            }
        })
        .collect();
    format!("{}\r\n{}\r\n", header.join(","), example.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff() -> HashMap<String, Uuid> {
        HashMap::from([("sw@portsmouth.gov.uk".to_string(), Uuid::nil())])
    }

    fn skills() -> Vec<String> {
        vec!["sibling-groups".into(), "polish".into()]
    }

    fn check(text: &str) -> Parsed {
        let (staff, skills) = (staff(), skills());
        parse(
            text,
            &Known {
                skills: &skills,
                staff: &staff,
                council_name: "Portsmouth City Council",
                today: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
            },
        )
    }

    fn header() -> String {
        COLUMNS.map(|c| c.name).join(",")
    }

    /// A good row: (reference, carer name, email), other cells as the template's example.
    fn row(reference: &str, carer: &str, email: &str) -> String {
        COLUMNS
            .iter()
            .map(|c| match c.name {
                "household_reference" => reference.to_string(),
                "carer_full_name" => carer.to_string(),
                "carer_email" => email.to_string(),
                "supervising_social_worker_email" => "SW@portsmouth.gov.uk".into(),
                _ => c.example.to_string(),
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    fn with(cells: &[(&str, &str)]) -> String {
        COLUMNS
            .iter()
            .map(|c| {
                cells
                    .iter()
                    .find(|(n, _)| *n == c.name)
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_else(|| c.example.to_string())
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    fn texts(p: &Parsed) -> Vec<String> {
        p.problems.iter().map(|p| p.text()).collect()
    }

    #[test]
    fn the_template_is_itself_a_good_file() {
        let p = check(&template_csv());
        assert!(p.problems.is_empty(), "{:?}", texts(&p));
        assert_eq!(p.households.len(), 1);
        let h = &p.households[0];
        assert_eq!(h.reference, "FC-1042");
        assert_eq!(h.postcode, "PO1 2AB");
        assert_eq!(h.terms.max_children, 2);
        assert_eq!(
            h.terms.placement_types,
            vec![PlacementType::ShortTerm, PlacementType::LongTerm]
        );
        assert_eq!(h.skills, vec!["sibling-groups", "polish"]);
        assert_eq!(h.carers[0].phone.as_deref(), Some("+44 7700 900123"));
    }

    #[test]
    fn rows_sharing_a_reference_are_one_household_of_two_carers() {
        let text = format!(
            "\u{feff}{}\r\n{}\r\n{}\r\n{}\r\n",
            header(),
            row("FC-1", "Alex Okafor", "alex@example.com"),
            row("FC-1", "Sam Okafor", ""),
            row("FC-2", "Jo Bloggs", "jo@example.com"),
        );
        let p = check(&text);
        assert!(p.problems.is_empty(), "{:?}", texts(&p));
        assert_eq!(p.households.len(), 2);
        assert_eq!(p.households[0].carers.len(), 2);
        assert_eq!(p.households[0].carers[1].email, None);
        assert_eq!(p.households[0].supervisor, Some(Uuid::nil()));
        assert_eq!(p.households[1].row, 4);
    }

    #[test]
    fn a_bad_date_is_reported_by_row_and_column_in_plain_words() {
        let text = format!(
            "{}\n{}\n{}\n",
            header(),
            row("FC-1", "Alex", ""),
            with(&[
                ("household_reference", "FC-2"),
                ("approved_on", "31/02/2024")
            ])
        );
        let p = check(&text);
        assert_eq!(
            texts(&p),
            vec!["Row 3, approval date: Enter a real date, like 2024-03-14 or 14/03/2024"]
        );
        assert_eq!(p.households.len(), 1, "the good household is still read");
    }

    #[test]
    fn both_date_styles_are_read_and_nothing_else() {
        assert_eq!(
            parse_day("2024-03-14"),
            NaiveDate::from_ymd_opt(2024, 3, 14)
        );
        assert_eq!(
            parse_day("14/03/2024"),
            NaiveDate::from_ymd_opt(2024, 3, 14)
        );
        assert_eq!(parse_day("4/3/2024"), NaiveDate::from_ymd_opt(2024, 3, 4));
        assert_eq!(parse_day("03/14/2024"), None, "no American dates");
        assert_eq!(parse_day("14/03/24"), None, "years have 4 digits");
        assert_eq!(parse_day("14 March 2024"), None);
        assert_eq!(parse_day("2024-02-30"), None);
    }

    #[test]
    fn formula_cells_are_refused_naming_row_and_column() {
        for bad in [
            "=HYPERLINK(\"http://x\")",
            "+SUM(A1)",
            "-2+3",
            "@cmd",
            " =1+1",
        ] {
            let text = format!("{}\n{}\n", header(), with(&[("household_name", bad)]));
            let p = check(&text);
            assert_eq!(p.problems.len(), 1, "{bad}: {:?}", texts(&p));
            assert!(texts(&p)[0].starts_with("Row 2, household name: The cell starts with ="));
            assert!(p.households.is_empty());
        }
        let text = format!(
            "{}\n{}\n",
            header(),
            with(&[("carer_full_name", "\"\tAnn\"")])
        );
        assert!(texts(&check(&text))[0].starts_with("Row 2, carer's full name: The cell starts"));
    }

    #[test]
    fn an_international_phone_number_is_not_a_formula_but_a_plus_with_more_is() {
        assert_eq!(hostile("carer_phone", "+44 7700 900123"), None);
        assert!(hostile("carer_phone", "+44+cmd|' /C calc'!A0").is_some());
        assert!(hostile("carer_phone", "-7700").is_some());
        assert!(hostile("household_name", "+44 7700 900123").is_some());
    }

    #[test]
    fn control_characters_inside_a_cell_are_refused() {
        let text = format!(
            "{}\n{}\n",
            header(),
            with(&[
                ("household_name", "\"Ann\nSmith\""),
                ("carer_full_name", "Ann\u{202E}Smith")
            ])
        );
        let t = texts(&check(&text));
        assert_eq!(t.len(), 2, "{t:?}");
        assert!(t.iter().all(|m| m.contains("control character")));
    }

    #[test]
    fn a_household_with_three_carers_is_refused() {
        let text = format!(
            "{}\n{}\n{}\n{}\n",
            header(),
            row("FC-1", "A One", ""),
            row("FC-1", "B Two", ""),
            row("FC-1", "C Three", "")
        );
        let p = check(&text);
        assert_eq!(
            texts(&p),
            vec!["Row 4: Household FC-1 has more than 2 carers. A household has 1 or 2"]
        );
        assert!(p.households.is_empty());
    }

    #[test]
    fn carers_disagreeing_about_their_household_are_refused() {
        let text = format!(
            "{}\n{}\n{}\n",
            header(),
            row("FC-1", "A One", ""),
            with(&[
                ("household_reference", "FC-1"),
                ("carer_full_name", "B Two"),
                ("postcode", "SO14 7DU"),
                ("supervising_social_worker_email", "sw@portsmouth.gov.uk")
            ])
        );
        let p = check(&text);
        assert_eq!(
            texts(&p),
            vec!["Row 3, postcode: The rows of household FC-1 must agree, and row 2 has something different"]
        );
        assert!(p.households.is_empty());
    }

    #[test]
    fn a_reference_used_again_further_down_is_a_duplicate() {
        let text = format!(
            "{}\n{}\n{}\n{}\n",
            header(),
            row("FC-1", "A One", ""),
            row("FC-2", "B Two", ""),
            row("FC-1", "C Three", "")
        );
        let p = check(&text);
        assert_eq!(
            texts(&p),
            vec!["Row 4, household reference: FC-1 is already used by row 2. Each household needs its own reference, and its rows must be next to each other"]
        );
        assert_eq!(p.households.len(), 1, "FC-2 is still good; FC-1 is refused");
    }

    #[test]
    fn unknown_skill_codes_are_refused_with_the_list() {
        let text = format!("{}\n{}\n", header(), with(&[("skills", "polish;juggling")]));
        assert_eq!(
            texts(&check(&text)),
            vec!["Row 2, skills: \"juggling\" is not a skill code. Use codes from this list: sibling-groups, polish"]
        );
    }

    #[test]
    fn a_supervisor_must_be_staff_of_the_council() {
        let text = format!(
            "{}\n{}\n",
            header(),
            with(&[("supervising_social_worker_email", "someone@kent.gov.uk")])
        );
        assert!(texts(&check(&text))[0]
            .starts_with("Row 2, supervising social worker email: No active staff member of Portsmouth City Council"));
    }

    #[test]
    fn more_than_three_children_need_a_reason() {
        let text = format!("{}\n{}\n", header(), with(&[("max_children", "4")]));
        assert_eq!(
            texts(&check(&text)),
            vec!["Row 2, number of children: More than 3 children needs a reason: all siblings, or an exemption"]
        );
        let text = format!(
            "{}\n{}\n",
            header(),
            with(&[("max_children", "4"), ("over_three_basis", "siblings")])
        );
        assert!(check(&text).problems.is_empty());
    }

    #[test]
    fn wrong_or_missing_columns_refuse_the_whole_file() {
        let p = check("household_reference,colour\nFC-1,red\n");
        let t = texts(&p);
        assert!(
            t[0].contains("\"colour\" that this import does not take"),
            "{t:?}"
        );
        assert!(
            t[1].starts_with("The header is missing the columns household_name"),
            "{t:?}"
        );
        let p = check(&format!("{}\n", COLUMNS.map(|c| c.name).join(";")));
        assert!(texts(&p)
            .last()
            .unwrap()
            .contains("separated by semicolons"));
        assert_eq!(texts(&check("")), vec!["The file is empty"]);
        assert_eq!(
            texts(&check(&format!("{}\n,,,\n", header()))),
            vec!["The file has a header but no rows of carers"]
        );
    }

    #[test]
    fn a_row_with_the_wrong_number_of_cells_is_refused() {
        let text = format!("{}\n{},extra\n", header(), row("FC-1", "Ann", ""));
        assert_eq!(
            texts(&check(&text)),
            vec!["Row 2: The row has 20 cells but the header has 19"]
        );
    }

    #[test]
    fn more_than_the_limit_of_rows_is_refused() {
        let mut text = header();
        for i in 0..=MAX_ROWS {
            text.push('\n');
            text.push_str(&row(&format!("FC-{i}"), "Ann", ""));
        }
        let p = check(&text);
        assert!(texts(&p)
            .last()
            .unwrap()
            .starts_with("The file has more than 10000 rows"));
        assert!(p.households.is_empty() || !p.problems.is_empty());
    }

    #[test]
    fn more_than_the_limit_of_households_is_refused() {
        let mut text = header();
        for i in 0..=MAX_HOUSEHOLDS {
            text.push('\n');
            text.push_str(&row(&format!("FC-{i}"), "Ann", ""));
        }
        let p = check(&text);
        assert_eq!(
            texts(&p),
            vec!["The file has 5001 households. Import at most 5000 at a time"]
        );
    }

    #[test]
    fn the_same_carer_twice_in_a_household_is_refused() {
        let text = format!(
            "{}\n{}\n{}\n",
            header(),
            row("FC-1", "Ann Smith", ""),
            row("FC-1", "ann smith", "")
        );
        assert_eq!(
            texts(&check(&text)),
            vec!["Row 3: This carer is already on row 2"]
        );
    }

    #[test]
    fn status_is_read_in_words_and_deregistered_households_are_not_imported() {
        let text = format!("{}\n{}\n", header(), with(&[("status", "On hold")]));
        assert_eq!(check(&text).households[0].status, HouseholdStatus::OnHold);
        let text = format!("{}\n{}\n", header(), with(&[("status", "deregistered")]));
        assert_eq!(
            texts(&check(&text)),
            vec!["Row 2, status: Enter active, on hold or resigning"]
        );
    }
}
