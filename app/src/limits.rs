//! Per-client rate limits for public forms and sign-in (governor's GCRA). These live in each
//! server process; the per-account sign-in throttle lives in PostgreSQL, so it holds across
//! processes.

use crate::config::Settings;
use crate::error::{AppError, AppResult};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;

pub struct Limits {
    public_form: Option<DefaultKeyedRateLimiter<IpAddr>>,
    sign_in: Option<DefaultKeyedRateLimiter<IpAddr>>,
    trust_proxy: bool,
}

fn per_minute(n: u32) -> Option<DefaultKeyedRateLimiter<IpAddr>> {
    // 0 switches the limit off (the benchmark does this).
    NonZeroU32::new(n).map(|n| RateLimiter::keyed(Quota::per_minute(n)))
}

impl Limits {
    pub fn from_settings(s: &Settings) -> Self {
        Limits {
            public_form: per_minute(s.public_form_per_minute),
            sign_in: per_minute(s.sign_in_per_minute),
            trust_proxy: s.trust_proxy,
        }
    }

    pub fn check_public_form(&self, client: IpAddr) -> AppResult<()> {
        check(&self.public_form, client)
    }

    pub fn check_sign_in(&self, client: IpAddr) -> AppResult<()> {
        check(&self.sign_in, client)
    }

    /// The client's address: the connection's peer, or behind a trusted proxy the address it
    /// reports (the last hop it added to `X-Forwarded-For`).
    pub fn client_ip(&self, parts: &http::request::Parts) -> IpAddr {
        if self.trust_proxy {
            if let Some(ip) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse().ok())
            {
                return ip;
            }
        }
        parts
            .extensions
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }
}

fn check(limiter: &Option<DefaultKeyedRateLimiter<IpAddr>>, client: IpAddr) -> AppResult<()> {
    match limiter {
        Some(l) if l.check_key(&client).is_err() => Err(AppError::RateLimited),
        _ => Ok(()),
    }
}

/// The calling client's address inside a server function.
pub fn caller_ip(limits: &Limits) -> IpAddr {
    leptos::prelude::use_context::<http::request::Parts>()
        .map(|p| limits.client_ip(&p))
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}
