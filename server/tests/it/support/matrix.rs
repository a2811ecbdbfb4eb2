//! The refusal matrix: every server function the application registers, with a body that would
//! succeed, and which demo accounts may call it. `staff.rs` drives it (anonymous callers,
//! every demo account, another council's staff, the independent panel member), and a guard test
//! fails when a registered server function is neither here nor on `PUBLIC_SERVER_FUNCTIONS`.

use super::*;
use serde_json::{json, Value};

/// What a sample body may need from the demo data.
pub struct Sample {
    /// An enquiry of Portsmouth's.
    pub portsmouth_reference: String,
    /// The hub officer's staff id: someone who may hold any council's enquiry.
    pub hub_worker_id: String,
    /// Open placements and live holds of Portsmouth's PTH-003, made for the matrix: a call that
    /// ends one or releases one can succeed once, so each call takes the next (`next`).
    pub placements: Vec<String>,
    pub holds: Vec<String>,
    /// How many of each have been taken, and a counter for fresh child references.
    pub placements_taken: std::sync::atomic::AtomicUsize,
    pub holds_taken: std::sync::atomic::AtomicUsize,
    /// Open DBS-at-18 tasks on PTH-003, one for each call that marks one done.
    pub dbs_tasks: Vec<String>,
    pub dbs_taken: std::sync::atomic::AtomicUsize,
    /// Forty people living in PTH-003, one for each call that records someone moving out.
    pub members: Vec<String>,
    pub members_taken: std::sync::atomic::AtomicUsize,
    /// Forty Portsmouth accounts with two-factor set up, one for each call that resets it.
    pub two_factor_accounts: Vec<String>,
    pub two_factor_taken: std::sync::atomic::AtomicUsize,
    pub taken: std::sync::atomic::AtomicUsize,
    /// A carer register file uploaded for Portsmouth (the import's template).
    pub portsmouth_register_file: String,
    /// A training records file uploaded for Portsmouth (the import's template).
    pub portsmouth_records_file: String,
    /// An SSDA903 Header file uploaded for Portsmouth by the hub's commissioner, and an import
    /// of it (waiting: its page answers all the same).
    pub portsmouth_returns_file: String,
    pub portsmouth_returns_import: String,
    /// A placement search of Portsmouth's (one child aged 7 near PO1 2AB), with the demo
    /// households on the map.
    pub portsmouth_search: String,
    /// Portsmouth's assessor, and forty of Portsmouth's assessments at Stage 1 allocated to
    /// them and forty not allocated (a decision or an allocation succeeds once per case).
    pub portsmouth_assessor_id: String,
    pub allocated_cases: Vec<String>,
    pub unallocated_cases: Vec<String>,
    pub cases_taken: std::sync::atomic::AtomicUsize,
    /// Forty cases at Stage 2 (to book onto a panel), on a Portsmouth panel with room.
    pub stage2_cases: Vec<String>,
    pub booking_panel: String,
    /// A Portsmouth panel sitting today with the demo panel's five members, forty cases booked
    /// on it waiting for its recommendation, and its members' ids.
    pub sitting_panel: String,
    pub sitting_members: Vec<String>,
    pub heard_cases: Vec<String>,
    /// Forty cases the panel has recommended, for the decision maker.
    pub deciding_cases: Vec<String>,
    /// An unnamed personal reference on an allocated case (naming it again is allowed).
    pub referee_check: (String, String),
    /// Forty recommended cases with a refusal proposed yesterday, for the applicants' response
    /// (representations are recorded once).
    pub responding_cases: Vec<String>,
    /// Forty refused cases, each with its refusal letter drafted and not sent (a letter is sent
    /// once).
    pub letter_cases: Vec<String>,
    /// The demo competency Safeguarding children level 3.
    pub safeguarding: String,
    /// Sixty sessions of the demo course, each with one date (`"{session} {date}"`): a session
    /// is moved or cancelled once.
    pub training_dates: Vec<String>,
    pub training_taken: std::sync::atomic::AtomicUsize,
    /// PTH-001's carers and their TSDS standards (`"{carer} {standard}"`): each is signed off
    /// once.
    pub tsds: Vec<String>,
    pub tsds_taken: std::sync::atomic::AtomicUsize,
    /// Forty requests for places by Portsmouth's assessor, each on its own session of the demo
    /// course (made to need approval): deciding one succeeds once.
    pub place_requests: Vec<String>,
    pub place_requests_taken: std::sync::atomic::AtomicUsize,
    /// Forty open connected-person placements with Portsmouth's PTH-003 (a case is opened for
    /// each once), and forty connected-person cases with a temporary approval in force (it is
    /// extended once).
    pub connected_placements: Vec<String>,
    pub connected_cases: Vec<String>,
    pub connected_taken: std::sync::atomic::AtomicUsize,
}

impl Sample {
    /// The next fresh training session and its date.
    pub fn training_date(&self) -> (String, String) {
        let pair = Sample::next(&self.training_taken, &self.training_dates);
        let (s, d) = pair.split_once(' ').unwrap();
        (s.to_string(), d.to_string())
    }
}

impl Sample {
    pub async fn of(pool: &PgPool) -> Sample {
        let mut sample = Sample {
            portsmouth_reference: sqlx::query_scalar::<_, String>(
                "select e.reference from enquiry e join council c using (council_id)
                 where c.code = 'portsmouth' order by e.submitted_at limit 1",
            )
            .fetch_one(pool)
            .await
            .unwrap(),
            hub_worker_id: sqlx::query_scalar::<_, uuid::Uuid>(
                "select staff_user_id from staff_user where email = $1",
            )
            .bind(HUB)
            .fetch_one(pool)
            .await
            .unwrap()
            .to_string(),
            placements: matrix_rows(
                pool,
                "insert into placement (household_id, child_id, placement_type, start_on)
                 select h.household_id, c.child_id, 'emergency', current_date - 1
                 from household h, child c where h.reference = 'PTH-003' and c.reference = $1
                 returning placement_id",
            )
            .await,
            holds: matrix_rows(
                pool,
                "insert into placement_hold (household_id, places, reason, starts_on, review_on, note)
                 select household_id, 1, 'other', current_date, current_date + 30, $1
                 from household where reference = 'PTH-003' returning placement_hold_id",
            )
            .await,
            placements_taken: std::sync::atomic::AtomicUsize::new(0),
            holds_taken: std::sync::atomic::AtomicUsize::new(0),
            dbs_tasks: dbs_tasks(pool).await,
            dbs_taken: std::sync::atomic::AtomicUsize::new(0),
            members: members(pool).await,
            members_taken: std::sync::atomic::AtomicUsize::new(0),
            two_factor_accounts: two_factor_accounts(pool).await,
            two_factor_taken: std::sync::atomic::AtomicUsize::new(0),
            taken: std::sync::atomic::AtomicUsize::new({
                // Portsmouth households MX-0 to MX-39, one for each call that changes a
                // household once (a review on a date, putting on hold).
                sqlx::query(
                    "insert into household (council_id, reference, name, postcode, carer_type, approved_on,
                         max_children, age_min, age_max, placement_types)
                     select council_id, 'MX-' || n, 'Matrix household ' || n, 'PO1 2AB', 'mainstream',
                            current_date - 400, 2, 0, 17, array['long-term']
                     from council, generate_series(0, 39) n where code = 'portsmouth'",
                )
                .execute(pool)
                .await
                .unwrap();
                0
            }),
            portsmouth_register_file: crate::carers_import::stored_register(
                pool,
                "portsmouth",
                app::carers::import::rules::template_csv().as_bytes(),
            )
            .await
            .to_string(),
            portsmouth_records_file: crate::training_import::stored_records(pool).await,
            portsmouth_returns_file: crate::sufficiency::stored_returns(pool).await,
            portsmouth_returns_import: crate::sufficiency::an_import(pool).await,
            portsmouth_search: portsmouth_search(pool).await,
            portsmouth_assessor_id: sqlx::query_scalar::<_, uuid::Uuid>(
                "select staff_user_id from staff_user where email = 'assessor.portsmouth@example.org'",
            )
            .fetch_one(pool)
            .await
            .unwrap()
            .to_string(),
            connected_placements: matrix_rows(
                pool,
                "insert into placement (household_id, child_id, placement_type, start_on)
                 select h.household_id, c.child_id, 'connected-person', current_date - 1
                 from household h, child c where h.reference = 'PTH-003' and c.reference = $1
                 returning placement_id",
            )
            .await,
            connected_cases: sqlx::query_scalar(
                "insert into assessment (council_id, reference, kind, household_name, received_on,
                                         temporary_from, temporary_until)
                 select council_id, 'MXC-' || n, 'connected_person', 'Matrix connected case ' || n,
                        current_date - 10, current_date - 10, current_date - 10 + 112
                 from council, generate_series(0, 39) n where code = 'portsmouth'
                 returning reference",
            )
            .fetch_all(pool)
            .await
            .unwrap(),
            connected_taken: std::sync::atomic::AtomicUsize::new(0),
            allocated_cases: matrix_cases(pool, "MXA", true).await,
            unallocated_cases: matrix_cases(pool, "MXU", false).await,
            referee_check: (
                "MXA-39".to_string(),
                sqlx::query_scalar::<_, uuid::Uuid>(
                    "insert into assessment_check (assessment_id, kind, stage, chase_days, subject,
                                                   position)
                     select assessment_id, 'personal_reference', 1, 14, 'Personal referee 1', 0
                     from assessment where reference = 'MXA-39' returning check_id",
                )
                .fetch_one(pool)
                .await
                .unwrap()
                .to_string(),
            ),
            cases_taken: std::sync::atomic::AtomicUsize::new(0),
            stage2_cases: cases_at(pool, "MXS", "stage2").await,
            booking_panel: matrix_panel(pool, 30, 20).await,
            sitting_panel: {
                let panel = matrix_panel(pool, 0, 20).await;
                sqlx::query(
                    "insert into panel_member (panel_id, staff_user_id, seat, qualified_years)
                     select $1::uuid, staff_user_id, seat, qualified_years from panel_member
                     where panel_id = $2::uuid",
                )
                .bind(&panel)
                .bind(server::seed_assessments::DEMO_PANEL_ID)
                .execute(pool)
                .await
                .unwrap();
                panel
            },
            sitting_members: sqlx::query_scalar::<_, uuid::Uuid>(
                "select staff_user_id from panel_member where panel_id = $1::uuid",
            )
            .bind(server::seed_assessments::DEMO_PANEL_ID)
            .fetch_all(pool)
            .await
            .unwrap()
            .into_iter()
            .map(|id| id.to_string())
            .collect(),
            heard_cases: Vec::new(),
            deciding_cases: cases_at(pool, "MXD", "decision").await,
            responding_cases: {
                let cases = cases_at(pool, "MXR", "decision").await;
                sqlx::query(
                    "update assessment set qualifying_determination_on = current_date - 1,
                            qualifying_reasons = 'Matrix'
                      where reference like 'MXR-%'",
                )
                .execute(pool)
                .await
                .unwrap();
                cases
            },
            letter_cases: letter_cases(pool).await,
            safeguarding: sqlx::query_scalar::<_, uuid::Uuid>(
                "select competency_id from competency where name = 'Safeguarding children level 3'",
            )
            .fetch_one(pool)
            .await
            .unwrap()
            .to_string(),
            training_dates: sqlx::query_as::<_, (uuid::Uuid, uuid::Uuid)>(
                "with s as (
                   insert into training_session (course_id, capacity, booking_deadline, cancel_cutoff, venue)
                   select $1::uuid, 10, now() + interval '20 days', now() + interval '20 days', 'Matrix room ' || g
                     from generate_series(1, 60) g returning session_id)
                 insert into training_session_date (session_id, starts_at, ends_at)
                 select session_id, date_trunc('hour', now()) + interval '30 days',
                        date_trunc('hour', now()) + interval '30 days 2 hours' from s
                 returning session_id, date_id",
            )
            .bind(server::seed_training::DEMO_COURSE_ID)
            .fetch_all(pool)
            .await
            .unwrap()
            .into_iter()
            .map(|(s, d)| format!("{s} {d}"))
            .collect(),
            training_taken: Default::default(),
            tsds: sqlx::query_as::<_, (i16, uuid::Uuid)>(
                "select c.position, t.competency_id from carer c
                   join household h using (household_id)
                   join tsds_standard t on t.carer_type = h.carer_type
                  where h.reference = 'PTH-001' and c.member_account_id is not null
                  order by c.position, t.position",
            )
            .fetch_all(pool)
            .await
            .unwrap()
            .into_iter()
            .map(|(c, k)| format!("{c} {k}"))
            .collect(),
            tsds_taken: Default::default(),
            place_requests: place_requests(pool).await,
            place_requests_taken: Default::default(),
        };
        let heard = cases_at(pool, "MXP", "panel").await;
        sqlx::query(
            "insert into panel_booking (panel_id, assessment_id, papers_sent_on)
             select $1::uuid, assessment_id, current_date - 7 from assessment where reference = any($2)",
        )
        .bind(&sample.sitting_panel)
        .bind(&heard)
        .execute(pool)
        .await
        .unwrap();
        sample.heard_cases = heard;
        sqlx::query(
            "insert into assessment_section (assessment_id, section, status)
             select assessment_id, 'c', 'ready' from assessment where reference = $1",
        )
        .bind(server::seed_assessments::DEMO_CASE)
        .execute(pool)
        .await
        .unwrap();
        sample
    }

    /// The next of `ids`, counted by `taken` (each call a fresh one).
    pub fn next(taken: &std::sync::atomic::AtomicUsize, ids: &[String]) -> String {
        let i = taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        ids[i % ids.len()].clone()
    }
}

/// Forty requests for places by Portsmouth's assessor on copies of the demo session, straight
/// into the database (the rules that make them are `training_approval.rs`'s).
async fn place_requests(pool: &PgPool) -> Vec<String> {
    sqlx::query("update course set needs_approval = true where course_id = $1::uuid")
        .bind(server::seed_training::DEMO_COURSE_ID)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "insert into learner (staff_user_id)
         select staff_user_id from staff_user where email = 'assessor.portsmouth@example.org'
         on conflict do nothing",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query_scalar(
        "with copies as (
             insert into training_session (course_id, capacity, booking_deadline, cancel_cutoff, venue, link, offer_hours)
             select s.course_id, s.capacity, s.booking_deadline, s.cancel_cutoff, s.venue, s.link, s.offer_hours
               from training_session s, generate_series(1, 40)
              where s.session_id = $1::uuid
             returning session_id)
         insert into training_booking (session_id, learner_id, status)
         select c.session_id, l.learner_id, 'requested'
           from copies c, learner l join staff_user u on u.staff_user_id = l.staff_user_id
          where u.email = 'assessor.portsmouth@example.org'
         returning booking_id::text",
    )
    .bind(server::seed_training::DEMO_SESSION_ID)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// Forty members of PTH-003 turning 18 in 20 days, each with their DBS task open.
async fn dbs_tasks(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar::<_, uuid::Uuid>(
        "with m as (
             insert into household_member (household_id, full_name, date_of_birth, relationship)
             select household_id, 'Matrix Member ' || n, (current_date + 20) - interval '18 years', 'Birth child'
               from household, generate_series(0, 39) n where reference = 'PTH-003'
             returning household_id, household_member_id)
         insert into household_task (household_id, kind, subject_id, due_on)
         select household_id, 'dbs-at-18', household_member_id, current_date + 20 from m
         returning household_task_id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .map(|id| id.to_string())
    .collect()
}

/// Forty people living in PTH-003 (adults: no DBS task).
async fn members(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar::<_, uuid::Uuid>(
        "insert into household_member (household_id, full_name, date_of_birth, relationship)
         select household_id, 'Matrix Lodger ' || n, date '1990-01-01', 'Lodger'
           from household, generate_series(0, 39) n where reference = 'PTH-003'
         returning household_member_id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .map(|id| id.to_string())
    .collect()
}

async fn two_factor_accounts(pool: &PgPool) -> Vec<String> {
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar(
        "insert into staff_user (council_id, email, full_name, password_hash)
         select council_id, 'matrix.two-factor.' || n || '@example.org', 'Matrix Two-Factor ' || n,
                password_hash
           from staff_user, generate_series(0, 39) n where email = 'assessor.portsmouth@example.org'
         returning staff_user_id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into staff_two_factor (staff_user_id, secret_nonce, secret_sealed, enrolled_at)
         select unnest($1::uuid[]), '\\x00'::bytea, '\\x00'::bytea, now()",
    )
    .bind(&ids)
    .execute(pool)
    .await
    .unwrap();
    ids.into_iter().map(|id| id.to_string()).collect()
}

/// Forty rows made by `sql` (given a fresh child reference, or a note), straight into the
/// database: the matrix needs records to end and release, not the rules that make them.
async fn matrix_rows(pool: &PgPool, sql: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..40 {
        let child = format!("MATRIX-{i}");
        sqlx::query(
            "insert into child (council_id, reference, date_of_birth, sex)
             select council_id, $1, current_date - 3000, 'female' from council where code = 'portsmouth'
             on conflict do nothing",
        )
        .bind(&child)
        .execute(pool)
        .await
        .unwrap();
        let id: uuid::Uuid = sqlx::query_scalar(sql)
            .bind(&child)
            .fetch_one(pool)
            .await
            .unwrap();
        ids.push(id.to_string());
    }
    ids
}

/// Forty Portsmouth assessments at `stage` (`prefix-0`...), allocated to its assessor, Stage 1
/// decided; at `decision`, recommended for approval today.
async fn cases_at(pool: &PgPool, prefix: &str, stage: &str) -> Vec<String> {
    sqlx::query_scalar(
        "insert into assessment (council_id, reference, household_name, received_on, assessor_id,
                                 stage, stage1_decision, stage1_decided_on, recommendation,
                                 recommendation_on)
         select c.council_id, $1 || '-' || n, 'Matrix case ' || n, current_date - 90,
                s.staff_user_id, $2, 'proceed', current_date - 60,
                case when $2 = 'decision' then 'approve' end,
                case when $2 = 'decision' then current_date end
         from council c, staff_user s, generate_series(0, 39) n
         where c.code = 'portsmouth' and s.email = 'assessor.portsmouth@example.org'
         returning reference",
    )
    .bind(prefix)
    .bind(stage)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// Forty cases with a refusal letter drafted.
async fn letter_cases(pool: &PgPool) -> Vec<String> {
    let cases = cases_at(pool, "MXL", "decision").await;
    sqlx::query(
        "insert into assessment_letter (assessment_id, kind, body)
         select assessment_id, 'refusal', 'Dear applicant,' from assessment
         where reference = any($1)",
    )
    .bind(&cases)
    .execute(pool)
    .await
    .unwrap();
    cases
}

/// A Portsmouth panel sitting `days` from today.
async fn matrix_panel(pool: &PgPool, days: i32, capacity: i16) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>(
        "insert into panel (council_id, sits_on, name, capacity, quorum)
         select council_id, current_date + $1, 'Matrix panel', $2, 5 from council
         where code = 'portsmouth' returning panel_id",
    )
    .bind(days)
    .bind(capacity)
    .fetch_one(pool)
    .await
    .unwrap()
    .to_string()
}

/// Forty Portsmouth assessments at Stage 1 (`prefix-0`...), allocated to its assessor or not.
async fn matrix_cases(pool: &PgPool, prefix: &str, allocated: bool) -> Vec<String> {
    sqlx::query_scalar(
        "insert into assessment (council_id, reference, household_name, received_on, assessor_id)
         select c.council_id, $1 || '-' || n, 'Matrix case ' || n, current_date - 30,
                case when $2 then s.staff_user_id end
         from council c, staff_user s, generate_series(0, 39) n
         where c.code = 'portsmouth' and s.email = 'assessor.portsmouth@example.org'
         returning reference",
    )
    .bind(prefix)
    .bind(allocated)
    .fetch_all(pool)
    .await
    .unwrap()
}

pub async fn portsmouth_search(pool: &PgPool) -> String {
    crate::placement_search::on_the_map(pool).await;
    let query = app::placements::search::rules::Query {
        children: vec![app::placements::rules::ChildNeed {
            date_of_birth: app::calendar::today_london() - chrono::Duration::days(7 * 365 + 30),
            sex: app::carers::types::Sex::Female,
        }],
        needs: Vec::new(),
        postcode: "PO1 2AB".into(),
        grid: app::places::GridRef {
            easting: 464025,
            northing: 100179,
        },
        placement_type: app::carers::types::PlacementType::ShortTerm,
        start_on: app::calendar::today_london() + chrono::Duration::days(7),
        max_miles: 20,
        child_council: None,
    };
    let id: uuid::Uuid = sqlx::query_scalar(
        "insert into placement_search (council_id, staff_user_id, form, query)
         select c.council_id, s.staff_user_id, '{}', $2
         from council c, staff_user s where c.code = 'portsmouth' and s.email = $1
         returning placement_search_id",
    )
    .bind(PLACEMENTS_PORTSMOUTH)
    .bind(serde_json::to_value(&query).unwrap())
    .fetch_one(pool)
    .await
    .unwrap();
    id.to_string()
}

const PLACEMENTS_PORTSMOUTH: &str = "placements.portsmouth@example.org";
/// Who places children for Portsmouth: its placement officer and team manager, and the hub's
/// placement officer (every council).
const PORTSMOUTH_PLACERS: &[&str] = &[
    PLACEMENTS_PORTSMOUTH,
    MANAGER_PORTSMOUTH,
    "placements@example.org",
];
/// Everyone who may search: Portsmouth's placers and Kent's team manager.
const PLACERS: &[&str] = &[
    PLACEMENTS_PORTSMOUTH,
    MANAGER_PORTSMOUTH,
    "placements@example.org",
    MANAGER_CHAIR_KENT,
];

/// A staff server function and who may call it.
pub struct Entry {
    pub path: &'static str,
    /// A body that succeeds for an allowed caller.
    pub body: fn(&Sample) -> Value,
    /// The demo accounts that succeed (200). Every other signed-in demo account is refused
    /// with 403, except those in `other_council`.
    pub allowed: &'static [&'static str],
    /// Accounts whose roles would allow the call in their own council but which belong to
    /// another than the sample's (Portsmouth's) records: refused (403) or told "not found"
    /// (404), and shown nothing of Portsmouth's.
    pub other_council: &'static [&'static str],
}

/// Who reads and changes Portsmouth's enquiries.
const ENQUIRY_READERS: &[&str] = &[
    HUB,
    PORTSMOUTH,
    MANAGER_PORTSMOUTH,
    RECRUITMENT_PORTSMOUTH,
    ADMIN,
];
const ENQUIRY_WRITERS: &[&str] = &[HUB, PORTSMOUTH, MANAGER_PORTSMOUTH, RECRUITMENT_PORTSMOUTH];
/// Kent's staff whose roles read and change enquiries (Kent's, not Portsmouth's).
const KENT_ENQUIRY_STAFF: &[&str] = &[KENT, MANAGER_CHAIR_KENT];

/// Who sees Portsmouth's funnel figures: the hub's officer, commissioner and administrator, and
/// Portsmouth's team manager and recruitment officer (assessors do not see the funnel).
const FUNNEL_READERS: &[&str] = &[
    HUB,
    MANAGER_PORTSMOUTH,
    RECRUITMENT_PORTSMOUTH,
    "commissioner@example.org",
    ADMIN,
];

/// Who sees Portsmouth's register: its supervising social worker, team manager and placement
/// officer, and the hub's placement officer and administrator.
/// Those with the sufficiency permission: the returns, the forecast and supply against need.
const SUFFICIENCY_VIEWERS: &[&str] = &[
    MANAGER_PORTSMOUTH,
    MANAGER_CHAIR_KENT,
    PLACEMENTS_PORTSMOUTH,
    "placements@example.org",
    "commissioner@example.org",
    ADMIN,
];

const REGISTER_READERS: &[&str] = &[
    "supervising.portsmouth@example.org",
    MANAGER_PORTSMOUTH,
    "placements.portsmouth@example.org",
    "placements@example.org",
    ADMIN,
];
/// Who changes a Portsmouth household's terms, holds and exemptions.
const REGISTER_MANAGERS: &[&str] = &["supervising.portsmouth@example.org", MANAGER_PORTSMOUTH];
/// Who records placements: those who manage the register and the placement officers.
const RECORDERS: &[&str] = &[
    "supervising.portsmouth@example.org",
    MANAGER_PORTSMOUTH,
    "placements.portsmouth@example.org",
    "placements@example.org",
];
/// Kent's staff whose roles reach the register (Kent's, not Portsmouth's).
const KENT_REGISTER_STAFF: &[&str] = &["supervising.kent@example.org", MANAGER_CHAIR_KENT];

fn today_parts() -> Value {
    let d = app::calendar::today_london();
    json!({ "day": d.format("%-d").to_string(), "month": d.format("%-m").to_string(), "year": d.format("%Y").to_string() })
}

const DECISION_MAKER: &str = "decision.maker@example.org";

/// Who reads Portsmouth's demo panel: its five members, Portsmouth's manager, the decision maker
/// and administrators.
const PANEL_READERS: &[&str] = &[
    PANEL_MEMBER,
    MANAGER_CHAIR_KENT,
    MANAGER_PORTSMOUTH,
    DECISION_MAKER,
    ADMIN,
    "supervising.portsmouth@example.org",
    "recruitment.portsmouth@example.org",
    "supervising.kent@example.org",
];

/// Who sees Portsmouth's demo case: its assessor, its manager, the decision maker, and
/// administrators.
const CASE_READERS: &[&str] = &[
    "assessor.portsmouth@example.org",
    MANAGER_PORTSMOUTH,
    ADMIN,
    DECISION_MAKER,
];
/// Who works it: its assessor and its manager.
const CASE_WORKERS: &[&str] = &["assessor.portsmouth@example.org", MANAGER_PORTSMOUTH];
/// Kent's staff whose roles reach assessments (Kent's, not Portsmouth's).
const KENT_ASSESSMENT_STAFF: &[&str] = &["assessor.kent@example.org", MANAGER_CHAIR_KENT];

pub const STAFF_SERVER_FUNCTIONS: &[Entry] = &[
    // Training is for everyone signed in: each browses the catalogue and a session meant for
    // them (the demo course is for staff and carers), and books their own place.
    Entry {
        path: "/api/training/catalogue",
        body: |_| json!({ "query": "" }),
        allowed: EVERY_DEMO_ACCOUNT,
        other_council: &[],
    },
    Entry {
        path: "/api/training/session",
        body: |_| json!({ "session": server::seed_training::DEMO_SESSION_ID }),
        allowed: EVERY_DEMO_ACCOUNT,
        other_council: &[],
    },
    Entry {
        path: "/api/training/mine",
        body: |_| json!({}),
        allowed: EVERY_DEMO_ACCOUNT,
        other_council: &[],
    },
    Entry {
        path: "/api/training/book",
        body: |_| json!({ "form": { "session": server::seed_training::DEMO_SESSION_ID } }),
        allowed: EVERY_DEMO_ACCOUNT,
        other_council: &[],
    },
    // The hub's workforce lead runs the region's courses; no one else adds to the catalogue.
    Entry {
        path: "/api/training/competency",
        body: |s| json!({ "form": { "name": format!("Matrix competency {}", s.taken.fetch_add(1, std::sync::atomic::Ordering::SeqCst)), "validity_months": "12" } }),
        allowed: &[WORKFORCE],
        other_council: &[],
    },
    Entry {
        path: "/api/training/course",
        body: |_| {
            json!({ "form": { "title": "Matrix course", "description": "", "audience": "both",
                                    "delivery": "online", "duration_minutes": "60", "competencies": [] } })
        },
        allowed: &[WORKFORCE],
        other_council: &[],
    },
    Entry {
        path: "/api/training/session/new",
        body: |_| {
            let d = app::calendar::today_london() + chrono::Duration::days(40);
            json!({ "form": { "course": server::seed_training::DEMO_COURSE_ID,
                              "day1": { "day": d.format("%-d").to_string(), "month": d.format("%-m").to_string(), "year": d.format("%Y").to_string() },
                              "starts1": "10:00", "ends1": "", "capacity": "10",
                              "venue": "Matrix venue", "link": "", "trainer": "", "closes_days": "", "cutoff_days": "" } })
        },
        allowed: &[WORKFORCE],
        other_council: &[],
    },
    Entry {
        path: "/api/training/capacity",
        body: |_| json!({ "form": { "session": server::seed_training::DEMO_SESSION_ID, "capacity": "12" } }),
        allowed: &[WORKFORCE],
        other_council: &[],
    },
    Entry {
        path: "/api/training/book-people",
        body: |_| json!({ "form": { "session": server::seed_training::DEMO_SESSION_ID, "emails": "trainer@example.org" } }),
        // Team managers too, for their own teams (anyone else is "not in your team").
        allowed: &[WORKFORCE, MANAGER_PORTSMOUTH, MANAGER_CHAIR_KENT],
        other_council: &[],
    },
    Entry {
        path: "/api/training/change-date",
        body: |s| {
            let (session, date) = s.training_date();
            let d = app::calendar::today_london() + chrono::Duration::days(45);
            json!({ "form": { "session": session, "date": date,
                              "day": { "day": d.format("%-d").to_string(), "month": d.format("%-m").to_string(), "year": d.format("%Y").to_string() },
                              "starts": "09:30", "ends": "11:00" } })
        },
        allowed: &[WORKFORCE],
        other_council: &[],
    },
    Entry {
        path: "/api/training/change-place",
        body: |s| json!({ "form": { "session": s.training_date().0, "place": "Matrix hall" } }),
        allowed: &[WORKFORCE],
        other_council: &[],
    },
    Entry {
        path: "/api/training/cancel-session",
        body: |s| json!({ "form": { "session": s.training_date().0, "reason": "The trainer is ill." } }),
        allowed: &[WORKFORCE],
        other_council: &[],
    },
    // The compliance matrix: workforce leads (the hub's: the region), team managers (their
    // teams: `training_compliance.rs` proves whose people each sees), and administrators.
    Entry {
        path: "/api/training/compliance",
        body: |_| json!({ "query": {} }),
        allowed: &[WORKFORCE, MANAGER_PORTSMOUTH, MANAGER_CHAIR_KENT, ADMIN],
        other_council: &[],
    },
    Entry {
        path: "/api/training/requirements",
        body: |_| json!({ "subject": "" }),
        allowed: &[WORKFORCE, MANAGER_PORTSMOUTH, MANAGER_CHAIR_KENT, ADMIN],
        other_council: &[],
    },
    // The region's one standard: only the hub's workforce leads set it.
    Entry {
        path: "/api/training/requirements/set",
        body: |_| json!({ "form": { "subject": "role:trainer", "competencies": [] } }),
        allowed: &[WORKFORCE],
        other_council: &[],
    },
    // A household's TSDS: those who see its register entry, and the hub's workforce lead.
    Entry {
        path: "/api/training/tsds/household",
        body: |_| json!({ "council": "portsmouth", "household": "PTH-001" }),
        allowed: &[
            "supervising.portsmouth@example.org",
            MANAGER_PORTSMOUTH,
            "placements.portsmouth@example.org",
            "placements@example.org",
            ADMIN,
            WORKFORCE,
        ],
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/training/tsds/sign-off",
        body: |s| {
            let pair = Sample::next(&s.tsds_taken, &s.tsds);
            let (carer, standard) = pair.split_once(' ').unwrap();
            json!({ "form": { "council": "portsmouth", "household": "PTH-001", "carer": carer,
                              "standard": standard, "achieved_on": today_parts(),
                              "note": "Workbook seen at supervision" } })
        },
        allowed: &[
            "supervising.portsmouth@example.org",
            MANAGER_PORTSMOUTH,
            WORKFORCE,
        ],
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/training/tsds/list",
        body: |_| json!({ "query": {} }),
        allowed: &[
            "supervising.portsmouth@example.org",
            MANAGER_PORTSMOUTH,
            "placements.portsmouth@example.org",
            "placements@example.org",
            ADMIN,
            WORKFORCE,
            "supervising.kent@example.org",
            MANAGER_CHAIR_KENT,
        ],
        other_council: &[],
    },
    Entry {
        path: "/api/training/evidence",
        body: |s| {
            json!({ "form": { "email": "trainer@example.org", "competency": s.safeguarding,
                              "achieved_on": today_parts(), "note": "Certificate seen" } })
        },
        allowed: &[WORKFORCE],
        other_council: &[],
    },
    // Each caller's own caseload (Kent's staff see Kent's: `assessments.rs` proves none of
    // Portsmouth's is among them).
    Entry {
        path: "/api/assessments/list",
        body: |_| json!({ "filter": { "assessor": "", "rag": "", "sort": "" } }),
        allowed: &[
            "assessor.portsmouth@example.org",
            MANAGER_PORTSMOUTH,
            ADMIN,
            DECISION_MAKER,
            "assessor.kent@example.org",
            MANAGER_CHAIR_KENT,
        ],
        other_council: &[],
    },
    Entry {
        path: "/api/assessments/get",
        body: |_| json!({ "reference": server::seed_assessments::DEMO_CASE }),
        allowed: CASE_READERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    Entry {
        path: "/api/assessments/check",
        body: |_| {
            json!({ "reference": server::seed_assessments::DEMO_CASE,
                    "check": server::seed_assessments::DEMO_CHECK_ID })
        },
        allowed: CASE_READERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    Entry {
        path: "/api/assessments/allocate",
        body: |s| {
            json!({ "form": { "reference": Sample::next(&s.cases_taken, &s.unallocated_cases),
                              "assessor": s.portsmouth_assessor_id } })
        },
        allowed: &[MANAGER_PORTSMOUTH],
        other_council: &[MANAGER_CHAIR_KENT],
    },
    // Whoever reads cases sees the placements with relatives in their own boundary.
    Entry {
        path: "/api/assessments/connected/options",
        body: |_| json!({}),
        allowed: &[
            "assessor.portsmouth@example.org",
            MANAGER_PORTSMOUTH,
            ADMIN,
            DECISION_MAKER,
            "assessor.kent@example.org",
            MANAGER_CHAIR_KENT,
        ],
        other_council: &[],
    },
    Entry {
        path: "/api/assessments/connected/open",
        body: |s| {
            json!({ "form": { "placement": Sample::next(&s.connected_taken, &s.connected_placements),
                              "household_name": "", "temporary": "no", "temporary_from": {} } })
        },
        allowed: CASE_WORKERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    Entry {
        path: "/api/assessments/temporary/extend",
        body: |s| {
            json!({ "form": { "reference": Sample::next(&s.connected_taken, &s.connected_cases),
                              "weeks": "4", "reason": "Matrix" } })
        },
        allowed: &[MANAGER_PORTSMOUTH],
        other_council: &[MANAGER_CHAIR_KENT],
    },
    Entry {
        path: "/api/assessments/record-check",
        body: |_| {
            json!({ "form": { "reference": server::seed_assessments::DEMO_CASE,
                              "check": server::seed_assessments::DEMO_CHECK_ID,
                              "requested_on": today_parts(), "received_on": {},
                              "outcome": "", "notes": "Matrix" } })
        },
        allowed: CASE_WORKERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    // The demo case's first referee (an email on record): each send replaces the last link, so
    // every allowed caller succeeds; cancelling needs a link, so it is sent first.
    Entry {
        path: "/api/assessments/reference-link/send",
        body: |_| {
            json!({ "form": { "reference": server::seed_assessments::DEMO_CASE,
                              "check": server::seed_assessments::DEMO_REFEREE_CHECK_ID } })
        },
        allowed: CASE_WORKERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    Entry {
        path: "/api/assessments/reference-link/cancel",
        body: |_| {
            json!({ "form": { "reference": server::seed_assessments::DEMO_CASE,
                              "check": server::seed_assessments::DEMO_REFEREE_CHECK_ID } })
        },
        allowed: CASE_WORKERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    Entry {
        path: "/api/assessments/stage-1",
        body: |s| {
            json!({ "form": { "reference": Sample::next(&s.cases_taken, &s.allocated_cases),
                              "decision": "proceed", "reasons": "" } })
        },
        allowed: CASE_WORKERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    Entry {
        path: "/api/assessments/letter",
        body: |_| json!({ "reference": server::seed_assessments::DEMO_CASE, "kind": "approval" }),
        allowed: CASE_READERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    Entry {
        path: "/api/assessments/letter/save",
        body: |s| {
            json!({ "form": { "reference": s.letter_cases[0], "kind": "refusal",
                              "body": "Dear applicant,\n\nEdited." } })
        },
        allowed: CASE_WORKERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    Entry {
        path: "/api/assessments/letter/send",
        body: |s| {
            json!({ "form": { "reference": Sample::next(&s.cases_taken, &s.letter_cases[1..]),
                              "kind": "refusal" } })
        },
        allowed: CASE_WORKERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    Entry {
        path: "/api/carers/list",
        body: |_| json!({ "filter": { "council": "portsmouth", "status": "", "q": "", "page": 1 } }),
        allowed: REGISTER_READERS,
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/carers/get",
        body: |_| json!({ "council": "portsmouth", "reference": "PTH-001" }),
        allowed: REGISTER_READERS,
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/carers/vary-terms",
        body: |_| {
            json!({ "form": { "council": "portsmouth", "reference": "PTH-002", "max_children": "1",
            "age_min": "12", "age_max": "17", "sex": "any", "placement_types": ["long-term"],
            "over_three_basis": "", "effective_from": today_parts(), "reason": "Matrix" } })
        },
        allowed: REGISTER_MANAGERS,
        other_council: KENT_REGISTER_STAFF,
    },
    // An emergency placement for a day: over the number it is allowed by the emergency route, so
    // every allowed caller succeeds with a child of their own.
    Entry {
        path: "/api/placements/start",
        body: |s| {
            let n = s.taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let d = app::calendar::today_london() + chrono::Days::new(1);
            json!({ "form": { "council": "portsmouth", "reference": "PTH-001", "child_council": "",
                "child_reference": format!("MX-{n}"),
                "child_date_of_birth": { "day": "1", "month": "6", "year": "2019" }, "child_sex": "male",
                "child_postcode": "", "placement_type": "emergency", "start_on": today_parts(),
                "planned_end_on": { "day": d.format("%-d").to_string(), "month": d.format("%-m").to_string(), "year": d.format("%Y").to_string() },
                "sibling_of": "" } })
        },
        allowed: RECORDERS,
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/placements/end",
        body: |s| {
            json!({ "form": { "council": "portsmouth", "reference": "PTH-003",
            "placement_id": Sample::next(&s.placements_taken, &s.placements), "ended_on": today_parts(), "end_reason": "returned-home" } })
        },
        allowed: RECORDERS,
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/placements/hold",
        body: |_| {
            json!({ "form": { "council": "portsmouth", "reference": "PTH-001", "extent": "places",
            "places": "1", "reason": "other", "starts_on": today_parts(),
            "expires_on": { "day": "", "month": "", "year": "" }, "review_on": { "day": "1", "month": "1", "year": "2099" },
            "note": "" } })
        },
        allowed: REGISTER_MANAGERS,
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/placements/release",
        body: |s| json!({ "form": { "council": "portsmouth", "reference": "PTH-003", "hold_id": Sample::next(&s.holds_taken, &s.holds) } }),
        allowed: RECORDERS,
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/carers/review",
        body: |s| {
            let n = s.taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            json!({ "form": { "council": "portsmouth", "reference": format!("MX-{}", n % 40),
                "reviewed_on": today_parts(), "recommendation": "continue", "terms": "same",
                "placement_types": [], "notes": "" } })
        },
        allowed: REGISTER_MANAGERS,
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/carers/task/dbs-done",
        body: |s| {
            json!({ "form": { "council": "portsmouth", "reference": "PTH-003",
                "task": Sample::next(&s.dbs_taken, &s.dbs_tasks), "issued_on": today_parts() } })
        },
        allowed: REGISTER_MANAGERS,
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/carers/member/add",
        body: |_| {
            json!({ "form": { "council": "portsmouth", "reference": "PTH-003", "full_name": "Matrix Newcomer",
                "date_of_birth": { "day": "1", "month": "2", "year": "1995" }, "relationship": "Lodger" } })
        },
        allowed: REGISTER_MANAGERS,
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/carers/member/left",
        body: |s| {
            json!({ "form": { "council": "portsmouth", "reference": "PTH-003",
                "member": Sample::next(&s.members_taken, &s.members), "left_on": today_parts() } })
        },
        allowed: REGISTER_MANAGERS,
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/carers/approval",
        body: |s| {
            let n = s.taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            json!({ "form": { "council": "portsmouth", "reference": format!("MX-{}", n % 40),
                "action": "hold", "date": { "day": "", "month": "", "year": "" }, "reason": "", "note": "" } })
        },
        allowed: REGISTER_MANAGERS,
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/carers/endings",
        body: |_| json!({ "council": "portsmouth" }),
        allowed: REGISTER_READERS,
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/carers/skills",
        body: |_| json!({}),
        allowed: &[ADMIN],
        other_council: &[],
    },
    Entry {
        path: "/api/carers/skills/add",
        body: |_| json!({ "form": { "label": "Matrix skill", "kind": "specialism" } }),
        allowed: &[ADMIN],
        other_council: &[],
    },
    Entry {
        path: "/api/carers/skills/retire",
        body: |_| json!({ "form": { "code": "bsl", "choice": "retire" } }),
        allowed: &[ADMIN],
        other_council: &[],
    },
    Entry {
        path: "/api/carers/details-choices",
        body: |_| json!({ "council": "portsmouth", "reference": "PTH-001" }),
        allowed: REGISTER_READERS,
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/carers/details",
        body: |_| {
            json!({ "form": { "council": "portsmouth", "reference": "PTH-001", "supervisor": "",
            "skills": ["complex-health"] } })
        },
        allowed: REGISTER_MANAGERS,
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/placements/exemption",
        body: |_| {
            json!({ "form": { "council": "portsmouth", "reference": "PTH-001", "route": "exemption",
            "covers": "number", "starts_on": today_parts(), "ends_on": { "day": "", "month": "", "year": "" },
            "note": "Matrix" } })
        },
        allowed: REGISTER_MANAGERS,
        other_council: KENT_REGISTER_STAFF,
    },
    Entry {
        path: "/api/placements/search/choices",
        body: |_| json!({}),
        allowed: PLACERS,
        other_council: &[],
    },
    Entry {
        path: "/api/placements/search/start",
        // The child's council is asked of the hub's officers only; others' searches ignore it.
        body: |_| {
            let mut form = crate::placement_search::form(&[7], 20, "short-term");
            form["child_council"] = json!("portsmouth");
            json!({ "form": form })
        },
        allowed: PLACERS,
        other_council: &[],
    },
    // Kent's team manager is told Portsmouth's search is not found.
    Entry {
        path: "/api/placements/search/results",
        body: |s| json!({ "search_id": s.portsmouth_search, "sort": "" }),
        allowed: PORTSMOUTH_PLACERS,
        other_council: &[MANAGER_CHAIR_KENT],
    },
    Entry {
        path: "/api/placements/search/result",
        body: |s| json!({ "search_id": s.portsmouth_search, "council": "hampshire", "reference": "HAM-101" }),
        allowed: PORTSMOUTH_PLACERS,
        other_council: &[MANAGER_CHAIR_KENT],
    },
    // HAM-101 has three places: each of the three reserves one.
    Entry {
        path: "/api/placements/reserve",
        body: |s| json!({ "form": { "search_id": s.portsmouth_search, "council": "hampshire", "reference": "HAM-101", "child_1": "M-1" } }),
        allowed: PORTSMOUTH_PLACERS,
        other_council: &[MANAGER_CHAIR_KENT],
    },
    // No such reservation: those who place are told it is not found, everyone else refused.
    Entry {
        path: "/api/placements/confirm",
        body: |s| json!({ "form": { "search_id": s.portsmouth_search, "council": "hampshire", "reference": "HAM-101", "hold_id": uuid::Uuid::nil() } }),
        allowed: &[],
        other_council: PLACERS,
    },
    Entry {
        path: "/api/placements/reservation/release",
        body: |s| json!({ "form": { "search_id": s.portsmouth_search, "council": "hampshire", "reference": "HAM-101", "hold_id": uuid::Uuid::nil() } }),
        allowed: &[],
        other_council: PLACERS,
    },
    Entry {
        path: "/api/councils/sharing",
        body: |_| json!({ "form": { "council": "surrey", "sharing": "no" } }),
        allowed: &[ADMIN],
        other_council: &[],
    },
    Entry {
        path: "/api/councils/retention",
        body: |_| json!({ "form": { "council_code": "surrey", "months": "48" } }),
        allowed: &[ADMIN],
        other_council: &[],
    },
    // Kent's team manager sees Kent's figures, and is refused Portsmouth's.
    Entry {
        path: "/api/funnel/ofsted",
        body: |_| json!({ "query": { "council": "portsmouth", "source": "", "year": "" } }),
        allowed: FUNNEL_READERS,
        other_council: &[MANAGER_CHAIR_KENT],
    },
    Entry {
        path: "/api/funnel/cohort",
        body: |_| json!({ "query": { "council": "portsmouth", "from": "", "to": "" } }),
        allowed: FUNNEL_READERS,
        other_council: &[MANAGER_CHAIR_KENT],
    },
    Entry {
        path: "/api/enquiries/list",
        body: |_| json!({ "filter": { "council": "portsmouth", "status": "", "reference": "", "page": 1 } }),
        allowed: ENQUIRY_READERS,
        other_council: KENT_ENQUIRY_STAFF,
    },
    Entry {
        path: "/api/enquiries/get",
        body: |s| json!({ "reference": s.portsmouth_reference }),
        allowed: ENQUIRY_READERS,
        other_council: KENT_ENQUIRY_STAFF,
    },
    Entry {
        path: "/api/enquiries/status",
        body: |s| json!({ "form": { "reference": s.portsmouth_reference, "status": "contacted", "closed_reason": "" } }),
        allowed: ENQUIRY_WRITERS,
        other_council: KENT_ENQUIRY_STAFF,
    },
    Entry {
        path: "/api/enquiries/contact",
        body: |s| json!({ "form": { "reference": s.portsmouth_reference, "kind": "call", "outcome": "no_answer", "note": "" } }),
        allowed: ENQUIRY_WRITERS,
        other_council: KENT_ENQUIRY_STAFF,
    },
    Entry {
        path: "/api/enquiries/pause",
        body: |s| json!({ "form": { "reference": s.portsmouth_reference, "choice": "resume" } }),
        allowed: ENQUIRY_WRITERS,
        other_council: KENT_ENQUIRY_STAFF,
    },
    Entry {
        path: "/api/enquiries/allocate",
        body: |s| json!({ "form": { "reference": s.portsmouth_reference, "council": "", "worker": "" } }),
        allowed: ENQUIRY_WRITERS,
        other_council: KENT_ENQUIRY_STAFF,
    },
    Entry {
        path: "/api/enquiries/next-action",
        body: |s| json!({ "form": { "reference": s.portsmouth_reference, "next_action": "", "due": { "day": "", "month": "", "year": "" } } }),
        allowed: ENQUIRY_WRITERS,
        other_council: KENT_ENQUIRY_STAFF,
    },
    Entry {
        path: "/api/enquiries/duplicate",
        body: |s| json!({ "form": { "reference": s.portsmouth_reference, "other": "", "choice": "dismiss" } }),
        allowed: ENQUIRY_WRITERS,
        other_council: KENT_ENQUIRY_STAFF,
    },
    Entry {
        path: "/api/enquiries/bulk",
        body: |s| json!({ "form": { "selected": [s.portsmouth_reference], "choice": "allocate", "allocate_to": s.hub_worker_id, "closed_reason": "" } }),
        allowed: ENQUIRY_WRITERS,
        other_council: KENT_ENQUIRY_STAFF,
    },
    Entry {
        path: "/api/calendar/bank-holidays",
        body: |_| json!({}),
        allowed: &[ADMIN],
        other_council: &[],
    },
    Entry {
        path: "/api/calendar/add-bank-holiday",
        body: |_| json!({ "form": { "day": { "day": "14", "month": "6", "year": "2090" }, "name": "Matrix holiday" } }),
        allowed: &[ADMIN],
        other_council: &[],
    },
    Entry {
        path: "/api/councils/all",
        body: |_| json!({}),
        allowed: &[ADMIN],
        other_council: &[],
    },
    Entry {
        path: "/api/councils/add",
        body: |_| json!({ "form": { "name": "Matrix Unitary Council", "code": "matrix-unitary", "inbox_email": "" } }),
        allowed: &[ADMIN],
        other_council: &[],
    },
    Entry {
        path: "/api/councils/single-sign-on",
        body: |_| json!({ "council": "portsmouth" }),
        allowed: &[ADMIN],
        other_council: &[],
    },
    // Surrey's connection, optional and with a domain nobody signs in with: saving it again and
    // again changes nothing any other test relies on.
    Entry {
        path: "/api/councils/single-sign-on/save",
        body: |_| {
            json!({ "form": {
            "council": "surrey", "issuer": "https://login.microsoftonline.com/matrix/v2.0",
            "client_id": "matrix", "client_secret": "matrix-secret", "domains": "matrix.surrey.example",
            "groups_claim": "groups", "mapping": "fh-matrix = Assessor", "session_minutes": "480",
            "required": "no", "enabled": "yes" } })
        },
        allowed: &[ADMIN],
        other_council: &[],
    },
    Entry {
        path: "/api/councils/staff-accounts",
        body: |_| json!({ "council": "portsmouth" }),
        allowed: &[ADMIN],
        other_council: &[],
    },
    // Reactivating an active account: allowed, and it changes nothing.
    Entry {
        path: "/api/councils/staff-accounts/active",
        body: |s| json!({ "form": { "council": "portsmouth", "staff_user_id": s.portsmouth_assessor_id, "active": true } }),
        allowed: &[ADMIN],
        other_council: &[],
    },
    Entry {
        path: "/api/councils/staff-accounts/reset-two-factor",
        body: |s| {
            json!({ "form": { "council": "portsmouth",
            "staff_user_id": Sample::next(&s.two_factor_taken, &s.two_factor_accounts) } })
        },
        allowed: &[ADMIN],
        other_council: &[],
    },
    Entry {
        path: "/api/mail/local",
        body: |_| json!({}),
        allowed: &[ADMIN],
        other_council: &[],
    },
    Entry {
        path: "/api/jobs/overview",
        body: |_| json!({}),
        allowed: &[ADMIN],
        other_council: &[],
    },
    // The components page's two-button example: saves nothing, answers which button was
    // clicked; open to every signed-in account like the page (`PAGES_OPEN_TO_EVERY_SIGNED_IN_ACCOUNT`).
    Entry {
        path: "/api/components/two-buttons",
        body: |_| json!({ "form": { "note": "Matrix", "choice": "later" } }),
        allowed: EVERY_DEMO_ACCOUNT,
        other_council: &[],
    },
    // The independent panel member's own placeholder: the one staff server function they reach.
    Entry {
        path: "/api/panels/mine",
        body: |_| json!({}),
        allowed: &[
            PANEL_MEMBER,
            MANAGER_CHAIR_KENT,
            ADMIN,
            MANAGER_PORTSMOUTH,
            DECISION_MAKER,
            "supervising.portsmouth@example.org",
            "recruitment.portsmouth@example.org",
            "supervising.kent@example.org",
        ],
        other_council: &[],
    },
    Entry {
        path: "/api/panels/get",
        body: |_| json!({ "panel": server::seed_assessments::DEMO_PANEL_ID }),
        allowed: PANEL_READERS,
        other_council: &[],
    },
    Entry {
        path: "/api/panels/papers",
        body: |_| {
            json!({ "panel": server::seed_assessments::DEMO_PANEL_ID,
                    "reference": server::seed_assessments::DEMO_PANEL_CASE })
        },
        allowed: PANEL_READERS,
        other_council: &[],
    },
    // Each manager adds a panel to their own council.
    Entry {
        path: "/api/panels/create",
        body: |_| {
            let d = app::calendar::today_london() + chrono::Duration::days(40);
            json!({ "form": { "name": "Matrix panel",
                              "sits_on": { "day": d.format("%-d").to_string(), "month": d.format("%-m").to_string(), "year": d.format("%Y").to_string() },
                              "capacity": "", "quorum": "" } })
        },
        allowed: &[MANAGER_PORTSMOUTH, MANAGER_CHAIR_KENT],
        other_council: &[],
    },
    // Kent's manager chairs Portsmouth's panel, but arranges only Kent's.
    Entry {
        path: "/api/panels/member",
        body: |_| {
            json!({ "form": { "panel": server::seed_assessments::DEMO_PANEL_ID,
                              "email": PANEL_MEMBER, "seat": "independent", "qualified_years": "" } })
        },
        allowed: &[MANAGER_PORTSMOUTH],
        other_council: &[MANAGER_CHAIR_KENT],
    },
    // The panel's chair (Kent's manager) or Portsmouth's manager; a member who is not the chair
    // is refused.
    Entry {
        path: "/api/panels/recommend",
        body: |s| {
            json!({ "form": { "panel": s.sitting_panel,
                              "reference": Sample::next(&s.cases_taken, &s.heard_cases),
                              "present": s.sitting_members, "recommendation": "approve",
                              "reasons": "Matrix reasons", "minutes": "Matrix minutes" } })
        },
        allowed: &[MANAGER_PORTSMOUTH, MANAGER_CHAIR_KENT],
        other_council: &[],
    },
    Entry {
        path: "/api/assessments/book-panel",
        body: |s| {
            json!({ "form": { "reference": Sample::next(&s.cases_taken, &s.stage2_cases),
                              "panel": s.booking_panel } })
        },
        allowed: CASE_WORKERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    Entry {
        path: "/api/assessments/papers-sent",
        body: |_| json!({ "form": { "reference": server::seed_assessments::DEMO_PANEL_CASE } }),
        allowed: CASE_WORKERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    Entry {
        path: "/api/assessments/decide",
        body: |s| {
            json!({ "form": { "reference": Sample::next(&s.cases_taken, &s.deciding_cases),
                              "decision": "propose_refusal", "reasons": "Matrix reasons" } })
        },
        allowed: &[DECISION_MAKER],
        other_council: &[],
    },
    Entry {
        path: "/api/assessments/check/referee",
        body: |s| {
            json!({ "form": { "reference": s.referee_check.0, "check": s.referee_check.1,
                              "name": "Rita Referee", "email": "rita@example.org" } })
        },
        allowed: CASE_WORKERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    Entry {
        path: "/api/assessments/check/add",
        body: |s| {
            json!({ "form": { "reference": s.referee_check.0, "kind": "school",
                              "subject": "Matrix Primary School", "email": "", "detail": "" } })
        },
        allowed: CASE_WORKERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    // Those who read cases read their own council's check settings; the hub's, any council's.
    Entry {
        path: "/api/assessments/check-settings",
        body: |_| json!({ "council": "portsmouth" }),
        allowed: CASE_READERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    // Each council's own team managers save their own council's (the body names none).
    Entry {
        path: "/api/assessments/check-settings/save",
        body: |_| json!({ "form": { "kinds": [{ "code": "pet", "stage": "1", "chase_days": "21" }] } }),
        allowed: &[MANAGER_PORTSMOUTH, MANAGER_CHAIR_KENT],
        other_council: &[],
    },
    // The case's workers and the decision maker record the applicants' response.
    Entry {
        path: "/api/assessments/response",
        body: |s| {
            json!({ "form": { "reference": Sample::next(&s.cases_taken, &s.responding_cases),
                              "kind": "representations", "on": today_parts(),
                              "recommendation": "", "note": "Matrix representations" } })
        },
        allowed: &[
            "assessor.portsmouth@example.org",
            MANAGER_PORTSMOUTH,
            DECISION_MAKER,
        ],
        other_council: KENT_ASSESSMENT_STAFF,
    },
    // Each in their own boundary (Kent's manager gets Kent's figures).
    Entry {
        path: "/api/assessments/figures",
        body: |_| json!({ "year": null }),
        allowed: &[
            MANAGER_PORTSMOUTH,
            ADMIN,
            DECISION_MAKER,
            MANAGER_CHAIR_KENT,
        ],
        other_council: &[],
    },
    Entry {
        path: "/api/assessments/report",
        body: |_| json!({ "reference": server::seed_assessments::DEMO_CASE }),
        allowed: CASE_READERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    Entry {
        path: "/api/assessments/report/section",
        body: |_| {
            json!({ "form": { "reference": server::seed_assessments::DEMO_CASE, "section": "b1",
                              "status": "in_progress", "notes": "Matrix" } })
        },
        allowed: CASE_WORKERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    // The demo case's Section C, started for the matrix (`Sample::of`): signed off once.
    Entry {
        path: "/api/assessments/report/sign-off",
        body: |_| {
            json!({ "form": { "reference": server::seed_assessments::DEMO_CASE, "section": "c",
                              "decision": "sign_off", "note": "" } })
        },
        allowed: &[MANAGER_PORTSMOUTH],
        other_council: &[MANAGER_CHAIR_KENT],
    },
    Entry {
        path: "/api/assessments/report/preparation",
        body: |_| {
            json!({ "form": { "reference": server::seed_assessments::DEMO_CASE, "applicant": "1",
                              "completed_on": today_parts(), "course": "" } })
        },
        allowed: CASE_WORKERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    Entry {
        path: "/api/assessments/end",
        body: |s| {
            json!({ "form": { "reference": Sample::next(&s.cases_taken, &s.allocated_cases),
                              "code": "AW1", "note": "" } })
        },
        allowed: CASE_WORKERS,
        other_council: KENT_ASSESSMENT_STAFF,
    },
    // Staff who move applications on make referee links. The subject is not yet a record any
    // council owns (applications arrive with the funnel issue), so there is no boundary to test.
    Entry {
        path: "/api/accounts/referee-link",
        body: |_| json!({ "link": { "subject_id": "7d9e2c1a-3b4f-4c5d-8e6f-0a1b2c3d4e5f", "holder_email": "referee@example.org" } }),
        allowed: &[
            HUB,
            PORTSMOUTH,
            MANAGER_PORTSMOUTH,
            RECRUITMENT_PORTSMOUTH,
            KENT,
            MANAGER_CHAIR_KENT,
        ],
        other_council: &[],
    },
    // Before the invitation below (a visit is booked before the household is invited).
    Entry {
        path: "/api/enquiries/book-visit",
        body: |s| {
            let day = chrono::Utc::now().date_naive() + chrono::Days::new(7);
            json!({ "form": { "reference": s.portsmouth_reference, "time": "10:00", "place": "",
                "date": { "day": day.format("%-d").to_string(), "month": day.format("%-m").to_string(), "year": day.format("%Y").to_string() } } })
        },
        allowed: ENQUIRY_WRITERS,
        other_council: KENT_ENQUIRY_STAFF,
    },
    // Staff who move enquiries on invite the household (inviting again sends new links, so every
    // allowed caller succeeds); Kent's are told the enquiry is not found.
    Entry {
        path: "/api/enquiries/invite",
        body: |s| json!({ "form": { "reference": s.portsmouth_reference, "joint": "no" } }),
        allowed: ENQUIRY_WRITERS,
        other_council: KENT_ENQUIRY_STAFF,
    },
    Entry {
        path: "/api/enquiries/application",
        body: |s| json!({ "reference": s.portsmouth_reference }),
        allowed: ENQUIRY_READERS,
        other_council: KENT_ENQUIRY_STAFF,
    },
    // Team managers and administrators import a council's register; Kent's manager is refused
    // Portsmouth's (403 for the page, "not found" for its file). Importing again is refused
    // row by row, which is still a report (200).
    Entry {
        path: "/api/carers/import/page",
        body: |_| json!({ "query": { "council": "portsmouth", "uploaded": "", "report": "" } }),
        allowed: &[MANAGER_PORTSMOUTH, ADMIN],
        other_council: &[MANAGER_CHAIR_KENT],
    },
    Entry {
        path: "/api/carers/import/run",
        body: |s| json!({ "form": { "file": s.portsmouth_register_file } }),
        allowed: &[MANAGER_PORTSMOUTH, ADMIN],
        other_council: &[MANAGER_CHAIR_KENT],
    },
    // The returns the forecast stands on: everyone who sees the forecast (counts only). Importing
    // and an import's page (which lists rows) are for commissioners, the hub's for any council.
    Entry {
        path: "/api/sufficiency/data",
        body: |_| json!({ "query": {} }),
        allowed: SUFFICIENCY_VIEWERS,
        other_council: &[],
    },
    Entry {
        path: "/api/sufficiency/forecast",
        body: |_| json!({ "query": {} }),
        allowed: SUFFICIENCY_VIEWERS,
        other_council: &[],
    },
    Entry {
        path: "/api/sufficiency/supply",
        body: |_| json!({ "query": {} }),
        allowed: SUFFICIENCY_VIEWERS,
        other_council: &[],
    },
    Entry {
        path: "/api/sufficiency/import",
        body: |s| json!({ "form": { "files": s.portsmouth_returns_file, "year": "2024" } }),
        allowed: &["commissioner@example.org"],
        other_council: &[],
    },
    Entry {
        path: "/api/sufficiency/import/view",
        body: |s| json!({ "id": s.portsmouth_returns_import }),
        allowed: &["commissioner@example.org"],
        other_council: &[],
    },
    // A person's records: those whose compliance matrix shows them (the region's lead and
    // administrator, the assessor's manager); Kent's manager is told "not found".
    Entry {
        path: "/api/training/person",
        body: |s| json!({ "person": format!("staff-{}", s.portsmouth_assessor_id) }),
        allowed: &[WORKFORCE, MANAGER_PORTSMOUTH, ADMIN],
        other_council: &[MANAGER_CHAIR_KENT],
    },
    // Requests for places needing approval: team managers and workforce leads see theirs;
    // Portsmouth's requests are decided by its manager or the hub's lead, never Kent's manager.
    Entry {
        path: "/api/training/approvals",
        body: |_| json!({}),
        allowed: &[WORKFORCE, MANAGER_PORTSMOUTH, MANAGER_CHAIR_KENT],
        other_council: &[],
    },
    Entry {
        path: "/api/training/approvals/decide",
        body: |s| {
            let id = Sample::next(&s.place_requests_taken, &s.place_requests);
            json!({ "form": { "booking": id, "decision": "approve" } })
        },
        allowed: &[WORKFORCE, MANAGER_PORTSMOUTH],
        other_council: &[MANAGER_CHAIR_KENT],
    },
    // Importing training records: workforce leads, for the councils whose courses they run (the
    // refusal of another council's lead is in `training_import.rs`: the demo has none).
    Entry {
        path: "/api/training/import/page",
        body: |_| json!({ "query": { "council": "portsmouth", "uploaded": "", "report": "" } }),
        allowed: &[WORKFORCE],
        other_council: &[],
    },
    Entry {
        path: "/api/training/import/run",
        body: |s| json!({ "form": { "file": s.portsmouth_records_file } }),
        allowed: &[WORKFORCE],
        other_council: &[],
    },
    // Household members only: every staff account is refused (403), as is nobody (401); the
    // signed-in member's side is in `accounts.rs` and `applications.rs`.
    Entry {
        path: "/api/accounts/me",
        body: |_| json!({}),
        allowed: &[],
        other_council: &[],
    },
    Entry {
        path: "/api/carer/household",
        body: |_| json!({}),
        allowed: &[],
        other_council: &[],
    },
    Entry {
        path: "/api/carer/availability",
        body: |_| json!({ "form": { "choice": "available" } }),
        allowed: &[],
        other_council: &[],
    },
    Entry {
        path: "/api/application/progress",
        body: |_| json!({}),
        allowed: &[],
        other_council: &[],
    },
    Entry {
        path: "/api/application/overview",
        body: |_| json!({}),
        allowed: &[],
        other_council: &[],
    },
    Entry {
        path: "/api/application/section",
        body: |_| json!({ "code": "languages" }),
        allowed: &[],
        other_council: &[],
    },
    Entry {
        path: "/api/application/save",
        body: |_| json!({ "form": { "section": "languages", "action": "draft", "main_language": "English" } }),
        allowed: &[],
        other_council: &[],
    },
    Entry {
        path: "/api/application/answers",
        body: |_| json!({}),
        allowed: &[],
        other_council: &[],
    },
    Entry {
        path: "/api/application/pause",
        body: |_| json!({ "form": { "action": "resume" } }),
        allowed: &[],
        other_council: &[],
    },
    Entry {
        path: "/api/application/withdraw",
        body: |_| json!({ "form": { "reason": "EQ-07", "note": "" } }),
        allowed: &[],
        other_council: &[],
    },
    Entry {
        path: "/api/application/submit",
        body: |_| json!({ "form": {} }),
        allowed: &[],
        other_council: &[],
    },
];

/// Every demo account (`server::seed::DEMO_STAFF`; a test checks the two agree).
pub const EVERY_DEMO_ACCOUNT: &[&str] = &[
    "hub.officer@example.org",
    "assessor.portsmouth@example.org",
    "manager.portsmouth@example.org",
    "recruitment.portsmouth@example.org",
    "supervising.portsmouth@example.org",
    PLACEMENTS_PORTSMOUTH,
    "assessor.kent@example.org",
    "supervising.kent@example.org",
    "manager.kent@example.org",
    "decision.maker@example.org",
    "commissioner@example.org",
    "workforce.lead@example.org",
    "placements@example.org",
    "admin@example.org",
    "panel.member@example.org",
    "trainer@example.org",
];

/// Server functions anyone may call, signed in or not, each with the reason it is public.
pub const PUBLIC_SERVER_FUNCTIONS: &[(&str, &str)] = &[
    (
        "/api/training/check",
        "checks a certificate by its reference and the holder's surname together, showing only \
         that certificate; rate limited per client as a public form",
    ),
    (
        "/api/training/certificate",
        "a certificate for its own holder or a workforce lead who keeps their records; \
         \"not found\" to anyone else (tests in training.rs)",
    ),
    (
        "/api/training/leave",
        "gives up the caller's own place only; refused when they have none (tests in training.rs)",
    ),
    (
        "/api/training/accept",
        "accepts the seat held for the caller only; refused when none is (tests in training.rs)",
    ),
    (
        "/api/training/cancel-place",
        "a workforce lead who runs the session cancels a place on it (tests in training.rs)",
    ),
    (
        "/api/training/register",
        "the session's trainer or workforce lead takes its register (tests in training.rs)",
    ),
    (
        "/api/auth/sign-in/code",
        "the second step of the caller's own sign-in: refused without a pending sign-in in this session; rate limited and counted towards lockout",
    ),
    (
        "/api/auth/sign-in/waiting",
        "says which step the caller's own pending sign-in is at, if any; reveals nothing else",
    ),
    (
        "/api/auth/two-factor/enrolment",
        "starts enrolling the caller's own account: refused unless signed in or half way through signing in (tests in two_factor.rs)",
    ),
    (
        "/api/auth/two-factor/confirm",
        "confirms the caller's own enrolment with a code: refused unless signed in or half way through signing in",
    ),
    (
        "/api/auth/two-factor/recovery-codes",
        "the caller's own recovery codes, shown once straight after enrolment: refused otherwise",
    ),
    (
        "/api/auth/sign-out",
        "ends the caller's own session, if any; there is nothing of anyone else's to reach",
    ),
    (
        "/api/auth/me",
        "says who is signed in (or null) so pages can decide what to show; reveals nothing else",
    ),
    (
        "/api/auth/sign-in",
        "signing in; rate limited per client and accounts lock after repeated failures",
    ),
    (
        "/api/auth/sso/start",
        "the first step of signing in with a council account: finds the council's provider by \
         the email's domain and sends the browser there; rate limited like password sign-in",
    ),
    (
        "/api/enquiries/submit",
        "the public enquiry form; rate limited per client",
    ),
    (
        "/api/councils/members",
        "the member councils offered on the public enquiry form",
    ),
    (
        "/api/accounts/request-link",
        "asking for a member's sign-in link; the same answer whether or not the address has an \
         account, rate limited per client and per address",
    ),
    (
        "/api/accounts/sign-in",
        "the token from an emailed link is the credential; single use, expiring, rate limited",
    ),
    (
        "/api/accounts/sign-out",
        "ends the caller's own session, if any; there is nothing of anyone else's to reach",
    ),
    (
        "/api/reference/status",
        "the token in a referee's link is the credential; says only whether the form is open",
    ),
    (
        "/api/reference/submit",
        "the token in a referee's link is the credential for that one form, until submitted or \
         expired; no session is made",
    ),
];

/// Staff pages that are not refused to the independent panel member, with the reason.
pub const PAGES_OPEN_TO_EVERY_SIGNED_IN_ACCOUNT: &[(&str, &str)] = &[
    (
        "/staff/components",
        "the component kit's examples: made-up values, no records",
    ),
    (
        "/staff/two-factor/enrol",
        "enrolling (or resetting) the caller's own authenticator app",
    ),
    (
        "/staff/two-factor/recovery-codes",
        "the caller's own recovery codes, straight after enrolling",
    ),
    (
        "/staff/sign-in/code",
        "the code step of the caller's own sign-in",
    ),
];

/// Every server function the application registers, as `server_fn` keeps them.
pub fn registered_server_functions() -> Vec<String> {
    let mut paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _method)| path.to_string())
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Registered paths that are neither in the matrix nor public, and listed paths that are not
/// registered (a renamed or removed function whose entry would otherwise test nothing).
pub fn unlisted_and_stale(registered: &[String]) -> (Vec<String>, Vec<String>) {
    let listed: Vec<&str> = STAFF_SERVER_FUNCTIONS
        .iter()
        .map(|e| e.path)
        .chain(PUBLIC_SERVER_FUNCTIONS.iter().map(|(p, _)| *p))
        .collect();
    let unlisted = registered
        .iter()
        .filter(|p| !listed.contains(&p.as_str()))
        .cloned()
        .collect();
    let stale = listed
        .iter()
        .filter(|p| !registered.iter().any(|r| r == *p))
        .map(|p| p.to_string())
        .collect();
    (unlisted, stale)
}

/// Signs every demo account in: `(email, cookie)`.
pub async fn sign_in_everyone(app: &Router) -> Vec<(&'static str, String)> {
    let mut signed_in = Vec::new();
    for (email, ..) in server::seed::DEMO_STAFF {
        signed_in.push((*email, sign_in(app, email).await));
    }
    signed_in
}

/// Personal data of Portsmouth's demo enquirers, which no refusal may show.
pub const PORTSMOUTH_NAMES: &[&str] = &[
    "Amara Okafor",
    "Hannah Lewis",
    "Alex and Sam Okafor",
    "Jordan Reid",
    "Chris and Pat Lewis",
];
