//! A section's answers as stored: a JSON object holding exactly the fields its spec names, as
//! typed (trimmed). Drafts may hold anything the person has got to; only a malformed answer
//! (an impossible date, a phone number that is not one) or a hostile one (an option we never
//! offered, too many items) stops a save.

use super::spec::{Field, Kind, Need};
use crate::error::FieldErrors;
use crate::ui::{parse_date, parse_month_year, DateParts};
use serde_json::{Map, Value};

pub type Answers = Map<String, Value>;

/// A text answer ("" when absent). A list posted where one value was expected reads as its
/// first value.
pub fn text<'a>(a: &'a Answers, name: &str) -> &'a str {
    match a.get(name) {
        Some(Value::String(s)) => s,
        Some(Value::Array(l)) => l.first().and_then(Value::as_str).unwrap_or(""),
        _ => "",
    }
}

/// A checkboxes answer.
pub fn list(a: &Answers, name: &str) -> Vec<String> {
    match a.get(name) {
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        Some(Value::Array(l)) => l
            .iter()
            .filter_map(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// A date's parts as typed.
pub fn date(a: &Answers, name: &str) -> DateParts {
    let part = |p: &str| match a.get(name) {
        Some(Value::Object(o)) => o.get(p).and_then(Value::as_str).unwrap_or("").to_string(),
        _ => String::new(),
    };
    DateParts {
        day: part("day"),
        month: part("month"),
        year: part("year"),
    }
}

/// A repeating group's items.
pub fn items(a: &Answers, name: &str) -> Vec<Answers> {
    match a.get(name) {
        Some(Value::Array(l)) => l
            .iter()
            .map(|v| v.as_object().cloned().unwrap_or_default())
            .collect(),
        // An indexed group not yet turned into a list: its items in index order.
        Some(Value::Object(o)) => {
            let mut keyed: Vec<(usize, Answers)> = o
                .iter()
                .filter_map(|(k, v)| Some((k.parse().ok()?, v.as_object()?.clone())))
                .collect();
            keyed.sort_by_key(|(i, _)| *i);
            keyed.into_iter().map(|(_, v)| v).collect()
        }
        _ => Vec::new(),
    }
}

/// True when nothing in the answers is filled in.
pub fn is_blank(a: &Answers) -> bool {
    a.values().all(value_blank)
}

fn value_blank(v: &Value) -> bool {
    match v {
        Value::String(s) => s.trim().is_empty(),
        Value::Array(l) => l.iter().all(value_blank),
        Value::Object(o) => o.values().all(value_blank),
        Value::Null => true,
        _ => false,
    }
}

/// True when the field's condition (if any) holds in `a`.
pub fn shown(field: &Field, a: &Answers) -> bool {
    match field.need.condition() {
        Some((on, values)) => values.contains(&text(a, on)),
        None => true,
    }
}

fn trimmed(s: &str) -> Value {
    Value::String(s.trim().to_string())
}

/// The answers `fields` asks for, taken from what was posted: unknown names dropped, text
/// trimmed, empty answers left out, and a field whose condition does not hold dropped (a
/// revealed question the person then closed again is not an answer).
pub fn clean(fields: &[Field], posted: &Answers) -> Answers {
    let mut out = Answers::new();
    for f in fields {
        let value = match f.kind {
            Kind::Group { fields: inner, .. } => {
                let kept: Vec<Value> = items(posted, f.name)
                    .iter()
                    .map(|item| Value::Object(clean(inner, item)))
                    .collect();
                (!kept.is_empty()).then_some(Value::Array(kept))
            }
            Kind::Date | Kind::MonthYear => {
                let d = date(posted, f.name);
                let mut o = Map::new();
                for (k, v) in [("day", d.day), ("month", d.month), ("year", d.year)] {
                    if !v.trim().is_empty() {
                        o.insert(k.into(), trimmed(&v));
                    }
                }
                (!o.is_empty()).then_some(Value::Object(o))
            }
            Kind::Checkboxes(_) => {
                let mut l = list(posted, f.name);
                l.dedup();
                (!l.is_empty()).then(|| Value::Array(l.into_iter().map(Value::String).collect()))
            }
            _ => {
                let t = text(posted, f.name).trim();
                (!t.is_empty()).then(|| trimmed(t))
            }
        };
        if let Some(v) = value {
            out.insert(f.name.to_string(), v);
        }
    }
    // Conditions read the cleaned answers, so a condition on a dropped field fails too.
    let keep: Vec<&str> = fields
        .iter()
        .filter(|f| !shown(f, &out))
        .map(|f| f.name)
        .collect();
    for name in keep {
        out.remove(name);
    }
    out
}

/// The posted name of `field` under `prefix` (`people[2][dob]`, or `dob` at the top).
pub fn key(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_string()
    } else {
        format!("{prefix}[{field}]")
    }
}

/// A National Insurance number's format: two letters (not D, F, I, Q, U or V; the second not
/// O; not BG, GB, KN, NK, NT, TN or ZZ), six digits and A, B, C or D. Spaces are ignored.
pub fn ni_number(typed: &str) -> Option<String> {
    let s: String = typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let b = s.as_bytes();
    if b.len() != 9 {
        return None;
    }
    let bad_first = b"DFIQUV";
    let bad_second = b"DFIQUVO";
    let ok = b[0].is_ascii_uppercase()
        && b[1].is_ascii_uppercase()
        && !bad_first.contains(&b[0])
        && !bad_second.contains(&b[1])
        && !["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(&&s[..2])
        && b[2..8].iter().all(u8::is_ascii_digit)
        && b"ABCD".contains(&b[8]);
    ok.then_some(s)
}

/// An email address's shape (the mail server is the final judge).
pub fn email_ok(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    s.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && !domain.contains('@')
}

/// A UK phone number, or +44.
pub fn phone_ok(s: &str) -> bool {
    s.len() <= 30 && crate::enquiries::rules::normalise_uk_phone(s).is_some()
}

/// A whole number within `min..=max`.
pub fn number(s: &str, min: u32, max: u32) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() || s.len() > 3 || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|n| (min..=max).contains(n))
}

/// Characters no one types: in one line, any control character; in several lines, any but the
/// line breaks and tabs a person does type (NUL, which PostgreSQL refuses, always).
fn forbidden(kind: Kind, t: &str) -> bool {
    match kind {
        Kind::LongText { .. } => {
            crate::text::has_forbidden_chars(&t.replace(['\n', '\r', '\t'], ""))
        }
        _ => crate::text::has_forbidden_chars(t),
    }
}

/// What a message calls the field: its label, or for a question "The date" or "The answer to
/// “…”", so no message reads "When did you move in? must be a real date".
fn subject(f: &Field) -> String {
    let label = f.label.trim_end_matches(" (optional)");
    match (label.ends_with('?'), f.kind) {
        (false, _) => label.to_string(),
        (true, Kind::Date | Kind::MonthYear) => "The date".to_string(),
        (true, _) => format!("The answer to \u{201c}{label}\u{201d}"),
    }
}

/// What stops these answers being saved at all: an answer in the wrong shape or too long, or
/// one no honest form could post. Empty answers are fine (a draft).
pub fn check_format(fields: &[Field], a: &Answers, prefix: &str, errors: &mut FieldErrors) {
    for f in fields {
        let k = key(prefix, f.name);
        let t = text(a, f.name);
        let label = subject(f);
        let label = label.as_str();
        match f.kind {
            Kind::Text { max } | Kind::LongText { max } => {
                if t.chars().count() > max {
                    errors.add(&k, format!("{label} must be {max} characters or fewer"));
                } else if forbidden(f.kind, t) {
                    errors.add(
                        &k,
                        format!("{label} must only include letters, numbers and punctuation"),
                    );
                }
            }
            Kind::Email if !t.is_empty() && !email_ok(t) => {
                errors.add(
                    &k,
                    "Enter an email address in the correct format, like name@example.com",
                );
            }
            Kind::Phone if !t.is_empty() && !phone_ok(t) => {
                errors.add(
                    &k,
                    "Enter a UK phone number, like 07700 900 982, or one starting +44",
                );
            }
            Kind::NiNumber if !t.is_empty() && ni_number(t).is_none() => {
                errors.add(
                    &k,
                    "Enter a National Insurance number in the correct format, like QQ 12 34 56 C",
                );
            }
            Kind::Number { min, max } if !t.is_empty() && number(t, min, max).is_none() => {
                errors.add(
                    &k,
                    format!("{label} must be a whole number from {min} to {max}"),
                );
            }
            Kind::Date | Kind::MonthYear => {
                let d = date(a, f.name);
                let typed = !(d.day.is_empty() && d.month.is_empty() && d.year.is_empty());
                let parsed = if matches!(f.kind, Kind::Date) {
                    parse_date(label, &d)
                } else {
                    parse_month_year(label, &d)
                };
                if let (true, Err(m)) = (typed, &parsed) {
                    errors.add(&k, m.clone());
                } else if let Ok(day) = parsed {
                    if chrono::Datelike::year(&day) < 1900 {
                        errors.add(&k, format!("{label} must be after 1900"));
                    }
                }
            }
            Kind::Radios(options) | Kind::Select(options)
                if !t.is_empty() && !options.iter().any(|(v, _)| *v == t) =>
            {
                errors.add(&k, "Select one of the options");
            }
            Kind::Checkboxes(options) => {
                let l = list(a, f.name);
                if l.len() > options.len() || l.iter().any(|c| !options.iter().any(|(v, _)| v == c))
                {
                    errors.add(&k, "Select from the options listed");
                }
            }
            Kind::Tick(_) if !t.is_empty() && t != "yes" => {
                errors.add(&k, "Select from the options listed");
            }
            Kind::Group {
                item,
                max,
                fields: inner,
            } => {
                let list = items(a, f.name);
                if list.len() > max {
                    errors.add(
                        &k,
                        format!("You can add up to {max} – remove a {}", item.to_lowercase()),
                    );
                }
                for (i, it) in list.iter().enumerate().take(max) {
                    check_format(inner, it, &format!("{k}[{i}]"), errors);
                }
            }
            _ => {}
        }
    }
}

/// What is still needed for completion, by the spec alone: needed answers that are missing, and
/// a needed group with no filled-in item. Items left blank are ignored.
pub fn check_needed(fields: &[Field], a: &Answers, prefix: &str, errors: &mut FieldErrors) {
    for f in fields {
        let k = key(prefix, f.name);
        let needed = f.need.required() && shown(f, a);
        match f.kind {
            Kind::Group { fields: inner, .. } => {
                let list = items(a, f.name);
                let filled: Vec<(usize, &Answers)> = list
                    .iter()
                    .enumerate()
                    .filter(|(_, it)| !is_blank(it))
                    .collect();
                if needed && filled.is_empty() {
                    errors.add(&k, f.missing);
                }
                for (i, it) in filled {
                    check_needed(inner, it, &format!("{k}[{i}]"), errors);
                }
            }
            Kind::Date | Kind::MonthYear => {
                let d = date(a, f.name);
                if needed && d.day.is_empty() && d.month.is_empty() && d.year.is_empty() {
                    errors.add(&k, f.missing);
                }
            }
            Kind::Checkboxes(_) => {
                if needed && list(a, f.name).is_empty() {
                    errors.add(&k, f.missing);
                }
            }
            _ => {
                if needed && text(a, f.name).is_empty() {
                    errors.add(&k, f.missing);
                }
            }
        }
    }
}

/// The filled-in items of a group with their positions (errors name an item by its position).
pub fn filled_items(a: &Answers, name: &str) -> Vec<(usize, Answers)> {
    items(a, name)
        .into_iter()
        .enumerate()
        .filter(|(_, it)| !is_blank(it))
        .collect()
}

/// Drops items left blank from every group (on "Save and continue": an empty "Add another" box
/// is not an answer), keeping one empty item where a group would otherwise vanish.
pub fn drop_blank_items(fields: &[Field], a: &mut Answers) {
    for f in fields {
        if let Kind::Group { .. } = f.kind {
            if let Some(Value::Array(l)) = a.get_mut(f.name) {
                l.retain(|v| !value_blank(v));
                if l.is_empty() {
                    a.remove(f.name);
                }
            }
        }
    }
}

/// Whether `f` is a needed field (used by the page to mark optional ones).
pub fn optional(f: &Field) -> bool {
    matches!(f.need, Need::Optional | Need::OptionalWhen(..))
}
