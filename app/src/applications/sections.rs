//! The application's sections and their questions, in the order of the task list. They follow a
//! council's real online application, Form F (Section A, part 1) and councils' check lists.
//! Rules beyond "needed or not" (ages, the 10-year address history, referees) are in `rules`.

use super::spec::{opt, req, Kind, Options, Scope, Section, YES_NO};

const GENDER: Options = &[
    ("female", "Female"),
    ("male", "Male"),
    ("other", "In another way"),
    ("not_said", "Prefer not to say"),
];

/// The ONS 2021 census ethnic groups (England), grouped as the census asks them.
pub const ETHNICITY: Options = &[
    ("asian_bangladeshi", "Asian or Asian British: Bangladeshi"),
    ("asian_chinese", "Asian or Asian British: Chinese"),
    ("asian_indian", "Asian or Asian British: Indian"),
    ("asian_pakistani", "Asian or Asian British: Pakistani"),
    ("asian_other", "Asian or Asian British: any other Asian background"),
    ("black_african", "Black, Black British, Caribbean or African: African"),
    ("black_caribbean", "Black, Black British, Caribbean or African: Caribbean"),
    ("black_other", "Black, Black British, Caribbean or African: any other Black, Black British or Caribbean background"),
    ("mixed_white_asian", "Mixed or multiple ethnic groups: White and Asian"),
    ("mixed_white_black_african", "Mixed or multiple ethnic groups: White and Black African"),
    ("mixed_white_black_caribbean", "Mixed or multiple ethnic groups: White and Black Caribbean"),
    ("mixed_other", "Mixed or multiple ethnic groups: any other Mixed or multiple ethnic background"),
    ("white_british", "White: English, Welsh, Scottish, Northern Irish or British"),
    ("white_irish", "White: Irish"),
    ("white_gypsy_traveller", "White: Gypsy or Irish Traveller"),
    ("white_roma", "White: Roma"),
    ("white_other", "White: any other White background"),
    ("other_arab", "Other ethnic group: Arab"),
    ("other_any", "Other ethnic group: any other ethnic group"),
    ("not_said", "Prefer not to say"),
];

/// The ONS 2021 census religion question's answers.
const RELIGION: Options = &[
    ("none", "No religion"),
    ("christian", "Christian"),
    ("buddhist", "Buddhist"),
    ("hindu", "Hindu"),
    ("jewish", "Jewish"),
    ("muslim", "Muslim"),
    ("sikh", "Sikh"),
    ("other", "Any other religion"),
    ("not_said", "Prefer not to say"),
];

const NAME: Kind = Kind::Text { max: 100 };
const LINE: Kind = Kind::Text { max: 200 };
const SHORT: Kind = Kind::Text { max: 60 };

const ABOUT_YOU: Section = Section {
    code: "about-you",
    title: "About you",
    intro:
        "Your own details. If you are applying with a partner, they answer this about themselves.",
    scope: Scope::EachApplicant,
    fields: &[
        req("first_name", "First name", NAME, "Enter your first name")
            .hint("Include any middle names"),
        req("last_name", "Last name", NAME, "Enter your last name"),
        req(
            "dob",
            "Date of birth",
            Kind::Date,
            "Enter your date of birth",
        )
        .hint("For example, 27 3 1985"),
        req(
            "other_names_used",
            "Have you ever been known by another name?",
            Kind::Radios(YES_NO),
            "Select yes if you have ever been known by another name",
        )
        .hint("For example, a name before marriage"),
        req(
            "other_names",
            "Other name",
            Kind::Group {
                item: "Other name",
                max: 6,
                fields: &[
                    req("name", "Full name", NAME, "Enter the other name"),
                    req(
                        "changed",
                        "When did you stop using it?",
                        Kind::MonthYear,
                        "Enter when you stopped using this name",
                    )
                    .hint("For example, 6 2012"),
                ],
            },
            "Add the other names you have used",
        )
        .when("other_names_used", &["yes"]),
        req(
            "country_of_birth",
            "Country of birth",
            SHORT,
            "Enter your country of birth",
        ),
        req(
            "nationality",
            "Nationality",
            SHORT,
            "Enter your nationality",
        ),
        req(
            "ethnicity",
            "Ethnic group",
            Kind::Select(ETHNICITY),
            "Select your ethnic group",
        ),
        req(
            "gender",
            "Gender",
            Kind::Radios(GENDER),
            "Select your gender",
        ),
        req(
            "religion",
            "Religion or faith",
            Kind::Select(RELIGION),
            "Select your religion or faith, or that you have none",
        ),
        req(
            "ni_number",
            "National Insurance number",
            Kind::NiNumber,
            "Enter your National Insurance number",
        )
        .hint("It is on your National Insurance card, payslip or P60. For example, QQ 12 34 56 C"),
        req("phone", "Phone number", Kind::Phone, "Enter a phone number")
            .hint("A UK number, or one starting +44"),
        req(
            "email",
            "Email address",
            Kind::Email,
            "Enter your email address",
        ),
    ],
};

const LANGUAGES: Section = Section {
    code: "languages",
    title: "Languages spoken at home",
    intro: "So we can match children who share your languages.",
    scope: Scope::Household,
    fields: &[
        req(
            "main_language",
            "Main language spoken at home",
            SHORT,
            "Enter the main language spoken at home",
        ),
        opt(
            "other_languages",
            "Other languages spoken at home (optional)",
            LINE,
        ),
    ],
};

const RELATIONSHIP: Section = Section {
    code: "relationship",
    title: "Your relationship",
    intro: "For joint applicants: how long you have been together.",
    scope: Scope::JointOnly,
    fields: &[
        req(
            "status",
            "Are you married, in a civil partnership, or living together?",
            Kind::Radios(&[
                ("married", "Married"),
                ("civil_partnership", "In a civil partnership"),
                ("living_together", "Living together"),
            ]),
            "Select whether you are married, in a civil partnership or living together",
        ),
        req(
            "since",
            "Date of your marriage or civil partnership",
            Kind::Date,
            "Enter the date of your marriage or civil partnership",
        )
        .when("status", &["married", "civil_partnership"]),
        req(
            "moved_in",
            "When did you move in together?",
            Kind::MonthYear,
            "Enter the month and year you moved in together",
        )
        .hint("For example, 6 2015")
        .when("status", &["living_together"]),
    ],
};

const HOME: Section = Section {
    code: "home",
    title: "Your home",
    intro: "Where a child would live with you.",
    scope: Scope::Household,
    fields: &[
        req(
            "spare_bedroom",
            "Do you have a spare bedroom?",
            Kind::Radios(&[
                ("yes", "Yes"),
                ("no", "No"),
                ("not_yet", "Not yet, but I will have"),
            ]),
            "Select whether you have a spare bedroom",
        ),
        req(
            "tenure",
            "Do you own or rent your home?",
            Kind::Radios(&[
                ("owned", "We own it (outright or with a mortgage)"),
                ("social", "Rented from the council or a housing association"),
                ("private", "Rented privately"),
            ]),
            "Select whether you own or rent your home",
        ),
        req(
            "landlord_name",
            "Landlord's name",
            NAME,
            "Enter your landlord's name",
        )
        .hint("We ask your landlord's consent before a child lives with you")
        .when("tenure", &["social", "private"]),
        req(
            "landlord_contact",
            "Landlord's phone, email or address",
            LINE,
            "Enter how we can contact your landlord",
        )
        .when("tenure", &["social", "private"]),
        req(
            "pets",
            "Do you have any pets?",
            Kind::Radios(YES_NO),
            "Select yes if you have any pets",
        ),
        req(
            "pets_details",
            "What pets, and how many?",
            LINE,
            "Enter what pets you have and how many",
        )
        .hint("For example, 2 cats and a dog")
        .when("pets", &["yes"]),
    ],
};

const HOUSEHOLD: Section = Section {
    code: "household",
    title: "Who lives with you",
    intro:
        "Everyone else who lives in your home, adults and children. Do not include the applicants.",
    scope: Scope::Household,
    fields: &[
        req(
            "anyone_else",
            "Does anyone else live with you?",
            Kind::Radios(YES_NO),
            "Select yes if anyone else lives with you",
        ),
        req(
            "people",
            "Person",
            Kind::Group {
                item: "Person",
                max: 8,
                fields: &[
                    req("first_name", "First name", NAME, "Enter their first name"),
                    req("last_name", "Last name", NAME, "Enter their last name"),
                    req(
                        "dob",
                        "Date of birth",
                        Kind::Date,
                        "Enter their date of birth",
                    ),
                    req(
                        "gender",
                        "Gender",
                        Kind::Radios(GENDER),
                        "Select their gender",
                    ),
                    req(
                        "relationship",
                        "Relationship to you",
                        SHORT,
                        "Enter how they are related to you",
                    )
                    .hint("For example, son, mother, lodger"),
                    opt("email", "Email address (adults 18 or over)", Kind::Email).hint(
                        "Everyone 18 or over has their own DBS check: we email them to start it",
                    ),
                    opt("school", "School or nursery (children under 18)", LINE),
                ],
            },
            "Add the people who live with you",
        )
        .when("anyone_else", &["yes"]),
    ],
};

const AGE_GROUP: Options = &[("under_18", "Under 18"), ("adult", "18 or over")];

const CHILDREN_ELSEWHERE: Section = Section {
    code: "children-elsewhere",
    title: "Children who live elsewhere",
    intro: "Your children, of any age, who do not live with you.",
    scope: Scope::EachApplicant,
    fields: &[
        req(
            "any",
            "Do you have children who do not live with you?",
            Kind::Radios(YES_NO),
            "Select yes if you have children who do not live with you",
        ),
        req(
            "children",
            "Child",
            Kind::Group {
                item: "Child",
                max: 10,
                fields: &[
                    req("first_name", "First name", NAME, "Enter their first name"),
                    req("last_name", "Last name", NAME, "Enter their last name"),
                    req(
                        "gender",
                        "Gender",
                        Kind::Radios(GENDER),
                        "Select their gender",
                    ),
                    req(
                        "dob",
                        "Date of birth",
                        Kind::Date,
                        "Enter their date of birth",
                    ),
                    req(
                        "age_group",
                        "Are they under 18, or 18 or over?",
                        Kind::Radios(AGE_GROUP),
                        "Select whether they are under 18, or 18 or over",
                    ),
                    req(
                        "line1",
                        "Address line 1",
                        LINE,
                        "Enter the first line of their address",
                    ),
                    opt("line2", "Address line 2 (optional)", LINE),
                    req("town", "Town or city", SHORT, "Enter their town or city"),
                    opt("county", "County, state or province (optional)", SHORT),
                    req("country", "Country", SHORT, "Enter their country"),
                    opt(
                        "postcode",
                        "Postcode or ZIP code (optional)",
                        Kind::Text { max: 12 },
                    ),
                ],
            },
            "Add your children who live elsewhere",
        )
        .when("any", &["yes"]),
    ],
};

const PREVIOUS_PARTNERS: Section = Section {
    code: "previous-partners",
    title: "Previous partners",
    intro: "People you lived with or had a child with. We may ask them for a reference.",
    scope: Scope::EachApplicant,
    fields: &[
        req(
            "any",
            "Have you had a previous partner you lived with or had a child with?",
            Kind::Radios(&[("yes", "Yes"), ("none", "No, none")]),
            "Select yes if you have had a previous partner, or no if none",
        ),
        req(
            "partners",
            "Previous partner",
            Kind::Group {
                item: "Previous partner",
                max: 10,
                fields: &[
                    req("name", "Full name", NAME, "Enter their full name"),
                    req(
                        "ended",
                        "When did the relationship end?",
                        Kind::MonthYear,
                        "Enter when the relationship ended",
                    )
                    .hint("For example, 3 2016"),
                    opt(
                        "contact",
                        "Their address, phone or email, if you know them (optional)",
                        LINE,
                    ),
                ],
            },
            "Add your previous partners",
        )
        .when("any", &["yes"]),
    ],
};

/// An address's fields; a postcode is optional (many countries have none).
const ADDRESS: &[super::spec::Field] = &[
    req(
        "line1",
        "Address line 1",
        LINE,
        "Enter the first line of the address",
    ),
    opt("line2", "Address line 2 (optional)", LINE),
    req("town", "Town or city", SHORT, "Enter the town or city"),
    opt("county", "County, state or province (optional)", SHORT),
    req("country", "Country", SHORT, "Enter the country"),
    opt(
        "postcode",
        "Postcode or ZIP code (optional)",
        Kind::Text { max: 12 },
    ),
    req(
        "moved_in",
        "When did you move in?",
        Kind::MonthYear,
        "Enter the month and year you moved in",
    )
    .hint("For example, 9 2019"),
];

const ADDRESSES: Section = Section {
    code: "addresses",
    title: "Where you have lived",
    intro: "Every address you have lived at in the last 10 years, including abroad. We check with each council you lived in.",
    scope: Scope::EachApplicant,
    fields: &[
        req("current", "Your current address", Kind::Group { item: "Your current address", max: 1, fields: ADDRESS }, "Enter your current address"),
        opt("previous", "Previous address", Kind::Group { item: "Previous address", max: 20, fields: ADDRESS }),
    ],
};

const WORK: Section = Section {
    code: "work",
    title: "Work",
    intro: "Your work now, and any work with children or vulnerable adults.",
    scope: Scope::EachApplicant,
    fields: &[
        req(
            "status",
            "Are you working?",
            Kind::Radios(&[
                ("employed", "Employed"),
                ("self_employed", "Self-employed"),
                ("not_working", "Not working"),
            ]),
            "Select whether you are employed, self-employed or not working",
        ),
        req(
            "employer",
            "Employer or business name",
            LINE,
            "Enter your employer or business name",
        )
        .when("status", &["employed", "self_employed"]),
        req("job_title", "Job title", SHORT, "Enter your job title")
            .when("status", &["employed", "self_employed"]),
        req(
            "hours",
            "Hours a week",
            Kind::Number { min: 1, max: 100 },
            "Enter the hours you work a week",
        )
        .when("status", &["employed", "self_employed"]),
        req(
            "referee_name",
            "Employer referee's name",
            NAME,
            "Enter the name of someone at work who can give a reference",
        )
        .hint("Your manager, or for self-employed work a client or accountant")
        .when("status", &["employed", "self_employed"]),
        req(
            "referee_phone",
            "Employer referee's phone number",
            Kind::Phone,
            "Enter your employer referee's phone number",
        )
        .when("status", &["employed", "self_employed"]),
        req(
            "referee_email",
            "Employer referee's email address",
            Kind::Email,
            "Enter your employer referee's email address",
        )
        .when("status", &["employed", "self_employed"]),
        req(
            "with_children",
            "Have you done paid or voluntary work with children or vulnerable adults?",
            Kind::Radios(YES_NO),
            "Select yes if you have worked with children or vulnerable adults",
        ),
        req(
            "with_children_details",
            "Where, what you did and when",
            Kind::LongText { max: 1000 },
            "Enter where you worked with children or vulnerable adults",
        )
        .when("with_children", &["yes"]),
    ],
};

const HEALTH: Section = Section {
    code: "health",
    title: "Health",
    intro: "Your health will not stop you fostering by itself. Your GP completes a medical report later.",
    scope: Scope::EachApplicant,
    fields: &[
        req("disabled", "Are you registered disabled?", Kind::Radios(YES_NO), "Select yes if you are registered disabled"),
        req("conditions", "Do you have any medical conditions?", Kind::Radios(YES_NO), "Select yes if you have any medical conditions"),
        req("conditions_details", "Tell us about your medical conditions", Kind::LongText { max: 1000 }, "Enter details of your medical conditions").when("conditions", &["yes"]),
        req("gp_name", "GP's name", NAME, "Enter your GP's name"),
        req("gp_practice", "GP practice", LINE, "Enter your GP practice"),
        req("gp_phone", "GP practice phone number", Kind::Phone, "Enter your GP practice's phone number"),
        req("gp_address", "GP practice address", LINE, "Enter your GP practice's address"),
    ],
};

const HISTORY: Section = Section {
    code: "history",
    title: "Previous applications and history",
    intro:
        "Answering yes does not stop you applying. We ask so that nothing surprises anyone later.",
    scope: Scope::EachApplicant,
    fields: &[
        req(
            "applied_before",
            "Have you applied before to foster, adopt or childmind?",
            Kind::Radios(YES_NO),
            "Select yes if you have applied before to foster, adopt or childmind",
        ),
        req(
            "applications",
            "Previous application",
            Kind::Group {
                item: "Previous application",
                max: 6,
                fields: &[
                    req(
                        "when",
                        "When did you apply?",
                        Kind::MonthYear,
                        "Enter when you applied",
                    ),
                    req(
                        "agency",
                        "Which council or agency?",
                        LINE,
                        "Enter the council or agency you applied to",
                    ),
                    req(
                        "outcome",
                        "What happened?",
                        LINE,
                        "Enter what happened to the application",
                    ),
                ],
            },
            "Add your previous applications",
        )
        .when("applied_before", &["yes"]),
        req(
            "approved_recently",
            "Have you been approved as a foster carer in the last 12 months?",
            Kind::Radios(YES_NO),
            "Select yes if you have been approved as a foster carer in the last 12 months",
        ),
        req(
            "approved_service",
            "Which fostering service approved you?",
            LINE,
            "Enter the fostering service that approved you",
        )
        .when("approved_recently", &["yes"]),
        req(
            "court",
            "Have you been involved in family court proceedings?",
            Kind::Radios(YES_NO),
            "Select yes if you have been involved in family court proceedings",
        ),
        req(
            "court_details",
            "Tell us about the proceedings",
            Kind::LongText { max: 1000 },
            "Enter details of the family court proceedings",
        )
        .when("court", &["yes"]),
        req(
            "armed_forces",
            "Have you served in the armed forces?",
            Kind::Radios(YES_NO),
            "Select yes if you have served in the armed forces",
        ),
        req(
            "council_link",
            "Do you have a personal relationship with a councillor or council employee?",
            Kind::Radios(YES_NO),
            "Select yes if you have a personal relationship with a councillor or council employee",
        ),
        req(
            "connections",
            "Councillor or council employee",
            Kind::Group {
                item: "Councillor or council employee",
                max: 4,
                fields: &[
                    req("name", "Their name", NAME, "Enter their name"),
                    req(
                        "how_known",
                        "How do you know them?",
                        LINE,
                        "Enter how you know them",
                    ),
                ],
            },
            "Add the councillors or council employees you know",
        )
        .when("council_link", &["yes"]),
    ],
};

pub const REFEREE_KINDS: Options = &[
    ("family", "A member of your family"),
    ("personal", "A friend or someone else not related to you"),
];

const REFEREES: Section = Section {
    code: "referees",
    title: "Referees",
    intro: "People who know your household well. We contact them later, not now.",
    scope: Scope::Household,
    fields: &[req(
        "referees",
        "Referee",
        Kind::Group {
            item: "Referee",
            max: 8,
            fields: &[
                req(
                    "kind",
                    "Is this referee family, or not related to you?",
                    Kind::Radios(REFEREE_KINDS),
                    "Select whether the referee is family or not related to you",
                ),
                req("name", "Full name", NAME, "Enter the referee's full name"),
                req(
                    "relationship",
                    "How do they know you?",
                    SHORT,
                    "Enter how the referee knows you",
                )
                .hint("For example, sister, neighbour, friend from work"),
                req(
                    "years_known",
                    "How many years have they known you?",
                    Kind::Number { min: 0, max: 99 },
                    "Enter how many years the referee has known you",
                ),
                req(
                    "email",
                    "Email address",
                    Kind::Email,
                    "Enter the referee's email address",
                ),
                req(
                    "phone",
                    "Phone number",
                    Kind::Phone,
                    "Enter the referee's phone number",
                ),
                req("address", "Address", LINE, "Enter the referee's address"),
            ],
        },
        "Add your referees",
    )],
};

pub const FOSTERING_TYPES: Options = &[
    ("short_term", "Short-term"),
    ("long_term", "Long-term"),
    ("emergency", "Emergency"),
    ("short_breaks", "Short breaks (respite)"),
    ("parent_child", "Parent and child"),
    ("disabilities", "Children with disabilities"),
    ("not_sure", "Not sure yet"),
];

const FOSTERING: Section = Section {
    code: "fostering",
    title: "The fostering you would like to offer",
    intro: "Nothing here is fixed: it starts the conversation with your assessor.",
    scope: Scope::Household,
    fields: &[
        req(
            "why",
            "Why do you want to foster?",
            Kind::LongText { max: 2000 },
            "Tell us why you want to foster",
        ),
        req(
            "types",
            "What kinds of fostering would you like to offer?",
            Kind::Checkboxes(FOSTERING_TYPES),
            "Select the kinds of fostering you would like to offer, or not sure yet",
        )
        .hint("Select all that apply"),
        req(
            "age_from",
            "Youngest age of child (years)",
            Kind::Number { min: 0, max: 17 },
            "Enter the youngest age of child you would foster",
        )
        .hint("0 for babies"),
        req(
            "age_to",
            "Oldest age of child (years)",
            Kind::Number { min: 0, max: 18 },
            "Enter the oldest age of child you would foster",
        ),
        req(
            "how_many",
            "How many children could you care for at once?",
            Kind::Radios(&[
                ("1", "1"),
                ("2", "2"),
                ("3", "3 or more"),
                ("not_sure", "Not sure yet"),
            ]),
            "Select how many children you could care for at once",
        ),
    ],
};

pub const CONSENT_CODE: &str = "consent";

const CONSENT: Section = Section {
    code: CONSENT_CODE,
    title: "Consent and declaration",
    intro: "Each applicant gives their own consent. You can do this once your other sections are complete.",
    scope: Scope::EachApplicant,
    fields: &[
        req("consent_checks", "Statutory checks", Kind::Tick("I consent to the statutory checks: a DBS check, checks with every council I have lived in over the last 10 years, references, and a medical"), "Tick to consent to the statutory checks"),
        req("consent_councils", "Previous councils", Kind::Tick("I consent to you contacting councils I have lived in before"), "Tick to consent to us contacting councils you have lived in"),
        req("declaration", "Declaration", Kind::Tick("The information I have given is true and complete to the best of my knowledge"), "Tick to declare that the information you have given is true"),
    ],
};

/// Every section, in the task list's order.
pub const SECTIONS: &[Section] = &[
    ABOUT_YOU,
    LANGUAGES,
    RELATIONSHIP,
    HOME,
    HOUSEHOLD,
    CHILDREN_ELSEWHERE,
    PREVIOUS_PARTNERS,
    ADDRESSES,
    WORK,
    HEALTH,
    HISTORY,
    REFEREES,
    FOSTERING,
    CONSENT,
];

pub fn section(code: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.code == code)
}

/// The sections a household answers: "Your relationship" only for joint applicants.
pub fn sections_for(joint: bool) -> impl Iterator<Item = &'static Section> {
    SECTIONS
        .iter()
        .filter(move |s| joint || s.scope != Scope::JointOnly)
}
