//! Parse, don't validate: an `EnquiryForm` becomes a `ValidEnquiry` or a list of field messages.

use super::{rules, EnquiryForm, FIELDS, HEARD_ABOUT, INTERESTS, OTHER_AREA, SPARE_BEDROOM};
use crate::error::FieldErrors;
use uuid::Uuid;
use validator::{Validate, ValidationErrors};

/// An enquiry that has passed every rule. Only `parse` builds one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidEnquiry {
    pub full_name: String,
    /// Lower-cased, for matching repeat enquiries.
    pub email: String,
    pub phone: String,
    pub postcode: String,
    /// `None` when they live outside the member councils.
    pub council_code: Option<String>,
    pub spare_bedroom: String,
    pub interests: Vec<String>,
    pub heard_about: String,
    pub source: Option<String>,
    pub submission_key: Uuid,
}

/// The length and format rules, checked by `validator`.
#[derive(Validate)]
struct Lengths<'a> {
    #[validate(length(max = 100, message = "Full name must be 100 characters or fewer"))]
    full_name: &'a str,
    #[validate(length(max = 254, message = "Email address must be 254 characters or fewer"))]
    #[validate(email(
        message = "Enter an email address in the correct format, like name@example.com"
    ))]
    email: &'a str,
}

fn add_validator_errors(errors: &mut FieldErrors, found: ValidationErrors) {
    for (field, list) in found.field_errors() {
        for e in list {
            if let Some(message) = &e.message {
                errors.add(field.as_ref(), message.to_string());
            }
        }
    }
}

pub fn parse(form: &EnquiryForm) -> Result<ValidEnquiry, FieldErrors> {
    let mut errors = FieldErrors::default();
    let full_name = form.full_name.trim();
    let email = form.email.trim();

    // Characters nobody types are refused before anything else looks at the text.
    for (field, value, label) in [
        ("full_name", full_name, "Full name"),
        ("email", email, "Email address"),
        ("phone", form.phone.as_str(), "Phone number"),
        ("postcode", form.postcode.as_str(), "Postcode"),
    ] {
        if crate::text::has_forbidden_chars(value) {
            errors.add(
                field,
                format!("{label} must only include letters, numbers and punctuation"),
            );
        }
    }

    // Empty fields first: "Enter your name" is clearer than a format message.
    if full_name.is_empty() {
        errors.add("full_name", "Enter your full name");
    }
    if email.is_empty() {
        errors.add("email", "Enter your email address");
    }
    if let Err(found) = (Lengths { full_name, email }).validate() {
        add_validator_errors(&mut errors, found);
    }

    let phone = match form.phone.trim() {
        "" => {
            errors.add("phone", "Enter a phone number");
            None
        }
        p if p.len() > 30 => {
            errors.add("phone", "Enter a UK phone number, like 07700 900 982");
            None
        }
        p => rules::normalise_uk_phone(p).or_else(|| {
            errors.add("phone", "Enter a UK phone number, like 07700 900 982");
            None
        }),
    };

    let postcode = match form.postcode.trim() {
        "" => {
            errors.add("postcode", "Enter your postcode");
            None
        }
        p => rules::normalise_postcode(p).or_else(|| {
            errors.add("postcode", "Enter a real UK postcode, like PO1 2AB");
            None
        }),
    };

    let council_code = match form.council.as_str() {
        "" => {
            errors.add("council", "Select the council area you live in");
            None
        }
        OTHER_AREA => Some(None),
        code if code.len() <= 40 => Some(Some(code.to_string())),
        _ => {
            errors.add("council", "Select the council area you live in");
            None
        }
    };

    if !SPARE_BEDROOM.iter().any(|(v, _)| *v == form.spare_bedroom) {
        errors.add("spare_bedroom", "Select whether you have a spare bedroom");
    }

    if form.interests.is_empty() {
        errors.add(
            "interests",
            "Select the kinds of fostering you are interested in, or \u{201c}I'm not sure yet\u{201d}",
        );
    } else if form.interests.len() > INTERESTS.len()
        || form
            .interests
            .iter()
            .any(|i| !INTERESTS.iter().any(|(v, _)| v == i))
    {
        errors.add("interests", "Select from the kinds of fostering listed");
    }

    if !HEARD_ABOUT.iter().any(|(v, _)| *v == form.heard_about) {
        errors.add(
            "heard_about",
            "Select how you heard about fostering with us",
        );
    }

    if !form.consent {
        errors.add(
            "consent",
            "Tell us we can contact you about fostering, so we can reply to your enquiry",
        );
    }

    // Hidden fields: a tampered value is not the person's fault, so they get a fresh key and a
    // source-less enquiry rather than an error they cannot fix.
    let submission_key = Uuid::parse_str(&form.submission_key).unwrap_or_else(|_| Uuid::new_v4());
    let source = clean_source(&form.source);

    if !errors.is_empty() {
        return Err(errors.sorted_by(FIELDS));
    }
    let mut interests = form.interests.clone();
    interests.sort();
    interests.dedup();
    Ok(ValidEnquiry {
        full_name: full_name.to_string(),
        email: email.to_lowercase(),
        phone: phone.unwrap_or_default(),
        postcode: postcode.unwrap_or_default(),
        council_code: council_code.flatten(),
        spare_bedroom: form.spare_bedroom.clone(),
        interests,
        heard_about: form.heard_about.clone(),
        source,
        submission_key,
    })
}

/// Campaign sources are short slugs such as `spring-radio`; anything else is dropped.
pub fn clean_source(raw: &str) -> Option<String> {
    let s = raw.trim();
    let ok = !s.is_empty()
        && s.len() <= 60
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    ok.then(|| s.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> EnquiryForm {
        EnquiryForm {
            full_name: "Ann Smith".into(),
            email: "Ann@Example.org".into(),
            phone: "07700 900123".into(),
            postcode: "po1 2ab".into(),
            council: "portsmouth".into(),
            spare_bedroom: "yes".into(),
            interests: vec!["long_term".into(), "short_breaks".into()],
            heard_about: "radio_tv".into(),
            consent: true,
            source: "Spring-Radio".into(),
            submission_key: Uuid::new_v4().to_string(),
        }
    }

    #[test]
    fn a_complete_enquiry_is_accepted_and_normalised() {
        let v = parse(&good()).unwrap();
        assert_eq!(v.email, "ann@example.org");
        assert_eq!(v.postcode, "PO1 2AB");
        assert_eq!(v.phone, "07700900123");
        assert_eq!(v.council_code.as_deref(), Some("portsmouth"));
        assert_eq!(v.source.as_deref(), Some("spring-radio"));
    }

    #[test]
    fn an_empty_form_gets_one_message_per_field_in_form_order() {
        let errors = parse(&EnquiryForm::default()).unwrap_err();
        let fields: Vec<&str> = errors.fields.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, FIELDS);
        assert_eq!(errors.get("full_name"), Some("Enter your full name"));
    }

    #[test]
    fn someone_outside_the_region_can_enquire() {
        let mut f = good();
        f.council = OTHER_AREA.into();
        assert_eq!(parse(&f).unwrap().council_code, None);
    }

    #[test]
    fn an_overlong_name_and_bad_email_are_explained() {
        let mut f = good();
        f.full_name = "x".repeat(101);
        f.email = "not-an-email".into();
        let e = parse(&f).unwrap_err();
        assert_eq!(
            e.get("full_name"),
            Some("Full name must be 100 characters or fewer")
        );
        assert!(e.get("email").unwrap().contains("correct format"));
    }

    #[test]
    fn unknown_choices_and_hostile_text_are_refused() {
        let mut f = good();
        f.interests = vec!["'; drop table enquiry; --".into()];
        f.heard_about = "<script>".into();
        f.full_name = "Ann\0".into();
        let e = parse(&f).unwrap_err();
        assert!(e.get("interests").is_some());
        assert!(e.get("heard_about").is_some());
        assert!(e.get("full_name").is_some());
    }

    #[test]
    fn a_tampered_source_is_dropped_not_stored() {
        let mut f = good();
        f.source = "<img src=x onerror=alert(1)>".into();
        assert_eq!(parse(&f).unwrap().source, None);
    }
}
