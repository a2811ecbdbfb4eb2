//! Two-factor sign-in's pure parts: time-based codes (RFC 6238: SHA-1, 6 digits, 30 seconds,
//! what authenticator apps use, computed by `totp-rs`), replay refusal, recovery codes, the
//! enrolment QR code, and the encryption of secrets at rest. Nothing here touches the database
//! or the session, so each rule is unit tested on its own.

use base64::Engine;
use chacha20poly1305::{
    aead::{Aead, KeyInit, OsRng, Payload},
    AeadCore, ChaCha20Poly1305, Key, Nonce,
};
use rand::RngCore;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

/// Seconds per time-step, digits per code: the defaults every authenticator app assumes.
pub const STEP_SECONDS: u64 = 30;
pub const DIGITS: usize = 6;
/// Steps either side of now that are still accepted, for a phone whose clock is a little out.
pub const SKEW_STEPS: u64 = 1;
/// 160-bit secrets, as RFC 4226 recommends for HMAC-SHA-1.
pub const SECRET_BYTES: usize = 20;
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// The name authenticator apps show beside the account.
pub const ISSUER: &str = "Fostering Hub";

fn totp(secret: &[u8]) -> TOTP {
    // `new_unchecked`: our secrets are always 160 bits, which `new` would accept too; the
    // unchecked form only skips a length check that cannot fail here.
    TOTP::new_unchecked(Algorithm::SHA1, DIGITS, 0, STEP_SECONDS, secret.to_vec())
}

/// The time-step a moment (Unix seconds) falls in.
pub fn step_of(unix_seconds: u64) -> u64 {
    unix_seconds / STEP_SECONDS
}

/// The code for a time-step.
pub fn code_for_step(secret: &[u8], step: u64) -> String {
    totp(secret).generate(step * STEP_SECONDS)
}

/// The code an authenticator app shows at `unix_seconds`.
pub fn code_at(secret: &[u8], unix_seconds: u64) -> String {
    code_for_step(secret, step_of(unix_seconds))
}

/// A fresh random secret.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    secret
}

/// The secret as people type it into an app (base32, no padding).
pub fn secret_text(secret: &[u8]) -> String {
    match Secret::Raw(secret.to_vec()).to_encoded() {
        Secret::Encoded(s) => s,
        Secret::Raw(_) => unreachable!("to_encoded always encodes"),
    }
}

/// The secret read back from its text (spaces and case ignored), as tests and the browser suite
/// read it from the enrolment page.
pub fn secret_from_text(text: &str) -> Option<Vec<u8>> {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    Secret::Encoded(clean).to_bytes().ok()
}

/// Which time-step `code` belongs to, if it is right for now (±`SKEW_STEPS`) and newer than
/// the last step this account used. A code already used is refused for its whole window, and so
/// is any older one: an observed code cannot be replayed.
pub fn verify(
    secret: &[u8],
    code: &str,
    unix_seconds: u64,
    last_used_step: Option<u64>,
) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_of(unix_seconds);
    let mut matched = None;
    // Every candidate is computed and compared in constant time, so timing does not say which
    // step (if any) matched.
    for step in now.saturating_sub(SKEW_STEPS)..=now + SKEW_STEPS {
        let expected = code_for_step(secret, step);
        let same: bool = subtle_eq(expected.as_bytes(), code.as_bytes());
        if same && last_used_step.is_none_or(|last| step > last) && matched.is_none() {
            matched = Some(step);
        }
    }
    matched
}

fn subtle_eq(a: &[u8], b: &[u8]) -> bool {
    // Fixed-size digests compared: equal lengths, no early exit on the first differing byte.
    Sha256::digest(a) == Sha256::digest(b)
}

/// The otpauth:// address an authenticator app reads from the QR code.
pub fn otpauth_uri(secret: &[u8], account: &str) -> String {
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        issuer = percent(ISSUER),
        account = percent(account),
        secret = secret_text(secret),
    )
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The QR code of `uri` as an inline SVG element (no XML declaration), labelled for screen
/// readers; the secret is also shown as text beside it for people who cannot scan.
pub fn qr_svg(uri: &str) -> String {
    let Ok(code) = qrcode::QrCode::new(uri.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    let start = svg.find("<svg").unwrap_or(0);
    svg[start..].replacen(
        "<svg ",
        r#"<svg role="img" aria-label="QR code for your authenticator app" "#,
        1,
    )
}

/// Ten new recovery codes: 16 base32 characters (80 random bits) each, grouped in fours so they
/// can be written down.
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let text = secret_text(&bytes).to_ascii_lowercase();
            text.as_bytes()
                .chunks(4)
                .map(|c| std::str::from_utf8(c).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// A recovery code as typed, in the form it was hashed: case, spaces and dashes ignored.
pub fn normalise_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Looks like a recovery code (rather than a 6-digit code).
pub fn is_recovery_code(code: &str) -> bool {
    normalise_recovery_code(code).len() == 16
}

/// What is stored for a recovery code: its SHA-256. Unsalted and fast is enough here because
/// each code is 80 random bits: there is no dictionary to try, and guessing one of ten in 2^80
/// is out of reach (each guess is also a counted, rate-limited failed sign-in). A slow hash
/// such as argon2 protects guessable passwords; for random codes it would only slow sign-in.
pub fn recovery_code_hash(code: &str) -> Vec<u8> {
    Sha256::digest(normalise_recovery_code(code).as_bytes()).to_vec()
}

/// The key secrets are encrypted with at rest (`TWO_FACTOR_KEY`): 32 bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl SecretKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        SecretKey(bytes)
    }

    /// From standard base64 of exactly 32 bytes (`head -c 32 /dev/urandom | base64`).
    pub fn from_base64(text: &str) -> Result<Self, String> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| "TWO_FACTOR_KEY is not base64".to_string())?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "TWO_FACTOR_KEY must be 32 bytes (44 characters of base64)".to_string())?;
        Ok(SecretKey(bytes))
    }

    /// Encrypts `secret` for `staff_user_id` with ChaCha20-Poly1305 and a random nonce, returned
    /// as (nonce, ciphertext). The account id is bound in as associated data, so a ciphertext
    /// copied onto another account's row does not decrypt.
    pub fn seal(&self, staff_user_id: &[u8], secret: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&self.0));
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: secret,
                    aad: staff_user_id,
                },
            )
            .expect("encrypting a short secret cannot fail");
        (nonce.to_vec(), sealed)
    }

    /// The secret back, or `None` if the key, the account or the stored bytes are wrong.
    pub fn open(&self, staff_user_id: &[u8], nonce: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        if nonce.len() != 12 {
            return None;
        }
        ChaCha20Poly1305::new(Key::from_slice(&self.0))
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: staff_user_id,
                },
            )
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B's SHA-1 secret.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        // The RFC gives 8 digits; apps show the last 6.
        assert_eq!(code_at(RFC_SECRET, 59), "287082");
        assert_eq!(code_at(RFC_SECRET, 1_111_111_109), "081804");
        assert_eq!(code_at(RFC_SECRET, 1_234_567_890), "005924");
        assert_eq!(code_at(RFC_SECRET, 2_000_000_000), "279037");
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_of_now_and_no_further() {
        let now = 1_700_000_000;
        let step = step_of(now);
        for s in [step - 1, step, step + 1] {
            assert_eq!(
                verify(RFC_SECRET, &code_for_step(RFC_SECRET, s), now, None),
                Some(s)
            );
        }
        for s in [step - 2, step + 2] {
            assert_eq!(
                verify(RFC_SECRET, &code_for_step(RFC_SECRET, s), now, None),
                None
            );
        }
    }

    #[test]
    fn a_used_code_is_refused_within_its_window_and_so_is_an_older_one() {
        let now = 1_700_000_000;
        let step = step_of(now);
        let code = code_for_step(RFC_SECRET, step);
        let used = verify(RFC_SECRET, &code, now, None).unwrap();
        assert_eq!(verify(RFC_SECRET, &code, now, Some(used)), None, "replay");
        assert_eq!(
            verify(RFC_SECRET, &code, now + 20, Some(used)),
            None,
            "replay later in the window"
        );
        let older = code_for_step(RFC_SECRET, step - 1);
        assert_eq!(verify(RFC_SECRET, &older, now, Some(used)), None);
        let newer = code_for_step(RFC_SECRET, step + 1);
        assert_eq!(verify(RFC_SECRET, &newer, now, Some(used)), Some(step + 1));
    }

    #[test]
    fn a_wrong_or_malformed_code_is_refused() {
        let now = 1_700_000_000;
        let right = code_at(RFC_SECRET, now);
        let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
        for bad in [wrong.as_str(), "", "12345", "1234567", "abcdef", "12 34 5x"] {
            assert_eq!(verify(RFC_SECRET, bad, now, None), None, "{bad:?}");
        }
        let spaced = format!("{} {}", &right[..3], &right[3..]);
        assert!(
            verify(RFC_SECRET, &spaced, now, None).is_some(),
            "spaces ignored"
        );
    }

    #[test]
    fn the_secret_text_reads_back_to_the_same_secret() {
        let secret = new_secret();
        let text = secret_text(&secret);
        assert_eq!(text.len(), 32);
        assert_eq!(secret_from_text(&text.to_lowercase()), Some(secret));
    }

    #[test]
    fn the_qr_code_carries_the_otpauth_address_as_an_inline_svg() {
        let uri = otpauth_uri(RFC_SECRET, "ann@example.org");
        assert!(uri.starts_with("otpauth://totp/Fostering%20Hub:ann@example.org?secret="));
        assert!(uri.contains("&issuer=Fostering%20Hub&algorithm=SHA1&digits=6&period=30"));
        let svg = qr_svg(&uri);
        assert!(
            svg.starts_with("<svg role=\"img\" aria-label="),
            "{}",
            &svg[..60]
        );
        assert!(!svg.contains("<?xml"));
    }

    #[test]
    fn recovery_codes_are_distinct_high_entropy_and_hash_as_typed_in_any_case() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), 10);
        let code = &codes[0];
        assert_eq!(code.len(), 19, "{code}");
        assert!(is_recovery_code(code));
        assert!(!is_recovery_code("123456"));
        assert_eq!(
            recovery_code_hash(code),
            recovery_code_hash(&code.to_uppercase().replace('-', " "))
        );
        assert_ne!(recovery_code_hash(code), recovery_code_hash(&codes[1]));
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_account() {
        let key = SecretKey::from_bytes([7; 32]);
        let (nonce, sealed) = key.seal(b"account-1", RFC_SECRET);
        assert!(!sealed.windows(RFC_SECRET.len()).any(|w| w == RFC_SECRET));
        assert_eq!(
            key.open(b"account-1", &nonce, &sealed).as_deref(),
            Some(RFC_SECRET)
        );
        let other = SecretKey::from_bytes([8; 32]);
        assert_eq!(other.open(b"account-1", &nonce, &sealed), None, "wrong key");
        assert_eq!(
            key.open(b"account-2", &nonce, &sealed),
            None,
            "wrong account"
        );
        let (nonce2, _) = key.seal(b"account-1", RFC_SECRET);
        assert_ne!(nonce, nonce2, "a fresh nonce each time");
    }

    #[test]
    fn the_key_must_be_32_bytes_of_base64() {
        assert!(SecretKey::from_base64(&"A".repeat(44)).is_err(), "33 bytes");
        assert!(SecretKey::from_base64("not base64!").is_err());
        let ok = base64::engine::general_purpose::STANDARD.encode([1u8; 32]);
        assert_eq!(
            SecretKey::from_base64(&ok).unwrap(),
            SecretKey::from_bytes([1; 32])
        );
        assert_eq!(
            format!("{:?}", SecretKey::from_bytes([1; 32])),
            "SecretKey(..)"
        );
    }
}
