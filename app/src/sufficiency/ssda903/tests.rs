//! Each test is named for the rule it protects. Files are small inline CSV strings.

use super::codes::{normalise_postcode, place_codes, postcode_sector, sex_codes};
use super::read::TWO_DIGIT_YEAR;
use super::read::{
    detect, parse_date, read_file, DateError, Derived, ReadFile, Upload, NOT_A_DATE,
};
use super::validate::{check_return, Checked};
use super::{FileKind, FileReport, MAX_FILE_BYTES, MAX_REFUSED_LISTED};
use chrono::NaiveDate;

const HEADER: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n";
const EPISODES: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,\
                        HOME_POST,PL_POST,URN\n";
const UASC: &str = "CHILD,SEX,DOB,DUC\n";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn resolve(la: &str) -> Option<String> {
    match la.to_ascii_lowercase().as_str() {
        "portsmouth" | "e06000044" | "851" => Some("portsmouth".into()),
        "southampton" | "e06000045" | "852" => Some("southampton".into()),
        _ => None,
    }
}

/// Reads a file as Portsmouth's 2024 return.
fn read(name: &str, text: &str) -> ReadFile {
    read_year(name, text, 2024)
}

fn read_year(name: &str, text: &str, year: i32) -> ReadFile {
    read_file(
        name,
        text.as_bytes(),
        &Upload {
            council: Some("portsmouth"),
            year: Some(year),
            resolve_la: &resolve,
        },
    )
}

fn check(files: &[(&str, &str)]) -> Checked {
    check_return(files.iter().map(|(n, t)| read(n, t)).collect())
}

fn file<'a>(c: &'a Checked, name: &str) -> &'a FileReport {
    c.report.files.iter().find(|f| f.name == name).unwrap()
}

fn header_row(child: &str) -> String {
    format!("{child},1,15/06/2010,WBRI,A123456789012,,\n")
}

fn episode_row(child: &str) -> String {
    format!("{child},01/05/2023,S,C2,N1,U1,PR1,,,,PO1 2AB,SO14 3CD,SC123456\n")
}

fn one_child() -> (String, String) {
    (
        format!("{HEADER}{}", header_row("C1")),
        format!("{EPISODES}{}", episode_row("C1")),
    )
}

// Detecting a file by its columns.

#[test]
fn file_detected_by_columns_in_any_order() {
    let h = detect(&["dob", " Ethnic ", "SEX", "child"]).unwrap();
    assert_eq!(h.kind, FileKind::Header);
    assert!(!h.pooled);
    assert_eq!(h.positions["CHILD"], 3);
    let u = detect(&["DUC", "DOB", "SEX", "CHILD"]).unwrap();
    assert_eq!(u.kind, FileKind::Uasc);
    let cols: Vec<&str> = FileKind::Episodes
        .required_columns()
        .iter()
        .rev()
        .copied()
        .collect();
    assert_eq!(detect(&cols).unwrap().kind, FileKind::Episodes);
}

#[test]
fn byte_order_mark_and_extra_columns_do_not_stop_detection() {
    let text = "\u{feff}CHILD,SEX,DOB,ETHNIC,NOTES\nC1,1,15/06/2010,WBRI,anything\n";
    let f = read("h.csv", text);
    assert_eq!(f.file_refusal, None);
    assert_eq!(f.kind, Some(FileKind::Header));
    assert_eq!(f.headers.len(), 1);
}

#[test]
fn unknown_shape_names_the_missing_columns_of_the_nearest_kind() {
    let err = detect(&["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE"]).unwrap_err();
    assert!(err.contains("Episodes"), "{err}");
    assert!(err.contains("PLACE_PROVIDER, DEC, REC"), "{err}");
    assert!(!err.contains("no columns DECOM"), "{err}");
    let err = detect(&["CHILD", "SEX", "DOB"]).unwrap_err();
    assert!(
        err.contains("Header file, but it has no column ETHNIC"),
        "{err}"
    );
    let err = detect(&["name", "address"]).unwrap_err();
    assert!(err.contains("not a 903"), "{err}");
}

#[test]
fn a_file_with_both_header_and_uasc_columns_is_refused() {
    let err = detect(&["CHILD", "SEX", "DOB", "ETHNIC", "DUC"]).unwrap_err();
    assert!(err.contains("Header") && err.contains("UASC"), "{err}");
}

#[test]
fn a_column_named_twice_is_refused() {
    let err = detect(&["CHILD", "SEX", "DOB", "ETHNIC", "dob"]).unwrap_err();
    assert!(err.contains("DOB twice"), "{err}");
}

#[test]
fn la_without_year_is_refused() {
    let err = detect(&["LA", "CHILD", "SEX", "DOB", "ETHNIC"]).unwrap_err();
    assert!(err.contains("no YEAR column"), "{err}");
}

#[test]
fn a_single_council_file_needs_the_council_and_year_chosen() {
    let (h, _) = one_child();
    let f = read_file(
        "h.csv",
        h.as_bytes(),
        &Upload {
            council: None,
            year: None,
            resolve_la: &resolve,
        },
    );
    assert!(f.file_refusal.unwrap().contains("choose the council"));
}

// Pooled files.

#[test]
fn pooled_file_with_la_and_year_columns_is_read_per_council() {
    let header = "LA,YEAR,CHILD,SEX,DOB,ETHNIC\n\
                  portsmouth,2024,C1,1,15/06/2010,WBRI\n\
                  E06000045,2024,C1,2,15/06/2011,WBRI\n\
                  851,2023,C2,2,15/06/2012,WBRI\n\
                  nowhere,2024,C3,2,15/06/2012,WBRI\n\
                  portsmouth,24,C4,2,15/06/2012,WBRI\n";
    let episodes = format!(
        "LA,YEAR,{EPISODES}portsmouth,2024,{}southampton,2024,{}portsmouth,2023,{}",
        episode_row("C1"),
        episode_row("C1").replace("01/05/2023", "01/06/2023"),
        episode_row("C2").replace("01/05/2023", "01/05/2022"),
    );
    // No council chosen: a pooled file says its own.
    let upload = Upload {
        council: None,
        year: None,
        resolve_la: &resolve,
    };
    let c = check_return(vec![
        read_file("h.csv", header.as_bytes(), &upload),
        read_file("e.csv", episodes.as_bytes(), &upload),
    ]);
    let h = file(&c, "h.csv");
    assert!(h.pooled);
    assert_eq!((h.rows_read, h.rows_kept, h.rows_refused), (5, 3, 2));
    assert!(h.refused.iter().any(|p| p.row == 5 && p.column == "LA"));
    assert!(h.refused.iter().any(|p| p.row == 6 && p.column == "YEAR"));
    let kept: Vec<(&str, i32, &str)> = c
        .headers
        .iter()
        .map(|h| (h.council.as_str(), h.year, h.child.as_str()))
        .collect();
    assert_eq!(
        kept,
        [
            ("portsmouth", 2024, "C1"),
            ("southampton", 2024, "C1"),
            ("portsmouth", 2023, "C2")
        ]
    );
    assert_eq!(c.episodes.len(), 3);
    assert_eq!(file(&c, "e.csv").rows_refused, 0);
    assert_eq!(
        c.report.returns,
        [
            ("portsmouth".to_string(), 2023),
            ("portsmouth".to_string(), 2024),
            ("southampton".to_string(), 2024)
        ]
    );
}

#[test]
fn same_child_in_two_councils_is_two_children() {
    // C1 has a Header row in Southampton's return only: Portsmouth's C1 episode is not theirs.
    let header = "LA,YEAR,CHILD,SEX,DOB,ETHNIC\nsouthampton,2024,C1,1,15/06/2010,WBRI\n";
    let episodes = format!(
        "LA,YEAR,{EPISODES}portsmouth,2024,{}southampton,2024,{}",
        episode_row("C1"),
        episode_row("C1")
    );
    let c = check(&[("h.csv", header), ("e.csv", &episodes)]);
    assert_eq!(c.episodes.len(), 1);
    assert_eq!(c.episodes[0].council, "southampton");
    let e = file(&c, "e.csv");
    assert_eq!(e.refused[0].row, 2);
    assert!(e.refused[0].message.contains("portsmouth's 2024"));
}

// Parsing.

#[test]
fn dates_are_read_in_uk_and_iso_forms() {
    assert_eq!(parse_date("31/03/2024"), Ok(day(2024, 3, 31)));
    assert_eq!(parse_date("1/4/2023"), Ok(day(2023, 4, 1)));
    assert_eq!(parse_date("2024-03-31"), Ok(day(2024, 3, 31)));
    assert_eq!(parse_date(" 2024-3-1 "), Ok(day(2024, 3, 1)));
    assert_eq!(parse_date("31/02/2024"), Err(DateError::NotADate));
    assert_eq!(parse_date("31.03.2024"), Err(DateError::NotADate));
    assert_eq!(parse_date("March 2024"), Err(DateError::NotADate));
    assert_eq!(parse_date("31/03/0024"), Err(DateError::NotADate));
}

#[test]
fn two_digit_year_is_refused_with_its_own_message() {
    assert_eq!(parse_date("01/04/21"), Err(DateError::TwoDigitYear));
    let (h, e) = one_child();
    let e = e.replace("01/05/2023", "01/05/23");
    let c = check(&[("h.csv", &h), ("e.csv", &e)]);
    let r = file(&c, "e.csv");
    assert_eq!(r.rows_kept, 0);
    assert_eq!(r.refused[0].row, 2);
    assert_eq!(r.refused[0].column, "DECOM");
    assert_eq!(r.refused[0].message, TWO_DIGIT_YEAR);
    assert!(TWO_DIGIT_YEAR.contains("four-digit year"));
}

#[test]
fn an_unreadable_date_is_refused() {
    let h = format!("{HEADER}C1,1,15th June 2010,WBRI,,,\n");
    let c = check(&[("h.csv", &h)]);
    let r = file(&c, "h.csv");
    assert_eq!(r.rows_refused, 1);
    assert_eq!(r.refused[0].column, "DOB");
    assert_eq!(r.refused[0].message, NOT_A_DATE);
}

#[test]
fn dob_is_kept_as_first_of_month() {
    let (h, e) = one_child();
    let c = check(&[("h.csv", &h), ("e.csv", &e)]);
    assert_eq!(c.headers[0].dob, day(2010, 6, 1));
}

#[test]
fn upn_mother_and_mc_dob_are_never_kept() {
    let h = format!("{HEADER}C1,2,15/06/2005,WBRI,A123456789012,1,02/02/2022\n");
    let c = check(&[("h.csv", &h)]);
    assert_eq!(c.headers.len(), 1);
    let kept = serde_json::to_string(&c.headers).unwrap();
    for secret in ["A123456789012", "02/02/2022", "2022-02-02", "MOTHER", "UPN"] {
        assert!(!kept.contains(secret), "{secret} kept in {kept}");
    }
    let report = serde_json::to_string(&c.report).unwrap();
    assert!(!report.contains("A123456789012"));
    // Not needed at all: a council may leave them out of its export.
    let c = check(&[("h.csv", "CHILD,SEX,DOB,ETHNIC\nC1,1,15/06/2010,WBRI\n")]);
    assert_eq!(c.headers.len(), 1);
}

#[test]
fn codes_are_kept_in_upper_case() {
    let h = format!("{HEADER}C1,1,15/06/2010,wbri,,,\n");
    let e = format!("{EPISODES}C1,01/05/2023,s,c2,n1,u1,pr1,,,,,,\n");
    let c = check(&[("h.csv", &h), ("e.csv", &e)]);
    assert_eq!(c.headers[0].ethnic, "WBRI");
    let ep = &c.episodes[0];
    assert_eq!(
        (ep.rne.as_str(), ep.ls.as_str(), ep.place.as_str()),
        ("S", "C2", "U1")
    );
    assert!(file(&c, "e.csv").warnings.is_empty());
}

// Postcodes.

#[test]
fn postcodes_are_normalised_and_kept_only_as_sectors() {
    assert_eq!(normalise_postcode(" po12ab "), Some("PO1 2AB".into()));
    assert_eq!(normalise_postcode("SO14   3CD"), Some("SO14 3CD".into()));
    assert_eq!(normalise_postcode("EC1A 1BB"), Some("EC1A 1BB".into()));
    assert_eq!(normalise_postcode("PO1"), None);
    assert_eq!(normalise_postcode("12345"), None);
    assert_eq!(postcode_sector("PO1 2AB"), Some("PO1 2".into()));
    assert_eq!(postcode_sector("so143cd"), Some("SO14 3".into()));
    assert_eq!(postcode_sector("nonsense"), None);

    let (h, e) = one_child();
    let e = e.replace("PO1 2AB", "po1  2ab");
    let c = check(&[("h.csv", &h), ("e.csv", &e)]);
    let parsed = c.episodes[0].clone();
    assert_eq!(parsed.home_postcode.as_deref(), Some("PO1 2AB"));
    assert_eq!(parsed.placed_postcode.as_deref(), Some("SO14 3CD"));
    let kept = parsed.keep(Derived {
        distance_miles: Some(17.5),
        placed_outside_council: Some(true),
        placed_la: Some("E06000045".into()),
    });
    assert_eq!(kept.home_sector.as_deref(), Some("PO1 2"));
    assert_eq!(kept.placed_sector.as_deref(), Some("SO14 3"));
    assert_eq!(kept.distance_miles, Some(17.5));
    assert_eq!(kept.placed_outside_council, Some(true));
    assert_eq!(kept.placed_la.as_deref(), Some("E06000045"));
    assert_eq!(
        kept.row, 1,
        "the first data row is row 1 in the kept record"
    );
    let json = serde_json::to_string(&kept).unwrap();
    assert!(!json.contains("2AB") && !json.contains("3CD"), "{json}");
}

#[test]
fn a_postcode_that_is_not_whole_is_warned_of_and_not_kept() {
    let (h, _) = one_child();
    let e = format!("{EPISODES}C1,01/05/2023,S,C2,N1,U1,PR1,,,,PO1,XXXXXXX,SC1\n");
    let c = check(&[("h.csv", &h), ("e.csv", &e)]);
    assert_eq!(c.episodes.len(), 1);
    assert_eq!(c.episodes[0].home_postcode, None);
    assert_eq!(c.episodes[0].placed_postcode, None);
    let w = &file(&c, "e.csv").warnings;
    assert_eq!(w.len(), 1, "all X's is a blank, not a bad postcode: {w:?}");
    assert_eq!((w[0].column.as_str(), w[0].count), ("HOME_POST", 1));
    assert_eq!(w[0].example, "", "the value of a postcode is never shown");
}

// Refused rows.

#[test]
fn a_missing_child_is_refused() {
    let h = format!("{HEADER},1,15/06/2010,WBRI,,,\n{}", header_row("C2"));
    let c = check(&[("h.csv", &h)]);
    let r = file(&c, "h.csv");
    assert_eq!((r.rows_read, r.rows_kept, r.rows_refused), (2, 1, 1));
    assert_eq!(
        (r.refused[0].row, r.refused[0].column.as_str()),
        (2, "CHILD")
    );
}

#[test]
fn an_episode_whose_child_has_no_header_row_is_refused() {
    let (h, _) = one_child();
    let e = format!("{EPISODES}{}{}", episode_row("C1"), episode_row("C9"));
    let c = check(&[("h.csv", &h), ("e.csv", &e)]);
    assert_eq!(c.episodes.len(), 1);
    let r = file(&c, "e.csv");
    assert_eq!(r.refused[0].row, 3);
    assert_eq!(r.refused[0].column, "CHILD");
    assert!(r.refused[0]
        .message
        .contains("C9 has no row in the Header file"));
    assert!(r.refused[0].message.contains("INT03"));
}

#[test]
fn an_episode_whose_header_row_was_refused_says_so() {
    let h = format!("{HEADER}C1,1,15/06/10,WBRI,,,\n");
    let (_, e) = one_child();
    let c = check(&[("h.csv", &h), ("e.csv", &e)]);
    let r = file(&c, "e.csv");
    assert!(
        r.refused[0]
            .message
            .contains("Header row (h.csv, row 2) was refused"),
        "{}",
        r.refused[0].message
    );
}

#[test]
fn dec_before_decom_is_refused() {
    let (h, _) = one_child();
    let e = format!("{EPISODES}C1,01/05/2023,S,C2,N1,U1,PR1,30/04/2023,E11,,,,\n");
    let c = check(&[("h.csv", &h), ("e.csv", &e)]);
    let r = file(&c, "e.csv");
    assert_eq!(r.rows_kept, 0);
    assert_eq!(r.refused[0].column, "DEC");
    assert!(r.refused[0].message.contains("356"));
}

#[test]
fn dec_after_the_end_of_the_collection_year_is_refused() {
    let (h, _) = one_child();
    let e = format!(
        "{EPISODES}C1,01/05/2023,S,C2,N1,U1,PR1,31/03/2024,E11,,,,\n\
         C1,01/04/2024,S,C2,N1,U1,PR1,01/04/2024,E11,,,,\n"
    );
    let c = check(&[("h.csv", &h), ("e.csv", &e)]);
    assert_eq!(c.episodes.len(), 1, "31 March is the year's last day");
    let r = file(&c, "e.csv");
    let dec = r.refused.iter().find(|p| p.column == "DEC").unwrap();
    assert_eq!(dec.row, 3);
    assert!(dec.message.contains("31/03/2024") && dec.message.contains("385"));
    let decom = r.refused.iter().find(|p| p.column == "DECOM").unwrap();
    assert!(decom.message.contains("354"));
    assert_eq!(r.rows_refused, 1);
    assert_eq!(r.refused_total, 2);
}

#[test]
fn dob_after_decom_is_refused_using_the_full_date_of_birth() {
    // Born on the 20th; the episode began on the 10th of the same month: the month alone
    // would not show it.
    let h = format!("{HEADER}C1,1,20/06/2023,WBRI,,,\n");
    let e = format!("{EPISODES}C1,10/06/2023,S,C2,N1,U1,PR1,,,,,,\n");
    let c = check(&[("h.csv", &h), ("e.csv", &e)]);
    assert!(c.episodes.is_empty());
    let r = file(&c, "e.csv");
    assert_eq!(r.refused[0].column, "DECOM");
    assert!(r.refused[0].message.contains("302"));
    // Born the day it began: fine.
    let e = format!("{EPISODES}C1,20/06/2023,S,C2,N1,U1,PR1,,,,,,\n");
    assert_eq!(check(&[("h.csv", &h), ("e.csv", &e)]).episodes.len(), 1);
}

#[test]
fn an_over_long_cell_is_refused() {
    let h = format!("{HEADER}{},1,15/06/2010,WBRI,,,\n", "C".repeat(101));
    let c = check(&[("h.csv", &h)]);
    let r = file(&c, "h.csv");
    assert_eq!(r.rows_kept, 0);
    assert!(r.refused[0].message.contains("longer than 100"));
}

#[test]
fn a_row_with_the_wrong_number_of_cells_is_refused() {
    let h = format!("{HEADER}C1,1,15/06/2010\nC2,1,15/06/2010,WBRI,,,,,extra\n");
    let c = check(&[("h.csv", &h)]);
    let r = file(&c, "h.csv");
    assert_eq!(r.rows_refused, 2);
    assert!(r.refused[0].message.contains("cells"));
}

#[test]
fn formula_in_any_cell_refuses_the_whole_file() {
    for bad in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tC1"] {
        // In a column the product does not even read (MOTHER).
        let h = format!(
            "{HEADER}{}C2,1,15/06/2010,WBRI,,\"{bad}\",\n",
            header_row("C1")
        );
        let c = check(&[("h.csv", &h)]);
        let r = file(&c, "h.csv");
        let message = r.file_refusal.as_deref().unwrap();
        assert!(
            message.contains("Nothing from this file was kept"),
            "{message}"
        );
        assert!(message.contains("row 3, column MOTHER"), "{message}");
        assert!(c.headers.is_empty(), "{bad}: nothing stored from the file");
        assert_eq!(r.rows_kept, 0);
    }
    // A formula in the header row too.
    let c = check(&[(
        "h.csv",
        "CHILD,SEX,DOB,ETHNIC,=cmd\nC1,1,15/06/2010,WBRI,\n",
    )]);
    assert!(c.report.files[0].file_refusal.is_some());
    assert!(c.headers.is_empty());
}

#[test]
fn a_control_character_in_a_cell_refuses_the_row() {
    let h = format!(
        "{HEADER}\"C\u{7}1\",1,15/06/2010,WBRI,,,\n{}",
        header_row("C2")
    );
    let c = check(&[("h.csv", &h)]);
    let r = file(&c, "h.csv");
    assert_eq!((r.rows_kept, r.rows_refused), (1, 1));
    assert!(r.refused[0].message.contains("control character"));
}

#[test]
fn the_refused_list_is_capped_but_all_are_counted() {
    let mut h = HEADER.to_string();
    for i in 0..250 {
        h.push_str(&format!("C{i},1,15/06/10,WBRI,,,\n"));
    }
    let c = check(&[("h.csv", &h)]);
    let r = file(&c, "h.csv");
    assert_eq!(r.refused.len(), MAX_REFUSED_LISTED);
    assert_eq!((r.refused_total, r.rows_refused), (250, 250));
    assert_eq!(r.refused[0].row, 2);
}

// Warnings.

#[test]
fn sex_codes_change_with_the_collection_year_rule_101() {
    assert_eq!(sex_codes(2024), ["1", "2"]);
    assert_eq!(sex_codes(2025), ["M", "F", "U"]);
    let h = format!(
        "{HEADER}C1,M,15/06/2010,WBRI,,,\nC2,1,15/06/2010,WBRI,,,\nC3,M,15/06/2010,WBRI,,,\n"
    );
    let r = read_year("h.csv", &h, 2024);
    assert_eq!(r.headers.len(), 3, "a warning keeps the row");
    let w = &r.warnings.0;
    assert_eq!(w.len(), 1);
    assert_eq!((w[0].rule.as_str(), w[0].count), ("101", 2));
    assert_eq!((w[0].example_row, w[0].example.as_str()), (2, "M"));
    let r = read_year("h.csv", &h, 2025);
    assert_eq!(r.warnings.0[0].count, 1);
    assert_eq!(r.warnings.0[0].example, "1");
}

#[test]
fn place_codes_change_with_the_collection_year_rule_146() {
    assert!(place_codes(2024).contains(&"P2") && !place_codes(2024).contains(&"K3"));
    assert!(place_codes(2025).contains(&"K3") && place_codes(2025).contains(&"H5"));
    assert!(!place_codes(2026).contains(&"P2") && !place_codes(2026).contains(&"Z1"));
    assert!(place_codes(2026).contains(&"Z11"));
    let rows =
        format!("{EPISODES}C1,01/05/2023,S,C2,N1,K3,PR1,,,,,,\nC1,01/06/2023,S,C2,N1,Z1,,,,,,,\n");
    let w = read_year("e.csv", &rows, 2024).warnings.0;
    assert_eq!(w.len(), 1);
    assert_eq!((w[0].rule.as_str(), w[0].example.as_str()), ("146", "K3"));
    let rows = rows.replace("2023", "2025");
    let w = read_year("e.csv", &rows, 2026).warnings.0;
    assert_eq!(w.len(), 1);
    assert_eq!((w[0].rule.as_str(), w[0].example.as_str()), ("146", "Z1"));
}

#[test]
fn episode_codes_are_warned_by_their_dfe_rule() {
    let e = format!(
        "{EPISODES}C1,01/05/2023,Q,X9,N9,U1,PR9,31/05/2023,E99,,,,\n\
         C1,01/06/2023,,,,T0,PR1,,,,,,\n"
    );
    let r = read("e.csv", &e);
    assert_eq!(r.episodes.len(), 2);
    let rules: Vec<(&str, &str, u32)> = r
        .warnings
        .0
        .iter()
        .map(|w| (w.rule.as_str(), w.column.as_str(), w.example_row))
        .collect();
    assert_eq!(
        rules,
        [
            ("143", "RNE", 2),
            ("144", "LS", 2),
            ("145", "CIN", 2),
            ("149", "REC", 2),
            ("178", "PLACE_PROVIDER", 2),
        ]
    );
    // A provider for a temporary placement is rule 178 too.
    assert_eq!(r.warnings.0[4].count, 2);
}

#[test]
fn a_header_row_repeated_for_the_same_child_keeps_the_first_and_warns() {
    let h = format!(
        "{HEADER}{}C1,2,15/07/2011,WBRI,,,\n{}",
        header_row("C1"),
        header_row("C2")
    );
    let c = check(&[("h.csv", &h)]);
    assert_eq!(c.headers.len(), 2);
    assert_eq!(c.headers[0].sex, "1");
    let r = file(&c, "h.csv");
    assert_eq!((r.rows_read, r.rows_kept, r.duplicates_dropped), (3, 2, 1));
    assert_eq!(r.warnings[0].rule, "INT32");
    assert_eq!((r.warnings[0].example_row, r.warnings[0].count), (3, 1));
}

#[test]
fn uasc_rows_are_kept_by_child_with_duplicates_and_strangers_warned() {
    let (h, _) = one_child();
    let u = format!("{UASC}C1,1,15/06/2010,\nC1,1,15/06/2010,\nC7,1,15/06/2010,01/01/2024\n");
    let c = check(&[("h.csv", &h), ("u.csv", &u)]);
    assert_eq!(c.uasc.len(), 2);
    let r = file(&c, "u.csv");
    assert_eq!(r.kind, Some(FileKind::Uasc));
    assert_eq!((r.rows_kept, r.duplicates_dropped), (2, 1));
    let rules: Vec<&str> = r.warnings.iter().map(|w| w.rule.as_str()).collect();
    assert_eq!(rules, ["INT36", "INT09"]);
}

#[test]
fn a_second_file_of_the_same_kind_for_the_same_return_is_refused() {
    let (h, e) = one_child();
    let c = check(&[("h.csv", &h), ("e.csv", &e), ("e2.csv", &e)]);
    assert_eq!(c.episodes.len(), 1);
    let r = file(&c, "e2.csv");
    assert_eq!(r.rows_kept, 0);
    assert!(r.refused[0]
        .message
        .contains("already holds portsmouth's 2024 return"));
}

// Limits and encodings.

#[test]
fn an_empty_file_is_refused() {
    for text in ["", "\u{feff}", " \n\n"] {
        let c = check(&[("x.csv", text)]);
        assert_eq!(
            c.report.files[0].file_refusal.as_deref(),
            Some("The file is empty")
        );
    }
}

#[test]
fn a_file_with_only_a_header_row_is_fine() {
    let c = check(&[("h.csv", HEADER)]);
    let r = file(&c, "h.csv");
    assert_eq!(r.file_refusal, None);
    assert_eq!(r.kind, Some(FileKind::Header));
    assert_eq!((r.rows_read, r.rows_kept), (0, 0));
}

#[test]
fn a_file_over_20_mib_is_refused_whole() {
    let mut big = HEADER.as_bytes().to_vec();
    big.resize(MAX_FILE_BYTES + 1, b'\n');
    let f = read_file(
        "big.csv",
        &big,
        &Upload {
            council: Some("portsmouth"),
            year: Some(2024),
            resolve_la: &resolve,
        },
    );
    assert!(f.file_refusal.unwrap().contains("more than the 20 MiB"));
}

#[test]
fn a_file_over_500000_rows_is_refused_whole() {
    let mut text = String::from("CHILD,SEX,DOB,ETHNIC\n");
    for _ in 0..500_001 {
        text.push_str("C,1,1/1/2010,WBRI\n");
    }
    let f = read("h.csv", &text);
    assert!(f.file_refusal.unwrap().contains("more than 500000 rows"));
    assert!(f.headers.is_empty());
}

#[test]
fn windows_1252_is_read_and_other_encodings_are_refused() {
    let mut bytes = b"CHILD,SEX,DOB,ETHNIC,NOTES\nC1,1,15/06/2010,WBRI,Caf".to_vec();
    bytes.extend_from_slice(&[0xE9, 0x92, b'\n']);
    let f = read_file(
        "h.csv",
        &bytes,
        &Upload {
            council: Some("portsmouth"),
            year: Some(2024),
            resolve_la: &resolve,
        },
    );
    assert!(f.read_as_windows_1252);
    assert_eq!(f.headers.len(), 1);
    let upload = Upload {
        council: Some("portsmouth"),
        year: Some(2024),
        resolve_la: &resolve,
    };
    let utf16 = read_file("u.csv", &[0xFF, 0xFE, b'C', 0], &upload);
    assert!(utf16.file_refusal.unwrap().contains("UTF-16"));
    let xlsx = read_file("x.xlsx", b"PK\x03\x04rest", &upload);
    assert!(xlsx.file_refusal.unwrap().contains("Excel workbook"));
    let undefined = read_file("h.csv", b"CHILD\x81", &upload);
    assert!(undefined.file_refusal.unwrap().contains("neither UTF-8"));
}

#[test]
fn rows_are_numbered_as_a_spreadsheet_shows_them() {
    // CRLF endings and a blank line: the bad row is the spreadsheet's row 4.
    let h = "CHILD,SEX,DOB,ETHNIC\r\nC1,1,15/06/2010,WBRI\r\n\r\nC2,1,bad,WBRI\r\n";
    let c = check(&[("h.csv", h)]);
    let r = file(&c, "h.csv");
    assert_eq!(r.rows_read, 2);
    assert_eq!(r.refused[0].row, 4);
}

#[test]
fn the_report_round_trips_through_json() {
    let (h, e) = one_child();
    let c = check(&[("h.csv", &h), ("e.csv", &e)]);
    let json = serde_json::to_string(&c.report).unwrap();
    let back: super::UploadReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c.report);
    assert!(!c.report.anything_refused());
}

#[test]
fn a_date_of_birth_after_the_collection_year_is_warned_of_rule_301() {
    let h = format!("{HEADER}C1,1,15/06/2024,WBRI,,,\n");
    let r = read_year("h.csv", &h, 2024);
    assert_eq!(r.headers.len(), 1);
    assert_eq!(r.warnings.0[0].rule, "301");
    assert_eq!(
        r.warnings.0[0].example, "",
        "a date of birth is never shown"
    );
}

#[test]
fn kept_episodes_take_what_the_service_derived() {
    let (h, e) = one_child();
    let mut c = check(&[("h.csv", &h), ("e.csv", &e)]);
    let kept = c.keep_episodes(|e| {
        let outside = e.placed_postcode.as_deref().map(|p| !p.starts_with("PO"));
        Derived {
            distance_miles: Some(12.0),
            placed_outside_council: outside,
            placed_la: Some("E06000045".into()),
        }
    });
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].placed_outside_council, Some(true));
    assert_eq!(kept[0].distance_miles, Some(12.0));
    assert_eq!(kept[0].placed_la.as_deref(), Some("E06000045"));
    assert!(c.episodes.is_empty());
}
