//! A page's data once it has loaded: the wait, the refusal or failure, and the answer, in one
//! place rather than in every page.

use super::ProblemPage;
use crate::error::AppResult;
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

/// Shows `loading` while `resource` loads, the problem page if it was refused or failed, and
/// otherwise what `children` makes of the value.
///
/// ```ignore
/// let mine = Resource::new(|| (), |_| my_panels());
/// view! {
///     <Loaded resource=mine loading="Loading panels…" let:panels>
///         <ul class="list">{panels.names.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
///     </Loaded>
/// }
/// ```
#[component]
pub fn Loaded<T, F, V>(
    resource: Resource<AppResult<T>>,
    /// What to show while waiting, e.g. "Loading panels…".
    loading: &'static str,
    children: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=move || view! { <p class="body">{loading}</p> }>
            {move || {
                resource
                    .get()
                    .map(|result| match result {
                        Err(e) => view! { <ProblemPage error=e /> }.into_any(),
                        Ok(value) => children(value).into_any(),
                    })
            }}
        </Suspense>
    }
}
