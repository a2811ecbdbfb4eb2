//! Demo data for the local run: the cooperative's councils, the regional hub and a few
//! enquiries. Re-running it changes nothing that is already there.

use app::auth::{db as auth_db, service::create_user, Role};
use app::councils::{db as councils_db, CouncilKind};
use app::enquiries::{service, EnquiryForm};
use app::error::AppResult;
use sqlx::PgPool;

/// The region's councils used as demo members. Membership is data: an administrator changes it
/// in the product, not here.
pub const DEMO_COUNCILS: &[(&str, &str)] = &[
    ("bracknell-forest", "Bracknell Forest Council"),
    ("brighton-hove", "Brighton and Hove City Council"),
    ("buckinghamshire", "Buckinghamshire Council"),
    ("east-sussex", "East Sussex County Council"),
    ("hampshire", "Hampshire County Council"),
    ("isle-of-wight", "Isle of Wight Council"),
    ("kent", "Kent County Council"),
    ("medway", "Medway Council"),
    ("milton-keynes", "Milton Keynes City Council"),
    ("oxfordshire", "Oxfordshire County Council"),
    ("portsmouth", "Portsmouth City Council"),
    ("reading", "Reading Borough Council"),
    ("slough", "Slough Borough Council"),
    ("southampton", "Southampton City Council"),
    ("surrey", "Surrey County Council"),
    ("west-berkshire", "West Berkshire Council"),
    ("west-sussex", "West Sussex County Council"),
    (
        "windsor-maidenhead",
        "Royal Borough of Windsor and Maidenhead",
    ),
];

pub const HUB_CODE: &str = "regional-hub";

/// The ONS codes of the demo members (upper-tier councils: the ones with children's services),
/// which link postcodes to councils. Checked against ONS's lower- to upper-tier lookup.
pub const DEMO_ONS_CODES: &[(&str, &str)] = &[
    ("bracknell-forest", "E06000036"),
    ("brighton-hove", "E06000043"),
    ("buckinghamshire", "E06000060"),
    ("east-sussex", "E10000011"),
    ("hampshire", "E10000014"),
    ("isle-of-wight", "E06000046"),
    ("kent", "E10000016"),
    ("medway", "E06000035"),
    ("milton-keynes", "E06000042"),
    ("oxfordshire", "E10000025"),
    ("portsmouth", "E06000044"),
    ("reading", "E06000038"),
    ("slough", "E06000039"),
    ("southampton", "E06000045"),
    ("surrey", "E10000030"),
    ("west-berkshire", "E06000037"),
    ("west-sussex", "E10000032"),
    ("windsor-maidenhead", "E06000040"),
];

/// Councils and the hub. Needed by every environment, demo or not.
pub async fn councils(pool: &PgPool) -> AppResult<()> {
    councils_db::upsert(
        pool,
        HUB_CODE,
        "South East Regional Fostering Hub",
        CouncilKind::Hub,
        Some("fostering.hub@example.org"),
    )
    .await?;
    for (code, name) in DEMO_COUNCILS {
        let inbox = format!("fostering.{code}@example.org");
        councils_db::upsert(pool, code, name, CouncilKind::Member, Some(&inbox)).await?;
    }
    // Filled only where empty, so a code an administrator corrected stays as they left it.
    let (codes, ons): (Vec<&str>, Vec<&str>) = DEMO_ONS_CODES.iter().copied().unzip();
    sqlx::query!(
        "update council set ons_code = d.ons_code
         from unnest($1::text[], $2::text[]) as d (code, ons_code)
         where council.code = d.code and council.ons_code is null",
        &codes as &[&str],
        &ons as &[&str]
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// A handful of enquiries so the staff pages have something to show.
pub async fn demo_enquiries(pool: &PgPool) -> AppResult<()> {
    let people = [
        (
            "Amara Okafor",
            "portsmouth",
            "PO4 0LE",
            &["long_term"][..],
            "radio_tv",
        ),
        (
            "Ben Hughes",
            "southampton",
            "SO14 7DU",
            &["short_breaks"][..],
            "search",
        ),
        (
            "Chloe Patel",
            "west-sussex",
            "RH10 1AA",
            &["short_term", "emergency"][..],
            "social_media",
        ),
        (
            "Daniel Evans",
            "kent",
            "ME14 1XX",
            &["parent_and_child"][..],
            "event",
        ),
        (
            "Erin Murphy",
            "surrey",
            "GU1 4AA",
            &["not_sure"][..],
            "friend_or_family",
        ),
        (
            "Farah Khan",
            "reading",
            "RG1 2LU",
            &["long_term", "short_breaks"][..],
            "leaflet_poster",
        ),
        (
            "George Wright",
            "other",
            "SW1A 1AA",
            &["short_term"][..],
            "search",
        ),
        (
            "Hannah Lewis",
            "portsmouth",
            "PO1 2AB",
            &["connected_person"][..],
            "foster_carer",
        ),
    ];
    let councils = app::councils::directory::Directory::default();
    for (i, (name, council, postcode, interests, heard)) in people.iter().enumerate() {
        let form = EnquiryForm {
            full_name: name.to_string(),
            email: format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
            phone: format!("07700 900{:03}", 100 + i),
            postcode: postcode.to_string(),
            council: council.to_string(),
            spare_bedroom: "yes".into(),
            interests: interests.iter().map(|s| s.to_string()).collect(),
            heard_about: heard.to_string(),
            consent: true,
            source: "demo".into(),
            // Fixed keys make the demo seed idempotent.
            submission_key: format!("00000000-0000-4000-8000-{:012}", i + 1),
        };
        service::submit(
            pool,
            &councils,
            &app::calendar::Calendar::default(),
            &form,
            app::config::DEFAULT_PUBLIC_BASE_URL,
        )
        .await?;
    }
    Ok(())
}

/// The password of every demo account. Demo data only: never load it into a real environment.
pub const DEMO_PASSWORD: &str = "demo-password-2026";

/// One demo account per role, an assessor in a second council to show the boundary, a team
/// manager who also chairs panel, and people outside every council (an independent panel
/// member, an external trainer): `(email, name, roles, council or None)`.
pub const DEMO_STAFF: &[(&str, &str, &[Role], Option<&str>)] = &[
    (
        "hub.officer@example.org",
        "Harriet Hub",
        &[Role::HubOfficer],
        Some(HUB_CODE),
    ),
    (
        "assessor.portsmouth@example.org",
        "Asha Assessor",
        &[Role::Assessor],
        Some("portsmouth"),
    ),
    (
        "manager.portsmouth@example.org",
        "Tom Manager",
        &[Role::TeamManager],
        Some("portsmouth"),
    ),
    (
        "recruitment.portsmouth@example.org",
        "Rita Recruitment",
        &[Role::RecruitmentOfficer, Role::PanelMember],
        Some("portsmouth"),
    ),
    (
        "supervising.portsmouth@example.org",
        "Sol Supervising",
        &[Role::SupervisingSocialWorker, Role::PanelMember],
        Some("portsmouth"),
    ),
    (
        "placements.portsmouth@example.org",
        "Pip Placements",
        &[Role::PlacementOfficer],
        Some("portsmouth"),
    ),
    (
        "assessor.kent@example.org",
        "Kim Kent",
        &[Role::Assessor],
        Some("kent"),
    ),
    (
        "supervising.kent@example.org",
        "Sam Supervising",
        &[Role::SupervisingSocialWorker, Role::PanelMember],
        Some("kent"),
    ),
    (
        "manager.kent@example.org",
        "Kofi Chair",
        &[Role::TeamManager, Role::PanelChair],
        Some("kent"),
    ),
    (
        "decision.maker@example.org",
        "Dev Decision",
        &[Role::AgencyDecisionMaker],
        Some(HUB_CODE),
    ),
    (
        "workforce.lead@example.org",
        "Wendy Workforce",
        &[Role::WorkforceLead],
        Some(HUB_CODE),
    ),
    (
        "placements@example.org",
        "Pat Placements",
        &[Role::PlacementOfficer],
        Some(HUB_CODE),
    ),
    (
        "commissioner@example.org",
        "Cara Commissioner",
        &[Role::Commissioner],
        Some(HUB_CODE),
    ),
    (
        "admin@example.org",
        "Ada Administrator",
        &[Role::Administrator],
        Some(HUB_CODE),
    ),
    (
        "panel.member@example.org",
        "Imran Independent",
        &[Role::PanelMember],
        None,
    ),
    (
        "trainer@example.org",
        "Tess Trainer",
        &[Role::Trainer],
        None,
    ),
];

/// The demo teams: `(council, team, manager's email, members' emails)`. People outside every
/// council belong to no team.
pub const DEMO_TEAMS: &[(&str, &str, &str, &[&str])] = &[
    (
        HUB_CODE,
        "Regional hub team",
        "hub.officer@example.org",
        &[
            "decision.maker@example.org",
            "workforce.lead@example.org",
            "placements@example.org",
            "commissioner@example.org",
            "admin@example.org",
        ],
    ),
    (
        "portsmouth",
        "Portsmouth fostering team",
        "manager.portsmouth@example.org",
        &[
            "assessor.portsmouth@example.org",
            "recruitment.portsmouth@example.org",
            "supervising.portsmouth@example.org",
            "placements.portsmouth@example.org",
        ],
    ),
    (
        "kent",
        "Kent fostering team",
        "manager.kent@example.org",
        &["assessor.kent@example.org", "supervising.kent@example.org"],
    ),
];

/// Demo household members (applicants sign in by an emailed link, no password):
/// `(email, name, council)`. One per council shown, so two browsers can sign in at once.
pub const DEMO_MEMBERS: &[(&str, &str, &str)] = &[
    ("applicant@example.org", "Sam Taylor", "portsmouth"),
    ("applicant.kent@example.org", "Priya Shah", "kent"),
];

pub async fn demo_members(pool: &PgPool) -> AppResult<()> {
    for (email, name, council) in DEMO_MEMBERS {
        app::accounts::service::create_member(
            pool,
            council,
            email,
            name,
            app::accounts::MemberKind::Applicant,
            "demo data",
        )
        .await?;
    }
    Ok(())
}

/// Every demo account: the staff, and the household members beside them.
pub async fn demo_staff(pool: &PgPool) -> AppResult<()> {
    demo_members(pool).await?;
    for (email, name, roles, council) in DEMO_STAFF {
        create_user(
            pool,
            *council,
            email,
            name,
            roles,
            DEMO_PASSWORD,
            "demo data",
        )
        .await?;
    }
    let mut tx = app::db::begin(pool).await?;
    for (council, team, manager, members) in DEMO_TEAMS {
        let Some(team_id) = auth_db::upsert_team(&mut tx, council, team).await? else {
            continue;
        };
        auth_db::join_team(&mut tx, team_id, manager, true).await?;
        for member in *members {
            auth_db::join_team(&mut tx, team_id, member, false).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// How to sign in to the demo, printed by the run command.
pub fn demo_sign_in_help(base: &str) -> String {
    let mut s = format!(
        "\nDemo staff accounts (password: {DEMO_PASSWORD}), sign in at {base}/staff/sign-in\n"
    );
    for (email, _, roles, council) in DEMO_STAFF {
        s.push_str(&format!(
            "  {:<36} {:<28} {}\n",
            email,
            app::auth::roles::labels(roles),
            council.unwrap_or("(no council)")
        ));
    }
    s.push_str(&format!(
        "\nDemo applicants sign in by an emailed link (no password) at {base}/account/sign-in\n"
    ));
    for (email, name, council) in DEMO_MEMBERS {
        s.push_str(&format!("  {email:<34} {name:<18} {council}\n"));
    }
    s.push_str("\nDemo foster carers sign in the same way, and see their household's page\n");
    for (email, name, council, _) in crate::seed_register::DEMO_CARERS {
        s.push_str(&format!("  {email:<34} {name:<18} {council}\n"));
    }
    s
}
