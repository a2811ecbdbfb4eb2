//! The rules that decide when a section is complete, beyond "needed or not": ages, dates in the
//! past, the 10-year address history, household members' ages, and referees. Plain functions of
//! the answers and the day, so every boundary is tested here.

use super::answers::{self, check_format, check_needed, date, filled_items, key, text, Answers};
use super::spec::Section;
use crate::error::FieldErrors;
use crate::ui::{parse_date, parse_month_year};
use chrono::{Datelike, NaiveDate};

/// What the rules need besides the answers: the day (London) and the council's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleContext {
    pub today: NaiveDate,
    /// The youngest an applicant may be (the law says 18; 21 by default).
    pub min_age: u32,
    pub family_referees: u32,
    /// Never fewer than two, whatever the council's setting.
    pub personal_referees: u32,
    /// How long a personal referee must have known the household.
    pub referee_years: u32,
}

impl RuleContext {
    pub fn new(today: NaiveDate) -> Self {
        RuleContext {
            today,
            min_age: 21,
            family_referees: 1,
            personal_referees: 2,
            referee_years: 2,
        }
    }
}

/// Where a section has got to (GOV.UK's task list statuses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Progress {
    NotStarted,
    InProgress,
    Completed,
    /// Waiting on other sections (the declaration comes last).
    CannotStartYet,
}

impl Progress {
    pub fn label(self) -> &'static str {
        match self {
            Progress::NotStarted => "Not yet started",
            Progress::InProgress => "In progress",
            Progress::Completed => "Completed",
            Progress::CannotStartYet => "Cannot start yet",
        }
    }
}

/// What happens to a withdrawn household's information (reg 32: withdrawn applications are kept
/// at least 3 years).
pub const AFTER_WITHDRAWAL: &str = "We keep your enquiry and any application for 3 years, as the law requires for applications that do not go ahead, and then delete them. Only the fostering team can see them. If you apply again within that time, you will not have to start from nothing.";

/// The reasons a household may give for withdrawing, in its own words, with the codes staff and
/// Ofsted read: before the application is sent, the product's enquiry codes; once sent (an
/// application withdrawn before panel), Ofsted's AW codes.
pub fn household_reasons(sent: bool) -> &'static [(&'static str, &'static str)] {
    if sent {
        &[
            ("AW1", "Fostering is not what we expected"),
            ("AW2", "The assessment is not what we expected"),
            (
                "AW3",
                "Our circumstances have changed (not for financial reasons)",
            ),
            ("AW4", "We cannot carry on for financial reasons"),
            ("AW5", "We are worried about the risk of allegations"),
            ("AW0", "Another reason, or we would rather not say"),
        ]
    } else {
        &[
            ("EQ-07", "Our circumstances or timing have changed"),
            ("EQ-04", "We have chosen another fostering service"),
            ("EQ-99", "Another reason"),
        ]
    }
}

/// What is wrong with a withdrawal, by field (empty when it may go ahead).
pub fn check_withdrawal(sent: bool, reason: &str, note: &str) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if !household_reasons(sent).iter().any(|(c, _)| *c == reason) {
        errors.add("reason", "Select why you are withdrawing");
    } else if reason == "EQ-99" && note.trim().is_empty() {
        errors.add("note", "Tell us the reason in a few words");
    }
    if note.chars().count() > 1000 {
        errors.add("note", "The reason must be 1000 characters or fewer");
    } else if crate::text::has_forbidden_chars(&note.replace(['\n', '\r'], "")) {
        errors.add(
            "note",
            "The reason must only include letters, numbers and punctuation",
        );
    }
    errors
}

pub use crate::time::age_on;

/// The first day of the month 10 years before this one: addresses must go back to it.
pub fn ten_years_back(today: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(today.year() - 10, today.month(), 1).expect("the first of a month")
}

/// "November 2016".
pub fn month_year(d: NaiveDate) -> String {
    d.format("%B %Y").to_string()
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("the first of a month")
}

fn parsed_date(a: &Answers, name: &str) -> Option<NaiveDate> {
    parse_date("Date", &date(a, name)).ok()
}

fn parsed_month(a: &Answers, name: &str) -> Option<NaiveDate> {
    parse_month_year("Date", &date(a, name)).ok()
}

/// Everything that stops the section being completed (empty when it is complete). Format
/// problems come first: an answer that cannot be read cannot complete anything.
pub fn problems(section: &Section, a: &Answers, ctx: &RuleContext) -> FieldErrors {
    let mut errors = FieldErrors::default();
    check_format(section.fields, a, "", &mut errors);
    check_needed(section.fields, a, "", &mut errors);
    let today = ctx.today;
    let this_month = first_of_month(today);
    let not_future_month =
        |errors: &mut FieldErrors, a: &Answers, name: &str, k: &str, what: &str| {
            if parsed_month(a, name).is_some_and(|d| d > this_month) {
                errors.add(k, format!("{what} must be this month or in the past"));
            }
        };
    match section.code {
        "about-you" => {
            if let Some(dob) = parsed_date(a, "dob") {
                if dob > today {
                    errors.add("dob", "Date of birth must be in the past");
                } else if age_on(dob, today) < ctx.min_age as i32 {
                    errors.add(
                        "dob",
                        format!(
                            "You must be {} or older to apply to foster with us",
                            ctx.min_age
                        ),
                    );
                } else if age_on(dob, today) > 120 {
                    errors.add("dob", "Date of birth must be a real date of birth");
                }
            }
            for (i, it) in filled_items(a, "other_names") {
                let k = key(&format!("other_names[{i}]"), "changed");
                not_future_month(
                    &mut errors,
                    &it,
                    "changed",
                    &k,
                    "When you stopped using the name",
                );
            }
        }
        "relationship" => {
            if parsed_date(a, "since").is_some_and(|d| d > today) {
                errors.add(
                    "since",
                    "The date of your marriage or civil partnership must be today or in the past",
                );
            }
            not_future_month(
                &mut errors,
                a,
                "moved_in",
                "moved_in",
                "When you moved in together",
            );
        }
        "household" => {
            for (i, it) in filled_items(a, "people") {
                let p = format!("people[{i}]");
                let who = match text(&it, "first_name") {
                    "" => format!("person {}", i + 1),
                    name => name.to_string(),
                };
                let Some(dob) = parsed_date(&it, "dob") else {
                    continue;
                };
                if dob > today {
                    errors.add(&key(&p, "dob"), "Date of birth must be in the past");
                } else if age_on(dob, today) >= 18 {
                    if text(&it, "email").is_empty() {
                        errors.add(
                            &key(&p, "email"),
                            format!("Enter an email address for {who}: everyone 18 or over has their own DBS check"),
                        );
                    }
                } else if text(&it, "school").is_empty() {
                    errors.add(
                        &key(&p, "school"),
                        format!("Enter {who}'s school or nursery, or \u{201c}none\u{201d}"),
                    );
                }
            }
        }
        "children-elsewhere" => {
            for (i, it) in filled_items(a, "children") {
                let p = format!("children[{i}]");
                let Some(dob) = parsed_date(&it, "dob") else {
                    continue;
                };
                if dob > today {
                    errors.add(&key(&p, "dob"), "Date of birth must be in the past");
                    continue;
                }
                let adult = age_on(dob, today) >= 18;
                match (text(&it, "age_group"), adult) {
                    ("under_18", true) => errors.add(
                        &key(&p, "age_group"),
                        "Their date of birth means they are 18 or over: check the date or this answer",
                    ),
                    ("adult", false) => errors.add(
                        &key(&p, "age_group"),
                        "Their date of birth means they are under 18: check the date or this answer",
                    ),
                    _ => {}
                }
            }
        }
        "previous-partners" => {
            for (i, it) in filled_items(a, "partners") {
                let k = key(&format!("partners[{i}]"), "ended");
                if parsed_month(&it, "ended").is_some_and(|d| d > this_month) {
                    errors.add(&k, "When the relationship ended must be in the past");
                }
            }
        }
        "addresses" => addresses(a, today, &mut errors),
        "history" => {
            for (i, it) in filled_items(a, "applications") {
                let k = key(&format!("applications[{i}]"), "when");
                not_future_month(&mut errors, &it, "when", &k, "When you applied");
            }
        }
        "referees" => referees(a, ctx, &mut errors),
        "fostering" => {
            let from = answers::number(text(a, "age_from"), 0, 17);
            let to = answers::number(text(a, "age_to"), 0, 18);
            if let (Some(from), Some(to)) = (from, to) {
                if to < from {
                    errors.add(
                        "age_to",
                        "The oldest age must be the same as or more than the youngest",
                    );
                }
            }
        }
        _ => {}
    }
    errors
}

/// The 10-year rule: the addresses, current and previous, must go back to the month 10 years
/// before this one; every previous address must have been moved into before the current one.
fn addresses(a: &Answers, today: NaiveDate, errors: &mut FieldErrors) {
    let this_month = first_of_month(today);
    let current = filled_items(a, "current")
        .first()
        .and_then(|(_, it)| parsed_month(it, "moved_in"));
    if current.is_some_and(|d| d > this_month) {
        errors.add(
            "current[0][moved_in]",
            "When you moved in must be this month or in the past",
        );
        return;
    }
    let previous: Vec<(usize, NaiveDate)> = filled_items(a, "previous")
        .iter()
        .filter_map(|(i, it)| parsed_month(it, "moved_in").map(|d| (*i, d)))
        .collect();
    if let Some(current) = current {
        for (i, d) in &previous {
            if *d >= current {
                errors.add(
                    &format!("previous[{i}][moved_in]"),
                    "You must have moved into a previous address before you moved into your current one",
                );
            }
        }
    }
    let Some(earliest) = previous.iter().map(|(_, d)| *d).chain(current).min() else {
        return;
    };
    let reach = ten_years_back(today);
    if earliest > reach {
        errors.add(
            "previous",
            format!(
                "Give every address you have lived at in the last 10 years: your addresses must go back to {} or earlier, and they go back to {}",
                month_year(reach),
                month_year(earliest)
            ),
        );
    }
}

fn referees(a: &Answers, ctx: &RuleContext, errors: &mut FieldErrors) {
    let personal_needed = ctx.personal_referees.max(2) as usize;
    let years = ctx.referee_years;
    let list = filled_items(a, "referees");
    let mut family = 0;
    let mut personal = 0;
    for (i, it) in &list {
        match text(it, "kind") {
            "family" => family += 1,
            "personal" => {
                let known = answers::number(text(it, "years_known"), 0, 99);
                match known {
                    Some(n) if n < years => errors.add(
                        &format!("referees[{i}][years_known]"),
                        format!("A referee who is not related to you must have known you for at least {years} years"),
                    ),
                    Some(_) => personal += 1,
                    None => {}
                }
            }
            _ => {}
        }
    }
    if list.is_empty() {
        return;
    }
    if personal < personal_needed {
        errors.add(
            "referees",
            format!(
                "Add at least {personal_needed} referees who are not related to you and have known you for at least {years} years"
            ),
        );
    } else if family < ctx.family_referees as usize {
        let n = ctx.family_referees;
        errors.add(
            "referees",
            format!(
                "Add at least {n} referee{} from your family",
                if n == 1 { "" } else { "s" }
            ),
        );
    }
}

/// Where a section has got to from its saved answers.
pub fn progress(section: &Section, saved: Option<&Answers>, ctx: &RuleContext) -> Progress {
    match saved {
        None => Progress::NotStarted,
        Some(a) if answers::is_blank(a) => Progress::NotStarted,
        Some(a) if problems(section, a, ctx).is_empty() => Progress::Completed,
        Some(_) => Progress::InProgress,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::applications::sections::section;
    use serde_json::json;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn a(v: serde_json::Value) -> Answers {
        v.as_object().unwrap().clone()
    }

    fn dob(d: NaiveDate) -> serde_json::Value {
        json!({"day": d.format("%-d").to_string(), "month": d.format("%-m").to_string(), "year": d.format("%Y").to_string()})
    }

    fn about_you(birth: NaiveDate) -> Answers {
        a(json!({
            "first_name": "Siân", "last_name": "O'Brien", "dob": dob(birth),
            "other_names_used": "no", "country_of_birth": "Wales", "nationality": "British",
            "ethnicity": "white_british", "gender": "female", "religion": "none",
            "ni_number": "ab 12 34 56 c", "phone": "07700 900982", "email": "sian@example.com",
        }))
    }

    #[test]
    fn an_applicant_turning_the_minimum_age_today_may_apply_and_one_a_day_younger_may_not() {
        let s = section("about-you").unwrap();
        let ctx = RuleContext::new(day(2026, 11, 28));
        assert!(problems(s, &about_you(day(2005, 11, 28)), &ctx).is_empty());
        let young = problems(s, &about_you(day(2005, 11, 29)), &ctx);
        assert_eq!(
            young.get("dob"),
            Some("You must be 21 or older to apply to foster with us")
        );
        // A council that accepts 18-year-olds.
        let ctx18 = RuleContext { min_age: 18, ..ctx };
        assert!(problems(s, &about_you(day(2008, 11, 28)), &ctx18).is_empty());
        assert!(!problems(s, &about_you(day(2008, 11, 29)), &ctx18).is_empty());
    }

    #[test]
    fn a_leap_day_birthday_comes_of_age_on_the_first_of_march_in_a_common_year() {
        assert_eq!(age_on(day(2004, 2, 29), day(2025, 2, 28)), 20);
        assert_eq!(age_on(day(2004, 2, 29), day(2025, 3, 1)), 21);
        assert_eq!(age_on(day(2004, 2, 29), day(2028, 2, 29)), 24);
        let s = section("about-you").unwrap();
        assert!(!problems(
            s,
            &about_you(day(2004, 2, 29)),
            &RuleContext::new(day(2025, 2, 28))
        )
        .is_empty());
        assert!(problems(
            s,
            &about_you(day(2004, 2, 29)),
            &RuleContext::new(day(2025, 3, 1))
        )
        .is_empty());
    }

    #[test]
    fn a_date_of_birth_in_the_future_or_impossible_is_refused() {
        let s = section("about-you").unwrap();
        let ctx = RuleContext::new(day(2026, 11, 28));
        let future = problems(s, &about_you(day(2026, 11, 29)), &ctx);
        assert_eq!(future.get("dob"), Some("Date of birth must be in the past"));
        let mut bad = about_you(day(1990, 1, 1));
        bad.insert(
            "dob".into(),
            json!({"day": "29", "month": "2", "year": "2001"}),
        );
        assert_eq!(
            problems(s, &bad, &ctx).get("dob"),
            Some("Date of birth must be a real date")
        );
    }

    #[test]
    fn national_insurance_numbers_follow_hmrc_s_format() {
        assert_eq!(
            answers::ni_number("jk 12 34 56 c").as_deref(),
            Some("JK123456C")
        );
        // GOV.UK's example number is never issued (no number starts with Q).
        assert!(answers::ni_number("QQ 12 34 56 C").is_none());
        assert_eq!(
            answers::ni_number("AB123456D").as_deref(),
            Some("AB123456D")
        );
        for bad in [
            "QQ123456E",
            "DA123456A",
            "AO123456A",
            "GB123456A",
            "QQ12345C",
            "QQ1234567C",
            "12QQ3456C",
        ] {
            assert!(answers::ni_number(bad).is_none(), "{bad}");
        }
    }

    fn address(moved_in: (&str, &str)) -> serde_json::Value {
        json!({"line1": "1 Rue de la Paix", "town": "Paris", "country": "France", "moved_in": {"month": moved_in.0, "year": moved_in.1}})
    }

    #[test]
    fn addresses_must_reach_back_ten_years_to_the_month_and_the_message_names_it() {
        let s = section("addresses").unwrap();
        let ctx = RuleContext::new(day(2026, 11, 28));
        let exactly = a(json!({"current": [address(("11", "2016"))]}));
        assert!(
            problems(s, &exactly, &ctx).is_empty(),
            "{:?}",
            problems(s, &exactly, &ctx)
        );
        let short = a(json!({"current": [address(("12", "2016"))]}));
        let p = problems(s, &short, &ctx);
        let m = p.get("previous").unwrap();
        assert!(
            m.contains("10 years") && m.contains("November 2016") && m.contains("December 2016"),
            "{m}"
        );
        // A previous address completes the history.
        let with_previous =
            a(json!({"current": [address(("3", "2020"))], "previous": [address(("1", "2010"))]}));
        assert!(problems(s, &with_previous, &ctx).is_empty());
        // On 29 February the rule reaches back to February ten years before.
        assert_eq!(ten_years_back(day(2028, 2, 29)), day(2018, 2, 1));
        assert_eq!(ten_years_back(day(2027, 1, 31)), day(2017, 1, 1));
    }

    #[test]
    fn a_previous_address_must_come_before_the_current_one_and_postcodes_are_optional() {
        let s = section("addresses").unwrap();
        let ctx = RuleContext::new(day(2026, 11, 28));
        let wrong = a(
            json!({"current": [address(("3", "2020"))], "previous": [address(("4", "2021")), address(("1", "2010"))]}),
        );
        let p = problems(s, &wrong, &ctx);
        assert!(p.get("previous[0][moved_in]").is_some());
        assert!(p.get("current[0][postcode]").is_none());
        let future = a(json!({"current": [address(("1", "2027"))]}));
        assert!(problems(s, &future, &ctx)
            .get("current[0][moved_in]")
            .is_some());
    }

    fn referee(kind: &str, years: &str) -> serde_json::Value {
        json!({"kind": kind, "name": "Jo Bloggs", "relationship": "Friend", "years_known": years,
               "email": "jo@example.com", "phone": "07700 900123", "address": "1 High St"})
    }

    #[test]
    fn referees_need_one_family_and_two_unrelated_who_have_known_the_household_two_years() {
        let s = section("referees").unwrap();
        let ctx = RuleContext::new(day(2026, 11, 28));
        let ok = a(
            json!({"referees": [referee("family", "30"), referee("personal", "2"), referee("personal", "15")]}),
        );
        assert!(problems(s, &ok, &ctx).is_empty());
        let one_personal =
            a(json!({"referees": [referee("family", "30"), referee("personal", "5")]}));
        assert!(problems(s, &one_personal, &ctx)
            .get("referees")
            .unwrap()
            .contains("at least 2"));
        let too_new = a(
            json!({"referees": [referee("family", "30"), referee("personal", "1"), referee("personal", "5")]}),
        );
        assert!(problems(s, &too_new, &ctx)
            .get("referees[1][years_known]")
            .is_some());
        let no_family =
            a(json!({"referees": [referee("personal", "3"), referee("personal", "5")]}));
        assert_eq!(
            problems(s, &no_family, &ctx).get("referees"),
            Some("Add at least 1 referee from your family")
        );
        // A council asking for fewer than two personal referees still gets two.
        let lax = RuleContext {
            personal_referees: 1,
            family_referees: 0,
            ..ctx
        };
        let single = a(json!({"referees": [referee("personal", "5")]}));
        assert!(problems(s, &single, &lax).get("referees").is_some());
        // A council asking for three years.
        let strict = RuleContext {
            referee_years: 3,
            ..ctx
        };
        assert!(!problems(s, &ok, &strict).is_empty());
    }

    #[test]
    fn adults_in_the_household_need_their_own_email_and_children_a_school() {
        let s = section("household").unwrap();
        let ctx = RuleContext::new(day(2026, 11, 28));
        let person = |born: NaiveDate, email: &str, school: &str| {
            json!({
            "first_name": "Zoë", "last_name": "Ng", "dob": dob(born), "gender": "female",
            "relationship": "daughter", "email": email, "school": school })
        };
        let turned_18_today =
            a(json!({"anyone_else": "yes", "people": [person(day(2008, 11, 28), "", "")]}));
        let p = problems(s, &turned_18_today, &ctx);
        assert!(p.get("people[0][email]").unwrap().contains("Zoë"));
        let child = a(json!({"anyone_else": "yes", "people": [person(day(2008, 11, 29), "", "")]}));
        let p = problems(s, &child, &ctx);
        assert!(p.get("people[0][email]").is_none() && p.get("people[0][school]").is_some());
        let none = a(json!({"anyone_else": "no"}));
        assert!(problems(s, &none, &ctx).is_empty());
        let nine: Vec<_> = (0..9)
            .map(|_| person(day(2010, 1, 1), "", "Park School"))
            .collect();
        let too_many = a(json!({"anyone_else": "yes", "people": nine}));
        assert!(problems(s, &too_many, &ctx)
            .get("people")
            .unwrap()
            .contains("up to 8"));
    }

    #[test]
    fn a_child_living_elsewhere_must_match_the_age_group_chosen() {
        let s = section("children-elsewhere").unwrap();
        let ctx = RuleContext::new(day(2026, 11, 28));
        let child = |born: NaiveDate, group: &str| {
            a(json!({"any": "yes", "children": [{
            "first_name": "Ana", "last_name": "Silva", "gender": "female", "dob": dob(born),
            "age_group": group, "line1": "Rua 1", "town": "Lisboa", "country": "Portugal"}]}))
        };
        assert!(problems(s, &child(day(2008, 11, 28), "adult"), &ctx).is_empty());
        assert!(problems(s, &child(day(2008, 11, 28), "under_18"), &ctx)
            .get("children[0][age_group]")
            .is_some());
        assert!(problems(s, &child(day(2008, 11, 29), "under_18"), &ctx).is_empty());
        assert!(problems(s, &child(day(2008, 11, 29), "adult"), &ctx)
            .get("children[0][age_group]")
            .is_some());
    }

    #[test]
    fn dates_that_must_be_past_accept_today_and_this_month_and_refuse_tomorrow() {
        let ctx = RuleContext::new(day(2026, 11, 28));
        let rel = section("relationship").unwrap();
        let married = |d: NaiveDate| a(json!({"status": "married", "since": dob(d)}));
        assert!(problems(rel, &married(day(2026, 11, 28)), &ctx).is_empty());
        assert!(problems(rel, &married(day(2026, 11, 29)), &ctx)
            .get("since")
            .is_some());
        let partners = section("previous-partners").unwrap();
        let ended = |m: &str, y: &str| {
            a(
                json!({"any": "yes", "partners": [{"name": "Sam", "ended": {"month": m, "year": y}}]}),
            )
        };
        assert!(problems(partners, &ended("11", "2026"), &ctx).is_empty());
        assert!(problems(partners, &ended("12", "2026"), &ctx)
            .get("partners[0][ended]")
            .is_some());
    }

    #[test]
    fn a_draft_may_be_empty_but_a_completed_section_needs_every_needed_answer() {
        let s = section("home").unwrap();
        let ctx = RuleContext::new(day(2026, 11, 28));
        assert_eq!(progress(s, None, &ctx), Progress::NotStarted);
        assert_eq!(
            progress(s, Some(&Answers::new()), &ctx),
            Progress::NotStarted
        );
        let part = a(json!({"spare_bedroom": "yes", "tenure": "private"}));
        assert_eq!(progress(s, Some(&part), &ctx), Progress::InProgress);
        let p = problems(s, &part, &ctx);
        assert_eq!(p.get("landlord_name"), Some("Enter your landlord's name"));
        let owned = a(json!({"spare_bedroom": "yes", "tenure": "owned", "pets": "no"}));
        assert_eq!(progress(s, Some(&owned), &ctx), Progress::Completed);
    }

    #[test]
    fn cleaning_keeps_only_the_section_s_fields_and_drops_answers_to_hidden_questions() {
        let s = section("home").unwrap();
        let posted = a(json!({
            "spare_bedroom": " yes ", "tenure": "owned", "landlord_name": "Stale", "pets": "no",
            "__form": "/api/application/save", "evil": "<script>", "pets_details": "a cat",
        }));
        let c = answers::clean(s.fields, &posted);
        assert_eq!(
            c,
            a(json!({"spare_bedroom": "yes", "tenure": "owned", "pets": "no"}))
        );
    }

    #[test]
    fn hostile_answers_stop_a_save_with_a_message() {
        let s = section("fostering").unwrap();
        let mut e = FieldErrors::default();
        answers::check_format(
            s.fields,
            &a(
                json!({"types": ["long_term", "<x>"], "how_many": "99", "age_from": "-1", "why": "é".repeat(2001)}),
            ),
            "",
            &mut e,
        );
        assert!(
            e.get("types").is_some() && e.get("how_many").is_some() && e.get("age_from").is_some()
        );
        assert_eq!(e.get("why"), Some("The answer to \u{201c}Why do you want to foster?\u{201d} must be 2000 characters or fewer"));
        let mut ok = FieldErrors::default();
        answers::check_format(s.fields, &a(json!({"why": "é".repeat(2000)})), "", &mut ok);
        assert!(ok.is_empty());
    }

    #[test]
    fn a_household_withdraws_with_enquiry_codes_before_sending_and_ofsted_s_codes_after() {
        assert!(check_withdrawal(false, "EQ-07", "").is_empty());
        assert!(check_withdrawal(false, "AW1", "").get("reason").is_some());
        assert!(check_withdrawal(true, "AW1", "").is_empty());
        assert!(check_withdrawal(true, "EQ-07", "").get("reason").is_some());
        assert_eq!(
            check_withdrawal(false, "EQ-99", " ").get("note"),
            Some("Tell us the reason in a few words")
        );
        let codes: Vec<&str> = household_reasons(true).iter().map(|(c, _)| *c).collect();
        let ofsted: Vec<&str> = crate::enquiries::lifecycle::WITHDRAWAL_REASONS
            .iter()
            .map(|(c, _)| *c)
            .collect();
        assert_eq!(codes, ofsted, "every Ofsted code, in Ofsted's order");
    }

    #[test]
    fn every_section_has_a_missing_message_for_each_needed_question() {
        fn walk(fields: &[crate::applications::spec::Field]) {
            for f in fields {
                assert!(!f.need.required() || !f.missing.is_empty(), "{}", f.name);
                if let crate::applications::spec::Kind::Group { fields, .. } = f.kind {
                    walk(fields);
                }
            }
        }
        for s in crate::applications::sections::SECTIONS {
            walk(s.fields);
        }
    }
}
