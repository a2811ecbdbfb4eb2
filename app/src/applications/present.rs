//! Answers as a person reads them back: dates in words, options by their labels, each group's
//! items numbered. One function serves "Check your answers", the staff's copy and the CSV.

use super::answers::{self, date, items, list, shown, text, Answers};
use super::spec::{Field, Kind};
use super::types::AnswerRow;
use crate::ui::{field_id, parse_date, parse_month_year};

pub const NOT_ANSWERED: &str = "Not answered";

fn value(f: &Field, a: &Answers) -> String {
    let t = text(a, f.name);
    let v = match f.kind {
        Kind::Date => {
            let d = date(a, f.name);
            match parse_date("Date", &d) {
                Ok(day) => day.format("%-d %B %Y").to_string(),
                Err(_) => [d.day, d.month, d.year].join(" ").trim().to_string(),
            }
        }
        Kind::MonthYear => {
            let d = date(a, f.name);
            match parse_month_year("Date", &d) {
                Ok(day) => day.format("%B %Y").to_string(),
                Err(_) => [d.month, d.year].join(" ").trim().to_string(),
            }
        }
        Kind::Radios(_) | Kind::Select(_) => f.option_label(t).unwrap_or(t).to_string(),
        Kind::Checkboxes(_) => list(a, f.name)
            .iter()
            .map(|v| f.option_label(v).unwrap_or(v).to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Kind::Tick(_) => match t {
            "yes" => "Yes".into(),
            _ => String::new(),
        },
        Kind::NiNumber => answers::ni_number(t).unwrap_or_else(|| t.to_string()),
        _ => t.to_string(),
    };
    if v.is_empty() {
        NOT_ANSWERED.into()
    } else {
        v
    }
}

/// Every shown answer of `fields`, labelled (a group's items as "Person 1: First name").
pub fn rows(fields: &[Field], a: &Answers, prefix: &str, heading: &str) -> Vec<AnswerRow> {
    let mut out = Vec::new();
    for f in fields.iter().filter(|f| shown(f, a)) {
        let name = answers::key(prefix, f.name);
        let label = if heading.is_empty() {
            f.label.to_string()
        } else {
            format!("{heading}: {}", f.label)
        };
        match f.kind {
            Kind::Group {
                item,
                fields: inner,
                ..
            } => {
                let list: Vec<Answers> = items(a, f.name)
                    .into_iter()
                    .filter(|it| !answers::is_blank(it))
                    .collect();
                if list.is_empty() {
                    out.push(AnswerRow {
                        label: item.to_string(),
                        value: "None given".into(),
                        field_id: field_id(&name),
                    });
                }
                for (i, it) in list.iter().enumerate() {
                    let heading = if f.kind_max() == 1 {
                        item.to_string()
                    } else {
                        format!("{item} {}", i + 1)
                    };
                    out.extend(rows(inner, it, &format!("{name}[{i}]"), &heading));
                }
            }
            _ => out.push(AnswerRow {
                label,
                value: value(f, a),
                field_id: field_id(&name),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::applications::sections::section;
    use serde_json::json;

    fn answers(v: serde_json::Value) -> Answers {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn dates_read_in_words_and_options_by_their_labels() {
        let s = section("about-you").unwrap();
        let a = answers(json!({
            "first_name": "Siân",
            "dob": {"day": "29", "month": "2", "year": "1984"},
            "ethnicity": "white_irish",
            "other_names_used": "no",
        }));
        let r = rows(s.fields, &a, "", "");
        let find = |l: &str| r.iter().find(|x| x.label == l).unwrap().value.clone();
        assert_eq!(find("First name"), "Siân");
        assert_eq!(find("Date of birth"), "29 February 1984");
        assert_eq!(find("Ethnic group"), "White: Irish");
        assert_eq!(find("Last name"), NOT_ANSWERED);
        // A question hidden by the answer before it is not shown.
        assert!(r.iter().all(|x| !x.label.starts_with("Other name")));
    }

    #[test]
    fn group_items_are_numbered_and_link_to_their_own_fields() {
        let s = section("household").unwrap();
        let a = answers(json!({
            "anyone_else": "yes",
            "people": [{"first_name": "Zoë"}, {"first_name": "李"}],
        }));
        let r = rows(s.fields, &a, "", "");
        let second = r
            .iter()
            .find(|x| x.label == "Person 2: First name")
            .unwrap();
        assert_eq!(second.value, "李");
        assert_eq!(second.field_id, "people-1-first_name");
    }
}
