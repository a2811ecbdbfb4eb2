//! Content security policy for server-rendered pages: scripts run only with this response's
//! nonce, which Leptos puts on its hydration scripts.

use http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
use leptos::nonce::{provide_nonce, use_nonce};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

/// The policy. Without a nonce (responses that are not pages) no script may run at all.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let script = match nonce {
        Some(n) => format!("'nonce-{n}' 'strict-dynamic' 'wasm-unsafe-eval'"),
        None => "'none'".to_string(),
    };
    format!(
        "default-src 'self'; script-src {script}; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The nonce a page was rendered with, kept where the security-headers middleware can read it
/// once the page is rendered. The middleware puts an empty one into every request's extensions;
/// the page fills it in.
#[derive(Clone, Debug, Default)]
pub struct PageNonce(pub std::sync::Arc<std::sync::OnceLock<String>>);

impl PageNonce {
    pub fn get(&self) -> Option<&str> {
        self.0.get().map(String::as_str)
    }
}

/// Creates this response's nonce and sends the matching policy header.
///
/// The header goes two ways. Leptos's `ResponseOptions` carries it for most responses, but a
/// signed-in page loaded by a browser right after another (with that page's server functions
/// still in flight) was seen to lose it, leaving the page under the script-less fallback policy
/// so it never hydrated. The request's `PageNonce` slot lets the middleware set the policy from
/// the nonce the page actually used whatever becomes of `ResponseOptions`.
pub fn provide_csp_nonce() {
    provide_nonce();
    let Some(nonce) = use_nonce() else {
        return;
    };
    if let Some(slot) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageNonce>().cloned())
    {
        let _ = slot.0.set(nonce.to_string());
    }
    match use_context::<ResponseOptions>() {
        Some(resp) => {
            if let Ok(value) = HeaderValue::from_str(&content_security_policy(Some(&nonce))) {
                resp.insert_header(CONTENT_SECURITY_POLICY, value);
            }
        }
        None => tracing::warn!("page rendered without ResponseOptions"),
    }
}
