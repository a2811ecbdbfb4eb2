//! Summary list with Change links.

use leptos::prelude::*;

/// One row of a [`SummaryList`]: a key, its value and, if it can be changed, where to change it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SummaryRow {
    pub key: String,
    pub value: String,
    /// The address of the page that changes this answer.
    pub change: Option<String>,
}

impl SummaryRow {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        SummaryRow {
            key: key.into(),
            value: value.into(),
            change: None,
        }
    }

    /// With a Change link to `href`.
    pub fn change(mut self, href: impl Into<String>) -> Self {
        self.change = Some(href.into());
        self
    }
}

/// Keys and values (GOV.UK summary list), each with an optional "Change" link whose hidden text
/// names what it changes ("Change<span class="visually-hidden"> date of birth</span>"), so a
/// list of links read out of context still makes sense.
///
/// ```ignore
/// view! {
///     <SummaryList rows=vec![
///         SummaryRow::new("Name", a.full_name).change("/apply/about-you#full_name"),
///         SummaryRow::new("Council", a.council_name),
///     ] />
/// }
/// ```
#[component]
pub fn SummaryList(rows: Vec<SummaryRow>) -> impl IntoView {
    let any_change = rows.iter().any(|r| r.change.is_some());
    view! {
        <dl class="summary-list">
            {rows
                .into_iter()
                .map(|r| {
                    let what = r.key.to_lowercase();
                    view! {
                        <div class="summary-list__row">
                            <dt class="summary-list__key">{r.key}</dt>
                            <dd class="summary-list__value">{r.value}</dd>
                            {match r.change {
                                Some(href) => {
                                    view! {
                                        <dd class="summary-list__actions">
                                            <a href=href>
                                                "Change"
                                                <span class="visually-hidden">{format!(" {what}")}</span>
                                            </a>
                                        </dd>
                                    }
                                        .into_any()
                                }
                                // Rows line up when some have a link and some do not.
                                None if any_change => {
                                    view! { <dd class="summary-list__actions"></dd> }.into_any()
                                }
                                None => ().into_any(),
                            }}
                        </div>
                    }
                })
                .collect_view()}
        </dl>
    }
}
