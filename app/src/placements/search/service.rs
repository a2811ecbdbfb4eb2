//! The search's flows, shared by both modes: check and store a search, run it (audited), and
//! open one result (audited). A household of another council is seen only where both councils
//! have opted in to regional sharing; outside that it is "not found", like one that does not
//! exist, so references cannot be probed.

use super::db::{self, CandidateRow, Params};
use super::rules::{self, Household, Match, Query};
use super::{ReservationLine, ResultLine, ResultView, SearchForm, SearchResults, Sort};
use crate::audit::db::{Actor, Event};
use crate::auth::rules::Scope;
use crate::auth::CurrentUser;
use crate::carers::db::terms_of;
use crate::carers::types::{PlacementType, Sex};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::placements::rules::{ChildNeed, Covers, Exemption, HeldPlaces, Route};
use crate::places::{GridRef, PostcodeAnswer};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Results shown on the page (the total says how many more matched).
pub const SHOWN: usize = 50;

/// The longest distance a search may ask for: the region is about 150 miles across.
pub const MAX_MILES: u32 = 200;

/// Who is searching: their council, whether it shares with the region, and whether they see
/// every council (the hub).
#[derive(Clone, Debug)]
pub struct Searcher {
    pub council_id: Uuid,
    pub council_code: String,
    pub sharing: bool,
    pub all_councils: bool,
}

impl Searcher {
    pub async fn of(pool: &PgPool, user: &CurrentUser) -> AppResult<Searcher> {
        let code = match Scope::of(user) {
            Scope::NoCouncil => return Err(AppError::Forbidden),
            _ => user
                .council
                .as_ref()
                .map(|c| c.code.clone())
                .unwrap_or_default(),
        };
        let (council_id, sharing, is_hub) = db::council_sharing(pool, &code)
            .await?
            .ok_or(AppError::Forbidden)?;
        Ok(Searcher {
            council_id,
            council_code: code,
            sharing,
            all_councils: is_hub && user.is_hub,
        })
    }

    /// The council whose households come first (none for the hub: it has no households).
    fn own(&self) -> Option<&str> {
        (!self.all_councils).then_some(self.council_code.as_str())
    }

    /// Whether this searcher may see a household of `council_code` whose council shares or not.
    pub fn may_see(&self, council_code: &str, household_sharing: bool) -> bool {
        self.all_councils
            || council_code == self.council_code
            || (self.sharing && household_sharing)
    }
}

fn child_of(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    dob: &crate::ui::DateParts,
    sex: &str,
    today: NaiveDate,
) -> Option<ChildNeed> {
    let date = match crate::ui::parse_date(label, dob) {
        Ok(d) if d > today => {
            errors.add(
                &format!("{field}date_of_birth"),
                format!("{label} must be today or in the past"),
            );
            None
        }
        Ok(d) if crate::time::age_on(d, today) > 25 => {
            errors.add(
                &format!("{field}date_of_birth"),
                format!("{label} must be within the last 25 years"),
            );
            None
        }
        Ok(d) => Some(d),
        Err(m) => {
            errors.add(&format!("{field}date_of_birth"), m);
            None
        }
    };
    let sex = Sex::parse(sex);
    if sex.is_none() {
        errors.add(&format!("{field}sex"), "Select girl or boy");
    }
    Some(ChildNeed {
        date_of_birth: date?,
        sex: sex?,
    })
}

/// A checked search form, before its postcode is found on the grid.
pub struct Parsed {
    pub children: Vec<ChildNeed>,
    pub needs: Vec<String>,
    pub postcode: crate::places::Postcode,
    pub placement_type: PlacementType,
    pub start_on: NaiveDate,
    pub max_miles: u32,
}

/// Checks the form, or gives every field's message in form order.
pub fn parse(
    form: &SearchForm,
    skills: &[(String, String)],
    today: NaiveDate,
) -> Result<Parsed, FieldErrors> {
    let mut errors = FieldErrors::default();
    let first = child_of(
        &mut errors,
        "",
        "The child's date of birth",
        &form.date_of_birth,
        &form.sex,
        today,
    );
    let mut children = vec![first];
    for (i, (prefix, dob, sex)) in form.siblings().into_iter().enumerate() {
        let blank = dob.day.trim().is_empty()
            && dob.month.trim().is_empty()
            && dob.year.trim().is_empty()
            && sex.trim().is_empty();
        if blank {
            continue;
        }
        children.push(child_of(
            &mut errors,
            &format!("{prefix}_"),
            &format!("Brother or sister {}'s date of birth", i + 1),
            dob,
            sex,
            today,
        ));
    }
    let mut needs: Vec<String> = Vec::new();
    for code in &form.needs {
        let code = code.trim();
        if !skills.iter().any(|(c, _)| c == code) {
            errors.add("needs", "Select needs from the list");
            break;
        }
        if !needs.iter().any(|n| n == code) {
            needs.push(code.to_string());
        }
    }
    let postcode = match crate::places::normalise(&form.postcode) {
        Ok(p) => Some(p),
        Err(e) => {
            errors.add("postcode", e.to_string());
            None
        }
    };
    let placement_type = PlacementType::parse(&form.placement_type);
    if placement_type.is_none() {
        errors.add("placement_type", "Select the type of placement");
    }
    let start_on = match crate::ui::parse_date("The start date", &form.start_on) {
        Ok(d) if d < today || (d - today).num_days() > 366 => {
            errors.add(
                "start_on",
                "The start date must be today or within the next year",
            );
            None
        }
        Ok(d) => Some(d),
        Err(m) => {
            errors.add("start_on", m);
            None
        }
    };
    let max_miles = match form.max_miles.trim().parse::<u32>() {
        Ok(m) if (1..=MAX_MILES).contains(&m) => Some(m),
        _ if form.max_miles.trim().is_empty() => {
            errors.add("max_miles", "Enter the maximum distance in miles");
            None
        }
        _ => {
            errors.add(
                "max_miles",
                format!(
                    "Enter the maximum distance as a whole number of miles, from 1 to {MAX_MILES}"
                ),
            );
            None
        }
    };
    errors.clone().into_result().map_err(|_| errors)?;
    let children: Vec<ChildNeed> = children.into_iter().flatten().collect();
    match (postcode, placement_type, start_on, max_miles) {
        (Some(postcode), Some(placement_type), Some(start_on), Some(max_miles)) => Ok(Parsed {
            children,
            needs,
            postcode,
            placement_type,
            start_on,
            max_miles,
        }),
        _ => Err(FieldErrors::field(
            "postcode",
            "Enter the child's home postcode",
        )),
    }
}

/// How long a stored search is kept: long enough to come back to while a child's placement is
/// being found and agreed, no longer, as its form holds the children's dates of birth and home
/// postcode. The audit trail keeps that a search was made, and each view of a result.
pub const SEARCH_RETENTION_DAYS: u64 = 90;

pub const RETENTION_JOB: &str = "placement_search_retention";

/// The daily job: deletes stored searches made before the UK day [`SEARCH_RETENTION_DAYS`] days
/// before the runner's clock's (a search made on day D goes on day D + 91). Their addresses then answer "not found", and the officer searches again.
pub async fn retention_job(ctx: crate::jobs::JobContext) -> Result<(), crate::jobs::JobError> {
    let before = crate::calendar::kept_from(ctx.now(), SEARCH_RETENTION_DAYS);
    let deleted = db::delete_searches_before(&ctx.pool, before).await?;
    tracing::info!(deleted, "stored placement searches deleted");
    Ok(())
}

/// The search form's choices: the skills, and the member councils for the hub's officers.
pub async fn choices(state: &AppState, user: &CurrentUser) -> AppResult<super::SearchChoices> {
    let searcher = Searcher::of(&state.pool, user).await?;
    let skills = crate::carers::db::skill_list(&state.pool).await?;
    let councils = if searcher.all_councils {
        crate::councils::directory::of(state)
            .members(&state.pool)
            .await?
            .into_iter()
            .map(|c| (c.code, c.name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(super::SearchChoices { skills, councils })
}

/// The council responsible for the searched children: the hub's officer chooses a member
/// council (refused beside the field when none or an unknown one is chosen); anyone else's is
/// their own.
async fn child_council(
    state: &AppState,
    searcher: &Searcher,
    form: &SearchForm,
    errors: &mut FieldErrors,
) -> AppResult<Option<crate::councils::db::CouncilRow>> {
    if !searcher.all_councils {
        return Ok(None);
    }
    let code = form.child_council.trim();
    let found = if code.is_empty() {
        None
    } else {
        crate::councils::directory::of(state)
            .active_member(&state.pool, code)
            .await?
    };
    if found.is_none() {
        errors.add(
            "child_council",
            "Select the council responsible for the child",
        );
    }
    Ok(found)
}

/// The council a stored search's children belong to: the one chosen by the hub, else the
/// searcher's own.
pub async fn children_council(
    state: &AppState,
    searcher: &Searcher,
    q: &Query,
) -> AppResult<(Uuid, String)> {
    match &q.child_council {
        Some(code) => {
            let c = crate::councils::directory::of(state)
                .by_code(&state.pool, code)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok((c.council_id, c.code))
        }
        None => Ok((searcher.council_id, searcher.council_code.clone())),
    }
}

/// Checks the search, finds the child's home on the grid (a postcode with no place on the map
/// cannot be searched from: the field says why) and stores it. Returns the search's id.
pub async fn start(state: &AppState, user: &CurrentUser, form: &SearchForm) -> AppResult<String> {
    let searcher = Searcher::of(&state.pool, user).await?;
    let skills = crate::carers::db::skill_list(&state.pool).await?;
    let today = crate::calendar::today_london();
    // The council comes first on the form, so its message leads the summary.
    let mut errors = FieldErrors::default();
    let council = child_council(state, &searcher, form, &mut errors).await?;
    let parsed = parse(form, &skills, today);
    if let Err(more) = &parsed {
        errors.general.extend(more.general.iter().cloned());
        for e in &more.fields {
            errors.add(&e.field, e.message.clone());
        }
    }
    errors.into_result()?;
    let Ok(Parsed {
        children,
        needs,
        postcode,
        placement_type,
        start_on,
        max_miles,
    }) = parsed
    else {
        return Err(AppError::internal("placement search", "checked above"));
    };
    let answer = crate::places::db::lookup(&state.pool, &postcode).await?;
    let grid = match (&answer, answer.grid()) {
        (_, Some(g)) => g,
        (PostcodeAnswer::Unknown(_), None) => {
            return Err(AppError::Validation(FieldErrors::field(
                "postcode",
                format!(
                    "{postcode} is not a postcode we can find, so no distance can be measured: check it"
                ),
            )))
        }
        (other, None) => {
            return Err(AppError::Validation(FieldErrors::field(
                "postcode",
                other
                    .why_no_distance()
                    .unwrap_or_else(|| format!("{postcode} cannot be placed on the map")),
            )))
        }
    };
    let query = Query {
        children,
        needs,
        postcode: postcode.as_str().to_string(),
        grid,
        placement_type,
        start_on,
        max_miles,
        child_council: council.map(|c| c.code),
    };
    let (actor_id, _) = crate::carers::service::staff_actor(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    let id = db::insert_search(
        &mut tx,
        searcher.council_id,
        actor_id,
        &serde_json::to_value(form).map_err(|e| AppError::internal("search form", e))?,
        &serde_json::to_value(&query).map_err(|e| AppError::internal("search query", e))?,
    )
    .await?;
    tx.commit().await?;
    Ok(id.to_string())
}

/// Runs a query for a searcher: every household that passes the hard filters, ranked.
pub async fn run(
    conn: &mut PgConnection,
    searcher: &Searcher,
    q: &Query,
    sort: Sort,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> AppResult<Vec<Match>> {
    let ages = q.ages();
    let sexes: Vec<&str> = q.children.iter().map(|c| c.sex.as_str()).collect();
    let rows = db::candidates(
        conn,
        &Params {
            easting: q.grid.easting,
            northing: q.grid.northing,
            // A hundred metres over, so rounding to tenths of a mile is left to the rules.
            radius: (f64::from(q.max_miles) * 1609.344) as i32 + 100,
            own_council: (!searcher.all_councils).then_some(searcher.council_id),
            own_sharing: searcher.sharing,
            children: q.children.len() as i16,
            youngest: ages.iter().copied().min().unwrap_or(0) as i16,
            oldest: ages.iter().copied().max().unwrap_or(0) as i16,
            sexes: &sexes,
            placement_type: q.placement_type.as_str(),
            emergency: q.placement_type == PlacementType::Emergency,
            start_on: q.start_on,
            now,
            needs: &q.needs,
        },
    )
    .await?;
    let mut matches: Vec<Match> = rows
        .into_iter()
        .filter_map(|r| {
            rules::assess(
                q,
                household_of(r),
                q.child_council.as_deref().or(searcher.own()),
                today,
            )
        })
        .collect();
    rules::rank(&mut matches, sort);
    Ok(matches)
}

fn household_of(r: CandidateRow) -> Household {
    let held = if r.whole_held {
        HeldPlaces::Whole
    } else {
        HeldPlaces::Some(u32::try_from(r.held).unwrap_or(0))
    };
    Household {
        terms: terms_of(
            r.max_children,
            r.age_min,
            r.age_max,
            &r.sex,
            &r.placement_types,
            r.over_three_basis.as_deref(),
        ),
        council_code: r.council_code,
        reference: r.reference,
        grid: GridRef {
            easting: r.easting,
            northing: r.northing,
        },
        approved_on: r.approved_on,
        last_review_on: r.last_review_on,
        availability_confirmed_at: r.availability_confirmed_at,
        open: u32::try_from(r.open).unwrap_or(0),
        held,
        exemptions: r
            .exemptions
            .iter()
            .filter_map(|e| {
                let (route, covers) = e.split_once(':')?;
                // In force on the start day (the query kept only those): dates are not needed.
                Some(Exemption {
                    route: Route::parse(route)?,
                    covers: Covers::parse(covers)?,
                    starts_on: NaiveDate::MIN,
                    ends_on: None,
                })
            })
            .collect(),
        skills_matched: r.skills,
    }
}

/// A stored search the caller may open: their own council's (any, for the hub).
pub async fn stored(
    pool: &PgPool,
    searcher: &Searcher,
    search_id: &str,
) -> AppResult<(db::SearchRow, Query)> {
    let id = Uuid::parse_str(search_id.trim()).map_err(|_| AppError::NotFound)?;
    let row = db::search(pool, id)
        .await?
        .filter(|s| searcher.all_councils || s.council_id == searcher.council_id)
        .ok_or(AppError::NotFound)?;
    let query: Query = serde_json::from_value(row.query.clone())
        .map_err(|e| AppError::internal("stored search", e))?;
    Ok((row, query))
}

/// The form of a stored search as typed, to refine it.
pub async fn form_of(
    state: &AppState,
    user: &CurrentUser,
    search_id: &str,
) -> AppResult<SearchForm> {
    let searcher = Searcher::of(&state.pool, user).await?;
    let (row, _) = stored(&state.pool, &searcher, search_id).await?;
    serde_json::from_value(row.form).map_err(|e| AppError::internal("stored search form", e))
}

fn line_of(q: &Query, m: &Match, labels: &[(String, String)]) -> ResultLine {
    let label = |code: &str| {
        labels
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| code.to_string())
    };
    ResultLine {
        council_code: m.household.council_code.clone(),
        council_name: String::new(),
        reference: m.household.reference.clone(),
        band: m.band.label().to_string(),
        miles: m.own_council.then(|| m.miles.to_string()),
        vacancies: m.vacancies,
        terms: m.household.terms.summary(),
        skills_matched: m
            .household
            .skills_matched
            .iter()
            .map(|c| label(c))
            .collect(),
        badges: rules::badges(m).into_iter().map(str::to_string).collect(),
        why: rules::why(q, m, label),
        needs_exemption: rules::needs_exemption(m),
        review_overdue: m.review_overdue,
        availability_confirmed: m
            .household
            .availability_confirmed_at
            .map(crate::time::format_london),
    }
}

async fn council_names(
    state: &AppState,
) -> AppResult<std::sync::Arc<[crate::councils::db::CouncilRow]>> {
    crate::councils::directory::of(state).all(&state.pool).await
}

/// A search's results, recomputed now, and the search recorded in the audit trail.
pub async fn results(
    state: &AppState,
    user: &CurrentUser,
    search_id: &str,
    sort: Sort,
) -> AppResult<SearchResults> {
    let searcher = Searcher::of(&state.pool, user).await?;
    let (row, q) = stored(&state.pool, &searcher, search_id).await?;
    let labels = crate::carers::skills::labels(state, &q.needs).await?;
    let councils = council_names(state).await?;
    let (actor_id, email) = crate::carers::service::staff_actor(user)?;
    // No transaction: the search only reads, and the audit row is one insert written before the
    // answer leaves (an answer is never shown unaudited). BEGIN and COMMIT were two of the
    // request's round trips.
    let mut conn = state.pool.acquire().await?;
    let matches = run(
        &mut conn,
        &searcher,
        &q,
        sort,
        Utc::now(),
        crate::calendar::today_london(),
    )
    .await?;
    crate::audit::db::record(
        &mut conn,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email,
            },
            council_id: Some(searcher.council_id),
            action: "placement_search.run",
            entity_type: "placement_search",
            entity_id: row.placement_search_id,
            details: serde_json::json!({
                "results": matches.len(),
                "households": matches.iter().take(SHOWN)
                    .map(|m| format!("{}/{}", m.household.council_code, m.household.reference))
                    .collect::<Vec<_>>(),
            }),
        },
    )
    .await?;
    let results = matches
        .iter()
        .take(SHOWN)
        .map(|m| {
            let mut line = line_of(&q, m, &labels);
            line.council_name = councils
                .iter()
                .find(|c| c.code == line.council_code)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            line
        })
        .collect();
    Ok(SearchResults {
        search_id: row.placement_search_id.to_string(),
        summary: q.summary(),
        sort,
        total: matches.len(),
        results,
    })
}

/// One result opened: the household's shared availability against the search, who to contact,
/// and the caller's council's own live reservations on it. Audited for the household's council.
pub async fn result(
    state: &AppState,
    user: &CurrentUser,
    search_id: &str,
    council: &str,
    reference: &str,
) -> AppResult<ResultView> {
    let searcher = Searcher::of(&state.pool, user).await?;
    let (row, q) = stored(&state.pool, &searcher, search_id).await?;
    let h = visible_household(&state.pool, &searcher, council, reference).await?;
    let labels = crate::carers::skills::labels(state, &q.needs).await?;
    let now = Utc::now();
    let today = crate::calendar::today_london();
    let (actor_id, email) = crate::carers::service::staff_actor(user)?;
    let mut tx = crate::db::begin(&state.pool).await?;
    // The household is looked at alone: the same query, narrowed to it afterwards.
    let found = run(&mut tx, &searcher, &q, Sort::Ranked, now, today)
        .await?
        .into_iter()
        .find(|m| {
            m.household.reference == h.reference && m.household.council_code == h.council_code
        });
    crate::audit::db::record(
        &mut tx,
        Event {
            actor: Actor::Staff {
                id: actor_id,
                email,
            },
            council_id: Some(h.council_id),
            action: "placement_search.result_viewed",
            entity_type: "household",
            entity_id: h.household_id,
            details: serde_json::json!({
                "search": row.placement_search_id,
                "by_council": searcher.council_code,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    let occupancy = crate::placements::service::places_on(&state.pool, &h, q.start_on, now).await?;
    let line = match &found {
        Some(m) => line_of(&q, m, &labels),
        // No longer a result (filled, held or changed since): what can still be said.
        None => ResultLine {
            council_code: h.council_code.clone(),
            council_name: String::new(),
            reference: h.reference.clone(),
            band: String::new(),
            miles: None,
            vacancies: occupancy.vacant,
            terms: h.terms().summary(),
            skills_matched: Vec::new(),
            badges: Vec::new(),
            why: vec![format!(
                "No longer matches this search: {} on {}",
                match occupancy.vacant {
                    0 => "no vacancy".to_string(),
                    1 => "1 vacancy".to_string(),
                    n => format!("{n} vacancies"),
                },
                crate::time::format_day(q.start_on)
            )],
            needs_exemption: None,
            review_overdue: false,
            availability_confirmed: None,
        },
    };
    let mut line = line;
    line.council_name = h.council_name.clone();
    let mut reservations = Vec::new();
    for (hold, children, places, until) in
        db::reservations_by(&state.pool, h.household_id, searcher.council_id, now).await?
    {
        let rows = crate::placements::db::children(&state.pool, &children).await?;
        // In the order they were reserved (the child, then the siblings).
        let refs = children
            .iter()
            .filter_map(|id| rows.iter().find(|c| c.child_id == *id))
            .map(|c| c.reference.clone())
            .collect();
        reservations.push(ReservationLine {
            hold_id: hold.to_string(),
            children: refs,
            places: places.map(|p| p as u32).unwrap_or(0),
            until: crate::time::format_london(until),
        });
    }
    Ok(ResultView {
        search_id: row.placement_search_id.to_string(),
        summary: q.summary(),
        still_matches: found.is_some(),
        contact: db::contact(&state.pool, h.household_id).await?,
        skills: crate::carers::db::skills(&state.pool, h.household_id)
            .await?
            .into_iter()
            .map(|(_, l)| l)
            .collect(),
        children: q.children.len(),
        reservations,
        line,
    })
}

/// A household the searcher may see in a search: "not found" otherwise.
pub async fn visible_household(
    pool: &PgPool,
    searcher: &Searcher,
    council: &str,
    reference: &str,
) -> AppResult<crate::carers::db::HouseholdRow> {
    crate::carers::db::by_reference(pool, council.trim(), reference.trim())
        .await?
        .filter(|h| searcher.may_see(&h.council_code, h.regional_sharing))
        .ok_or(AppError::NotFound)
}
