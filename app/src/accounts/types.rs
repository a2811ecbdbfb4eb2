use serde::{Deserialize, Serialize};

/// What a household member is in the journey. One account moves from applicant to carer on
/// approval; it never becomes staff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberKind {
    Applicant,
    Carer,
}

impl MemberKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberKind::Applicant => "applicant",
            MemberKind::Carer => "carer",
        }
    }

    pub fn parse(s: &str) -> Option<MemberKind> {
        [MemberKind::Applicant, MemberKind::Carer]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// The signed-in household member, as their pages and server functions see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentMember {
    pub member_account_id: String,
    pub full_name: String,
    pub email: String,
    pub kind: MemberKind,
    pub council_name: String,
}

/// Asking for a sign-in link: one question.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinkRequestForm {
    pub email: String,
}

/// The button on an opened sign-in link: the token travels in a hidden field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinkSignInForm {
    pub token: String,
}

/// Signing out has no answers; the form is only its button.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSignOutForm {}

/// A referee's answers (a placeholder form until the assessment issue shapes it); the token
/// travels in a hidden field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RefereeForm {
    pub token: String,
    pub how_known: String,
    pub anything_else: String,
}

/// What a form link allows now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormLinkStatus {
    /// The form may be filled in and submitted.
    Open,
    /// Submitted already: the answers are with us.
    Submitted,
    /// Past its date, or not a link we made (the two are not told apart).
    Expired,
}

/// Staff: a referee link to make for a subject (an application).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewRefereeLink {
    pub subject_id: String,
    pub holder_email: String,
}
