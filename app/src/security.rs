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

/// Creates this response's nonce and sends the matching policy header.
pub fn provide_csp_nonce() {
    provide_nonce();
    if let (Some(nonce), Some(resp)) = (use_nonce(), use_context::<ResponseOptions>()) {
        if let Ok(value) = HeaderValue::from_str(&content_security_policy(Some(&nonce))) {
            resp.insert_header(CONTENT_SECURITY_POLICY, value);
        }
    }
}
