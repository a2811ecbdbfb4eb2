//! The letters a decision on a case must be given in writing (Fostering Services (England)
//! Regulations 2011, regs. 26 and 27): the Stage 1 "not suitable" notice with its reasons; the
//! qualifying determination (a proposed refusal, with the reasons and the applicants' right to
//! make representations or apply to the Independent Review Mechanism within 28 days); the
//! approval with its terms; and the final refusal.
//!
//! Each is drafted from the case when its decision is recorded ([`draft`], a plain function), the
//! assessor edits it, then prints it or sends it by email; once sent it is kept as sent and no
//! longer changes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The kinds of letter, as stored.
pub const KINDS: [(&str, &str); 4] = [
    (
        "stage1_not_suitable",
        "Stage 1 notice: not suitable to go on",
    ),
    (
        "qualifying_determination",
        "Qualifying determination: proposal not to approve",
    ),
    ("approval", "Approval letter with the terms of approval"),
    ("refusal", "Final decision not to approve"),
];

/// A letter's title, from its kind.
pub fn title(kind: &str) -> Option<&'static str> {
    KINDS.iter().find(|(k, _)| *k == kind).map(|(_, t)| *t)
}

/// The longest letter kept.
pub const MAX_LETTER_CHARS: usize = 20_000;

/// What a letter is drafted from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LetterFacts {
    pub council_name: String,
    pub reference: String,
    /// The applicants by name (one or two); empty: the household's name is used.
    pub applicants: Vec<String>,
    pub household_name: String,
    /// The day of the decision the letter gives.
    pub decided_on: NaiveDate,
    /// The reasons, as recorded with the decision.
    pub reasons: String,
    /// The terms of approval in words (approval letters).
    pub terms: String,
    /// The last day for representations or an IRM application (qualifying determinations).
    pub respond_by: Option<NaiveDate>,
    /// The assessing social worker, who signs the letter.
    pub assessor_name: Option<String>,
}

fn long_day(d: NaiveDate) -> String {
    crate::time::format_day(d)
}

/// The letter's first draft, in plain text (the assessor edits it before it goes).
pub fn draft(kind: &str, f: &LetterFacts) -> String {
    let dear = if f.applicants.is_empty() {
        f.household_name.clone()
    } else {
        f.applicants.join(" and ")
    };
    let head = format!(
        "{council}\nFostering service\n\n{date}\n\nOur reference: {reference}\n\nDear {dear},\n\n",
        council = f.council_name,
        date = long_day(f.decided_on),
        reference = f.reference,
    );
    let sign = format!(
        "\nYours sincerely,\n\n{}\n{}\n",
        f.assessor_name
            .clone()
            .unwrap_or_else(|| "Assessing social worker".to_string()),
        f.council_name
    );
    let body = match kind {
        "stage1_not_suitable" => format!(
            "Your application to become a foster carer: Stage 1\n\n\
             Thank you for the time you have given to the first stage of your assessment. We \
             have now received all the information Stage 1 needs, and we have decided that \
             you are not suitable to become foster carers with {council}, so your assessment \
             will not go on to Stage 2.\n\n\
             Our reasons are:\n\n{reasons}\n\n\
             This decision is made under regulation 26 of the Fostering Services (England) \
             Regulations 2011. It is not a decision the Independent Review Mechanism reviews. If \
             you are unhappy with how your application was handled, you may use {council}'s \
             complaints procedure.\n\n\
             We keep the records of your application for 3 years, as the law requires, and then \
             delete them.\n",
            council = f.council_name,
            reasons = f.reasons.trim(),
        ),
        "qualifying_determination" => format!(
            "Your application to become a foster carer: a proposal not to approve you\n\n\
             The fostering panel considered your assessment and made its recommendation. \
             {council}'s agency decision maker has considered the recommendation and the \
             papers, and proposes not to approve you as a foster carer. This is not yet a final \
             decision.\n\n\
             The reasons are:\n\n{reasons}\n\n\
             A copy of the panel's recommendation is enclosed.\n\n\
             By {until} (28 days from the date of this letter) you may:\n\n\
             - send {council} your written representations about the proposal, which the \
             agency decision maker will consider before deciding; or\n\
             - apply to the Independent Review Mechanism (IRM) for a review of the proposal \
             (www.independentreviewmechanism.org.uk). A review panel will consider \
             your case and make its own recommendation.\n\n\
             You may do one or the other, not both. If we hear nothing from you by {until}, the \
             agency decision maker will make the final decision after that date.\n",
            council = f.council_name,
            reasons = f.reasons.trim(),
            until = f
                .respond_by
                .map(long_day)
                .unwrap_or_else(|| "the date 28 days from this letter".to_string()),
        ),
        "approval" => format!(
            "Your approval as foster carers\n\n\
             I am pleased to tell you that {council}'s agency decision maker has approved you as \
             foster carers, on the fostering panel's recommendation, under regulation 27 of the \
             Fostering Services (England) Regulations 2011.\n\n\
             The terms of your approval are:\n\n{terms}\n\n\
             Your terms will be reviewed at least once a year, and whenever a change in your \
             household makes a review necessary. You will be asked to sign a foster care \
             agreement with {council}, and your supervising social worker will contact you \
             about what happens next, including the training, support and development standards \
             you will complete in your first year.\n",
            council = f.council_name,
            terms = f.terms.trim(),
        ),
        _ => format!(
            "Your application to become a foster carer: the decision\n\n\
             {council}'s agency decision maker has now decided not to approve you as a foster \
             carer. The reasons are:\n\n{reasons}\n\n\
             We keep the records of your application for 3 years, as the law requires, and then \
             delete them.\n",
            council = f.council_name,
            reasons = f.reasons.trim(),
        ),
    };
    format!("{head}{body}{sign}")
}

/// Checks an edited letter: what is wrong, in words for the assessor.
pub fn check_body(body: &str) -> Result<String, String> {
    let body = body.replace("\r\n", "\n");
    if body.trim().is_empty() {
        return Err("Enter the letter's text".into());
    }
    if body.chars().count() > MAX_LETTER_CHARS {
        return Err(format!(
            "The letter must be {MAX_LETTER_CHARS} characters or fewer"
        ));
    }
    if body
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err("The letter has characters that cannot be printed: remove them".into());
    }
    Ok(body.trim_end().to_string() + "\n")
}

/// A letter on a case's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterLine {
    pub kind: String,
    pub title: String,
    /// "Draft" or "Sent on 3 December 2026".
    pub status: String,
    pub href: String,
}

/// A letter's own page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterView {
    pub reference: String,
    pub household_name: String,
    pub kind: String,
    pub title: String,
    /// Whether the case has this letter yet (it is drafted when its decision is recorded).
    pub drafted: bool,
    pub body: String,
    /// "Sent on 3 December 2026 by Asha Assessor, emailed to 2 applicants".
    pub sent: Option<String>,
    /// "Last edited on … by …".
    pub edited: Option<String>,
    /// The caller may edit and send it (the case's assessor or a manager, while unsent).
    pub may_edit: bool,
    /// Applicants with an email address it would go to.
    pub emails: u32,
}

/// The assessor's edit of a letter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LetterForm {
    pub reference: String,
    pub kind: String,
    pub body: String,
}

/// Send a letter (its text as last saved).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SendLetterForm {
    pub reference: String,
    pub kind: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> LetterFacts {
        LetterFacts {
            council_name: "Portsmouth City Council".into(),
            reference: "FH-2026-0042".into(),
            applicants: vec!["Sam Jones".into(), "Alex Jones".into()],
            household_name: "Jones household".into(),
            decided_on: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            reasons: "The home has no room for a child.".into(),
            terms: "Up to 2 children aged 0 to 10".into(),
            respond_by: NaiveDate::from_ymd_opt(2026, 12, 31),
            assessor_name: Some("Asha Assessor".into()),
        }
    }

    #[test]
    fn every_letter_is_dated_addressed_referenced_and_signed() {
        for (kind, _) in KINDS {
            let l = draft(kind, &facts());
            assert!(l.contains("3 December 2026"), "{kind}");
            assert!(l.contains("Dear Sam Jones and Alex Jones,"), "{kind}");
            assert!(l.contains("Our reference: FH-2026-0042"), "{kind}");
            assert!(l.trim_end().ends_with("Portsmouth City Council"), "{kind}");
            assert!(l.contains("Asha Assessor"), "{kind}");
        }
    }

    #[test]
    fn a_refusal_or_not_suitable_notice_gives_its_reasons_and_an_approval_its_terms() {
        for kind in ["stage1_not_suitable", "qualifying_determination", "refusal"] {
            assert!(draft(kind, &facts()).contains("The home has no room for a child."));
        }
        let approval = draft("approval", &facts());
        assert!(approval.contains("Up to 2 children aged 0 to 10"));
        assert!(!approval.contains("no room"));
    }

    #[test]
    fn a_qualifying_determination_names_both_rights_and_the_28th_day() {
        let l = draft("qualifying_determination", &facts());
        assert!(l.contains("By 31 December 2026"));
        assert!(l.contains("written representations"));
        assert!(l.contains("Independent Review Mechanism"));
        assert!(l.contains("not yet a final decision"));
    }

    #[test]
    fn a_household_without_named_applicants_is_addressed_by_its_name() {
        let f = LetterFacts {
            applicants: Vec::new(),
            ..facts()
        };
        assert!(draft("approval", &f).contains("Dear Jones household,"));
    }

    #[test]
    fn an_edited_letter_must_have_printable_text_within_the_limit() {
        assert!(check_body("  \n ").is_err());
        assert!(check_body(&"a".repeat(MAX_LETTER_CHARS + 1)).is_err());
        assert!(check_body("Dear \u{0007}Sam").is_err());
        assert_eq!(
            check_body("Dear Sam,\r\n\r\nHello.\r\n\r\n").unwrap(),
            "Dear Sam,\n\nHello.\n"
        );
        assert_eq!(
            title("approval"),
            Some("Approval letter with the terms of approval")
        );
        assert_eq!(title("nonsense"), None);
    }
}

/// Drafting, reading, editing and sending letters against the database.
#[cfg(feature = "ssr")]
pub mod service {
    use super::*;
    use crate::assessments::db::{self, CaseDb};
    use crate::assessments::service::{audit, may_work_case, open_case, staff_id, workable_case};
    use crate::auth::CurrentUser;
    use crate::email::outbox::NewEmail;
    use crate::error::{AppError, AppResult, FieldErrors};
    use crate::state::AppState;
    use crate::time::{format_day, format_london};
    use chrono::{DateTime, Utc};
    use sqlx::PgConnection;

    pub const KIND_LETTER: &str = "assessment_letter";

    /// What a letter is drafted from, for a decision made today on `case`.
    pub(crate) async fn facts(
        pool: &sqlx::PgPool,
        case: &CaseDb,
        reasons: &str,
        terms: &str,
        respond_by: Option<NaiveDate>,
    ) -> AppResult<LetterFacts> {
        let applicants = db::household_contacts(pool, case.assessment_id)
            .await?
            .into_iter()
            .map(|(_, name)| name)
            .collect();
        Ok(LetterFacts {
            council_name: case.council_name.clone(),
            reference: case.reference.clone(),
            applicants,
            household_name: case.household_name.clone(),
            decided_on: crate::calendar::today_london(),
            reasons: reasons.to_string(),
            terms: terms.to_string(),
            respond_by,
            assessor_name: case.assessor_name.clone(),
        })
    }

    /// Drafts the letter for a decision, in the decision's transaction. A letter of that kind
    /// already on the case is left as it is (a decision is made once).
    pub(crate) async fn draft_in(
        conn: &mut PgConnection,
        case: &CaseDb,
        kind: &str,
        facts: &LetterFacts,
    ) -> AppResult<()> {
        let mut body = draft(kind, facts);
        if body.chars().count() > MAX_LETTER_CHARS {
            body = body.chars().take(MAX_LETTER_CHARS).collect();
        }
        sqlx::query(
            "insert into assessment_letter (assessment_id, kind, body) values ($1, $2, $3)
             on conflict do nothing",
        )
        .bind(case.assessment_id)
        .bind(kind)
        .bind(body)
        .execute(conn)
        .await?;
        Ok(())
    }

    #[derive(sqlx::FromRow)]
    struct LetterDb {
        kind: String,
        body: String,
        edited_at: Option<DateTime<Utc>>,
        edited_name: Option<String>,
        sent_at: Option<DateTime<Utc>>,
        sent_name: Option<String>,
        emailed_to: Option<i32>,
    }

    async fn letters_of(
        pool: &sqlx::PgPool,
        assessment_id: uuid::Uuid,
    ) -> AppResult<Vec<LetterDb>> {
        Ok(sqlx::query_as(
            "select l.kind, l.body, l.edited_at, e.full_name as edited_name, l.sent_at,
                    s.full_name as sent_name, l.emailed_to
             from assessment_letter l
             left join staff_user e on e.staff_user_id = l.edited_by
             left join staff_user s on s.staff_user_id = l.sent_by
             where l.assessment_id = $1 order by l.drafted_at, l.kind",
        )
        .bind(assessment_id)
        .fetch_all(pool)
        .await?)
    }

    fn letter_href(reference: &str, kind: &str) -> String {
        format!(
            "/staff/assessments/{}/letters/{}",
            crate::assessments::api::segment(reference),
            crate::assessments::api::segment(kind)
        )
    }

    /// The case's letters, for its page.
    pub(crate) async fn lines(pool: &sqlx::PgPool, case: &CaseDb) -> AppResult<Vec<LetterLine>> {
        Ok(letters_of(pool, case.assessment_id)
            .await?
            .into_iter()
            .map(|l| LetterLine {
                title: title(&l.kind).unwrap_or("Letter").to_string(),
                status: l.sent_at.map_or_else(
                    || "Draft".to_string(),
                    |at| format!("Sent on {}", format_day(crate::calendar::london_day(at))),
                ),
                href: letter_href(&case.reference, &l.kind),
                kind: l.kind,
            })
            .collect())
    }

    /// One letter, for anyone who may open the case.
    pub async fn letter(
        state: &AppState,
        user: &CurrentUser,
        reference: &str,
        kind: &str,
    ) -> AppResult<LetterView> {
        let case = open_case(state, user, reference).await?;
        let title = title(kind).ok_or(AppError::NotFound)?;
        let emails = db::household_contacts(&state.pool, case.assessment_id)
            .await?
            .len() as u32;
        let Some(l) = letters_of(&state.pool, case.assessment_id)
            .await?
            .into_iter()
            .find(|l| l.kind == kind)
        else {
            return Ok(LetterView {
                reference: case.reference.clone(),
                household_name: case.household_name.clone(),
                kind: kind.to_string(),
                title: title.to_string(),
                drafted: false,
                body: String::new(),
                sent: None,
                edited: None,
                may_edit: false,
                emails,
            });
        };
        Ok(LetterView {
            reference: case.reference.clone(),
            household_name: case.household_name.clone(),
            kind: l.kind,
            title: title.to_string(),
            drafted: true,
            body: l.body,
            sent: l.sent_at.map(|at| {
                format!(
                    "Sent on {} by {}, {}",
                    format_london(at),
                    l.sent_name.unwrap_or_default(),
                    match l.emailed_to.unwrap_or(0) {
                        0 => "to be posted (no applicant has an email address)".to_string(),
                        1 => "emailed to the applicant".to_string(),
                        n => format!("emailed to {n} applicants"),
                    }
                )
            }),
            edited: l.edited_at.map(|at| {
                format!(
                    "Last edited on {} by {}",
                    format_london(at),
                    l.edited_name.unwrap_or_default()
                )
            }),
            may_edit: l.sent_at.is_none() && may_work_case(user, &case),
            emails,
        })
    }

    /// The letter's row locked, refusing one that has been sent.
    async fn lock_unsent(conn: &mut PgConnection, case: &CaseDb, kind: &str) -> AppResult<String> {
        let row: Option<(String, Option<DateTime<Utc>>)> = sqlx::query_as(
            "select body, sent_at from assessment_letter
             where assessment_id = $1 and kind = $2 for update",
        )
        .bind(case.assessment_id)
        .bind(kind)
        .fetch_optional(conn)
        .await?;
        match row {
            None => Err(AppError::NotFound),
            Some((_, Some(_))) => Err(AppError::conflict(
                "This letter has been sent, so it is kept as it was sent and cannot be changed.",
            )),
            Some((body, None)) => Ok(body),
        }
    }

    /// The case's assessor or a manager: save an edit of an unsent letter.
    pub async fn save(state: &AppState, user: &CurrentUser, form: &LetterForm) -> AppResult<()> {
        let case = workable_case(state, user, &form.reference).await?;
        let kind = form.kind.trim();
        title(kind).ok_or(AppError::NotFound)?;
        let body = check_body(&form.body)
            .map_err(|m| AppError::Validation(FieldErrors::field("body", m)))?;
        let by = staff_id(user)?;
        let mut tx = crate::db::begin(&state.pool).await?;
        lock_unsent(&mut tx, &case, kind).await?;
        sqlx::query(
            "update assessment_letter set body = $3, edited_by = $4, edited_at = now()
             where assessment_id = $1 and kind = $2",
        )
        .bind(case.assessment_id)
        .bind(kind)
        .bind(&body)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            user,
            &case,
            "assessment.letter_edited",
            serde_json::json!({ "kind": kind }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The case's assessor or a manager: send the letter as last saved, by email to each
    /// applicant with an address (or to post, printed, when none has one). It is kept as sent.
    pub async fn send(
        state: &AppState,
        user: &CurrentUser,
        form: &SendLetterForm,
    ) -> AppResult<()> {
        let case = workable_case(state, user, &form.reference).await?;
        let kind = form.kind.trim();
        let title = title(kind).ok_or(AppError::NotFound)?;
        let by = staff_id(user)?;
        let contacts = db::household_contacts(&state.pool, case.assessment_id).await?;
        let mut tx = crate::db::begin(&state.pool).await?;
        let body = lock_unsent(&mut tx, &case, kind).await?;
        sqlx::query(
            "update assessment_letter set sent_by = $3, sent_at = now(), emailed_to = $4
             where assessment_id = $1 and kind = $2",
        )
        .bind(case.assessment_id)
        .bind(kind)
        .bind(by)
        .bind(contacts.len() as i32)
        .execute(&mut *tx)
        .await?;
        let mail: Vec<NewEmail> = contacts
            .iter()
            .map(|(email, name)| {
                NewEmail::to_person(
                    case.council_id,
                    KIND_LETTER,
                    email,
                    name,
                    format!("{}: {title}", case.council_name),
                    body.clone(),
                )
            })
            .collect();
        crate::email::outbox::enqueue_all(&mut tx, &mail).await?;
        audit(
            &mut tx,
            user,
            &case,
            "assessment.letter_sent",
            serde_json::json!({ "kind": kind, "emailed_to": contacts.len() }),
        )
        .await?;
        tx.commit().await?;
        crate::email::outbox::wake_workers();
        Ok(())
    }
}
