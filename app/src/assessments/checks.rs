//! The statutory checks an assessment starts with, generated from the application the household
//! sent: a pure function of its answers, the day it was received and a postcode-to-council
//! lookup, so every rule and every edge is tested here (no database, nothing async).
//!
//! The checks are those of the domain's "Statutory checks" list (Fostering Services (England)
//! Regulations 2011 reg 26, NMS 2011, council practice). Each rule reads the application's own
//! questions, as declared in `applications::sections`; a rule whose answer the application does
//! not ask is left out with a comment saying so.

use crate::applications::answers::{date, email_ok, is_blank, items, text, Answers};
use crate::applications::rules::{age_on, month_year};
use crate::enquiries::rules::normalise_postcode;
use crate::ui::{parse_date, parse_month_year};
use chrono::{Datelike, Months, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// One stored section's answers: (section code, applicant 0/1/2, answers).
pub type SectionAnswers = (String, i16, Answers);

/// A kind of statutory check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum CheckKind {
    Dbs,
    LocalAuthority,
    Overseas,
    Medical,
    PreviousPartner,
    AdultChild,
    School,
    Employer,
    PreviousFosteringService,
    ArmedForces,
    Ofsted,
    HomeSafety,
    Pet,
    LandlordConsent,
    PersonalReference,
}

impl CheckKind {
    /// Every kind, in the order checks are listed.
    pub const ALL: [CheckKind; 15] = [
        CheckKind::Dbs,
        CheckKind::LocalAuthority,
        CheckKind::Overseas,
        CheckKind::Medical,
        CheckKind::PreviousPartner,
        CheckKind::AdultChild,
        CheckKind::School,
        CheckKind::Employer,
        CheckKind::PreviousFosteringService,
        CheckKind::ArmedForces,
        CheckKind::Ofsted,
        CheckKind::HomeSafety,
        CheckKind::Pet,
        CheckKind::LandlordConsent,
        CheckKind::PersonalReference,
    ];

    /// The stable code stored in the database. Never change one: stored rows hold it.
    pub fn code(self) -> &'static str {
        match self {
            CheckKind::Dbs => "dbs",
            CheckKind::LocalAuthority => "local_authority",
            CheckKind::Overseas => "overseas",
            CheckKind::Medical => "medical",
            CheckKind::PreviousPartner => "previous_partner",
            CheckKind::AdultChild => "adult_child",
            CheckKind::School => "school",
            CheckKind::Employer => "employer",
            CheckKind::PreviousFosteringService => "previous_fostering_service",
            CheckKind::ArmedForces => "armed_forces",
            CheckKind::Ofsted => "ofsted",
            CheckKind::HomeSafety => "home_safety",
            CheckKind::Pet => "pet",
            CheckKind::LandlordConsent => "landlord_consent",
            CheckKind::PersonalReference => "personal_reference",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// What staff read.
    pub fn label(self) -> &'static str {
        match self {
            CheckKind::Dbs => "Enhanced DBS check",
            CheckKind::LocalAuthority => "Local authority check",
            CheckKind::Overseas => "Overseas check",
            CheckKind::Medical => "Medical",
            CheckKind::PreviousPartner => "Previous partner reference",
            CheckKind::AdultChild => "Adult child living elsewhere",
            CheckKind::School => "School check",
            CheckKind::Employer => "Employer reference",
            CheckKind::PreviousFosteringService => "Previous fostering service reference",
            CheckKind::ArmedForces => "Armed forces check",
            CheckKind::Ofsted => "Ofsted check",
            CheckKind::HomeSafety => "Home safety check and risk assessment",
            CheckKind::Pet => "Pet assessment",
            CheckKind::LandlordConsent => "Landlord consent",
            CheckKind::PersonalReference => "Personal reference",
        }
    }

    /// The stage a check belongs to by default (staff may move one).
    ///
    /// Stage 1 (reg 26(1A) and Schedule 3 part 1): the statutory enquiries and information about
    /// the household that decide whether an assessment goes on: DBS, local authority and overseas
    /// checks, the medical, the personal referees (interviewed), and a reference from any
    /// fostering service that approved the applicant in the last 12 months. Councils also
    /// commonly make the other enquiries about people and records in Stage 1, because what they
    /// find can end an assessment early: Ofsted, employers, previous partners, adult children
    /// and schools.
    ///
    /// Stage 2: what the assessor judges during the home visits that make up the assessment
    /// itself: the home safety check and risk assessment, pets, the landlord's consent, and the
    /// armed forces history (a record the assessor reads with the applicant, not a safeguarding
    /// check that could stop Stage 1).
    pub fn default_stage(self) -> i16 {
        match self {
            CheckKind::Dbs
            | CheckKind::LocalAuthority
            | CheckKind::Overseas
            | CheckKind::Medical
            | CheckKind::PersonalReference
            | CheckKind::PreviousFosteringService
            | CheckKind::Ofsted
            | CheckKind::Employer
            | CheckKind::PreviousPartner
            | CheckKind::AdultChild
            | CheckKind::School => 1,
            CheckKind::HomeSafety
            | CheckKind::Pet
            | CheckKind::LandlordConsent
            | CheckKind::ArmedForces => 2,
        }
    }

    /// Calendar days after a request before it is chased: the time the body asked usually
    /// takes (a DBS check about four weeks; councils answer in about 15 working days (three
    /// weeks); a GP's report about four weeks; referees, schools and employers two weeks;
    /// overseas authorities and the armed forces' records longer).
    pub fn default_chase_days(self) -> i32 {
        match self {
            CheckKind::Dbs => 28,
            CheckKind::LocalAuthority => 15,
            CheckKind::Overseas => 42,
            CheckKind::Medical => 28,
            CheckKind::PreviousPartner => 14,
            CheckKind::AdultChild => 14,
            CheckKind::School => 14,
            CheckKind::Employer => 14,
            CheckKind::PreviousFosteringService => 14,
            CheckKind::ArmedForces => 42,
            CheckKind::Ofsted => 15,
            CheckKind::HomeSafety => 28,
            CheckKind::Pet => 28,
            CheckKind::LandlordConsent => 21,
            CheckKind::PersonalReference => 14,
        }
    }

    /// May be added to a case by hand: every kind but the Ofsted check, which each case has once.
    pub fn added_by_hand(self) -> bool {
        self != CheckKind::Ofsted
    }

    fn position(self) -> usize {
        Self::ALL
            .iter()
            .position(|k| *k == self)
            .expect("every kind is in ALL")
    }
}

/// One check to make.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CheckSpec {
    pub kind: CheckKind,
    /// Who or what it is about, in words shown to staff: "Sam Jones", "Portsmouth City Council (Sam Jones)", "Pets"...
    pub subject: String,
    /// The applicant (1 or 2) it belongs to, where it belongs to one.
    pub applicant: Option<i16>,
    /// An email address to send a link or request to, where the application gave one (DBS for household adults, referees, employer).
    pub email: Option<String>,
    /// Extra words (e.g. "Overseas: France, March 2015 to June 2018", the GP practice for a medical).
    pub detail: Option<String>,
}

/// The checks an application needs, in a fixed order: by kind (as in [`CheckKind::ALL`]), then
/// applicant (1, 2, then the household's), then subject.
///
/// `received_on`: the date the application was submitted (London date): ages (18 or over) and
/// the 10-year address window count back from it.
/// `council_of`: the council (display name) for a UK postcode (as `PO1 2AB`), or None when
/// unknown.
pub fn generate(
    sections: &[SectionAnswers],
    received_on: NaiveDate,
    council_of: &dyn Fn(&str) -> Option<String>,
) -> Vec<CheckSpec> {
    let app = Application::new(sections);
    let mut out = Vec::new();
    dbs(&app, received_on, &mut out);
    councils(&app, received_on, council_of, &mut out);
    medicals(&app, &mut out);
    previous_partners(&app, &mut out);
    adult_children(&app, received_on, &mut out);
    schools(&app, received_on, &mut out);
    employers(&app, &mut out);
    history(&app, &mut out);
    household(&app, &mut out);
    referees(&app, &mut out);
    out.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    out.dedup();
    out
}

type OrderKey<'a> = (usize, i16, &'a str, Option<&'a str>, Option<&'a str>);

fn order_key(c: &CheckSpec) -> OrderKey<'_> {
    (
        c.kind.position(),
        // The household's own checks (no applicant) after the applicants'.
        c.applicant.unwrap_or(i16::MAX),
        &c.subject,
        c.detail.as_deref(),
        c.email.as_deref(),
    )
}

/// An applicant as the carer register records them on approval.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicantFacts {
    pub name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// The applicants, in order, from their "about you" answers.
pub fn applicants(sections: &[SectionAnswers]) -> Vec<ApplicantFacts> {
    let app = Application::new(sections);
    app.applicants
        .iter()
        .map(|&n| {
            let about = app.answers("about-you", n);
            ApplicantFacts {
                name: app.name(n),
                date_of_birth: about.and_then(|a| day_of(a, "dob")),
                email: about.and_then(|a| email(a, "email")),
                phone: about.and_then(|a| some(words(a, "phone"))),
            }
        })
        .collect()
}

/// The household's home postcode (applicant 1's current address, or the next applicant's),
/// normalised, where the application gives one that reads as a postcode.
pub fn home_postcode(sections: &[SectionAnswers]) -> Option<String> {
    let app = Application::new(sections);
    app.applicants.iter().find_map(|&n| {
        let a = app.answers("addresses", n)?;
        let it = filled(a, "current").into_iter().next()?;
        normalise_postcode(text(&it, "postcode"))
    })
}

/// The application's answers, by section and applicant.
struct Application<'a> {
    sections: &'a [SectionAnswers],
    /// The applicants (1, or 1 and 2): everyone with answers of their own.
    applicants: Vec<i16>,
}

impl<'a> Application<'a> {
    fn new(sections: &'a [SectionAnswers]) -> Self {
        let applicants: BTreeSet<i16> = sections
            .iter()
            .map(|(_, n, _)| *n)
            .filter(|n| *n > 0)
            .collect();
        Application {
            sections,
            applicants: applicants.into_iter().collect(),
        }
    }

    fn answers(&self, code: &str, applicant: i16) -> Option<&'a Answers> {
        self.sections
            .iter()
            .find(|(c, n, _)| c == code && *n == applicant)
            .map(|(_, _, a)| a)
    }

    /// The household's answers to a shared section.
    fn shared(&self, code: &str) -> Option<&'a Answers> {
        self.answers(code, 0)
    }

    /// An applicant's name, or "Applicant 2" when they have not given it.
    fn name(&self, applicant: i16) -> String {
        self.answers("about-you", applicant)
            .map(full_name)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("Applicant {applicant}"))
    }

    /// "Sam Jones and Alex Jones".
    fn household_name(&self) -> String {
        if self.applicants.is_empty() {
            return "The household".to_string();
        }
        let names: Vec<String> = self.applicants.iter().map(|n| self.name(*n)).collect();
        names.join(" and ")
    }
}

/// A text answer trimmed, with runs of spaces made one.
fn words(a: &Answers, name: &str) -> String {
    text(a, name)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn some(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn full_name(a: &Answers) -> String {
    [words(a, "first_name"), words(a, "last_name")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An email address, when the answer is one.
fn email(a: &Answers, name: &str) -> Option<String> {
    let e = text(a, name).trim();
    email_ok(e).then(|| e.to_string())
}

fn day_of(a: &Answers, name: &str) -> Option<NaiveDate> {
    parse_date("Date", &date(a, name)).ok()
}

/// A month and year, as the first of that month.
fn month_of(a: &Answers, name: &str) -> Option<NaiveDate> {
    parse_month_year("Date", &date(a, name)).ok()
}

/// The filled-in items of a group.
fn filled(a: &Answers, name: &str) -> Vec<Answers> {
    items(a, name)
        .into_iter()
        .filter(|i| !is_blank(i))
        .collect()
}

/// A group's items, only when the question that reveals it was answered `value` (as the form
/// shows and keeps it).
fn revealed(a: &Answers, question: &str, value: &str, group: &str) -> Vec<Answers> {
    if text(a, question) == value {
        filled(a, group)
    } else {
        Vec::new()
    }
}

fn joined(parts: &[&str], sep: &str) -> String {
    parts
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

fn dbs(app: &Application, received_on: NaiveDate, out: &mut Vec<CheckSpec>) {
    // Every applicant, whatever their age (the application itself requires 21, or the
    // council's minimum, so an applicant is always an adult).
    for &n in &app.applicants {
        out.push(CheckSpec {
            kind: CheckKind::Dbs,
            subject: app.name(n),
            applicant: Some(n),
            email: app.answers("about-you", n).and_then(|a| email(a, "email")),
            detail: None,
        });
    }
    // Everyone else in the household ("household": `people`, shown when `anyone_else` is yes)
    // who is 18 or over on the day the application was received.
    let Some(h) = app.shared("household") else {
        return;
    };
    for p in revealed(h, "anyone_else", "yes", "people") {
        let relationship = words(&p, "relationship");
        let lives = if relationship.is_empty() {
            "Lives in the household".to_string()
        } else {
            format!("Lives in the household ({relationship})")
        };
        let detail = match day_of(&p, "dob") {
            Some(dob) if age_on(dob, received_on) >= 18 => lives,
            Some(_) => continue,
            // Not in a sent application (its date of birth is needed), but if it happens, the
            // assessor decides rather than the check being silently left out.
            None => format!("{lives}. Date of birth not given: check whether they are 18 or over"),
        };
        out.push(CheckSpec {
            kind: CheckKind::Dbs,
            subject: some(full_name(&p)).unwrap_or_else(|| "Household member".to_string()),
            applicant: None,
            email: email(&p, "email"),
            detail: Some(detail),
        });
    }
}

/// One address from the history ("addresses": `current` and `previous`).
struct Address {
    line1: String,
    town: String,
    country: String,
    postcode: String,
    moved_in: Option<NaiveDate>,
    current: bool,
}

/// Until when someone lived at an address.
#[derive(Clone, Copy)]
enum Until {
    Now,
    /// They moved out during this month (its first day).
    Month(NaiveDate),
    /// We cannot tell (a date not given).
    Unknown,
}

/// Where an address is, for the checks.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Council(String),
    /// In the UK, but the council is not known: the postcode, or the address when it has none.
    UnknownCouncil(String),
    Overseas(String),
}

fn addresses(a: &Answers) -> Vec<Address> {
    let read = |it: &Answers, current: bool| Address {
        line1: words(it, "line1"),
        town: words(it, "town"),
        country: words(it, "country"),
        postcode: words(it, "postcode"),
        moved_in: month_of(it, "moved_in"),
        current,
    };
    let mut all: Vec<Address> = filled(a, "current")
        .iter()
        .map(|it| read(it, true))
        .collect();
    all.extend(filled(a, "previous").iter().map(|it| read(it, false)));
    all
}

/// Until when the person lived at `all[i]`: the current address until now; a previous one
/// until the next address they moved into.
fn until(all: &[Address], i: usize) -> Until {
    let a = &all[i];
    if a.current {
        return Until::Now;
    }
    let Some(from) = a.moved_in else {
        return Until::Unknown;
    };
    all.iter()
        .filter_map(|b| b.moved_in)
        .filter(|d| *d > from)
        .min()
        .map_or(Until::Unknown, Until::Month)
}

fn last_day_of_month(first: NaiveDate) -> NaiveDate {
    first
        .with_day(1)
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first)
}

/// The first day of the 10 years before `received_on`: the same day 10 years before, clamped
/// to the month's end (29 February 2028 reaches back to 28 February 2018).
pub fn ten_year_window_start(received_on: NaiveDate) -> NaiveDate {
    received_on
        .checked_sub_months(Months::new(120))
        .unwrap_or(NaiveDate::MIN)
}

/// Whether the person lived at the address at any time in the window. A move is known only to
/// the month, so someone may have lived at the address they left until that month's last day:
/// it counts when that day is in the window (a missing check is worse than a spare one). An
/// address we cannot place in time counts.
fn in_window(until: Until, window_start: NaiveDate) -> bool {
    match until {
        Until::Month(m) => last_day_of_month(m) >= window_start,
        Until::Now | Until::Unknown => true,
    }
}

/// "France", "United Kingdom" as typed, compared without case, dots or a leading "the".
fn country_key(country: &str) -> String {
    let s = country.to_lowercase().replace('.', "");
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    s.strip_prefix("the ").map(str::to_string).unwrap_or(s)
}

/// Whether a typed country is the United Kingdom (or one of its nations). The Channel Islands
/// and the Isle of Man are not: their own authorities are asked, as overseas.
fn is_uk(country: &str) -> bool {
    matches!(
        country_key(country).as_str(),
        "uk" | "united kingdom"
            | "united kingdom of great britain and northern ireland"
            | "great britain"
            | "britain"
            | "gb"
            | "england"
            | "scotland"
            | "wales"
            | "cymru"
            | "northern ireland"
    )
}

fn place(a: &Address, council_of: &dyn Fn(&str) -> Option<String>) -> Place {
    let postcode = normalise_postcode(&a.postcode);
    let council = postcode.as_deref().and_then(council_of);
    // A postcode the lookup knows is in the UK whatever the country box says (a typo in it);
    // a UK-shaped postcode with no country given is taken as the UK too.
    let uk = is_uk(&a.country) || council.is_some() || (a.country.is_empty() && postcode.is_some());
    match (uk, council, postcode) {
        (true, Some(c), _) => Place::Council(c),
        (true, None, Some(p)) => Place::UnknownCouncil(p),
        (true, None, None) => Place::UnknownCouncil(joined(&[&a.line1, &a.town], ", ")),
        (false, ..) => Place::Overseas(if a.country.is_empty() {
            "Country not given".to_string()
        } else {
            a.country.clone()
        }),
    }
}

/// "March 2015 to now".
fn period(from: Option<NaiveDate>, until: Until) -> String {
    let to = match until {
        Until::Now => "now".to_string(),
        Until::Month(m) => month_year(m),
        Until::Unknown => "a date not given".to_string(),
    };
    match from {
        Some(f) => format!("{} to {to}", month_year(f)),
        None => "dates not given".to_string(),
    }
}

/// A time someone lived at an address: when they moved in (to sort by) and its words.
type Spell = (Option<NaiveDate>, String);

fn councils(
    app: &Application,
    received_on: NaiveDate,
    council_of: &dyn Fn(&str) -> Option<String>,
    out: &mut Vec<CheckSpec>,
) {
    let window_start = ten_year_window_start(received_on);
    for &n in &app.applicants {
        let Some(a) = app.answers("addresses", n) else {
            continue;
        };
        let name = app.name(n);
        let all = addresses(a);
        // The places lived in within the window, each with its spells (oldest first).
        let mut places: BTreeMap<String, (Place, Vec<Spell>)> = BTreeMap::new();
        for (i, addr) in all.iter().enumerate() {
            let until = until(&all, i);
            if !in_window(until, window_start) {
                continue;
            }
            let p = place(addr, council_of);
            let key = match &p {
                Place::Council(c) => format!("c:{}", c.to_lowercase()),
                Place::UnknownCouncil(w) => format!("u:{}", w.to_lowercase()),
                Place::Overseas(c) => format!("o:{}", country_key(c)),
            };
            let spell = match &p {
                Place::Overseas(_) => period(addr.moved_in, until),
                _ => {
                    let pc = normalise_postcode(&addr.postcode);
                    let at = pc.unwrap_or_else(|| joined(&[&addr.line1, &addr.town], ", "));
                    format!("{at}, {}", period(addr.moved_in, until))
                }
            };
            places
                .entry(key)
                .or_insert_with(|| (p, Vec::new()))
                .1
                .push((addr.moved_in, spell));
        }
        for (_, (p, mut spells)) in places {
            // Oldest first; a spell without a date last.
            spells.sort_by_key(|(d, _)| (d.is_none(), *d));
            let spells: Vec<String> = spells.into_iter().map(|(_, s)| s).collect();
            let (kind, subject, detail) = match p {
                Place::Council(c) => (
                    CheckKind::LocalAuthority,
                    format!("{c} ({name})"),
                    spells.join("; "),
                ),
                Place::UnknownCouncil(w) => (
                    CheckKind::LocalAuthority,
                    format!("Council not known for {w} ({name})"),
                    spells.join("; "),
                ),
                Place::Overseas(c) => (
                    CheckKind::Overseas,
                    format!("{c} ({name})"),
                    format!("Overseas: {c}, {}", spells.join(" and ")),
                ),
            };
            out.push(CheckSpec {
                kind,
                subject,
                applicant: Some(n),
                email: None,
                detail: Some(detail),
            });
        }
    }
}

fn medicals(app: &Application, out: &mut Vec<CheckSpec>) {
    // "health": `gp_practice`, and `gp_name` beside it.
    for &n in &app.applicants {
        let detail = app.answers("health", n).and_then(|h| {
            let practice = words(h, "gp_practice");
            let gp = words(h, "gp_name");
            match (practice.is_empty(), gp.is_empty()) {
                (false, false) => Some(format!("{practice} (GP: {gp})")),
                (false, true) => Some(practice),
                (true, false) => Some(format!("GP: {gp}")),
                (true, true) => None,
            }
        });
        out.push(CheckSpec {
            kind: CheckKind::Medical,
            subject: app.name(n),
            applicant: Some(n),
            email: None,
            detail,
        });
    }
}

fn previous_partners(app: &Application, out: &mut Vec<CheckSpec>) {
    // "previous-partners": `partners` (shown when `any` is yes), each with `name`, `ended`
    // (month and year) and an optional free-text `contact` (used as the email when it is one).
    for &n in &app.applicants {
        let Some(a) = app.answers("previous-partners", n) else {
            continue;
        };
        let mut seen = BTreeSet::new();
        for p in revealed(a, "any", "yes", "partners") {
            let partner = words(&p, "name");
            if partner.is_empty() || !seen.insert(partner.to_lowercase()) {
                continue;
            }
            let contact = words(&p, "contact");
            let ended = month_of(&p, "ended").map(|d| format!("Ended {}", month_year(d)));
            let contact_words = (!contact.is_empty()).then(|| format!("contact: {contact}"));
            let detail = [ended, contact_words]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("; ");
            out.push(CheckSpec {
                kind: CheckKind::PreviousPartner,
                subject: partner,
                applicant: Some(n),
                email: email(&p, "contact"),
                detail: some(detail),
            });
        }
    }
}

fn adult_children(app: &Application, received_on: NaiveDate, out: &mut Vec<CheckSpec>) {
    // "children-elsewhere": `children` (shown when `any` is yes), each with `dob` and
    // `age_group` (read only when the date cannot be), and an address. The form asks no email.
    // A child both applicants name (the same name and date of birth) is one check for both.
    let mut seen: BTreeMap<(String, NaiveDate), usize> = BTreeMap::new();
    for &n in &app.applicants {
        let Some(a) = app.answers("children-elsewhere", n) else {
            continue;
        };
        for c in revealed(a, "any", "yes", "children") {
            let dob = day_of(&c, "dob");
            let adult = match dob {
                Some(d) => age_on(d, received_on) >= 18,
                None => text(&c, "age_group") == "adult",
            };
            if !adult {
                continue;
            }
            let child = some(full_name(&c)).unwrap_or_else(|| "Adult child".to_string());
            if let Some(d) = dob {
                let key = (child.to_lowercase(), d);
                if let Some(&i) = seen.get(&key) {
                    let shared: &mut CheckSpec = &mut out[i];
                    if shared.applicant.is_some_and(|m| m != n) {
                        shared.applicant = None;
                        shared.detail = Some(match shared.detail.take() {
                            Some(d) => format!("{d}. Named by both applicants"),
                            None => "Named by both applicants".to_string(),
                        });
                    }
                    continue;
                }
                seen.insert(key, out.len());
            }
            let postcode =
                normalise_postcode(text(&c, "postcode")).unwrap_or_else(|| words(&c, "postcode"));
            let address = joined(
                &[
                    &words(&c, "line1"),
                    &words(&c, "line2"),
                    &words(&c, "town"),
                    &words(&c, "county"),
                    &postcode,
                    &words(&c, "country"),
                ],
                ", ",
            );
            out.push(CheckSpec {
                kind: CheckKind::AdultChild,
                subject: child,
                applicant: Some(n),
                email: None,
                detail: some(address).map(|a| format!("Lives at {a}")),
            });
        }
    }
}

/// A school answer that names no school ("none", as the form invites for a child not at one).
fn no_school(s: &str) -> bool {
    let s = s.trim().trim_end_matches('.').to_lowercase();
    matches!(
        s.as_str(),
        "" | "none"
            | "no"
            | "n/a"
            | "na"
            | "nil"
            | "-"
            | "not applicable"
            | "not at school"
            | "not in school"
            | "not yet"
            | "no school"
            | "home educated"
            | "home schooled"
    )
}

fn schools(app: &Application, received_on: NaiveDate, out: &mut Vec<CheckSpec>) {
    // "household": `people`, each with `school` (asked of children under 18). The form asks no
    // school for the applicants' children who live elsewhere, so theirs are not checked here.
    let Some(h) = app.shared("household") else {
        return;
    };
    let mut by_school: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for p in revealed(h, "anyone_else", "yes", "people") {
        // A child: under 18 on the day received (or of unknown age, with a school named).
        if day_of(&p, "dob").is_some_and(|d| age_on(d, received_on) >= 18) {
            continue;
        }
        let school = words(&p, "school");
        if no_school(&school) {
            continue;
        }
        let pupils = &mut by_school
            .entry(school.to_lowercase())
            .or_insert_with(|| (school.clone(), Vec::new()))
            .1;
        let pupil = full_name(&p);
        if !pupil.is_empty() {
            pupils.push(pupil);
        }
    }
    for (_, (school, pupils)) in by_school {
        out.push(CheckSpec {
            kind: CheckKind::School,
            subject: school,
            applicant: None,
            email: None,
            detail: (!pupils.is_empty()).then(|| format!("For {}", pupils.join(", "))),
        });
    }
}

fn employers(app: &Application, out: &mut Vec<CheckSpec>) {
    // "work": `status` employed or self-employed (the form asks both for a referee at work: for
    // self-employed work a client or accountant), `employer`, `referee_name`, `referee_phone`,
    // `referee_email`. Past work with children (`with_children_details`) is free text with no
    // contact, so it is for the assessor to follow up, not a check of its own.
    for &n in &app.applicants {
        let Some(w) = app.answers("work", n) else {
            continue;
        };
        let status = text(w, "status");
        if status != "employed" && status != "self_employed" {
            continue;
        }
        let employer = some(words(w, "employer")).unwrap_or_else(|| "Employer".to_string());
        let referee = joined(
            &[&words(w, "referee_name"), &words(w, "referee_phone")],
            ", ",
        );
        let mut detail = Vec::new();
        if !referee.is_empty() {
            detail.push(format!("Referee: {referee}"));
        }
        if status == "self_employed" {
            detail.push("Self-employed: a client or accountant gives the reference".to_string());
        }
        out.push(CheckSpec {
            kind: CheckKind::Employer,
            subject: format!("{employer} ({})", app.name(n)),
            applicant: Some(n),
            email: email(w, "referee_email"),
            detail: some(detail.join("; ")),
        });
    }
}

fn history(app: &Application, out: &mut Vec<CheckSpec>) {
    for &n in &app.applicants {
        let Some(h) = app.answers("history", n) else {
            continue;
        };
        let name = app.name(n);
        // "history": `approved_recently` ("approved as a foster carer in the last 12 months?")
        // and `approved_service`. The form asks the 12-month question itself and not the date
        // of the approval, so the window cannot be counted from `received_on`: a yes is taken
        // as needing the reference. It does not ask about approval as an adopter (only
        // previous applications to foster, adopt or childmind, whose outcome is free text), so
        // adopters are not a rule of their own.
        if text(h, "approved_recently") == "yes" {
            let service = some(words(h, "approved_service"))
                .unwrap_or_else(|| "Fostering service not named".to_string());
            out.push(CheckSpec {
                kind: CheckKind::PreviousFosteringService,
                subject: format!("{service} ({name})"),
                applicant: Some(n),
                email: None,
                detail: Some("Approved as a foster carer in the last 12 months".to_string()),
            });
        }
        // "history": `armed_forces` yes. The form asks nothing more (no service number or
        // dates).
        if text(h, "armed_forces") == "yes" {
            out.push(CheckSpec {
                kind: CheckKind::ArmedForces,
                subject: name,
                applicant: Some(n),
                email: None,
                detail: None,
            });
        }
    }
}

/// The household's home: applicant 1's current address (or the next applicant's).
fn home_address(app: &Application) -> Option<String> {
    app.applicants.iter().find_map(|&n| {
        let a = app.answers("addresses", n)?;
        let it = filled(a, "current").into_iter().next()?;
        let postcode =
            normalise_postcode(text(&it, "postcode")).unwrap_or_else(|| words(&it, "postcode"));
        some(joined(
            &[
                &words(&it, "line1"),
                &words(&it, "line2"),
                &words(&it, "town"),
                &postcode,
            ],
            ", ",
        ))
    })
}

fn household(app: &Application, out: &mut Vec<CheckSpec>) {
    let household = app.household_name();
    // One Ofsted check and one home safety check for the household, always.
    out.push(CheckSpec {
        kind: CheckKind::Ofsted,
        subject: household.clone(),
        applicant: None,
        email: None,
        detail: None,
    });
    out.push(CheckSpec {
        kind: CheckKind::HomeSafety,
        subject: household,
        applicant: None,
        email: None,
        detail: home_address(app),
    });
    let Some(home) = app.shared("home") else {
        return;
    };
    // "home": `pets` yes, `pets_details` naming them.
    if text(home, "pets") == "yes" {
        out.push(CheckSpec {
            kind: CheckKind::Pet,
            subject: "Pets".to_string(),
            applicant: None,
            email: None,
            detail: some(words(home, "pets_details")),
        });
    }
    // "home": `tenure` social or private, `landlord_name`, `landlord_contact` (free text: the
    // email when it is one).
    let tenure = match text(home, "tenure") {
        "social" => "Rented from the council or a housing association",
        "private" => "Rented privately",
        _ => return,
    };
    let contact = words(home, "landlord_contact");
    let detail = if contact.is_empty() {
        tenure.to_string()
    } else {
        format!("{tenure}; contact: {contact}")
    };
    out.push(CheckSpec {
        kind: CheckKind::LandlordConsent,
        subject: some(words(home, "landlord_name"))
            .unwrap_or_else(|| "Landlord not named".to_string()),
        applicant: None,
        email: email(home, "landlord_contact"),
        detail: Some(detail),
    });
}

fn referees(app: &Application, out: &mut Vec<CheckSpec>) {
    // "referees" (the household's): `referees`, each with `kind` (family or personal), `name`,
    // `relationship`, `years_known` and `email`.
    let Some(r) = app.shared("referees") else {
        return;
    };
    for it in filled(r, "referees") {
        let name = some(words(&it, "name")).unwrap_or_else(|| "Referee not named".to_string());
        let relationship = words(&it, "relationship");
        let subject = if relationship.is_empty() {
            name
        } else {
            format!("{name} ({relationship})")
        };
        let kind = match text(&it, "kind") {
            "family" => "Family referee",
            "personal" => "Not related",
            _ => "",
        };
        let years = words(&it, "years_known");
        let known = match years.as_str() {
            "" => String::new(),
            "1" => "known for 1 year".to_string(),
            y => format!("known for {y} years"),
        };
        out.push(CheckSpec {
            kind: CheckKind::PersonalReference,
            subject,
            applicant: None,
            email: email(&it, "email"),
            detail: some(joined(&[kind, &known], ", ")),
        });
    }
}

/// A person on the carer register's household a connected-person case is opened for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectedPerson {
    pub name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub email: Option<String>,
}

/// The checks a connected-person (family and friends) case starts with. There is no application
/// to read, so they come from the register: the carers (applicants 1 and 2) each need an
/// enhanced DBS check, a check with the council they live in and a medical; every other adult
/// living there a DBS check; the household an Ofsted check, a home safety check and two
/// personal references (the assessor adds the referees' details). The assessor adds what the
/// Form C visits bring to light (previous partners, schools...) as they go.
///
/// `home_council`: the council (display name) of the household's postcode, where known.
pub fn generate_connected(
    carers: &[ConnectedPerson],
    members: &[ConnectedPerson],
    household: &str,
    home_council: Option<&str>,
    opened_on: NaiveDate,
) -> Vec<CheckSpec> {
    let mut out = Vec::new();
    for (i, c) in carers.iter().take(2).enumerate() {
        let n = i as i16 + 1;
        let spec =
            |kind, subject: String, email: Option<String>, detail: Option<String>| CheckSpec {
                kind,
                subject,
                applicant: Some(n),
                email,
                detail,
            };
        out.push(spec(CheckKind::Dbs, c.name.clone(), c.email.clone(), None));
        out.push(match home_council {
            Some(council) => spec(
                CheckKind::LocalAuthority,
                format!("{council} ({})", c.name),
                None,
                Some("Where they live now; ask about any other council they have lived in over the last 10 years".into()),
            ),
            None => spec(
                CheckKind::LocalAuthority,
                format!("Council not known ({})", c.name),
                None,
                Some("The household's postcode has no council on record: check where they live".into()),
            ),
        });
        out.push(spec(CheckKind::Medical, c.name.clone(), None, None));
    }
    for m in members {
        let detail = match m.date_of_birth {
            Some(dob) if age_on(dob, opened_on) >= 18 => "Lives in the household".to_string(),
            Some(_) => continue,
            None => "Lives in the household. Date of birth not recorded: check whether they are 18 or over".to_string(),
        };
        out.push(CheckSpec {
            kind: CheckKind::Dbs,
            subject: m.name.clone(),
            applicant: None,
            email: m.email.clone(),
            detail: Some(detail),
        });
    }
    for kind in [CheckKind::Ofsted, CheckKind::HomeSafety] {
        out.push(CheckSpec {
            kind,
            subject: household.to_string(),
            applicant: None,
            email: None,
            detail: None,
        });
    }
    for n in 1..=2 {
        out.push(CheckSpec {
            kind: CheckKind::PersonalReference,
            subject: format!("Personal referee {n}"),
            applicant: None,
            email: None,
            detail: Some("Not named yet".to_string()),
        });
    }
    out.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn a(v: Value) -> Answers {
        v.as_object().unwrap().clone()
    }

    fn s(code: &str, applicant: i16, v: Value) -> SectionAnswers {
        (code.to_string(), applicant, a(v))
    }

    fn dob(d: NaiveDate) -> Value {
        json!({"day": d.day().to_string(), "month": d.month().to_string(), "year": d.year().to_string()})
    }

    fn my(month: u32, year: i32) -> Value {
        json!({"month": month.to_string(), "year": year.to_string()})
    }

    fn about(first: &str, last: &str, email: &str) -> Value {
        json!({"first_name": first, "last_name": last, "dob": dob(day(1985, 3, 27)), "email": email})
    }

    /// Two councils by postcode; everything else unknown.
    fn councils_of(p: &str) -> Option<String> {
        match p.split(' ').next() {
            Some("PO1" | "PO4") => Some("Portsmouth City Council".to_string()),
            Some("SO14") => Some("Southampton City Council".to_string()),
            _ => None,
        }
    }

    fn run(sections: &[SectionAnswers], received_on: NaiveDate) -> Vec<CheckSpec> {
        generate(sections, received_on, &councils_of)
    }

    fn of(checks: &[CheckSpec], kind: CheckKind) -> Vec<CheckSpec> {
        checks.iter().filter(|c| c.kind == kind).cloned().collect()
    }

    fn subjects(checks: &[CheckSpec], kind: CheckKind) -> Vec<String> {
        of(checks, kind).into_iter().map(|c| c.subject).collect()
    }

    fn uk(line1: &str, postcode: &str, moved_in: Value) -> Value {
        json!({"line1": line1, "town": "Portsmouth", "country": "United Kingdom", "postcode": postcode, "moved_in": moved_in})
    }

    fn abroad(line1: &str, town: &str, country: &str, moved_in: Value) -> Value {
        json!({"line1": line1, "town": town, "country": country, "moved_in": moved_in})
    }

    fn sam() -> SectionAnswers {
        s("about-you", 1, about("Sam", "Jones", "sam@example.com"))
    }

    fn member(first: &str, born: NaiveDate, email: &str, school: &str) -> Value {
        json!({"first_name": first, "last_name": "Jones", "dob": dob(born), "gender": "female",
               "relationship": "daughter", "email": email, "school": school})
    }

    fn household(people: Vec<Value>) -> SectionAnswers {
        s(
            "household",
            0,
            json!({"anyone_else": "yes", "people": people}),
        )
    }

    #[test]
    fn codes_are_unique_round_trip_and_every_kind_has_a_label_stage_and_chase() {
        let mut codes = BTreeSet::new();
        for k in CheckKind::ALL {
            assert!(codes.insert(k.code()), "{:?}", k);
            assert_eq!(CheckKind::from_code(k.code()), Some(k));
            assert!(!k.label().is_empty());
            assert!([1, 2].contains(&k.default_stage()));
            assert!(k.default_chase_days() > 0);
            assert!(k.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        }
        assert_eq!(CheckKind::from_code("DBS"), None);
        assert_eq!(CheckKind::from_code(""), None);
        assert_eq!(CheckKind::LocalAuthority.code(), "local_authority");
        assert_eq!(CheckKind::Dbs.label(), "Enhanced DBS check");
    }

    #[test]
    fn the_regulation_26_1a_checks_are_stage_1() {
        for k in [
            CheckKind::Dbs,
            CheckKind::LocalAuthority,
            CheckKind::Overseas,
            CheckKind::Medical,
            CheckKind::PersonalReference,
            CheckKind::PreviousFosteringService,
        ] {
            assert_eq!(k.default_stage(), 1, "{:?}", k);
        }
        for k in [
            CheckKind::HomeSafety,
            CheckKind::Pet,
            CheckKind::LandlordConsent,
            CheckKind::ArmedForces,
        ] {
            assert_eq!(k.default_stage(), 2, "{:?}", k);
        }
        assert_eq!(CheckKind::Dbs.default_chase_days(), 28);
        assert_eq!(CheckKind::LocalAuthority.default_chase_days(), 15);
        assert_eq!(CheckKind::PersonalReference.default_chase_days(), 14);
    }

    #[test]
    fn each_applicant_gets_a_dbs_check_with_their_own_email() {
        let checks = run(
            &[
                sam(),
                s("about-you", 2, about("Alex", "Jones", "not an email")),
            ],
            day(2026, 11, 28),
        );
        let dbs = of(&checks, CheckKind::Dbs);
        assert_eq!(dbs.len(), 2);
        assert_eq!(
            (
                dbs[0].subject.as_str(),
                dbs[0].applicant,
                dbs[0].email.as_deref()
            ),
            ("Sam Jones", Some(1), Some("sam@example.com"))
        );
        // An answer that is not an email address is not sent to.
        assert_eq!(
            (
                dbs[1].subject.as_str(),
                dbs[1].applicant,
                dbs[1].email.as_deref()
            ),
            ("Alex Jones", Some(2), None)
        );
    }

    #[test]
    fn a_household_member_turning_18_on_the_day_received_gets_a_dbs_check_and_one_a_day_younger_does_not(
    ) {
        let received = day(2026, 11, 28);
        let checks = run(
            &[
                sam(),
                household(vec![
                    member("Day Before", day(2008, 11, 27), "a@example.com", ""),
                    member("On The Day", day(2008, 11, 28), "b@example.com", ""),
                    member("Day Younger", day(2008, 11, 29), "", "Park School"),
                ]),
            ],
            received,
        );
        let dbs = of(&checks, CheckKind::Dbs);
        assert_eq!(
            dbs.iter().map(|c| c.subject.as_str()).collect::<Vec<_>>(),
            ["Sam Jones", "Day Before Jones", "On The Day Jones"]
        );
        assert_eq!(dbs[1].email.as_deref(), Some("a@example.com"));
        assert_eq!(dbs[1].applicant, None);
        assert_eq!(
            dbs[1].detail.as_deref(),
            Some("Lives in the household (daughter)")
        );
        // The 17-year-old is a child: their school is checked instead.
        assert_eq!(subjects(&checks, CheckKind::School), ["Park School"]);
    }

    #[test]
    fn a_leap_day_birthday_turns_18_on_the_first_of_march_in_a_common_year() {
        let h = household(vec![member("Leap", day(2008, 2, 29), "l@example.com", "")]);
        let on = |d| subjects(&run(&[sam(), h.clone()], d), CheckKind::Dbs).len();
        assert_eq!(on(day(2026, 2, 28)), 1);
        assert_eq!(on(day(2026, 3, 1)), 2);
    }

    #[test]
    fn household_members_are_read_only_when_the_household_said_someone_else_lives_there() {
        let stale = s(
            "household",
            0,
            json!({"anyone_else": "no", "people": [member("Old", day(1990, 1, 1), "o@example.com", "")]}),
        );
        let checks = run(&[sam(), stale], day(2026, 11, 28));
        assert_eq!(subjects(&checks, CheckKind::Dbs), ["Sam Jones"]);
    }

    #[test]
    fn a_household_member_with_no_readable_date_of_birth_gets_a_dbs_check_flagged_for_the_assessor()
    {
        let h = household(vec![
            json!({"first_name": "Kim", "last_name": "Lee", "dob": {"day": "31", "month": "2", "year": "1990"}}),
        ]);
        let dbs = of(&run(&[sam(), h], day(2026, 11, 28)), CheckKind::Dbs);
        assert_eq!(dbs[1].subject, "Kim Lee");
        assert!(dbs[1].detail.as_deref().unwrap().contains("check whether"));
    }

    fn addresses(current: Value, previous: Vec<Value>) -> SectionAnswers {
        s(
            "addresses",
            1,
            json!({"current": [current], "previous": previous}),
        )
    }

    #[test]
    fn two_addresses_in_one_council_make_one_check() {
        let checks = run(
            &[
                sam(),
                addresses(
                    uk("1 High St", "po1 2ab", my(9, 2019)),
                    vec![uk("4 Low Rd", "PO4 8XY", my(3, 2012))],
                ),
            ],
            day(2026, 11, 28),
        );
        assert_eq!(
            of(&checks, CheckKind::LocalAuthority),
            [CheckSpec {
                kind: CheckKind::LocalAuthority,
                subject: "Portsmouth City Council (Sam Jones)".into(),
                applicant: Some(1),
                email: None,
                detail: Some(
                    "PO4 8XY, March 2012 to September 2019; PO1 2AB, September 2019 to now".into()
                ),
            }]
        );
    }

    #[test]
    fn an_address_left_ten_years_and_one_day_ago_needs_no_council_check() {
        // Moved out in November 2016 (into the current address): at the latest 30 November
        // 2016. On 1 December 2026 that is ten years and one day ago.
        let history = addresses(
            uk("1 High St", "PO1 2AB", my(11, 2016)),
            vec![uk("9 Dock Rd", "SO14 2AA", my(1, 2010))],
        );
        let on = |d| {
            subjects(
                &run(&[sam(), history.clone()], d),
                CheckKind::LocalAuthority,
            )
        };
        assert_eq!(
            on(day(2026, 12, 1)),
            ["Portsmouth City Council (Sam Jones)"]
        );
        // On 30 November 2026, 30 November 2016 is exactly ten years ago: in the window.
        assert_eq!(
            on(day(2026, 11, 30)),
            [
                "Portsmouth City Council (Sam Jones)",
                "Southampton City Council (Sam Jones)"
            ]
        );
    }

    #[test]
    fn the_ten_year_window_from_a_leap_day_starts_on_the_28th_of_february() {
        assert_eq!(ten_year_window_start(day(2028, 2, 29)), day(2018, 2, 28));
        assert_eq!(ten_year_window_start(day(2026, 11, 28)), day(2016, 11, 28));
        let history = addresses(
            uk("1 High St", "PO1 2AB", my(2, 2018)),
            vec![uk("9 Dock Rd", "SO14 2AA", my(1, 2010))],
        );
        let n = |d| {
            of(
                &run(&[sam(), history.clone()], d),
                CheckKind::LocalAuthority,
            )
            .len()
        };
        assert_eq!(
            n(day(2028, 2, 29)),
            2,
            "left in February 2018: in the window"
        );
        assert_eq!(
            n(day(2028, 3, 1)),
            1,
            "ten years and a day after 28 February"
        );
    }

    #[test]
    fn the_address_left_is_read_from_the_next_address_moved_into_in_any_order() {
        // Previous addresses typed out of order: 2005 (left 2010), 2010 (left 2020).
        let history = addresses(
            uk("1 High St", "PO1 2AB", my(6, 2020)),
            vec![
                uk("9 Dock Rd", "SO14 2AA", my(1, 2010)),
                abroad("1 Rue de la Paix", "Paris", "France", my(5, 2005)),
            ],
        );
        let checks = run(&[sam(), history], day(2026, 11, 28));
        assert_eq!(
            subjects(&checks, CheckKind::LocalAuthority),
            [
                "Portsmouth City Council (Sam Jones)",
                "Southampton City Council (Sam Jones)"
            ]
        );
        assert!(of(&checks, CheckKind::Overseas).is_empty());
        assert_eq!(
            of(&checks, CheckKind::LocalAuthority)[1].detail.as_deref(),
            Some("SO14 2AA, January 2010 to June 2020")
        );
    }

    #[test]
    fn an_overseas_address_gets_an_overseas_check_not_a_council_one() {
        let history = addresses(
            uk("1 High St", "PO1 2AB", my(6, 2020)),
            vec![
                abroad("1 Rue de la Paix", "Paris", "France", my(1, 2019)),
                abroad("3 Rue Neuve", "Lyon", " france ", my(3, 2018)),
                abroad("5 Calle Mayor", "Madrid", "Spain", my(10, 2016)),
                abroad("7 Via Roma", "Rome", "Italy", my(1, 2010)),
            ],
        );
        let checks = run(&[sam(), history], day(2026, 11, 28));
        assert_eq!(
            subjects(&checks, CheckKind::LocalAuthority),
            ["Portsmouth City Council (Sam Jones)"]
        );
        // One per country: France's two addresses together; Italy, left in October 2016, was
        // before the window (from 28 November 2016).
        assert_eq!(
            of(&checks, CheckKind::Overseas),
            [
                CheckSpec {
                    kind: CheckKind::Overseas,
                    subject: "France (Sam Jones)".into(),
                    applicant: Some(1),
                    email: None,
                    detail: Some(
                        "Overseas: France, March 2018 to January 2019 and January 2019 to June 2020"
                            .into()
                    ),
                },
                CheckSpec {
                    kind: CheckKind::Overseas,
                    subject: "Spain (Sam Jones)".into(),
                    applicant: Some(1),
                    email: None,
                    detail: Some("Overseas: Spain, October 2016 to March 2018".into()),
                },
            ]
        );
    }

    #[test]
    fn a_uk_postcode_whose_council_is_unknown_still_gets_a_council_check_that_says_so() {
        let history = addresses(
            json!({"line1": "2 Castle St", "town": "Edinburgh", "country": "Scotland", "postcode": "eh1 2ng", "moved_in": my(1, 2010)}),
            vec![],
        );
        let checks = run(&[sam(), history], day(2026, 11, 28));
        assert_eq!(
            subjects(&checks, CheckKind::LocalAuthority),
            ["Council not known for EH1 2NG (Sam Jones)"]
        );
        // A UK address with no postcode: named by its address.
        let no_postcode = addresses(
            json!({"line1": "2 Castle St", "town": "Leeds", "country": "England", "moved_in": my(1, 2010)}),
            vec![],
        );
        let checks = run(&[sam(), no_postcode], day(2026, 11, 28));
        assert_eq!(
            subjects(&checks, CheckKind::LocalAuthority),
            ["Council not known for 2 Castle St, Leeds (Sam Jones)"]
        );
        assert!(of(&checks, CheckKind::Overseas).is_empty());
    }

    #[test]
    fn the_uk_is_known_by_its_names_and_a_known_postcode_and_the_crown_dependencies_are_overseas() {
        for c in [
            "UK",
            "u.k.",
            "United Kingdom",
            "the United Kingdom",
            "England",
            "Wales",
            "Scotland",
            "Northern Ireland",
            "Great Britain",
        ] {
            assert!(is_uk(c), "{c}");
        }
        for c in ["France", "Jersey", "Isle of Man", "Ireland", ""] {
            assert!(!is_uk(c), "{c}");
        }
        // A typo in the country box, with a postcode the lookup knows: still Portsmouth.
        let typo = addresses(
            json!({"line1": "1 High St", "town": "Portsmouth", "country": "Untied Kingdom", "postcode": "PO1 2AB", "moved_in": my(1, 2010)}),
            vec![],
        );
        let checks = run(&[sam(), typo], day(2026, 11, 28));
        assert_eq!(
            subjects(&checks, CheckKind::LocalAuthority),
            ["Portsmouth City Council (Sam Jones)"]
        );
        let jersey = addresses(
            json!({"line1": "1 King St", "town": "St Helier", "country": "Jersey", "postcode": "JE2 3AB", "moved_in": my(1, 2010)}),
            vec![],
        );
        let checks = run(&[sam(), jersey], day(2026, 11, 28));
        assert_eq!(
            subjects(&checks, CheckKind::Overseas),
            ["Jersey (Sam Jones)"]
        );
        assert!(of(&checks, CheckKind::LocalAuthority).is_empty());
    }

    #[test]
    fn each_applicant_has_their_own_council_checks_even_for_the_same_council() {
        let checks = run(
            &[
                sam(),
                s("about-you", 2, about("Alex", "Jones", "alex@example.com")),
                addresses(uk("1 High St", "PO1 2AB", my(1, 2010)), vec![]),
                s(
                    "addresses",
                    2,
                    json!({"current": [uk("1 High St", "PO1 2AB", my(1, 2010))]}),
                ),
            ],
            day(2026, 11, 28),
        );
        let la = of(&checks, CheckKind::LocalAuthority);
        assert_eq!(
            la.iter()
                .map(|c| (c.subject.as_str(), c.applicant))
                .collect::<Vec<_>>(),
            [
                ("Portsmouth City Council (Sam Jones)", Some(1)),
                ("Portsmouth City Council (Alex Jones)", Some(2))
            ]
        );
    }

    #[test]
    fn each_applicant_gets_a_medical_naming_their_gp_practice() {
        let checks = run(
            &[
                sam(),
                s(
                    "health",
                    1,
                    json!({"gp_name": "Dr A Patel", "gp_practice": "Elm Tree Surgery"}),
                ),
                s("about-you", 2, about("Alex", "Jones", "")),
            ],
            day(2026, 11, 28),
        );
        let m = of(&checks, CheckKind::Medical);
        assert_eq!(
            m.iter()
                .map(|c| (c.subject.as_str(), c.detail.as_deref()))
                .collect::<Vec<_>>(),
            [
                ("Sam Jones", Some("Elm Tree Surgery (GP: Dr A Patel)")),
                ("Alex Jones", None)
            ]
        );
    }

    #[test]
    fn each_named_previous_partner_is_a_check_and_an_answered_no_is_none() {
        let checks = run(
            &[
                sam(),
                s(
                    "previous-partners",
                    1,
                    json!({"any": "yes", "partners": [
                        {"name": "Chris Brown", "ended": my(3, 2016), "contact": "chris@example.com"},
                        {"name": "  Pat   Green ", "ended": my(1, 2009), "contact": "12 Elm Rd, Leeds"},
                        {"name": "", "ended": my(1, 2001)},
                        {"name": "chris brown", "ended": my(3, 2016)},
                    ]}),
                ),
                s("about-you", 2, about("Alex", "Jones", "")),
                s(
                    "previous-partners",
                    2,
                    json!({"any": "none", "partners": [{"name": "Stale Answer"}]}),
                ),
            ],
            day(2026, 11, 28),
        );
        assert_eq!(
            of(&checks, CheckKind::PreviousPartner),
            [
                CheckSpec {
                    kind: CheckKind::PreviousPartner,
                    subject: "Chris Brown".into(),
                    applicant: Some(1),
                    email: Some("chris@example.com".into()),
                    detail: Some("Ended March 2016; contact: chris@example.com".into()),
                },
                CheckSpec {
                    kind: CheckKind::PreviousPartner,
                    subject: "Pat Green".into(),
                    applicant: Some(1),
                    email: None,
                    detail: Some("Ended January 2009; contact: 12 Elm Rd, Leeds".into()),
                },
            ]
        );
    }

    fn child_elsewhere(first: &str, born: NaiveDate, group: &str) -> Value {
        json!({"first_name": first, "last_name": "Jones", "gender": "male", "dob": dob(born),
               "age_group": group, "line1": "3 Rue Neuve", "town": "Lyon", "country": "France"})
    }

    #[test]
    fn adult_children_living_elsewhere_are_checked_and_children_are_not() {
        let received = day(2026, 11, 28);
        let checks = run(
            &[
                sam(),
                s(
                    "children-elsewhere",
                    1,
                    json!({"any": "yes", "children": [
                        child_elsewhere("Ben", day(2008, 11, 28), "adult"),
                        child_elsewhere("Tom", day(2008, 11, 29), "under_18"),
                        // A date that cannot be read: the age group answered decides.
                        json!({"first_name": "Ola", "last_name": "Jones", "dob": {"year": "2001"}, "age_group": "adult", "line1": "1 Main St", "town": "Leeds", "country": "UK", "postcode": "ls1 1aa"}),
                    ]}),
                ),
            ],
            received,
        );
        assert_eq!(
            of(&checks, CheckKind::AdultChild),
            [
                CheckSpec {
                    kind: CheckKind::AdultChild,
                    subject: "Ben Jones".into(),
                    applicant: Some(1),
                    email: None,
                    detail: Some("Lives at 3 Rue Neuve, Lyon, France".into()),
                },
                CheckSpec {
                    kind: CheckKind::AdultChild,
                    subject: "Ola Jones".into(),
                    applicant: Some(1),
                    email: None,
                    detail: Some("Lives at 1 Main St, Leeds, LS1 1AA, UK".into()),
                },
            ]
        );
    }

    #[test]
    fn an_adult_child_both_applicants_name_is_one_check_for_both() {
        let ben = child_elsewhere("Ben", day(2000, 1, 1), "adult");
        let checks = run(
            &[
                sam(),
                s("about-you", 2, about("Alex", "Jones", "")),
                s(
                    "children-elsewhere",
                    1,
                    json!({"any": "yes", "children": [ben.clone()]}),
                ),
                s(
                    "children-elsewhere",
                    2,
                    json!({"any": "yes", "children": [ben]}),
                ),
            ],
            day(2026, 11, 28),
        );
        let c = of(&checks, CheckKind::AdultChild);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].applicant, None);
        assert_eq!(
            c[0].detail.as_deref(),
            Some("Lives at 3 Rue Neuve, Lyon, France. Named by both applicants")
        );
    }

    #[test]
    fn one_school_check_per_school_named_for_children_in_the_household() {
        let received = day(2026, 11, 28);
        let checks = run(
            &[
                sam(),
                household(vec![
                    member("Amy", day(2015, 5, 1), "", "Park Primary School"),
                    member("Bea", day(2017, 5, 1), "", "park primary school"),
                    member("Cat", day(2023, 5, 1), "", "None"),
                    member("Dot", day(2012, 5, 1), "", "City Academy"),
                    // 18 on the day: an adult, with a DBS check, not a school check.
                    member(
                        "Eve",
                        day(2008, 11, 28),
                        "eve@example.com",
                        "Sixth Form College",
                    ),
                ]),
            ],
            received,
        );
        assert_eq!(
            of(&checks, CheckKind::School)
                .iter()
                .map(|c| (c.subject.as_str(), c.detail.as_deref()))
                .collect::<Vec<_>>(),
            [
                ("City Academy", Some("For Dot Jones")),
                ("Park Primary School", Some("For Amy Jones, Bea Jones")),
            ]
        );
    }

    #[test]
    fn an_employed_or_self_employed_applicant_gets_an_employer_reference_and_others_do_not() {
        let work = |status: &str| {
            json!({"status": status, "employer": "Solent NHS Trust", "job_title": "Nurse", "hours": "37",
                   "referee_name": "Jo Bloggs", "referee_phone": "023 9200 0000",
                   "referee_email": "jo@example.com", "with_children": "no"})
        };
        let checks = run(
            &[
                sam(),
                s("work", 1, work("employed")),
                s("about-you", 2, about("Alex", "Jones", "")),
                s(
                    "work",
                    2,
                    json!({"status": "not_working", "with_children": "no"}),
                ),
            ],
            day(2026, 11, 28),
        );
        assert_eq!(
            of(&checks, CheckKind::Employer),
            [CheckSpec {
                kind: CheckKind::Employer,
                subject: "Solent NHS Trust (Sam Jones)".into(),
                applicant: Some(1),
                email: Some("jo@example.com".into()),
                detail: Some("Referee: Jo Bloggs, 023 9200 0000".into()),
            }]
        );
        let self_employed = run(
            &[sam(), s("work", 1, work("self_employed"))],
            day(2026, 11, 28),
        );
        let e = of(&self_employed, CheckKind::Employer);
        assert_eq!(e.len(), 1);
        assert!(e[0].detail.as_deref().unwrap().contains("Self-employed"));
    }

    #[test]
    fn an_applicant_approved_elsewhere_in_the_last_12_months_needs_that_service_s_reference() {
        let checks = run(
            &[
                sam(),
                s(
                    "history",
                    1,
                    json!({"applied_before": "no", "approved_recently": "yes",
                    "approved_service": "Kent Fostering", "court": "no", "armed_forces": "no", "council_link": "no"}),
                ),
                s("about-you", 2, about("Alex", "Jones", "")),
                s(
                    "history",
                    2,
                    json!({"applied_before": "yes", "applications": [{"when": my(1, 2026), "agency": "X", "outcome": "Approved"}],
                    "approved_recently": "no", "court": "no", "armed_forces": "no", "council_link": "no"}),
                ),
            ],
            day(2026, 11, 28),
        );
        assert_eq!(
            of(&checks, CheckKind::PreviousFosteringService),
            [CheckSpec {
                kind: CheckKind::PreviousFosteringService,
                subject: "Kent Fostering (Sam Jones)".into(),
                applicant: Some(1),
                email: None,
                detail: Some("Approved as a foster carer in the last 12 months".into()),
            }]
        );
    }

    #[test]
    fn an_applicant_who_served_in_the_armed_forces_gets_an_armed_forces_check() {
        let history = |served: &str| json!({"applied_before": "no", "approved_recently": "no", "court": "no", "armed_forces": served, "council_link": "no"});
        let checks = run(
            &[
                sam(),
                s("history", 1, history("no")),
                s("about-you", 2, about("Alex", "Jones", "")),
                s("history", 2, history("yes")),
            ],
            day(2026, 11, 28),
        );
        assert_eq!(
            of(&checks, CheckKind::ArmedForces)
                .iter()
                .map(|c| (c.subject.as_str(), c.applicant))
                .collect::<Vec<_>>(),
            [("Alex Jones", Some(2))]
        );
    }

    #[test]
    fn every_household_has_one_ofsted_and_one_home_safety_check() {
        let checks = run(
            &[
                sam(),
                s("about-you", 2, about("Alex", "Jones", "")),
                addresses(uk("1 High St", "po1 2ab", my(1, 2010)), vec![]),
            ],
            day(2026, 11, 28),
        );
        let ofsted = of(&checks, CheckKind::Ofsted);
        assert_eq!(ofsted.len(), 1);
        assert_eq!(ofsted[0].subject, "Sam Jones and Alex Jones");
        assert_eq!(ofsted[0].applicant, None);
        let home = of(&checks, CheckKind::HomeSafety);
        assert_eq!(home.len(), 1);
        assert_eq!(
            home[0].detail.as_deref(),
            Some("1 High St, Portsmouth, PO1 2AB")
        );
        // Even with nothing else answered.
        let bare = run(&[], day(2026, 11, 28));
        assert_eq!(
            bare.iter().map(|c| c.kind).collect::<Vec<_>>(),
            [CheckKind::Ofsted, CheckKind::HomeSafety]
        );
        assert_eq!(bare[0].subject, "The household");
    }

    #[test]
    fn pets_get_one_assessment_naming_them_and_tenants_need_their_landlord_s_consent() {
        let home = |tenure: &str, pets: &str| {
            let mut h = json!({"spare_bedroom": "yes", "tenure": tenure, "pets": pets});
            if pets == "yes" {
                h["pets_details"] = json!("2 cats and a dog");
            }
            if tenure != "owned" {
                h["landlord_name"] = json!("Portsmouth City Council Housing");
                h["landlord_contact"] = json!("housing@example.gov.uk");
            }
            s("home", 0, h)
        };
        let checks = run(&[sam(), home("social", "yes")], day(2026, 11, 28));
        assert_eq!(
            of(&checks, CheckKind::Pet),
            [CheckSpec {
                kind: CheckKind::Pet,
                subject: "Pets".into(),
                applicant: None,
                email: None,
                detail: Some("2 cats and a dog".into()),
            }]
        );
        assert_eq!(
            of(&checks, CheckKind::LandlordConsent),
            [CheckSpec {
                kind: CheckKind::LandlordConsent,
                subject: "Portsmouth City Council Housing".into(),
                applicant: None,
                email: Some("housing@example.gov.uk".into()),
                detail: Some("Rented from the council or a housing association; contact: housing@example.gov.uk".into()),
            }]
        );
        let private = run(&[sam(), home("private", "no")], day(2026, 11, 28));
        assert_eq!(of(&private, CheckKind::LandlordConsent).len(), 1);
        assert!(of(&private, CheckKind::Pet).is_empty());
        let owned = run(&[sam(), home("owned", "no")], day(2026, 11, 28));
        assert!(of(&owned, CheckKind::LandlordConsent).is_empty());
    }

    #[test]
    fn each_referee_named_is_a_personal_reference_with_their_email() {
        let checks = run(
            &[
                sam(),
                s(
                    "referees",
                    0,
                    json!({"referees": [
                        {"kind": "personal", "name": "Zed Ali", "relationship": "neighbour", "years_known": "5", "email": "zed@example.com", "phone": "07700 900001", "address": "3 High St"},
                        {"kind": "family", "name": "Ann Jones", "relationship": "sister", "years_known": "1", "email": "ann@example.com", "phone": "07700 900002", "address": "4 High St"},
                        {},
                    ]}),
                ),
            ],
            day(2026, 11, 28),
        );
        assert_eq!(
            of(&checks, CheckKind::PersonalReference),
            [
                CheckSpec {
                    kind: CheckKind::PersonalReference,
                    subject: "Ann Jones (sister)".into(),
                    applicant: None,
                    email: Some("ann@example.com".into()),
                    detail: Some("Family referee, known for 1 year".into()),
                },
                CheckSpec {
                    kind: CheckKind::PersonalReference,
                    subject: "Zed Ali (neighbour)".into(),
                    applicant: None,
                    email: Some("zed@example.com".into()),
                    detail: Some("Not related, known for 5 years".into()),
                },
            ]
        );
    }

    #[test]
    fn the_list_is_ordered_by_kind_then_applicant_then_subject_whatever_the_input_order() {
        let sections = vec![
            s("about-you", 2, about("Alex", "Jones", "")),
            household(vec![member("Aaron", day(1990, 1, 1), "", "")]),
            sam(),
        ];
        let mut reversed = sections.clone();
        reversed.reverse();
        let checks = run(&sections, day(2026, 11, 28));
        assert_eq!(checks, run(&reversed, day(2026, 11, 28)));
        assert_eq!(
            subjects(&checks, CheckKind::Dbs),
            ["Sam Jones", "Alex Jones", "Aaron Jones"]
        );
        let kinds: Vec<usize> = checks.iter().map(|c| c.kind.position()).collect();
        assert!(kinds.windows(2).all(|w| w[0] <= w[1]));
    }

    /// A joint application with an answer for every rule.
    fn fixture() -> Vec<SectionAnswers> {
        vec![
            s(
                "about-you",
                1,
                json!({
                "first_name": "Sam", "last_name": "Jones", "dob": dob(day(1984, 6, 2)),
                "other_names_used": "no", "country_of_birth": "England", "nationality": "British",
                "ethnicity": "white_british", "gender": "female", "religion": "none",
                "ni_number": "AB123456C", "phone": "07700 900982", "email": "sam@example.com"}),
            ),
            s(
                "about-you",
                2,
                json!({
                "first_name": "Alex", "last_name": "Jones", "dob": dob(day(1982, 1, 15)),
                "other_names_used": "no", "country_of_birth": "France", "nationality": "French",
                "ethnicity": "white_other", "gender": "male", "religion": "christian",
                "ni_number": "CE123456D", "phone": "07700 900983", "email": "alex@example.com"}),
            ),
            s(
                "relationship",
                0,
                json!({"status": "married", "since": dob(day(2014, 7, 19))}),
            ),
            s(
                "home",
                0,
                json!({"spare_bedroom": "yes", "tenure": "private",
                "landlord_name": "Harbour Lettings", "landlord_contact": "023 9200 1111",
                "pets": "yes", "pets_details": "A dog"}),
            ),
            s(
                "household",
                0,
                json!({"anyone_else": "yes", "people": [
                    {"first_name": "Mia", "last_name": "Jones", "dob": dob(day(2006, 4, 1)), "gender": "female",
                     "relationship": "daughter", "email": "mia@example.com"},
                    {"first_name": "Leo", "last_name": "Jones", "dob": dob(day(2016, 9, 9)), "gender": "male",
                     "relationship": "son", "school": "Highbury Primary"},
                ]}),
            ),
            s("children-elsewhere", 1, json!({"any": "no"})),
            s(
                "children-elsewhere",
                2,
                json!({"any": "yes", "children": [
                    child_elsewhere("Hugo", day(2003, 2, 3), "adult"),
                ]}),
            ),
            s("previous-partners", 1, json!({"any": "none"})),
            s(
                "previous-partners",
                2,
                json!({"any": "yes", "partners": [
                    {"name": "Claire Martin", "ended": my(8, 2006)},
                ]}),
            ),
            s(
                "addresses",
                1,
                json!({
                "current": [uk("1 High St", "PO1 2AB", my(8, 2014))],
                "previous": [
                    json!({"line1": "9 Dock Rd", "town": "Southampton", "country": "England", "postcode": "SO14 2AA", "moved_in": my(9, 2008)}),
                    json!({"line1": "2 Castle St", "town": "Edinburgh", "country": "Scotland", "postcode": "EH1 2NG", "moved_in": my(1, 2002)}),
                ]}),
            ),
            s(
                "addresses",
                2,
                json!({
                "current": [uk("1 High St", "PO1 2AB", my(8, 2014))],
                "previous": [abroad("3 Rue Neuve", "Lyon", "France", my(2, 2005))]}),
            ),
            s(
                "work",
                1,
                json!({"status": "employed", "employer": "Solent NHS Trust", "job_title": "Nurse",
                "hours": "37", "referee_name": "Jo Bloggs", "referee_phone": "023 9200 0000",
                "referee_email": "jo@example.com", "with_children": "no"}),
            ),
            s(
                "work",
                2,
                json!({"status": "not_working", "with_children": "no"}),
            ),
            s(
                "health",
                1,
                json!({"disabled": "no", "conditions": "no", "gp_name": "Dr A Patel",
                "gp_practice": "Elm Tree Surgery", "gp_phone": "023 9200 2222", "gp_address": "1 Elm Rd"}),
            ),
            s(
                "health",
                2,
                json!({"disabled": "no", "conditions": "no", "gp_name": "Dr B Khan",
                "gp_practice": "Elm Tree Surgery", "gp_phone": "023 9200 2222", "gp_address": "1 Elm Rd"}),
            ),
            s(
                "history",
                1,
                json!({"applied_before": "no", "approved_recently": "no", "court": "no",
                "armed_forces": "yes", "council_link": "no"}),
            ),
            s(
                "history",
                2,
                json!({"applied_before": "yes", "applications": [{"when": my(3, 2025), "agency": "Hampshire Fostering", "outcome": "Approved"}],
                "approved_recently": "yes", "approved_service": "Hampshire Fostering", "court": "no",
                "armed_forces": "no", "council_link": "no"}),
            ),
            s(
                "referees",
                0,
                json!({"referees": [
                    {"kind": "family", "name": "Ann Jones", "relationship": "sister", "years_known": "40",
                     "email": "ann@example.com", "phone": "07700 900002", "address": "4 High St"},
                    {"kind": "personal", "name": "Zed Ali", "relationship": "neighbour", "years_known": "10",
                     "email": "zed@example.com", "phone": "07700 900001", "address": "3 High St"},
                    {"kind": "personal", "name": "Kay Green", "relationship": "friend from work", "years_known": "6",
                     "email": "kay@example.com", "phone": "07700 900004", "address": "5 High St"},
                ]}),
            ),
            s(
                "fostering",
                0,
                json!({"why": "To help", "types": ["short_term"], "age_from": "0",
                "age_to": "10", "how_many": "2"}),
            ),
            s(
                "consent",
                1,
                json!({"consent_checks": "yes", "consent_councils": "yes", "declaration": "yes"}),
            ),
            s(
                "consent",
                2,
                json!({"consent_checks": "yes", "consent_councils": "yes", "declaration": "yes"}),
            ),
        ]
    }

    fn check(
        kind: CheckKind,
        subject: &str,
        applicant: Option<i16>,
        email: Option<&str>,
        detail: Option<&str>,
    ) -> CheckSpec {
        CheckSpec {
            kind,
            subject: subject.to_string(),
            applicant,
            email: email.map(str::to_string),
            detail: detail.map(str::to_string),
        }
    }

    #[test]
    fn a_fixture_joint_application_generates_exactly_the_expected_list() {
        use CheckKind::*;
        // Received 10 March 2026: the window starts 10 March 2016. Sam left Southampton in
        // August 2014 and Edinburgh in 2008 (outside); Alex left Lyon in August 2014.
        let checks = run(&fixture(), day(2026, 3, 10));
        let expected = vec![
            check(Dbs, "Sam Jones", Some(1), Some("sam@example.com"), None),
            check(Dbs, "Alex Jones", Some(2), Some("alex@example.com"), None),
            check(
                Dbs,
                "Mia Jones",
                None,
                Some("mia@example.com"),
                Some("Lives in the household (daughter)"),
            ),
            check(
                LocalAuthority,
                "Portsmouth City Council (Sam Jones)",
                Some(1),
                None,
                Some("PO1 2AB, August 2014 to now"),
            ),
            check(
                LocalAuthority,
                "Portsmouth City Council (Alex Jones)",
                Some(2),
                None,
                Some("PO1 2AB, August 2014 to now"),
            ),
            check(
                Medical,
                "Sam Jones",
                Some(1),
                None,
                Some("Elm Tree Surgery (GP: Dr A Patel)"),
            ),
            check(
                Medical,
                "Alex Jones",
                Some(2),
                None,
                Some("Elm Tree Surgery (GP: Dr B Khan)"),
            ),
            check(
                PreviousPartner,
                "Claire Martin",
                Some(2),
                None,
                Some("Ended August 2006"),
            ),
            check(
                AdultChild,
                "Hugo Jones",
                Some(2),
                None,
                Some("Lives at 3 Rue Neuve, Lyon, France"),
            ),
            check(
                School,
                "Highbury Primary",
                None,
                None,
                Some("For Leo Jones"),
            ),
            check(
                Employer,
                "Solent NHS Trust (Sam Jones)",
                Some(1),
                Some("jo@example.com"),
                Some("Referee: Jo Bloggs, 023 9200 0000"),
            ),
            check(
                PreviousFosteringService,
                "Hampshire Fostering (Alex Jones)",
                Some(2),
                None,
                Some("Approved as a foster carer in the last 12 months"),
            ),
            check(ArmedForces, "Sam Jones", Some(1), None, None),
            check(Ofsted, "Sam Jones and Alex Jones", None, None, None),
            check(
                HomeSafety,
                "Sam Jones and Alex Jones",
                None,
                None,
                Some("1 High St, Portsmouth, PO1 2AB"),
            ),
            check(Pet, "Pets", None, None, Some("A dog")),
            check(
                LandlordConsent,
                "Harbour Lettings",
                None,
                None,
                Some("Rented privately; contact: 023 9200 1111"),
            ),
            check(
                PersonalReference,
                "Ann Jones (sister)",
                None,
                Some("ann@example.com"),
                Some("Family referee, known for 40 years"),
            ),
            check(
                PersonalReference,
                "Kay Green (friend from work)",
                None,
                Some("kay@example.com"),
                Some("Not related, known for 6 years"),
            ),
            check(
                PersonalReference,
                "Zed Ali (neighbour)",
                None,
                Some("zed@example.com"),
                Some("Not related, known for 10 years"),
            ),
        ];
        assert_eq!(checks, expected);

        // Received on 31 August 2024, Southampton (left August 2014) and Lyon are in the
        // window; Edinburgh (left September 2008) still is not.
        let earlier = run(&fixture(), day(2024, 8, 31));
        assert_eq!(
            subjects(&earlier, LocalAuthority),
            [
                "Portsmouth City Council (Sam Jones)",
                "Southampton City Council (Sam Jones)",
                "Portsmouth City Council (Alex Jones)"
            ]
        );
        assert_eq!(
            of(&earlier, Overseas),
            [check(
                Overseas,
                "France (Alex Jones)",
                Some(2),
                None,
                Some("Overseas: France, February 2005 to August 2014")
            )]
        );
    }

    #[test]
    fn check_specs_round_trip_through_json() {
        let checks = run(&fixture(), day(2026, 3, 10));
        let back: Vec<CheckSpec> =
            serde_json::from_value(serde_json::to_value(&checks).unwrap()).unwrap();
        assert_eq!(back, checks);
    }

    #[test]
    fn a_connected_person_case_checks_each_carer_every_adult_and_the_household() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let person = |name: &str, dob: Option<NaiveDate>, email: Option<&str>| ConnectedPerson {
            name: name.into(),
            date_of_birth: dob,
            email: email.map(str::to_string),
        };
        let carers = [
            person("Grace Okafor", None, Some("grace@example.org")),
            person("Tunde Okafor", None, None),
        ];
        let members = [
            // 18 on the day the case opens: an adult.
            person("Ada Okafor", NaiveDate::from_ymd_opt(2008, 12, 1), None),
            // 18 tomorrow: not yet.
            person("Femi Okafor", NaiveDate::from_ymd_opt(2008, 12, 2), None),
            person("Uncle Bayo", None, None),
        ];
        let got = generate_connected(
            &carers,
            &members,
            "Okafor household",
            Some("Portsmouth"),
            day,
        );
        let list: Vec<(CheckKind, &str, Option<i16>)> = got
            .iter()
            .map(|c| (c.kind, c.subject.as_str(), c.applicant))
            .collect();
        assert_eq!(
            list,
            vec![
                (CheckKind::Dbs, "Grace Okafor", Some(1)),
                (CheckKind::Dbs, "Tunde Okafor", Some(2)),
                (CheckKind::Dbs, "Ada Okafor", None),
                (CheckKind::Dbs, "Uncle Bayo", None),
                (
                    CheckKind::LocalAuthority,
                    "Portsmouth (Grace Okafor)",
                    Some(1)
                ),
                (
                    CheckKind::LocalAuthority,
                    "Portsmouth (Tunde Okafor)",
                    Some(2)
                ),
                (CheckKind::Medical, "Grace Okafor", Some(1)),
                (CheckKind::Medical, "Tunde Okafor", Some(2)),
                (CheckKind::Ofsted, "Okafor household", None),
                (CheckKind::HomeSafety, "Okafor household", None),
                (CheckKind::PersonalReference, "Personal referee 1", None),
                (CheckKind::PersonalReference, "Personal referee 2", None),
            ]
        );
        assert_eq!(got[0].email.as_deref(), Some("grace@example.org"));
        assert!(got[3]
            .detail
            .as_deref()
            .unwrap()
            .contains("Date of birth not recorded"));
        let unknown = generate_connected(&carers[..1], &[], "Okafor household", None, day);
        assert!(unknown
            .iter()
            .any(|c| c.subject == "Council not known (Grace Okafor)"));
        assert_eq!(unknown.len(), 7);
    }
}
