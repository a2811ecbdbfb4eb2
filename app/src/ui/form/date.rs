//! Date input: day, month and year (or month and year, for approximate dates), with one error
//! for the group, and the pure rules that read what was typed.

use super::{described_by, error_for, field_id, FieldMessage};
use crate::error::FieldErrors;
use chrono::NaiveDate;
use leptos::prelude::*;

/// A date as typed, part by part, kept exactly as typed so the form can show it back.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DateParts {
    pub day: String,
    pub month: String,
    pub year: String,
}

impl DateParts {
    /// The parts posted under `name` (`dob[day]`, `dob[month]`, `dob[year]`).
    pub fn from_pairs(pairs: &[(String, String)], name: &str) -> Self {
        DateParts {
            day: super::pair(pairs, &format!("{name}[day]")),
            month: super::pair(pairs, &format!("{name}[month]")),
            year: super::pair(pairs, &format!("{name}[year]")),
        }
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn number(s: &str) -> Option<u32> {
    let s = s.trim();
    (!s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// A month as a number or a name, whole or its first three letters ("2", "02", "Feb",
/// "february"), as GOV.UK accepts.
fn month(s: &str) -> Option<u32> {
    if let Some(n) = number(s) {
        return (1..=12).contains(&n).then_some(n);
    }
    let s = s.trim().to_lowercase();
    MONTHS
        .iter()
        .position(|m| s.len() >= 3 && m.starts_with(&s))
        .map(|i| i as u32 + 1)
}

fn year(s: &str) -> Result<i32, ()> {
    let s = s.trim();
    if s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()) {
        s.parse().map_err(|_| ())
    } else {
        Err(())
    }
}

/// Lower-cases the first letter, for a label in the middle of a sentence.
fn in_sentence(label: &str) -> String {
    let mut c = label.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "a day and year", "a month": the parts that are missing, in GOV.UK's words.
fn missing(parts: &[(&str, &str)]) -> Option<String> {
    let names: Vec<&str> = parts
        .iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(n, _)| *n)
        .collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(format!("a {one}")),
        [a, b] => Some(format!("a {a} and {b}")),
        _ => None,
    }
}

/// A real calendar date from its typed parts, or the one message for the group in GOV.UK's
/// words (`label` names the date, e.g. "Date of birth"). 29 February is real only in a leap year.
pub fn parse_date(label: &str, parts: &DateParts) -> Result<NaiveDate, String> {
    let all = [
        ("day", parts.day.as_str()),
        ("month", parts.month.as_str()),
        ("year", parts.year.as_str()),
    ];
    if all.iter().all(|(_, v)| v.trim().is_empty()) {
        return Err(format!("Enter {}", in_sentence(label)));
    }
    if let Some(m) = missing(&all) {
        return Err(format!("{label} must include {m}"));
    }
    let y = year(&parts.year).map_err(|_| "Year must include 4 numbers".to_string())?;
    let real = || format!("{label} must be a real date");
    let d = number(&parts.day).ok_or_else(real)?;
    let m = month(&parts.month).ok_or_else(real)?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(real)
}

/// A required date for a form: the date, or its message added to `errors` under `field`.
pub fn required_date(
    errors: &mut crate::error::FieldErrors,
    field: &str,
    label: &str,
    parts: &DateParts,
) -> Option<NaiveDate> {
    match parse_date(label, parts) {
        Ok(d) => Some(d),
        Err(m) => {
            errors.add(field, m);
            None
        }
    }
}

/// A required date that has happened: today (`today`, in London) or earlier. A date ahead is
/// refused as "{label} must be today or in the past".
pub fn past_date(
    errors: &mut crate::error::FieldErrors,
    field: &str,
    label: &str,
    parts: &DateParts,
    today: NaiveDate,
) -> Option<NaiveDate> {
    match required_date(errors, field, label, parts) {
        Some(d) if d > today => {
            errors.add(field, format!("{label} must be today or in the past"));
            None
        }
        other => other,
    }
}

/// An optional date: `None` when all three parts are empty, else as [`required_date`].
pub fn optional_date(
    errors: &mut crate::error::FieldErrors,
    field: &str,
    label: &str,
    parts: &DateParts,
) -> Option<NaiveDate> {
    if [&parts.day, &parts.month, &parts.year]
        .iter()
        .all(|p| p.trim().is_empty())
    {
        return None;
    }
    required_date(errors, field, label, parts)
}

/// An approximate date, month and year only, as the first of that month (for example when
/// someone moved into an address).
pub fn parse_month_year(label: &str, parts: &DateParts) -> Result<NaiveDate, String> {
    let all = [
        ("month", parts.month.as_str()),
        ("year", parts.year.as_str()),
    ];
    if all.iter().all(|(_, v)| v.trim().is_empty()) {
        return Err(format!("Enter {}", in_sentence(label)));
    }
    if let Some(m) = missing(&all) {
        return Err(format!("{label} must include {m}"));
    }
    let y = year(&parts.year).map_err(|_| "Year must include 4 numbers".to_string())?;
    let m = month(&parts.month).ok_or_else(|| format!("{label} must be a real date"))?;
    NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(|| format!("{label} must be a real date"))
}

/// A date as three boxes (day, month, year) in a fieldset, or two (month, year) with
/// `month_year`. The parts post as `{name}[day]`, `{name}[month]` and `{name}[year]`; the group
/// has one error, under `name`, and its first box carries the field's id so the error
/// summary's link lands on it. Read the post with [`DateParts::from_pairs`] and [`parse_date`].
///
/// ```ignore
/// view! {
///     <DateInput name="dob" legend="Date of birth" hint="For example, 27 3 1985"
///         value=form.dob errors=errors />
///     <DateInput name=indexed_name("addresses", i, "moved_in") legend="When did you move in?"
///         value=group.date("moved_in") errors=errors month_year=true />
/// }
/// ```
#[component]
pub fn DateInput(
    #[prop(into)] name: String,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] value: DateParts,
    #[prop(into)] errors: Signal<FieldErrors>,
    /// Month and year only, for approximate dates.
    #[prop(optional)]
    month_year: bool,
) -> impl IntoView {
    let id = field_id(&name);
    let error = error_for(errors, name.clone());
    // An empty hint is no hint (callers drawing from data pass "" for none).
    let hint = hint.filter(|h| !h.is_empty());
    let has_hint = hint.is_some();
    let (e1, e2) = (error.clone(), error.clone());
    let (id1, id2) = (id.clone(), id.clone());
    let mut parts = Vec::new();
    if !month_year {
        parts.push(("day", "Day", value.day.clone(), 2));
    }
    parts.push(("month", "Month", value.month.clone(), 2));
    parts.push(("year", "Year", value.year.clone(), 4));
    let inputs = parts
        .into_iter()
        .enumerate()
        .map(|(i, (part, label, value, width))| {
            // The first box carries the group's id, for the summary's link.
            let input_id = if i == 0 {
                id.clone()
            } else {
                format!("{id}-{part}")
            };
            let e = error.clone();
            view! {
                <div class="date-input__item">
                    <label class="label date-input__label" for=input_id.clone()>
                        {label}
                    </label>
                    <input
                        class=format!("input date-input__input input--width-{width}")
                        class:input--error=move || e().is_some()
                        id=input_id
                        name=format!("{name}[{part}]")
                        type="text"
                        inputmode="numeric"
                        value=value
                    />
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="form-group" class:form-group--error=move || e1().is_some()>
            <fieldset
                class="fieldset"
                role="group"
                aria-describedby=move || described_by(&id2, has_hint, e2().is_some())
            >
                <legend class="fieldset__legend">{legend}</legend>
                {hint.map(|h| view! { <div id=format!("{id}-hint") class="hint">{h}</div> })}
                {move || view! { <FieldMessage id=id1.clone() message=error() /> }}
                <div class="date-input">{inputs}</div>
            </fieldset>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(d: &str, m: &str, y: &str) -> DateParts {
        DateParts {
            day: d.into(),
            month: m.into(),
            year: y.into(),
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_real_date_is_read_from_numbers_or_a_month_name() {
        assert_eq!(
            parse_date("Date of birth", &parts("27", "3", "1985")),
            Ok(date(1985, 3, 27))
        );
        assert_eq!(
            parse_date("Date of birth", &parts(" 07 ", "03", "1985")),
            Ok(date(1985, 3, 7))
        );
        assert_eq!(
            parse_date("Date of birth", &parts("1", "Feb", "2000")),
            Ok(date(2000, 2, 1))
        );
        assert_eq!(
            parse_date("Date of birth", &parts("1", "february", "2000")),
            Ok(date(2000, 2, 1))
        );
    }

    #[test]
    fn the_twenty_ninth_of_february_is_real_only_in_a_leap_year() {
        assert_eq!(
            parse_date("Date", &parts("29", "2", "2024")),
            Ok(date(2024, 2, 29))
        );
        assert_eq!(
            parse_date("Date", &parts("29", "2", "2000")),
            Ok(date(2000, 2, 29))
        );
        assert_eq!(
            parse_date("Date", &parts("29", "2", "2023")),
            Err("Date must be a real date".into())
        );
        assert_eq!(
            parse_date("Date", &parts("29", "2", "1900")),
            Err("Date must be a real date".into())
        );
    }

    #[test]
    fn a_date_that_is_not_on_the_calendar_is_refused_with_one_message() {
        for (d, m, y) in [
            ("31", "4", "2024"),
            ("0", "1", "2024"),
            ("1", "13", "2024"),
            ("x", "1", "2024"),
            ("1", "Ja", "2024"),
        ] {
            assert_eq!(
                parse_date("Date of birth", &parts(d, m, y)),
                Err("Date of birth must be a real date".into()),
                "{d} {m} {y}"
            );
        }
    }

    #[test]
    fn missing_parts_are_named_and_an_empty_date_is_asked_for() {
        assert_eq!(
            parse_date("Date of birth", &parts("", "", "")),
            Err("Enter date of birth".into())
        );
        assert_eq!(
            parse_date("Date of birth", &parts("", "3", "")),
            Err("Date of birth must include a day and year".into())
        );
        assert_eq!(
            parse_date("Date of birth", &parts("1", "", "1990")),
            Err("Date of birth must include a month".into())
        );
        assert_eq!(
            parse_date("Date of birth", &parts("1", "1", "90")),
            Err("Year must include 4 numbers".into())
        );
    }

    #[test]
    fn an_approximate_date_is_a_month_and_year() {
        let p = |m: &str, y: &str| parts("", m, y);
        assert_eq!(
            parse_month_year("Moved in", &p("9", "2019")),
            Ok(date(2019, 9, 1))
        );
        assert_eq!(
            parse_month_year("Moved in", &p("Sep", "2019")),
            Ok(date(2019, 9, 1))
        );
        assert_eq!(
            parse_month_year("Moved in", &p("", "")),
            Err("Enter moved in".into())
        );
        assert_eq!(
            parse_month_year("Moved in", &p("", "2019")),
            Err("Moved in must include a month".into())
        );
        assert_eq!(
            parse_month_year("Moved in", &p("13", "2019")),
            Err("Moved in must be a real date".into())
        );
        assert_eq!(
            parse_month_year("Moved in", &p("2", "19")),
            Err("Year must include 4 numbers".into())
        );
    }

    #[test]
    fn parts_are_read_from_posted_pairs_under_an_owned_name() {
        let pairs = vec![
            ("adults[1][dob][day]".to_string(), "4".to_string()),
            ("adults[1][dob][month]".to_string(), "5".to_string()),
            ("adults[1][dob][year]".to_string(), "1980".to_string()),
        ];
        assert_eq!(
            DateParts::from_pairs(&pairs, "adults[1][dob]"),
            parts("4", "5", "1980")
        );
    }

    #[test]
    fn a_past_date_may_be_today_but_not_tomorrow() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let mut errors = crate::error::FieldErrors::default();
        assert_eq!(
            past_date(
                &mut errors,
                "on",
                "The date",
                &parts("30", "11", "2026"),
                today
            ),
            Some(today)
        );
        assert!(errors.is_empty());
        assert_eq!(
            past_date(
                &mut errors,
                "on",
                "The date",
                &parts("1", "12", "2026"),
                today
            ),
            None
        );
        assert_eq!(
            errors.get("on"),
            Some("The date must be today or in the past")
        );
        let mut errors = crate::error::FieldErrors::default();
        assert_eq!(
            past_date(
                &mut errors,
                "on",
                "The date",
                &parts("31", "11", "2026"),
                today
            ),
            None
        );
        assert_eq!(errors.get("on"), Some("The date must be a real date"));
    }
}
