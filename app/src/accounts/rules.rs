//! The rules of members' sign-in and form links, as plain functions: token format, link
//! lifetimes, the per-email limit, and which pages a member may reach.

use super::FormLinkStatus;
use chrono::{DateTime, Utc};

/// Random bytes in a token: 256 bits, beyond guessing.
pub const TOKEN_BYTES: usize = 32;
/// Characters of a token in a link: 32 bytes in base64url without padding.
pub const TOKEN_CHARS: usize = 43;

/// Links emailed to one account that are enough for a quarter of an hour: more is someone
/// flooding a member's inbox, so further requests send nothing (and still say "check your
/// email", so the limit tells nobody whether the account exists).
pub const LINKS_PER_EMAIL: i64 = 3;
pub const LINK_WINDOW_MINUTES: i32 = 15;

/// How long a referee's link lasts: long enough to find the time to answer.
pub const FORM_LINK_DAYS: i32 = 28;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Bytes as base64url without padding (RFC 4648 §5), as a link carries them.
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// A token from a link as its bytes, or `None` when it is not one of ours in form (so junk never
/// reaches the database).
pub fn token_bytes(token: &str) -> Option<[u8; TOKEN_BYTES]> {
    let token = token.as_bytes();
    if token.len() != TOKEN_CHARS {
        return None;
    }
    let mut bits: u32 = 0;
    let mut held = 0;
    let mut out = Vec::with_capacity(TOKEN_BYTES);
    for c in token {
        let v = ALPHABET.iter().position(|a| a == c)? as u32;
        bits = (bits << 6) | v;
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push((bits >> held) as u8);
            bits &= (1 << held) - 1;
        }
    }
    // 43 characters carry 258 bits: the last two must be zero in a canonical encoding.
    if bits != 0 {
        return None;
    }
    out.try_into().ok()
}

/// A new token: what goes in the link, and the hash that is stored.
#[cfg(feature = "ssr")]
pub fn new_token() -> (String, [u8; 32]) {
    use rand::RngCore;
    let mut bytes = [0u8; TOKEN_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    (base64url(&bytes), hash(&bytes))
}

/// The stored form of a token: SHA-256 of its bytes. Lookups go by this hash, so the database's
/// index compares hashes, never the secret.
#[cfg(feature = "ssr")]
pub fn hash(bytes: &[u8; TOKEN_BYTES]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// The hash to look a link's token up by, or `None` for something that is not a token.
#[cfg(feature = "ssr")]
pub fn token_hash(token: &str) -> Option<[u8; 32]> {
    token_bytes(token.trim()).map(|b| hash(&b))
}

/// A sign-in link's lifetime in minutes: the setting, kept between 20 and 30 (long enough to
/// reach the inbox, short enough that an old email is no key).
pub fn link_minutes(setting: i64) -> i32 {
    setting.clamp(20, 30) as i32
}

/// What a form link allows at `now`.
pub fn form_link_status(
    expires_at: DateTime<Utc>,
    submitted_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> FormLinkStatus {
    if submitted_at.is_some() {
        FormLinkStatus::Submitted
    } else if expires_at <= now {
        FormLinkStatus::Expired
    } else {
        FormLinkStatus::Open
    }
}

/// True when an account already had as many links as the window allows.
pub fn too_many_links(recent: i64) -> bool {
    recent >= LINKS_PER_EMAIL
}

/// The pages a signed-in member may reach: their own account pages and nothing else of the
/// signed-in product (the public pages are everyone's).
pub fn member_may_reach(path: &str) -> bool {
    path == "/account" || path.starts_with("/account/")
}

/// An email address as typed, tidied for matching, or what to fix.
pub fn email_answer(typed: &str) -> Result<String, &'static str> {
    let email = typed.trim().to_lowercase();
    if email.is_empty() {
        return Err("Enter your email address");
    }
    let shaped = email.len() <= 254
        && !crate::text::has_forbidden_chars(&email)
        && !email.contains(char::is_whitespace)
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    if shaped {
        Ok(email)
    } else {
        Err("Enter an email address in the correct format, like name@example.com")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_token_is_43_base64url_characters_that_read_back_to_its_32_bytes() {
        let bytes: [u8; 32] = std::array::from_fn(|i| (i * 37 + 251) as u8);
        let token = base64url(&bytes);
        assert_eq!(token.len(), TOKEN_CHARS);
        assert!(token
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_eq!(token_bytes(&token), Some(bytes));
        // RFC 4648's test vector, unpadded.
        assert_eq!(base64url(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn anything_not_shaped_like_a_token_is_refused_before_the_database() {
        let good = base64url(&[7u8; 32]);
        for bad in [
            String::new(),
            good[..42].to_string(),
            format!("{good}A"),
            good.replace(&good[..1], "+"),
            format!("{}=", &good[..42]),
            // A non-canonical last character (its two spare bits set).
            format!("{}B", &good[..42]),
            // 43 bytes, not 43 token characters.
            format!("{}a", "ä".repeat(21)),
        ] {
            assert_eq!(token_bytes(&bad), None, "{bad:?}");
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn new_tokens_differ_and_only_their_hash_is_kept() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), Some(hash_a));
        assert_ne!(hash_a.to_vec(), token_bytes(&a).unwrap().to_vec());
        assert_eq!(token_hash("not a token"), None);
    }

    #[test]
    fn sign_in_links_last_between_twenty_and_thirty_minutes_whatever_the_setting() {
        assert_eq!(link_minutes(25), 25);
        assert_eq!(link_minutes(0), 20);
        assert_eq!(link_minutes(-5), 20);
        assert_eq!(link_minutes(24 * 60), 30);
    }

    #[test]
    fn a_form_link_is_open_until_submitted_or_expired() {
        let now = Utc::now();
        let later = now + Duration::days(3);
        assert_eq!(form_link_status(later, None, now), FormLinkStatus::Open);
        assert_eq!(
            form_link_status(later, Some(now), now),
            FormLinkStatus::Submitted
        );
        assert_eq!(form_link_status(now, None, now), FormLinkStatus::Expired);
        assert_eq!(
            form_link_status(now - Duration::seconds(1), None, now),
            FormLinkStatus::Expired
        );
    }

    #[test]
    fn a_fourth_link_within_the_window_is_not_sent() {
        assert!(!too_many_links(0));
        assert!(!too_many_links(LINKS_PER_EMAIL - 1));
        assert!(too_many_links(LINKS_PER_EMAIL));
    }

    #[test]
    fn members_reach_their_account_pages_and_no_staff_page() {
        for ok in ["/account", "/account/sign-in"] {
            assert!(member_may_reach(ok), "{ok}");
        }
        for no in [
            "/staff",
            "/staff/enquiries",
            "/staff/enquiries/FH-AAAA-AAAA",
            "/accounts",
            "/account-admin",
        ] {
            assert!(!member_may_reach(no), "{no}");
        }
    }

    #[test]
    fn the_email_is_matched_lower_case_and_must_look_like_one() {
        assert_eq!(
            email_answer("  Sam@Example.ORG "),
            Ok("sam@example.org".into())
        );
        assert_eq!(email_answer(""), Err("Enter your email address"));
        for bad in [
            "sam",
            "sam@",
            "@example.org",
            "sam@example",
            "s am@example.org",
        ] {
            assert!(email_answer(bad).is_err(), "{bad}");
        }
    }
}
