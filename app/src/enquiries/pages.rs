//! The public enquiry form and its confirmation page. Mobile first; works without JavaScript
//! (a plain post to `/enquire`, answered by the server with this same page) and with it (the
//! server function, no reload), through the one form path (`crate::forms`).

use super::api::SubmitEnquiry;
use super::{rules, HEARD_ABOUT, INTERESTS, OTHER_AREA, SPARE_BEDROOM};
use crate::councils::api::list_member_councils;
use crate::ui::{use_form, Checkboxes, ErrorSummary, Radios, Select, ServerForm, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A fresh idempotency key for one enquiry form.
fn new_submission_key() -> String {
    #[cfg(feature = "ssr")]
    {
        uuid::Uuid::new_v4().to_string()
    }
    #[cfg(not(feature = "ssr"))]
    {
        // Only reached when the page is opened by client-side navigation. Uniqueness, not
        // secrecy, is what matters; the server gives a clashing key a fresh one anyway.
        let hex = |x: f64| format!("{:08x}", (x * u32::MAX as f64) as u32);
        let r = || js_sys::Math::random();
        let s = format!("{}{}{}{}", hex(r()), hex(r()), hex(r()), hex(r()));
        format!(
            "{}-{}-4{}-a{}-{}",
            &s[0..8],
            &s[8..12],
            &s[13..16],
            &s[17..20],
            &s[20..32]
        )
    }
}

#[component]
pub fn EnquiryPage() -> impl IntoView {
    let councils = Resource::new(|| (), |_| list_member_councils());
    // After a refused post without JavaScript, the server gives the page what was typed.
    let state = use_form::<SubmitEnquiry>();
    let form = state.typed.clone();
    let submission_key = SharedValue::new(|| {
        Some(form.submission_key.clone())
            .filter(|k| !k.is_empty())
            .unwrap_or_else(new_submission_key)
    })
    .into_inner();
    let query = use_query_map();
    let source = if form.source.is_empty() {
        query.with_untracked(|q| q.get("source").unwrap_or_default())
    } else {
        form.source.clone()
    };
    let (errors, general, action) = (state.errors, state.general, state.action);
    let title = state.title("Enquire about fostering – Fostering Hub");

    view! {
        <Title text=title />
        <div class="grid-row">
            <div class="column-two-thirds">
                <ErrorSummary errors=errors general=general />
                <h1 class="heading-l">"Enquire about fostering"</h1>
                <p class="body">
                    "Tell us a little about yourself and we will contact you within one working day. "
                    "Enquiring does not commit you to anything."
                </p>
                <ServerForm state=state>
                    <input type="hidden" name="submission_key" value=submission_key />
                    <input type="hidden" name="source" value=source />
                    <TextField
                        name="full_name"
                        label="Full name"
                        value=form.full_name.clone()
                        errors=errors
                        autocomplete="name"
                        maxlength=100
                    />
                    <TextField
                        name="email"
                        label="Email address"
                        hint="We will send a copy of your enquiry and our reply here."
                        value=form.email.clone()
                        errors=errors
                        input_type="email"
                        autocomplete="email"
                        maxlength=254
                    />
                    <TextField
                        name="phone"
                        label="Phone number"
                        hint="For example, 07700 900 982 or 023 9282 2251."
                        value=form.phone.clone()
                        errors=errors
                        input_type="tel"
                        autocomplete="tel"
                        width="20"
                        maxlength=30
                    />
                    <TextField
                        name="postcode"
                        label="Postcode"
                        value=form.postcode.clone()
                        errors=errors
                        autocomplete="postal-code"
                        width="10"
                        maxlength=10
                    />
                    <Suspense fallback=|| view! { <p class="body">"Loading councils…"</p> }>
                        {
                            let selected = form.council.clone();
                            move || {
                                let selected = selected.clone();
                                councils
                                    .get()
                                    .map(|list| {
                                        let mut options: Vec<(String, String)> = list
                                            .unwrap_or_default()
                                            .into_iter()
                                            .map(|c| (c.code, c.name))
                                            .collect();
                                        options
                                            .push((
                                                OTHER_AREA.to_string(),
                                                "I live somewhere else".to_string(),
                                            ));
                                        view! {
                                            <Select
                                                name="council"
                                                label="Which council area do you live in?"
                                                hint="If you are not sure, choose \u{201c}I live somewhere else\u{201d} and we will work it out with you."
                                                options=options
                                                selected=selected
                                                errors=errors
                                                placeholder="Choose your council"
                                            />
                                        }
                                    })
                            }
                        }
                    </Suspense>
                    <Radios
                        name="spare_bedroom"
                        legend="Do you have a spare bedroom?"
                        hint="Most children need a bedroom of their own."
                        options=SPARE_BEDROOM
                        selected=form.spare_bedroom.clone()
                        errors=errors
                    />
                    <Checkboxes
                        name="interests"
                        legend="What kinds of fostering are you interested in?"
                        hint="Select all that apply."
                        options=INTERESTS
                        selected=form.interests.clone()
                        errors=errors
                    />
                    <Radios
                        name="heard_about"
                        legend="How did you hear about fostering with us?"
                        options=HEARD_ABOUT
                        selected=form.heard_about.clone()
                        errors=errors
                    />
                    <Checkboxes
                        name="consent"
                        legend="Contacting you"
                        options=&[("yes", "I agree that the fostering team may contact me about my enquiry by phone or email")]
                        selected=if form.consent { vec!["yes".to_string()] } else { vec![] }
                        errors=errors
                    />
                    <p class="body-s">
                        "We use your details only to reply to your enquiry and to support you if you go on to apply. "
                        "Your enquiry goes to the council you live in and to the regional fostering hub."
                    </p>
                    <button
                        type="submit"
                        class="button"
                        data-module="button"
                        disabled=move || action.pending().get()
                    >
                        "Send enquiry"
                    </button>
                </ServerForm>
            </div>
        </div>
    }
}

#[component]
pub fn ThankYouPage() -> impl IntoView {
    let params = use_params_map();
    let reference = move || {
        params
            .with(|p| p.get("reference"))
            .filter(|r| rules::is_reference(r))
    };
    view! {
        <Title text="Enquiry sent – Fostering Hub" />
        {move || match reference() {
            Some(reference) => {
                view! {
                    <div class="panel panel--confirmation" data-testid="confirmation">
                        <h1 class="panel__title">"Enquiry sent"</h1>
                        <div class="panel__body">
                            "Your reference number"
                            <br />
                            <strong data-testid="reference">{reference}</strong>
                        </div>
                    </div>
                    <h2 class="heading-m">"What happens next"</h2>
                    <p class="body">
                        "Someone from the fostering team will phone or email you within one working day to talk about fostering and answer your questions."
                    </p>
                    <p class="body">
                        "If you would like to, we will arrange to visit you at home within five working days of that call."
                    </p>
                    <p class="body">"Keep your reference number in case you need to contact us."</p>
                }
                    .into_any()
            }
            None => view! { <crate::ui::NotFound /> }.into_any(),
        }}
    }
}
