//! Typed configuration from environment variables (see `.env.example` and the README).

use std::env;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Connection string of the PostgreSQL database.
    pub database_url: String,
    /// Largest request body accepted, in bytes. Forms are small; anything larger is refused.
    pub max_body_bytes: usize,
    /// Database connections in the pool.
    pub db_max_connections: u32,
    /// Send cookies only over HTTPS. On in production (behind TLS); off for the local run.
    pub secure_cookies: bool,
    /// Public form posts allowed per client per minute (0: no limit).
    pub public_form_per_minute: u32,
    /// Sign-in attempts allowed per client per minute (0: no limit).
    pub sign_in_per_minute: u32,
    /// Failed sign-ins in a row that lock an account, and for how long.
    pub max_failed_sign_ins: i32,
    pub lock_minutes: i32,
    /// Trust `X-Forwarded-For` from a reverse proxy for the client address.
    pub trust_proxy: bool,
    /// A signed-in session ends after this long without activity.
    pub session_idle_minutes: i64,
}

impl Settings {
    pub fn from_env() -> Result<Self, String> {
        Ok(Settings {
            database_url: env::var("DATABASE_URL")
                .map_err(|_| "DATABASE_URL is not set (see README)".to_string())?,
            max_body_bytes: parse_or("MAX_BODY_BYTES", 64 * 1024)?,
            db_max_connections: parse_or("DB_MAX_CONNECTIONS", 20)?,
            secure_cookies: parse_or("SECURE_COOKIES", false)?,
            public_form_per_minute: parse_or("RATE_LIMIT_PER_MINUTE", 10)?,
            sign_in_per_minute: parse_or("SIGN_IN_LIMIT_PER_MINUTE", 10)?,
            max_failed_sign_ins: parse_or("MAX_FAILED_SIGN_INS", 5)?,
            lock_minutes: parse_or("LOCK_MINUTES", 15)?,
            trust_proxy: parse_or("TRUST_PROXY", false)?,
            session_idle_minutes: parse_or("SESSION_IDLE_MINUTES", 480)?,
        })
    }

    /// Settings for tests: a given database, defaults otherwise.
    pub fn for_tests(database_url: &str) -> Self {
        Settings {
            database_url: database_url.to_string(),
            max_body_bytes: 64 * 1024,
            db_max_connections: 5,
            secure_cookies: false,
            public_form_per_minute: 0,
            sign_in_per_minute: 0,
            max_failed_sign_ins: 5,
            lock_minutes: 15,
            trust_proxy: false,
            session_idle_minutes: 480,
        }
    }
}

fn parse_or<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match env::var(name) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .map_err(|_| format!("{name} has an invalid value: {v:?}")),
        _ => Ok(default),
    }
}
