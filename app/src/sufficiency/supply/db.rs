//! What supply reads from the register and the assessments: every household (the deregistration
//! rate and new households' places are the region's), the places of those approved today, and
//! every assessment's stage dates and outcome.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgPool, Row};
use uuid::Uuid;

use super::rules::{Case, Household, Kind, Outcome};
use crate::error::AppResult;
use crate::placements::db::OCCUPANCY_SQL;

/// A household with its council's code and id.
pub struct RegisterRow {
    pub household_id: Uuid,
    pub council: String,
    pub council_name: String,
    pub status: String,
    pub household: Household,
}

/// Every household of a kind that meets the forecast's need (mainstream and connected person),
/// deregistered ones too.
pub async fn households(pool: &PgPool) -> AppResult<Vec<RegisterRow>> {
    let rows = sqlx::query(
        "select h.household_id, c.code, c.name, h.carer_type, h.status, h.approved_on, h.max_children,
                h.age_min, h.age_max, h.resignation_notice_on, h.deregistered_on
         from household h join council c on c.council_id = h.council_id
         where h.carer_type in ('mainstream', 'connected_person')",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let kind = Kind::of_carer_type(r.get::<&str, _>("carer_type"))?;
            let status: String = r.get("status");
            let notice: Option<NaiveDate> = r.get("resignation_notice_on");
            Some(RegisterRow {
                household_id: r.get("household_id"),
                council: r.get("code"),
                council_name: r.get("name"),
                household: Household {
                    kind,
                    approved_on: r.get("approved_on"),
                    max_children: u32::try_from(r.get::<i16, _>("max_children")).unwrap_or(0),
                    age_min: r.get("age_min"),
                    age_max: r.get("age_max"),
                    // Approval ends 28 days after written notice (reg 28(13)).
                    leaves_on: notice
                        .filter(|_| status == "resigning")
                        .map(|n| n + chrono::Days::new(28)),
                    deregistered_on: r.get("deregistered_on"),
                },
                status,
            })
        })
        .collect())
}

/// Open placements and held places today, per household: `(open, held, whole_household_held)`.
pub async fn occupancy(
    pool: &PgPool,
    households: &[Uuid],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Vec<(Uuid, i64, i64, bool)>> {
    let rows: Vec<crate::placements::db::Occupancy> = sqlx::query_as(OCCUPANCY_SQL)
        .bind(households)
        .bind(today)
        .bind(now)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|o| (o.household_id, o.open, o.held, o.whole_held))
        .collect())
}

/// Every assessment with its council's code: the day it reached each stage and how it ended.
/// Stage 1 starts when the application is received, stage 2 on the stage 1 decision to
/// proceed, panel on the first booking, the decision on the panel's recommendation.
pub async fn cases(pool: &PgPool) -> AppResult<Vec<(String, Case)>> {
    let rows = sqlx::query(
        "select c.code, a.kind, a.received_on, a.stage1_decision, a.stage1_decided_on,
                (select min(b.booked_at) from panel_booking b
                  where b.assessment_id = a.assessment_id) as booked_at,
                a.recommendation_on, a.decision, a.decided_on, a.household_id, a.ended_on
         from assessment a join council c on c.council_id = a.council_id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let proceed = r.get::<Option<&str>, _>("stage1_decision") == Some("proceed");
            let booked: Option<DateTime<Utc>> = r.get("booked_at");
            let decided: Option<NaiveDate> = r.get("decided_on");
            let approved = r.get::<Option<&str>, _>("decision") == Some("approve")
                && r.get::<Option<Uuid>, _>("household_id").is_some();
            let ended: Option<NaiveDate> = r.get("ended_on");
            let outcome = match (approved, decided, ended) {
                (true, Some(on), _) => Outcome::Approved(on),
                (_, _, Some(on)) => Outcome::Ended(on),
                _ => Outcome::Open,
            };
            let case = Case {
                kind: Kind::of_assessment(r.get::<&str, _>("kind")),
                entered: [
                    Some(r.get("received_on")),
                    if proceed {
                        r.get("stage1_decided_on")
                    } else {
                        None
                    },
                    booked.map(crate::calendar::london_day),
                    r.get("recommendation_on"),
                ],
                outcome,
            };
            (r.get("code"), case)
        })
        .collect())
}
