//! Reading and checking a training records file, with no I/O: the competencies come in as
//! [`Known`]; whether each email address is someone of the council, and which records are
//! already held, are the service's checks.

use super::{RowProblem, COLUMNS, MAX_ROWS};
use crate::files::table::{self, parse_day, TableRow, TableSpec, REAL_DATE};
use crate::training::rules::expiry;
use chrono::{Duration, NaiveDate};
use std::collections::HashMap;
use uuid::Uuid;

/// What the checks need from the database.
pub struct Known<'a> {
    /// Every competency: lower-case name to its id and validity in months.
    pub competencies: &'a HashMap<String, (Uuid, Option<i16>)>,
    pub today: NaiveDate,
}

/// A row read and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordIn {
    pub row: u32,
    /// Lower case.
    pub email: String,
    pub competency: Uuid,
    pub achieved_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub evidence: String,
}

/// A file read: the records whose rows are good, and every problem found.
#[derive(Debug, Default)]
pub struct Parsed {
    pub records: Vec<RecordIn>,
    pub problems: Vec<RowProblem>,
}

fn label(name: &str) -> String {
    COLUMNS
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.label.to_string())
        .unwrap_or_default()
}

fn problem(row: u32, column: &str, message: impl Into<String>) -> RowProblem {
    RowProblem {
        row,
        column: label(column),
        message: message.into(),
    }
}

/// Reads the file's text (already checked as UTF-8 by the upload) and checks every row.
pub fn parse(text: &str, known: &Known<'_>) -> Parsed {
    let columns: Vec<(&'static str, &'static str)> =
        COLUMNS.iter().map(|c| (c.name, c.label)).collect();
    let table = table::read(
        text,
        &TableSpec {
            columns: &columns,
            max_rows: MAX_ROWS,
            too_many_rows: format!(
                "The file has more than {MAX_ROWS} records. Split it into files of at most \
                 {MAX_ROWS} and import each"
            ),
            no_rows: "The file has a header but no records",
            formula_allowed: |_, _| false,
        },
    );
    let mut out = Parsed {
        records: Vec::new(),
        problems: table.problems,
    };
    // The same record twice in one file is a slip worth pointing at, not two records.
    let mut first_seen: HashMap<(String, Uuid, NaiveDate), u32> = HashMap::new();
    for row in &table.rows {
        let before = out.problems.len();
        let record = read_row(row, known, &mut out.problems);
        let Some(record) = record.filter(|_| out.problems.len() == before && !row.refused) else {
            continue;
        };
        let key = (record.email.clone(), record.competency, record.achieved_on);
        if let Some(first) = first_seen.get(&key) {
            out.problems.push(RowProblem {
                row: row.number,
                column: String::new(),
                message: format!("The same record is also on row {first}"),
            });
            continue;
        }
        first_seen.insert(key, row.number);
        out.records.push(record);
    }
    if table.stopped {
        out.records.clear();
    }
    out.problems.sort_by_key(|p| p.row);
    out
}

fn read_row(row: &TableRow, known: &Known<'_>, problems: &mut Vec<RowProblem>) -> Option<RecordIn> {
    let n = row.number;
    let email = match row.get("email") {
        None => None,
        Some("") => {
            problems.push(problem(n, "email", "Enter the person's email address"));
            None
        }
        Some(raw) => match crate::accounts::rules::email_answer(raw) {
            Ok(e) => Some(e),
            Err(_) => {
                problems.push(problem(
                    n,
                    "email",
                    "Enter an email address in the correct format, like name@example.com",
                ));
                None
            }
        },
    };
    let competency = match row.get("competency") {
        None => None,
        Some("") => {
            problems.push(problem(n, "competency", "Enter the competency's name"));
            None
        }
        Some(raw) => {
            let found = known.competencies.get(&raw.to_lowercase()).copied();
            if found.is_none() {
                let shown: String = raw.chars().take(60).collect();
                problems.push(problem(
                    n,
                    "competency",
                    format!(
                        "There is no competency called \"{shown}\". Use a name from the list on \
                         the import page"
                    ),
                ));
            }
            found
        }
    };
    let achieved = match row.get("achieved_on") {
        None => None,
        Some("") => {
            problems.push(problem(n, "achieved_on", "Enter the date it was achieved"));
            None
        }
        Some(raw) => match parse_day(raw) {
            None => {
                problems.push(problem(n, "achieved_on", REAL_DATE));
                None
            }
            Some(d) if d > known.today => {
                problems.push(problem(
                    n,
                    "achieved_on",
                    "The date it was achieved must be today or in the past",
                ));
                None
            }
            Some(d) if d < known.today - Duration::days(50 * 366) => {
                problems.push(problem(
                    n,
                    "achieved_on",
                    "The date it was achieved must be within the last 50 years",
                ));
                None
            }
            Some(d) => Some(d),
        },
    };
    let evidence = match row.get("evidence") {
        None => None,
        Some("") => {
            problems.push(problem(
                n,
                "evidence",
                "Say what the evidence is, for example the certificate seen",
            ));
            None
        }
        Some(raw) if raw.chars().count() > 2000 => {
            problems.push(problem(
                n,
                "evidence",
                "The evidence must be 2,000 characters or fewer",
            ));
            None
        }
        Some(raw) => Some(raw.to_string()),
    };
    let (email, (competency, months), achieved_on, evidence) =
        (email?, competency?, achieved?, evidence?);
    Some(RecordIn {
        row: n,
        email,
        competency,
        achieved_on,
        expires_on: expiry(achieved_on, months.map(|m| m.max(0) as u32)),
        evidence,
    })
}

/// The template: the header and one made-up example row.
pub fn template_csv() -> String {
    let header: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    let example: Vec<&str> = COLUMNS.iter().map(|c| c.example).collect();
    format!("{}\r\n{}\r\n", header.join(","), example.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn competencies() -> HashMap<String, (Uuid, Option<i16>)> {
        HashMap::from([
            (
                "paediatric first aid".to_string(),
                (Uuid::from_u128(1), Some(36)),
            ),
            ("skills to foster".to_string(), (Uuid::from_u128(2), None)),
            (
                "safeguarding level 3".to_string(),
                (Uuid::from_u128(3), Some(12)),
            ),
        ])
    }

    fn check(text: &str) -> Parsed {
        let c = competencies();
        parse(
            text,
            &Known {
                competencies: &c,
                today: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
            },
        )
    }

    fn texts(p: &Parsed) -> Vec<String> {
        p.problems.iter().map(RowProblem::text).collect()
    }

    const HEADER: &str = "email,competency,achieved_on,evidence\r\n";

    #[test]
    fn the_template_imports_as_it_is() {
        let p = check(&template_csv());
        assert_eq!(texts(&p), Vec::<String>::new());
        assert_eq!(p.records.len(), 1);
        let r = &p.records[0];
        assert_eq!(r.email, "sam.carter@example.com");
        assert_eq!(r.competency, Uuid::from_u128(1));
        assert_eq!(r.expires_on, NaiveDate::from_ymd_opt(2028, 3, 14));
    }

    #[test]
    fn expiry_is_worked_out_from_the_competency_clamped_to_the_month_end() {
        let p = check(&format!(
            "{HEADER}a@x.org,Safeguarding level 3,29/02/2024,Seen\r\nb@x.org,SKILLS TO FOSTER,2024-01-31,Seen\r\n"
        ));
        assert_eq!(texts(&p), Vec::<String>::new());
        assert_eq!(
            p.records[0].expires_on,
            NaiveDate::from_ymd_opt(2025, 2, 28)
        );
        assert_eq!(p.records[1].expires_on, None, "held for good");
    }

    #[test]
    fn every_bad_row_is_reported_with_its_spreadsheet_row_and_column() {
        let p = check(&format!(
            "{HEADER}not-an-email,Paediatric first aid,2025-01-01,Seen\r\n\
             a@x.org,Juggling,2025-01-01,Seen\r\n\
             a@x.org,Paediatric first aid,31/02/2025,Seen\r\n\
             a@x.org,Paediatric first aid,2027-01-01,Seen\r\n\
             a@x.org,Paediatric first aid,2025-01-01,\r\n\
             ,,,\r\n\
             a@x.org,Paediatric first aid,2025-01-01,=HYPERLINK(\"x\")\r\n"
        ));
        assert_eq!(
            texts(&p),
            vec![
                "Row 2, email: Enter an email address in the correct format, like name@example.com",
                "Row 3, competency: There is no competency called \"Juggling\". Use a name from the list on the import page",
                "Row 4, date achieved: Enter a real date, like 2024-03-14 or 14/03/2024",
                "Row 5, date achieved: The date it was achieved must be today or in the past",
                "Row 6, evidence: Say what the evidence is, for example the certificate seen",
                "Row 8, evidence: The cell starts with =, +, -, @, a tab or a carriage return, which a spreadsheet would run as a formula. Remove that character",
            ]
        );
        assert!(p.records.is_empty());
    }

    #[test]
    fn the_same_record_twice_in_a_file_is_refused_at_its_second_row() {
        let p = check(&format!(
            "{HEADER}a@x.org,Paediatric first aid,2025-01-01,Seen\r\nA@X.org,paediatric first aid,01/01/2025,Seen again\r\n"
        ));
        assert_eq!(texts(&p), vec!["Row 3: The same record is also on row 2"]);
    }

    #[test]
    fn a_header_without_every_column_is_refused_before_any_row() {
        let p = check("email,competency,achieved_on\r\na@x.org,Skills to Foster,2025-01-01\r\n");
        assert_eq!(texts(&p), vec!["The header is missing the column evidence"]);
        assert!(p.records.is_empty());
        let p = check(HEADER);
        assert_eq!(texts(&p), vec!["The file has a header but no records"]);
    }

    #[test]
    fn a_file_over_the_row_limit_is_refused_whole() {
        let mut text = HEADER.to_string();
        for i in 0..=MAX_ROWS {
            text.push_str(&format!("p{i}@x.org,Skills to Foster,2025-01-01,Seen\r\n"));
        }
        let p = check(&text);
        assert!(p.records.is_empty());
        assert_eq!(
            texts(&p),
            vec![format!(
                "The file has more than {MAX_ROWS} records. Split it into files of at most {MAX_ROWS} and import each"
            )]
        );
    }
}
