//! Demo carer register: households in several councils around Portsmouth and in Kent, with a
//! few placements and holds, so the register, the household pages and the placement search have
//! something true to show. Councils that share availability with the region are opted in here;
//! West Sussex and Surrey stay out, to show that a council which has not opted in is invisible to
//! the others. Re-running it changes nothing already there.

use app::carers::db::{NewCarer, NewHousehold, NewMember};
use app::carers::types::{OverThree, PlacementType, Sex, SexTerm, Terms};
use app::error::AppResult;
use app::placements::service::{place_children, ChildToPlace, Placing};
use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;

/// The demo placement of child P-1042 with PTH-001, and a carers' break booked there for next
/// month: fixed ids, so the route checks and the accessibility sweep can open their pages.
pub const DEMO_PLACEMENT_ID: &str = "6f1d3c2a-0b7e-4f5a-9c1d-2e3f4a5b6c01";
pub const DEMO_HOLD_ID: &str = "6f1d3c2a-0b7e-4f5a-9c1d-2e3f4a5b6c02";

/// Councils sharing availability with the region in the demo.
pub const DEMO_SHARING: &[&str] = &[
    "portsmouth",
    "hampshire",
    "southampton",
    "kent",
    "isle-of-wight",
];

struct Demo {
    council: &'static str,
    reference: &'static str,
    name: &'static str,
    postcode: &'static str,
    approved: (i32, u32, u32),
    terms: (u8, u8, u8, &'static [PlacementType]),
    skills: &'static [&'static str],
    carers: &'static [(&'static str, &'static str)],
    supervisor: Option<&'static str>,
}

use PlacementType::*;

const HOUSEHOLDS: &[Demo] = &[
    Demo {
        council: "portsmouth",
        reference: "PTH-001",
        name: "Alex and Sam Okafor",
        postcode: "PO2 9NJ",
        approved: (2023, 4, 12),
        terms: (2, 0, 11, &[Emergency, ShortTerm, LongTerm]),
        skills: &["complex-health"],
        carers: &[
            ("Alex Okafor", "alex.okafor@example.org"),
            ("Sam Okafor", "sam.okafor@example.org"),
        ],
        supervisor: Some("supervising.portsmouth@example.org"),
    },
    Demo {
        council: "portsmouth",
        reference: "PTH-002",
        name: "Jordan Reid",
        postcode: "PO6 3AA",
        approved: (2025, 2, 3),
        terms: (1, 12, 17, &[LongTerm]),
        skills: &["teenagers", "urdu"],
        carers: &[("Jordan Reid", "jordan.reid@example.org")],
        supervisor: Some("supervising.portsmouth@example.org"),
    },
    Demo {
        council: "portsmouth",
        reference: "PTH-003",
        name: "Chris and Pat Lewis",
        postcode: "PO4 0AA",
        approved: (2024, 6, 1),
        terms: (3, 0, 17, &[ShortTerm, LongTerm, ShortBreaks]),
        skills: &["sibling-groups", "disabilities"],
        carers: &[
            ("Chris Lewis", "chris.lewis@example.org"),
            ("Pat Lewis", "pat.lewis@example.org"),
        ],
        supervisor: Some("supervising.portsmouth@example.org"),
    },
    Demo {
        council: "hampshire",
        reference: "HAM-101",
        name: "Morgan and Taylor Price",
        postcode: "PO7 9EX",
        approved: (2024, 9, 20),
        terms: (3, 5, 12, &[ShortTerm, LongTerm]),
        skills: &["sibling-groups"],
        carers: &[
            ("Morgan Price", "morgan.price@example.org"),
            ("Taylor Price", "taylor.price@example.org"),
        ],
        supervisor: None,
    },
    Demo {
        council: "hampshire",
        reference: "HAM-102",
        name: "Robin Hart",
        postcode: "PO16 7AA",
        approved: (2022, 11, 8),
        terms: (2, 0, 10, &[Emergency, ShortTerm]),
        skills: &[],
        carers: &[("Robin Hart", "robin.hart@example.org")],
        supervisor: None,
    },
    Demo {
        council: "hampshire",
        reference: "HAM-103",
        name: "Jamie and Lee Fox",
        postcode: "SO50 7QY",
        approved: (2025, 7, 14),
        terms: (2, 0, 17, &[ShortTerm, LongTerm]),
        skills: &["sibling-groups", "polish"],
        carers: &[
            ("Jamie Fox", "jamie.fox@example.org"),
            ("Lee Fox", "lee.fox@example.org"),
        ],
        supervisor: None,
    },
    Demo {
        council: "southampton",
        reference: "SOU-201",
        name: "Devon Ahmed",
        postcode: "SO18 1NF",
        approved: (2023, 1, 30),
        terms: (2, 5, 15, &[ShortTerm, LongTerm]),
        skills: &["arabic"],
        carers: &[("Devon Ahmed", "devon.ahmed@example.org")],
        supervisor: None,
    },
    Demo {
        council: "west-sussex",
        reference: "WSX-301",
        name: "Casey and Drew Moss",
        postcode: "PO19 1QP",
        approved: (2024, 3, 5),
        terms: (2, 0, 17, &[ShortTerm, LongTerm]),
        skills: &["sibling-groups"],
        carers: &[("Casey Moss", "casey.moss@example.org")],
        supervisor: None,
    },
    Demo {
        council: "kent",
        reference: "KEN-401",
        name: "Ola and Ben Adeyemi",
        postcode: "ME15 9JY",
        approved: (2021, 5, 17),
        terms: (3, 0, 17, &[ShortTerm, LongTerm, Emergency]),
        skills: &["sibling-groups", "uasc"],
        carers: &[
            ("Ola Adeyemi", "ola.adeyemi@example.org"),
            ("Ben Adeyemi", "ben.adeyemi@example.org"),
        ],
        supervisor: Some("supervising.kent@example.org"),
    },
    Demo {
        council: "kent",
        reference: "KEN-402",
        name: "Rowan Clarke",
        postcode: "CT1 1AA",
        approved: (2025, 10, 1),
        terms: (1, 0, 4, &[ShortTerm]),
        skills: &[],
        carers: &[("Rowan Clarke", "rowan.clarke@example.org")],
        supervisor: Some("supervising.kent@example.org"),
    },
];

fn d((y, m, day): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("demo dates are real")
}

async fn council_id(pool: &PgPool, code: &str) -> AppResult<Option<Uuid>> {
    Ok(
        sqlx::query_scalar("select council_id from council where code = $1")
            .bind(code)
            .fetch_optional(pool)
            .await?,
    )
}

pub async fn demo_register(pool: &PgPool) -> AppResult<()> {
    sqlx::query(
        "update council set regional_sharing = true where code = any($1) and not regional_sharing",
    )
    .bind(DEMO_SHARING)
    .execute(pool)
    .await?;
    for h in HOUSEHOLDS {
        let Some(council) = council_id(pool, h.council).await? else {
            continue;
        };
        let exists: bool = sqlx::query_scalar(
            "select exists (select 1 from household where council_id = $1 and reference = $2)",
        )
        .bind(council)
        .bind(h.reference)
        .fetch_one(pool)
        .await?;
        if exists {
            continue;
        }
        let supervisor: Option<Uuid> = match h.supervisor {
            Some(email) => {
                sqlx::query_scalar("select staff_user_id from staff_user where email = $1")
                    .bind(email)
                    .fetch_optional(pool)
                    .await?
            }
            None => None,
        };
        let (max, min, maxage, types) = h.terms;
        let new = NewHousehold {
            council_id: council,
            reference: h.reference.into(),
            name: h.name.into(),
            postcode: h.postcode.into(),
            carer_type: "mainstream",
            approved_on: d(h.approved),
            supervising_social_worker_id: supervisor,
            terms: Terms {
                max_children: max,
                age_min: min,
                age_max: maxage,
                sex: SexTerm::Any,
                placement_types: types.to_vec(),
                over_three_basis: (max > 3).then_some(OverThree::Siblings),
            },
            named_child: None,
            skills: h.skills.iter().map(|s| s.to_string()).collect(),
            carers: h
                .carers
                .iter()
                .map(|(name, email)| NewCarer {
                    full_name: (*name).into(),
                    date_of_birth: None,
                    email: Some((*email).into()),
                    phone: None,
                })
                .collect(),
            members: if h.reference == "PTH-003" {
                vec![NewMember {
                    full_name: "Ellis Lewis".into(),
                    date_of_birth: d((2009, 2, 14)),
                    relationship: "Birth son".into(),
                }]
            } else {
                Vec::new()
            },
            source: "approval",
            reason: "Approved by the agency decision maker on the panel's recommendation".into(),
        };
        let mut tx = app::db::begin(pool).await?;
        let id = app::carers::service::add(
            &mut tx,
            &new,
            app::audit::db::Actor::System("demo data"),
            None,
        )
        .await?;
        // Availability confirmed recently for most; one left to go stale.
        if h.reference != "HAM-103" {
            sqlx::query("update household set availability_confirmed_at = now() - interval '3 days' where household_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        // Reviews held, relative to today so the demo reads the same whenever it is loaded:
        // PTH-001 reviewed five months ago, PTH-002 due within two months, the rest overdue.
        let reviewed = match h.reference {
            "PTH-001" | "KEN-401" | "HAM-101" => Some(5),
            "PTH-002" => Some(11),
            _ => None,
        };
        if let Some(months) = reviewed {
            sqlx::query(
                "insert into annual_review (household_id, reviewed_on, recommendation, terms_changed, notes)
                 values ($1, $2, 'continue', false, 'Demo review')",
            )
            .bind(id)
            .bind(app::calendar::today_london() - chrono::Months::new(months))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    demo_placements(pool).await?;
    demo_portal(pool).await?;
    crate::seed_assessments::demo_assessments(pool).await?;
    crate::seed_training::demo_training(pool).await
}

/// Demo foster carers who sign in to the carer portal by an emailed link: `(email, name,
/// council, household)`.
pub const DEMO_CARERS: &[(&str, &str, &str, &str)] = &[
    (
        "alex.okafor@example.org",
        "Alex Okafor",
        "portsmouth",
        "PTH-001",
    ),
    ("ola.adeyemi@example.org", "Ola Adeyemi", "kent", "KEN-401"),
];

async fn demo_portal(pool: &PgPool) -> AppResult<()> {
    for (email, name, council, household) in DEMO_CARERS {
        app::accounts::service::create_member(
            pool,
            council,
            email,
            name,
            app::accounts::MemberKind::Carer,
            "demo data",
        )
        .await?;
        sqlx::query(
            "update carer c set member_account_id = m.member_account_id
             from member_account m, household h
             where m.email = $1 and h.reference = $2 and c.household_id = h.household_id
               and c.email = m.email and c.member_account_id is null",
        )
        .bind(email)
        .bind(household)
        .execute(pool)
        .await?;
    }
    Ok(())
}

/// A child placed with PTH-001 and one with HAM-102, and a carers' break held at PTH-003.
async fn demo_placements(pool: &PgPool) -> AppResult<()> {
    let any: bool = sqlx::query_scalar("select exists (select 1 from placement)")
        .fetch_one(pool)
        .await?;
    if any {
        return Ok(());
    }
    let today = app::calendar::today_london();
    for (council, reference, child_ref, dob, sex, start) in [
        (
            "portsmouth",
            "PTH-001",
            "P-1042",
            (2020, 3, 9),
            Sex::Female,
            (2025, 9, 1),
        ),
        (
            "hampshire",
            "HAM-102",
            "H-2210",
            (2018, 7, 22),
            Sex::Male,
            (2026, 2, 16),
        ),
    ] {
        let Some(h) = app::carers::db::by_reference(pool, council, reference).await? else {
            continue;
        };
        let mut tx = app::db::begin(pool).await?;
        let placed = place_children(
            &mut tx,
            &h,
            &[ChildToPlace {
                council_id: h.council_id,
                reference: child_ref.into(),
                date_of_birth: d(dob),
                sex,
                postcode: None,
            }],
            &Placing {
                placement_type: PlacementType::ShortTerm,
                start_on: d(start),
                planned_end_on: None,
                join_group: None,
                release_hold: None,
                created_by: None,
                calendar: &Default::default(),
            },
        )
        .await?;
        if reference == "PTH-001" {
            sqlx::query("update placement set placement_id = $1::uuid where placement_id = $2")
                .bind(DEMO_PLACEMENT_ID)
                .bind(placed.placement_ids[0])
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    if let Some(h) = app::carers::db::by_reference(pool, "portsmouth", "PTH-001").await? {
        let id = app::placements::db::insert_hold(
            &mut *pool.acquire().await?,
            &app::placements::db::NewHold {
                household_id: h.household_id,
                places: Some(1),
                reason: "carers-break",
                starts_on: today + chrono::Days::new(30),
                expires_on: Some(today + chrono::Days::new(44)),
                review_on: None,
                note: Some("Booked respite".into()),
                reserved_for: None,
                reserved_by_council: None,
                reserved_until: None,
                created_by: None,
            },
        )
        .await?;
        sqlx::query(
            "update placement_hold set placement_hold_id = $1::uuid where placement_hold_id = $2",
        )
        .bind(DEMO_HOLD_ID)
        .bind(id)
        .execute(pool)
        .await?;
    }
    if let Some(h) = app::carers::db::by_reference(pool, "portsmouth", "PTH-003").await? {
        let mut tx = app::db::begin(pool).await?;
        app::placements::db::insert_hold(
            &mut tx,
            &app::placements::db::NewHold {
                household_id: h.household_id,
                places: Some(1),
                reason: "carers-break",
                starts_on: today,
                expires_on: Some(today + chrono::Days::new(21)),
                review_on: None,
                note: Some("Family holiday".into()),
                reserved_for: None,
                reserved_by_council: None,
                reserved_until: None,
                created_by: None,
            },
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}
