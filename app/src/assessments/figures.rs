//! The figures Ofsted's annual return asks of assessments, read off the cases: applications
//! received, approvals, not approved (refused, or not suitable at Stage 1), withdrawals by AW
//! code, days from application to approval, and the share reaching panel within 8 months. A
//! year is Ofsted's (1 April to 31 March); a case counts in the year its event happened.

use super::policy;
use super::types::AssessmentFigures;
use crate::auth::{rules::Scope, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::funnel::rules::{financial_year, financial_year_label};
use crate::state::AppState;
use chrono::NaiveDate;

/// The middle of `days` (the mean of the two middle ones for an even count), rounded.
pub fn median(days: &[i32]) -> Option<u32> {
    if days.is_empty() {
        return None;
    }
    let mut sorted = days.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    let middle = if n % 2 == 1 {
        f64::from(sorted[n / 2])
    } else {
        (f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0
    };
    Some(middle.round().max(0.0) as u32)
}

pub fn mean(days: &[i32]) -> Option<u32> {
    (!days.is_empty()).then(|| {
        let total: i64 = days.iter().map(|d| i64::from(*d)).sum();
        ((total as f64) / (days.len() as f64)).round().max(0.0) as u32
    })
}

/// "75%": `part` of `whole`, to the nearest whole per cent; `None` of nothing.
pub fn share(part: u32, whole: u32) -> Option<String> {
    (whole > 0).then(|| {
        format!(
            "{}%",
            ((f64::from(part) * 100.0) / f64::from(whole)).round()
        )
    })
}

fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 4, 1).expect("1 April"),
        NaiveDate::from_ymd_opt(year + 1, 3, 31).expect("31 March"),
    )
}

pub async fn figures(
    state: &AppState,
    user: &CurrentUser,
    year: Option<i32>,
) -> AppResult<AssessmentFigures> {
    if !policy::sees_whole_caseload(user) {
        return Err(AppError::Forbidden);
    }
    let council = match Scope::of(user) {
        Scope::AllCouncils => None,
        Scope::Council(own) => Some(own),
        Scope::NoCouncil => return Err(AppError::Forbidden),
    };
    let this_year = financial_year(crate::calendar::today_london());
    let year = year
        .filter(|y| (2000..=this_year).contains(y))
        .unwrap_or(this_year);
    let (from, to) = year_bounds(year);
    let (received, approved, refused, not_suitable, recommended, within): (i64, i64, i64, i64, i64, i64) =
        sqlx::query_as(
            "select count(*) filter (where a.received_on between $2 and $3),
                    count(*) filter (where a.decision = 'approve' and a.decided_on between $2 and $3),
                    count(*) filter (where a.end_code = 'refused' and a.ended_on between $2 and $3),
                    count(*) filter (where a.end_code = 'not_suitable' and a.ended_on between $2 and $3),
                    count(*) filter (where a.recommendation_on between $2 and $3),
                    count(*) filter (where a.recommendation_on between $2 and $3
                                       and a.recommendation_on <= (a.received_on + interval '8 months')::date)
             from assessment a join council c using (council_id)
             where ($1::text is null or c.code = $1)",
        )
        .bind(council.as_deref())
        .bind(from)
        .bind(to)
        .fetch_one(&state.pool)
        .await?;
    let ended: Vec<(String, i64)> = sqlx::query_as(
        "select a.end_code, count(*) from assessment a join council c using (council_id)
         where ($1::text is null or c.code = $1) and a.ended_on between $2 and $3
           and (a.end_code like 'AW%' or a.end_code = 'withdrawn_after_panel')
         group by a.end_code",
    )
    .bind(council.as_deref())
    .bind(from)
    .bind(to)
    .fetch_all(&state.pool)
    .await?;
    let days: Vec<i32> = sqlx::query_scalar(
        "select a.decided_on - a.received_on from assessment a join council c using (council_id)
         where ($1::text is null or c.code = $1) and a.decision = 'approve'
           and a.decided_on between $2 and $3",
    )
    .bind(council.as_deref())
    .bind(from)
    .bind(to)
    .fetch_all(&state.pool)
    .await?;
    let count_of = |code: &str| {
        ended
            .iter()
            .find(|(c, _)| c == code)
            .map_or(0, |(_, n)| *n as u32)
    };
    let withdrawals = crate::enquiries::lifecycle::WITHDRAWAL_REASONS
        .iter()
        .map(|(code, label)| (code.to_string(), label.to_string(), count_of(code)))
        .chain(std::iter::once((
            super::types::WITHDRAWN_AFTER_PANEL.0.to_string(),
            super::types::WITHDRAWN_AFTER_PANEL.1.to_string(),
            count_of(super::types::WITHDRAWN_AFTER_PANEL.0),
        )))
        .collect();
    Ok(AssessmentFigures {
        year,
        year_label: financial_year_label(year),
        years: (2020..=this_year)
            .rev()
            .map(|y| (y.to_string(), financial_year_label(y)))
            .collect(),
        received: received as u32,
        approved: approved as u32,
        refused: refused as u32,
        not_suitable: not_suitable as u32,
        withdrawals,
        median_days_to_approval: median(&days),
        mean_days_to_approval: mean(&days),
        recommended: recommended as u32,
        within_eight_months: within as u32,
        within_share: share(within as u32, recommended as u32),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[300]), Some(300));
        assert_eq!(median(&[400, 200, 300]), Some(300));
        assert_eq!(median(&[200, 301, 400, 100]), Some(251));
        assert_eq!(mean(&[200, 301, 400, 100]), Some(250));
    }

    #[test]
    fn a_share_is_to_the_nearest_whole_per_cent_and_nothing_of_nothing() {
        assert_eq!(share(0, 0), None);
        assert_eq!(share(2, 3), Some("67%".into()));
        assert_eq!(share(3, 3), Some("100%".into()));
    }

    #[test]
    fn ofsteds_year_runs_from_1_april_to_31_march() {
        let (from, to) = year_bounds(2026);
        assert_eq!(from.to_string(), "2026-04-01");
        assert_eq!(to.to_string(), "2027-03-31");
    }
}
