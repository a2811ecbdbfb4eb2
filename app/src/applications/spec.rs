//! What an application section is made of, as data: its fields, what each accepts and when each
//! is needed. One renderer (`form_view`), one checker (`rules`), one "check your answers" page
//! and one CSV export read these, so a section is added or changed here and nowhere else.

/// Whose answers a section holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One set of answers for the household; either applicant may fill it in.
    Household,
    /// One set per applicant; each answers their own.
    EachApplicant,
    /// The household's, asked only of joint applicants.
    JointOnly,
}

/// `(value, label)` options of a choice.
pub type Options = &'static [(&'static str, &'static str)];

/// What a field accepts.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// One line of text, at most `max` characters.
    Text {
        max: usize,
    },
    /// Several lines, at most `max` characters, with a character count.
    LongText {
        max: usize,
    },
    Email,
    /// A UK number, or +44.
    Phone,
    /// A National Insurance number (two letters, six digits, a letter A to D).
    NiNumber,
    /// A whole number between `min` and `max`.
    Number {
        min: u32,
        max: u32,
    },
    /// Day, month and year.
    Date,
    /// Month and year (when someone moved, when something ended).
    MonthYear,
    Radios(Options),
    Checkboxes(Options),
    Select(Options),
    /// One checkbox with this text, posted as `yes` when ticked.
    Tick(&'static str),
    /// A repeating group ("Add another"): each item has `fields`.
    Group {
        item: &'static str,
        max: usize,
        fields: &'static [Field],
    },
}

/// When a field must be answered for the section to be complete.
#[derive(Clone, Copy, Debug)]
pub enum Need {
    Required,
    Optional,
    /// Required (and shown, and kept) only when the field named (beside this one, in the same
    /// group) has one of these values; otherwise ignored.
    When(&'static str, &'static [&'static str]),
    /// Optional, and shown and kept only under that condition.
    OptionalWhen(&'static str, &'static [&'static str]),
}

impl Need {
    /// The condition this field depends on, if any.
    pub fn condition(self) -> Option<(&'static str, &'static [&'static str])> {
        match self {
            Need::When(f, v) | Need::OptionalWhen(f, v) => Some((f, v)),
            _ => None,
        }
    }

    pub const fn required(self) -> bool {
        matches!(self, Need::Required | Need::When(..))
    }
}

/// One question.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The posted name (within its group for a group's fields).
    pub name: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub kind: Kind,
    pub need: Need,
    /// The message when a needed answer is missing, in GOV.UK's style ("Enter your first name").
    pub missing: &'static str,
}

/// A field needed for completion.
pub const fn req(
    name: &'static str,
    label: &'static str,
    kind: Kind,
    missing: &'static str,
) -> Field {
    Field {
        name,
        label,
        hint: None,
        kind,
        need: Need::Required,
        missing,
    }
}

/// A field that may stay empty.
pub const fn opt(name: &'static str, label: &'static str, kind: Kind) -> Field {
    Field {
        name,
        label,
        hint: None,
        kind,
        need: Need::Optional,
        missing: "",
    }
}

impl Field {
    pub const fn hint(mut self, hint: &'static str) -> Field {
        self.hint = Some(hint);
        self
    }

    /// Needed only when `field` is one of `values`.
    pub const fn when(mut self, field: &'static str, values: &'static [&'static str]) -> Field {
        self.need = if self.need.required() {
            Need::When(field, values)
        } else {
            Need::OptionalWhen(field, values)
        };
        self
    }

    /// The options of a choice, or none.
    pub fn options(&self) -> Options {
        match self.kind {
            Kind::Radios(o) | Kind::Checkboxes(o) | Kind::Select(o) => o,
            _ => &[],
        }
    }

    /// The most items a group takes (1 for "Your current address").
    pub fn kind_max(&self) -> usize {
        match self.kind {
            Kind::Group { max, .. } => max,
            _ => 1,
        }
    }

    /// The label of a chosen value.
    pub fn option_label(&self, value: &str) -> Option<&'static str> {
        self.options()
            .iter()
            .find(|(v, _)| *v == value)
            .map(|(_, l)| *l)
    }
}

/// One task of the task list.
#[derive(Clone, Copy, Debug)]
pub struct Section {
    /// In the address: `/account/application/{code}`.
    pub code: &'static str,
    pub title: &'static str,
    /// One line under the title on the section's page.
    pub intro: &'static str,
    pub scope: Scope,
    pub fields: &'static [Field],
}

impl Section {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn per_applicant(&self) -> bool {
        self.scope == Scope::EachApplicant
    }
}

pub const YES_NO: Options = &[("yes", "Yes"), ("no", "No")];
