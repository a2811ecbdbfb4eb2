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
    /// How long a staff session lasts from sign-in (the store saves a session only when it
    /// changes, so activity does not extend it; 480 minutes is a working day).
    pub session_minutes: i64,
    /// How long a household member's emailed sign-in link works, in minutes (kept between 20
    /// and 30 by `accounts::rules::link_minutes`).
    pub member_link_minutes: i64,
    /// How email leaves the product, and what it says about us.
    pub mail: MailSettings,
    /// The job runners (`JOBS_*`).
    pub jobs: JobSettings,
    /// Staff whose role requires two-factor sign-in must use it (`REQUIRE_TWO_FACTOR`, on
    /// unless set to false; only the local demo run turns it off).
    pub require_two_factor: bool,
    /// The key two-factor secrets are encrypted with at rest (`TWO_FACTOR_KEY`, 32 bytes of
    /// base64). Required while two-factor is required; without it nobody can enrol.
    pub two_factor_key: Option<crate::auth::totp::SecretKey>,
}

/// Job runner settings (`JOBS_POLL_MS`, `JOBS_LEASE_SECONDS`, `JOBS_RUNNERS`).
#[derive(Clone, Debug)]
pub struct JobSettings {
    /// How often an idle runner looks for due jobs, in milliseconds.
    pub poll_ms: u64,
    /// How long a runner's claim on a job lasts without renewal (renewed every third of it while
    /// the job runs): a job whose runner died is taken over after this.
    pub lease_secs: u64,
    /// Jobs one process runs at once.
    pub runners: usize,
}

impl JobSettings {
    pub fn from_env() -> Result<Self, String> {
        Ok(JobSettings {
            poll_ms: parse_or("JOBS_POLL_MS", 1000)?,
            lease_secs: parse_or("JOBS_LEASE_SECONDS", 300)?,
            runners: parse_or("JOBS_RUNNERS", 2)?,
        })
    }
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            poll_ms: 1000,
            lease_secs: 300,
            runners: 2,
        }
    }
}

/// Email settings (`MAIL_*`, `SMTP_*`, `PUBLIC_BASE_URL`).
#[derive(Clone, Debug)]
pub struct MailSettings {
    pub transport: MailTransport,
    /// The From header of every message, e.g. `Fostering Hub <no-reply@example.org>`.
    pub from: String,
    /// The address people reach the site at, without a trailing slash; links in emails use it.
    pub public_base_url: String,
    /// How often the outbox worker looks for due messages, in milliseconds.
    pub poll_ms: u64,
}

/// Where messages go: a folder (the local default, listed for administrators in the app) or an
/// SMTP relay (production).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailTransport {
    File {
        dir: String,
    },
    Smtp {
        host: String,
        port: u16,
        username: Option<String>,
        password: Option<String>,
        tls: SmtpTls,
    },
}

/// How the SMTP connection is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain text: only for a relay on the same host or a test server.
    None,
    /// Upgrade with STARTTLS, and refuse to send if the server cannot (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl SmtpTls {
    fn parse(value: &str) -> Result<Self, String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(SmtpTls::None),
            "starttls" => Ok(SmtpTls::StartTls),
            "tls" => Ok(SmtpTls::Tls),
            other => Err(format!(
                "SMTP_TLS must be none, starttls or tls, not {other:?}"
            )),
        }
    }

    /// The usual port for this kind of connection.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpTls::None => 25,
            SmtpTls::StartTls => 587,
            SmtpTls::Tls => 465,
        }
    }
}

pub const DEFAULT_MAIL_FROM: &str = "Fostering Hub <no-reply@fostering-hub.example>";
pub const DEFAULT_PUBLIC_BASE_URL: &str = "http://127.0.0.1:3000";

impl MailSettings {
    pub fn from_env() -> Result<Self, String> {
        let transport = match var("MAIL_TRANSPORT").as_deref().unwrap_or("file") {
            "file" => MailTransport::File {
                dir: var("MAIL_DIR").unwrap_or_else(|| ".data/mail".into()),
            },
            "smtp" => {
                let tls = SmtpTls::parse(&var("SMTP_TLS").unwrap_or_else(|| "starttls".into()))?;
                MailTransport::Smtp {
                    host: var("SMTP_HOST")
                        .ok_or("SMTP_HOST must be set when MAIL_TRANSPORT=smtp")?,
                    port: parse_or("SMTP_PORT", tls.default_port())?,
                    username: var("SMTP_USERNAME"),
                    password: var("SMTP_PASSWORD"),
                    tls,
                }
            }
            other => {
                return Err(format!(
                    "MAIL_TRANSPORT must be file or smtp, not {other:?}"
                ))
            }
        };
        if let MailTransport::Smtp {
            username, password, ..
        } = &transport
        {
            if username.is_some() != password.is_some() {
                return Err("set both SMTP_USERNAME and SMTP_PASSWORD, or neither".into());
            }
        }
        let from = var("MAIL_FROM").unwrap_or_else(|| DEFAULT_MAIL_FROM.into());
        if from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(format!("MAIL_FROM is not an email address: {from:?}"));
        }
        let public_base_url = var("PUBLIC_BASE_URL")
            .unwrap_or_else(|| DEFAULT_PUBLIC_BASE_URL.into())
            .trim_end_matches('/')
            .to_string();
        if !(public_base_url.starts_with("https://") || public_base_url.starts_with("http://")) {
            return Err(format!(
                "PUBLIC_BASE_URL must start with https:// or http://, not {public_base_url:?}"
            ));
        }
        Ok(MailSettings {
            transport,
            from,
            public_base_url,
            poll_ms: parse_or("MAIL_POLL_MS", 1000)?,
        })
    }

    /// Local defaults: messages written to `dir`.
    pub fn file(dir: &str) -> Self {
        MailSettings {
            transport: MailTransport::File { dir: dir.into() },
            from: DEFAULT_MAIL_FROM.into(),
            public_base_url: DEFAULT_PUBLIC_BASE_URL.into(),
            poll_ms: 100,
        }
    }
}

/// A set, non-blank environment variable.
fn var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Settings {
    pub fn from_env() -> Result<Self, String> {
        let (require_two_factor, two_factor_key) = two_factor_settings(
            parse_or("REQUIRE_TWO_FACTOR", true)?,
            var("TWO_FACTOR_KEY").as_deref(),
        )?;
        Ok(Settings {
            require_two_factor,
            two_factor_key,
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
            session_minutes: parse_or("SESSION_MINUTES", 480)?,
            member_link_minutes: parse_or("MEMBER_LINK_MINUTES", 25)?,
            mail: MailSettings::from_env()?,
            jobs: JobSettings::from_env()?,
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
            session_minutes: 480,
            member_link_minutes: 25,
            mail: MailSettings::file(
                &std::env::temp_dir()
                    .join("fostering-hub-test-mail")
                    .to_string_lossy(),
            ),
            jobs: JobSettings::default(),
            // Required in tests as in production: tests sign in with real codes.
            require_two_factor: true,
            two_factor_key: Some(crate::auth::totp::SecretKey::from_bytes(
                TEST_TWO_FACTOR_KEY,
            )),
        }
    }
}

/// `REQUIRE_TWO_FACTOR` and `TWO_FACTOR_KEY` read together. Like `DATABASE_URL`, the key has no
/// safe default (a built-in key would be public), so while two-factor is required the server
/// refuses to start without one rather than keep secrets under a key anyone can read.
pub fn two_factor_settings(
    require: bool,
    key: Option<&str>,
) -> Result<(bool, Option<crate::auth::totp::SecretKey>), String> {
    let key = key
        .map(crate::auth::totp::SecretKey::from_base64)
        .transpose()?;
    if require && key.is_none() {
        return Err("TWO_FACTOR_KEY is not set: two-factor sign-in is required \
                    (REQUIRE_TWO_FACTOR) and its secrets are encrypted with this key; \
                    generate one with `head -c 32 /dev/urandom | base64` (see README)"
            .to_string());
    }
    Ok((require, key))
}

/// The two-factor key of `Settings::for_tests` (never used outside tests).
pub const TEST_TWO_FACTOR_KEY: [u8; 32] = [0x42; 32];

fn parse_or<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match env::var(name) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .map_err(|_| format!("{name} has an invalid value: {v:?}")),
        _ => Ok(default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_refuses_to_start_without_a_two_factor_key_while_two_factor_is_required() {
        let err = two_factor_settings(true, None).unwrap_err();
        assert!(err.contains("TWO_FACTOR_KEY is not set"), "{err}");
        assert!(two_factor_settings(true, Some("short")).is_err());
        let key = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=";
        let (required, k) = two_factor_settings(true, Some(key)).unwrap();
        assert!(required && k.is_some());
        // The local demo run turns it off; then no key is needed (nobody can enrol).
        assert_eq!(two_factor_settings(false, None).unwrap(), (false, None));
    }
}
