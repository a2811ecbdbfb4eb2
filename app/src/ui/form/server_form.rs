//! A form that posts to a server function in both modes (see `crate::forms`): without
//! JavaScript to the page's own address, answered with a redirect or the same page again; with
//! JavaScript through the server function's action, with no reload.

use crate::error::{AppError, FieldErrors};
use crate::forms::{decode_form, FormFn, Posted, FORM_FIELD};
use leptos::prelude::*;
use leptos::server::ServerAction;

/// A form's state on its page: the action, what was typed (after a refused post without
/// JavaScript), and what to fix.
///
/// ```ignore
/// let state = use_form::<AddCouncil>();
/// let typed = state.typed.clone();
/// view! {
///     <ErrorSummary errors=state.errors general=state.general />
///     <ServerForm state=state.clone()>
///         <TextField name="name" label="Name" value=typed.name errors=state.errors />
///         <button type="submit" class="button">"Add council"</button>
///     </ServerForm>
/// }
/// ```
pub struct FormState<S: FormFn>
where
    S::Output: Clone + Send + Sync + 'static,
{
    pub action: ServerAction<S>,
    /// What was typed, after a refused post without JavaScript; otherwise the form's defaults.
    pub typed: S::Form,
    /// True when this form was posted without JavaScript and refused (so the page can tell a
    /// fresh form from one coming back).
    pub came_back: bool,
    pub errors: Signal<FieldErrors>,
    pub general: Signal<Option<String>>,
    /// Posted without JavaScript and refused: what the title falls back on when it is drawn
    /// after the page's own signals are gone (a page rendered whole on the server with no
    /// suspense in it is disposed before its head is written).
    pub arrived_refused: bool,
}

impl<S: FormFn> Clone for FormState<S>
where
    S::Output: Clone + Send + Sync + 'static,
{
    fn clone(&self) -> Self {
        FormState {
            action: self.action,
            typed: self.typed.clone(),
            came_back: self.came_back,
            errors: self.errors,
            general: self.general,
            arrived_refused: self.arrived_refused,
        }
    }
}

impl<S: FormFn> FormState<S>
where
    S::Output: Clone + Send + Sync + 'static,
{
    /// The page title, starting "Error: " while there is something to fix (GOV.UK pattern).
    /// Reads its signals with `try_` so a title read after the page is gone (the server's last
    /// look at the head) cannot panic.
    pub fn title(
        &self,
        title: impl Into<String>,
    ) -> impl Fn() -> String + Clone + Send + Sync + 'static {
        error_title(title, [self.refusal()])
    }

    /// The form's messages, to title a page of several forms with [`error_title`].
    pub fn refusal(&self) -> Refusal {
        (self.errors, self.general, self.arrived_refused)
    }
}

/// A form's field messages and general message (refused while either has something), and
/// whether it arrived refused (for when they are gone).
pub type Refusal = (Signal<FieldErrors>, Signal<Option<String>>, bool);

/// A page's title, beginning "Error: " while any of its forms' last post was refused (GOV.UK's
/// error summary pattern). A page with one form uses [`FormState::title`]; one with several
/// passes each form's [`FormState::refusal`].
pub fn error_title<const N: usize>(
    title: impl Into<String>,
    forms: [Refusal; N],
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let title: String = title.into();
    move || {
        let failed = forms.iter().any(|(errors, general, arrived_refused)| {
            match (
                errors.try_with(|e| !e.is_empty()),
                general.try_with(|g| g.is_some()),
            ) {
                (Some(field), Some(general)) => field || general,
                _ => *arrived_refused,
            }
        });
        if failed {
            format!("Error: {title}")
        } else {
            title.clone()
        }
    }
}

/// The state of the form posting to `S` on this page.
pub fn use_form<S: FormFn>() -> FormState<S>
where
    S::Output: Clone + Send + Sync + 'static,
{
    // The server gives the page what was posted; the browser reads the same during hydration.
    let posted =
        SharedValue::new(|| use_context::<Posted>().filter(|p| p.form == S::PATH)).into_inner();
    let came_back = posted.is_some();
    let typed = posted
        .as_ref()
        .and_then(|p| decode_form::<S::Form>(&p.pairs).ok())
        .unwrap_or_default();
    let (initial_errors, initial_general) =
        posted.map(|p| (p.errors, p.general)).unwrap_or_default();
    let arrived_refused = !initial_errors.is_empty() || initial_general.is_some();

    let action = ServerAction::<S>::new();
    let value = action.value();
    let errors = Signal::derive(move || match value.get() {
        Some(Err(AppError::Validation(e))) => e,
        Some(_) => FieldErrors::default(),
        None => initial_errors.clone(),
    });
    let general = Signal::derive(move || match value.get() {
        Some(Err(e)) if e.field_errors().is_none() => Some(e.to_string()),
        Some(_) => None,
        None => initial_general.clone(),
    });
    FormState {
        action,
        typed,
        came_back,
        errors,
        general,
        arrived_refused,
    }
}

/// A `<form>` posting to `S`: the hidden field naming the server function, the submit handler
/// that sends the same fields (and the clicked button) through the action, and, on success, the
/// move to the page `S::next_page` names.
#[component]
pub fn ServerForm<S: FormFn>(
    state: FormState<S>,
    children: Children,
    #[prop(optional, into)] class: Option<String>,
    #[prop(optional, into)] test_id: Option<String>,
) -> impl IntoView
where
    S::Output: Clone + Send + Sync + 'static,
{
    let action = state.action;
    // The call in flight, so success knows where it goes.
    let sent = StoredValue::new(None::<S>);
    #[cfg(feature = "hydrate")]
    {
        let navigate = leptos_router::hooks::use_navigate();
        Effect::new(move |_| {
            if let Some(Ok(output)) = action.value().get() {
                if let Some(call) = sent.get_value() {
                    let next = call.next_page(&output);
                    if S::FULL_LOAD {
                        let _ = window().location().set_href(&next);
                    } else {
                        navigate(&next, Default::default());
                    }
                }
            }
        });
    }
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // A second click while the first is in flight sends nothing more.
        #[cfg(feature = "hydrate")]
        if !action.pending().get_untracked() {
            let pairs = super::submitted_pairs(&ev);
            match crate::forms::decode_call::<S>(&pairs) {
                Ok(call) => {
                    sent.set_value(Some(call.clone()));
                    action.dispatch(call);
                }
                Err(e) => leptos::logging::warn!("form could not be read: {e}"),
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, sent, action);
    };
    view! {
        // No action: the browser posts to the page's own address, so a refusal renders this
        // page again at the same address.
        <form method="post" novalidate class=class data-testid=test_id on:submit=on_submit>
            <input type="hidden" name=FORM_FIELD value=S::PATH />
            {children()}
        </form>
    }
}
