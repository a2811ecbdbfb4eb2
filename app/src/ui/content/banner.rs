//! Notification banner.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BannerKind {
    /// Something the person should know about the page ("Important").
    #[default]
    Important,
    /// The outcome of what the person just did ("Success"), announced straight away.
    Success,
}

/// A notification banner (GOV.UK): "Important" news about the page, or "Success" after an
/// action. A success banner has `role="alert"`, so it is announced as soon as it appears; an
/// important one is a region named by its title. `id` names the title (unique on the page).
///
/// ```ignore
/// view! {
///     <Show when=move || saved.get()>
///         <NotificationBanner kind=BannerKind::Success id="saved-title" test_id="saved">
///             <p class="notification-banner__heading">"Status saved."</p>
///         </NotificationBanner>
///     </Show>
/// }
/// ```
#[component]
pub fn NotificationBanner(
    #[prop(optional)] kind: BannerKind,
    /// The title's id; the banner is labelled by it.
    #[prop(into, default = "notification-banner-title".into())]
    id: String,
    /// The title, if not the kind's own ("Important", "Success").
    #[prop(optional, into)]
    title: Option<String>,
    #[prop(optional, into)] test_id: Option<String>,
    children: Children,
) -> impl IntoView {
    let (class, role, default_title) = match kind {
        BannerKind::Important => ("notification-banner", "region", "Important"),
        BannerKind::Success => (
            "notification-banner notification-banner--success",
            "alert",
            "Success",
        ),
    };
    let labelled_by = id.clone();
    view! {
        <div class=class role=role aria-labelledby=labelled_by data-testid=test_id>
            <div class="notification-banner__header">
                <h2 class="notification-banner__title" id=id>
                    {title.unwrap_or_else(|| default_title.to_string())}
                </h2>
            </div>
            <div class="notification-banner__content">{children()}</div>
        </div>
    }
}
