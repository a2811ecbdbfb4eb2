//! A council's own choice of stage and chase interval for each kind of check. Each kind belongs to
//! Stage 1 or Stage 2 by the product's default (`CheckKind::default_stage`) and is chased after
//! its usual time (`CheckKind::default_chase_days`); a council's team manager may change either.
//! A change applies to the checks of cases opened (or added by hand) from then on: a check
//! already on a case keeps the stage and interval it was given, so no case's Stage 1 changes
//! under its assessor's feet.

use super::checks::CheckKind;
use super::policy;
use super::service::actor;
use super::types::{CheckSettingRow, CheckSettings, CheckSettingsForm};
use crate::audit::db::Event;
use crate::auth::{rules::Scope, CurrentUser};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The longest a check may wait before it is chased, in days.
pub const MAX_CHASE_DAYS: i32 = 365;

/// One kind's setting as read from the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setting {
    pub kind: CheckKind,
    pub stage: i16,
    pub chase_days: i32,
}

impl Setting {
    /// The product's own default for the kind.
    pub fn default_of(kind: CheckKind) -> Self {
        Setting {
            kind,
            stage: kind.default_stage(),
            chase_days: kind.default_chase_days(),
        }
    }

    pub fn is_default(self) -> bool {
        self == Self::default_of(self.kind)
    }
}

/// Reads the posted settings that differ from what the page showed (all of them for a caller
/// who says nothing of what was shown). No groups, a group naming no kind we know, naming one twice, or
/// more groups than there are kinds is not our form (400); a stage or an interval out of range is the
/// person's to correct, beside the field.
pub fn read(form: &CheckSettingsForm) -> AppResult<Vec<Setting>> {
    if form.kinds.is_empty() {
        return Err(AppError::BadRequest(
            "No settings were sent: open the check settings page and save again".into(),
        ));
    }
    if form.kinds.len() > CheckKind::ALL.len() {
        return Err(AppError::BadRequest("too many kinds of check".into()));
    }
    let mut seen = HashSet::new();
    let mut errors = FieldErrors::default();
    let mut out = Vec::with_capacity(form.kinds.len());
    for (i, f) in form.kinds.iter().enumerate() {
        let kind = CheckKind::from_code(f.code.trim())
            .ok_or_else(|| AppError::BadRequest("a kind of check that does not exist".into()))?;
        if !seen.insert(kind) {
            return Err(AppError::BadRequest("a kind of check given twice".into()));
        }
        let label = kind.label();
        let stage = match f.stage.trim() {
            "1" => 1,
            "2" => 2,
            _ => {
                errors.add(
                    &format!("kinds[{i}][stage]"),
                    format!("Select Stage 1 or Stage 2 for the {label}"),
                );
                kind.default_stage()
            }
        };
        let chase_days = match f.chase_days.trim().parse::<i32>() {
            Ok(n) if (1..=MAX_CHASE_DAYS).contains(&n) => n,
            _ => {
                errors.add(
                    &format!("kinds[{i}][chase_days]"),
                    format!(
                        "Enter the days before the {label} is chased as a whole number from 1 to {MAX_CHASE_DAYS}"
                    ),
                );
                kind.default_chase_days()
            }
        };
        if f.shown.trim() != format!("{stage}/{chase_days}") {
            out.push(Setting {
                kind,
                stage,
                chase_days,
            });
        }
    }
    errors.into_result()?;
    Ok(out)
}

/// Every kind with the council's own setting where it has one, else the default.
pub fn merged(own: &HashMap<String, (i16, i32)>) -> Vec<CheckSettingRow> {
    CheckKind::ALL
        .into_iter()
        .map(|kind| {
            let d = Setting::default_of(kind);
            let (stage, chase_days) = own
                .get(kind.code())
                .copied()
                .unwrap_or((d.stage, d.chase_days));
            CheckSettingRow {
                code: kind.code().to_string(),
                label: kind.label().to_string(),
                stage,
                chase_days,
                default_stage: d.stage,
                default_chase_days: d.chase_days,
            }
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct CouncilDb {
    council_id: Uuid,
    code: String,
    name: String,
}

/// The councils whose settings the caller may read, by name (the hub's staff read every
/// council's; the hub itself assesses no one).
async fn councils_in_scope(state: &AppState, user: &CurrentUser) -> AppResult<Vec<CouncilDb>> {
    let own = match Scope::of(user) {
        Scope::AllCouncils => None,
        Scope::Council(own) => Some(own),
        Scope::NoCouncil => return Err(AppError::Forbidden),
    };
    Ok(sqlx::query_as(
        "select council_id, code, name from council
          where kind = 'member' and ($1::text is null or code = $1) order by name",
    )
    .bind(own)
    .fetch_all(&state.pool)
    .await?)
}

/// One council's settings: the caller's own, or for the hub's staff the council asked for (the
/// first by name when none is). Another council's code is not found.
pub async fn settings(
    state: &AppState,
    user: &CurrentUser,
    council: &str,
) -> AppResult<CheckSettings> {
    let councils = councils_in_scope(state, user).await?;
    let council = council.trim();
    let chosen = if council.is_empty() {
        councils.first()
    } else {
        councils.iter().find(|c| c.code == council)
    }
    .ok_or(AppError::NotFound)?;
    let own: HashMap<String, (i16, i32)> =
        super::db::check_settings(&mut *state.pool.acquire().await?, chosen.council_id)
            .await?
            .into_iter()
            .map(|(kind, stage, days)| (kind, (stage, days)))
            .collect();
    let may_change = may_change(user, &chosen.code);
    Ok(CheckSettings {
        council_code: chosen.code.clone(),
        council_name: chosen.name.clone(),
        councils: if councils.len() > 1 {
            councils
                .iter()
                .map(|c| (c.code.clone(), c.name.clone()))
                .collect()
        } else {
            Vec::new()
        },
        kinds: merged(&own),
        may_change,
    })
}

/// A council's own team managers change its settings (as they arrange its panels); the hub's
/// managers read them.
fn may_change(user: &CurrentUser, council_code: &str) -> bool {
    policy::may_allocate(user) && Scope::of(user) == Scope::Council(council_code.to_string())
}

/// Saves the caller's own council's settings. A kind set back to its default loses its row, so
/// it follows the product's default from then on.
pub async fn save(state: &AppState, user: &CurrentUser, form: &CheckSettingsForm) -> AppResult<()> {
    let Scope::Council(own) = Scope::of(user) else {
        return Err(AppError::Validation(FieldErrors::general(
            "Check settings are set by a council's own team managers",
        )));
    };
    let settings = read(form)?;
    let council_id: Uuid = sqlx::query_scalar("select council_id from council where code = $1")
        .bind(&own)
        .fetch_one(&state.pool)
        .await?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let before: HashMap<String, (i16, i32)> = super::db::check_settings(&mut tx, council_id)
        .await?
        .into_iter()
        .map(|(kind, stage, days)| (kind, (stage, days)))
        .collect();
    let mut changed = Vec::new();
    for s in &settings {
        let code = s.kind.code();
        let was = before
            .get(code)
            .copied()
            .unwrap_or((s.kind.default_stage(), s.kind.default_chase_days()));
        if was == (s.stage, s.chase_days) {
            continue;
        }
        if s.is_default() {
            sqlx::query("delete from council_check_setting where council_id = $1 and kind = $2")
                .bind(council_id)
                .bind(code)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query(
                "insert into council_check_setting (council_id, kind, stage, chase_days)
                 values ($1, $2, $3, $4)
                 on conflict (council_id, kind)
                 do update set stage = excluded.stage, chase_days = excluded.chase_days",
            )
            .bind(council_id)
            .bind(code)
            .bind(s.stage)
            .bind(s.chase_days)
            .execute(&mut *tx)
            .await?;
        }
        changed.push(serde_json::json!({
            "kind": code,
            "from": { "stage": was.0, "chase_days": was.1 },
            "to": { "stage": s.stage, "chase_days": s.chase_days },
        }));
    }
    if !changed.is_empty() {
        crate::audit::db::record(
            &mut tx,
            Event {
                actor: actor(user)?,
                council_id: Some(council_id),
                action: "council.check_settings_changed",
                entity_type: "council",
                entity_id: council_id,
                details: serde_json::json!({ "changes": changed }),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessments::types::CheckSettingField;

    fn field(code: &str, stage: &str, days: &str) -> CheckSettingField {
        CheckSettingField {
            code: code.into(),
            stage: stage.into(),
            chase_days: days.into(),
            shown: String::new(),
        }
    }

    #[test]
    fn a_council_may_move_a_kind_to_the_other_stage_and_change_its_chase_interval() {
        let form = CheckSettingsForm {
            kinds: vec![field("pet", "1", " 10 "), field("dbs", "2", "365")],
        };
        let read = read(&form).unwrap();
        assert_eq!(
            read,
            vec![
                Setting {
                    kind: CheckKind::Pet,
                    stage: 1,
                    chase_days: 10
                },
                Setting {
                    kind: CheckKind::Dbs,
                    stage: 2,
                    chase_days: 365
                }
            ]
        );
        assert!(!read[0].is_default());
        assert!(Setting::default_of(CheckKind::Medical).is_default());
    }

    #[test]
    fn a_kind_posted_as_the_page_showed_it_is_left_alone() {
        let mut same = field("dbs", "1", "28");
        same.shown = "1/28".into();
        let mut changed = field("pet", "1", "28");
        changed.shown = "2/28".into();
        let read = read(&CheckSettingsForm {
            kinds: vec![same, changed],
        })
        .unwrap();
        assert_eq!(
            read,
            vec![Setting {
                kind: CheckKind::Pet,
                stage: 1,
                chase_days: 28
            }]
        );
    }

    #[test]
    fn a_stage_or_interval_out_of_range_is_refused_beside_its_own_field() {
        let form = CheckSettingsForm {
            kinds: vec![
                field("dbs", "3", "28"),
                field("medical", "1", "0"),
                field("ofsted", "2", "366"),
                field("school", "1", "two weeks"),
                field("pet", "2", "14.5"),
            ],
        };
        let AppError::Validation(errors) = read(&form).unwrap_err() else {
            panic!("a validation error");
        };
        assert!(errors.get("kinds[0][stage]").is_some());
        assert!(errors.get("kinds[0][chase_days]").is_none());
        for i in 1..5 {
            let message = errors
                .get(&format!("kinds[{i}][chase_days]"))
                .unwrap_or_else(|| panic!("kinds[{i}]: a message"));
            assert!(message.contains("from 1 to 365"), "{message}");
        }
        assert!(errors
            .get("kinds[1][chase_days]")
            .unwrap()
            .contains("Medical"));
    }

    #[test]
    fn an_unknown_or_repeated_kind_is_not_our_form() {
        for kinds in [
            vec![field("tarot", "1", "14")],
            vec![field("dbs", "1", "14"), field("dbs", "2", "14")],
            vec![field("dbs", "1", "14"); 16],
            Vec::new(),
        ] {
            assert!(matches!(
                read(&CheckSettingsForm { kinds }),
                Err(AppError::BadRequest(_))
            ));
        }
    }

    #[test]
    fn every_kind_is_listed_with_the_councils_own_setting_where_it_has_one() {
        let own = HashMap::from([("home_safety".to_string(), (1, 7))]);
        let rows = merged(&own);
        assert_eq!(rows.len(), CheckKind::ALL.len());
        let home = rows.iter().find(|r| r.code == "home_safety").unwrap();
        assert_eq!((home.stage, home.chase_days), (1, 7));
        assert_eq!((home.default_stage, home.default_chase_days), (2, 28));
        let dbs = rows.iter().find(|r| r.code == "dbs").unwrap();
        assert_eq!((dbs.stage, dbs.chase_days), (1, 28));
    }
}
