//! `/account/household`: the carer portal's page for a foster carer's own household.

use super::api::{carer_household, ConfirmAvailability};
use super::types::{CarerHousehold, HouseholdStatus};
use crate::error::AppError;
use crate::ui::{
    use_form, BannerKind, DateInput, ErrorSummary, NotificationBanner, ProblemPage, Radios,
    ServerForm, SummaryList, SummaryRow, TextArea,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CarerHouseholdPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| carer_household());
    view! {
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Ok(h) => view! { <CarerHouseholdView h=h /> }.into_any(),
                Err(AppError::Unauthenticated) => view! { <Redirect path="/account/sign-in" /> }.into_any(),
                Err(AppError::Forbidden) => view! { <crate::accounts::pages::StaffOnAccountPage /> }.into_any(),
                Err(AppError::NotFound) => view! {
                    <Title text="Your household – Fostering Hub" />
                    <h1 class="heading-l">"Your household"</h1>
                    <p class="body">"Your household's page appears here once you are approved as foster carers. "
                        <a href="/account">"Back to your account"</a></p>
                }.into_any(),
                Err(e) => view! { <ProblemPage error=e /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn CarerHouseholdView(h: CarerHousehold) -> impl IntoView {
    let query = use_query_map();
    let confirmed = query.with_untracked(|q| q.get("confirmed").is_some());
    let state = use_form::<ConfirmAvailability>();
    let (errors, general, action) = (state.errors, state.general, state.action);
    let typed = state.typed.clone();
    let title = state.title("Your household – Fostering Hub");
    let p = h.places;
    let break_dates = {
        let t = typed.clone();
        ViewFn::from(move || {
            view! {
                <DateInput name="break_from" legend="First day of your break" hint="For example, 20 12 2026" value=t.break_from.clone() errors=errors />
                <DateInput name="break_until" legend="The day you can take children again" value=t.break_until.clone() errors=errors />
            }
        })
    };
    let rows = vec![
        SummaryRow::new("Council", h.council_name.clone()),
        SummaryRow::new(
            "Your supervising social worker",
            match (&h.supervisor, &h.supervisor_email) {
                (Some(n), Some(e)) => format!("{n} ({e})"),
                (Some(n), None) => n.clone(),
                _ => "Your council will tell you who".into(),
            },
        ),
        SummaryRow::new("Your approval", h.terms_summary.clone()),
        SummaryRow::new("Next annual review", format!("Due by {}", h.review_due)),
        SummaryRow::new(
            "Places today",
            format!(
                "{} approved: {} filled, {} free, {} not available",
                p.approved, p.filled, p.vacant, p.not_available
            ),
        ),
        SummaryRow::new("Availability", h.availability.clone()),
    ];
    view! {
        <Title text=title />
        {confirmed.then(|| view! {
            <NotificationBanner kind=BannerKind::Success id="confirmed-title" test_id="saved">
                <p class="notification-banner__heading">"Thank you: your availability is confirmed"</p>
            </NotificationBanner>
        })}
        <ErrorSummary errors=errors general=general />
        <span class="caption">{h.council_name.clone()}</span>
        <h1 class="heading-l">{h.name.clone()}</h1>
        <SummaryList rows=rows />
        {(!h.holds.is_empty()).then(|| view! {
            <h2 class="heading-m">"Breaks and holds"</h2>
            <ul class="list">
                {h.holds.iter().map(|x| view! { <li>{format!("{} from {} {}: {}", x.places, x.from, x.until, x.reason)}</li> }).collect_view()}
            </ul>
        })}
        {(h.status == HouseholdStatus::Active).then(|| view! {
            <h2 class="heading-m">"Confirm your availability"</h2>
            {h.availability_stale.then(|| view! {
                <p class="body" data-testid="stale"><strong>"Please confirm: it is more than 14 days since you last did."</strong></p>
            })}
            <p class="body">"Placement officers across the region see your free places only when you have confirmed them recently."</p>
            <ServerForm state=state.clone() test_id="availability-form">
                <Radios
                    name="choice"
                    legend="Can you take children as your approval allows?"
                    options=&[("available", "Yes, as our approval allows"), ("break", "We need a break")]
                    selected=typed.choice.clone()
                    errors=errors
                    conditional=vec![("break".to_string(), break_dates)]
                />
                <TextArea name="note" label="Anything your supervising social worker should know (optional)" value=typed.note.clone() errors=errors max_chars=1000 rows=3 />
                <button type="submit" class="button" disabled=move || action.pending().get()>"Confirm"</button>
            </ServerForm>
        })}
        <p class="body"><a href="/account">"Your account"</a></p>
    }
}
