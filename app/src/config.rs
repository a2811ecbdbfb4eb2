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
}

impl Settings {
    pub fn from_env() -> Result<Self, String> {
        Ok(Settings {
            database_url: env::var("DATABASE_URL")
                .map_err(|_| "DATABASE_URL is not set (see README)".to_string())?,
            max_body_bytes: parse_or("MAX_BODY_BYTES", 64 * 1024)?,
            db_max_connections: parse_or("DB_MAX_CONNECTIONS", 20)?,
        })
    }

    /// Settings for tests: a given database, defaults otherwise.
    pub fn for_tests(database_url: &str) -> Self {
        Settings {
            database_url: database_url.to_string(),
            max_body_bytes: 64 * 1024,
            db_max_connections: 5,
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
