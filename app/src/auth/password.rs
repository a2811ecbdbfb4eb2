//! Password hashing with argon2id (the `argon2` crate's default algorithm and parameters).

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use std::sync::OnceLock;

pub fn hash(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A real hash to verify against when no account matches, so a wrong email takes as long as a
/// wrong password and sign-in does not reveal which emails have accounts.
pub fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash("not a real password").expect("hashing works"))
}

/// The rule for new passwords: long enough to resist guessing.
pub fn check_new(password: &str) -> Result<(), &'static str> {
    if password.chars().count() < 12 {
        Err("Password must be at least 12 characters")
    } else if password.len() > 128 {
        Err("Password must be 128 characters or fewer")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify_only_the_right_password() {
        let h = hash("correct horse battery staple").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery staple", &h));
        assert!(!verify("Correct horse battery staple", &h));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn new_passwords_must_be_long_enough() {
        assert!(check_new("short").is_err());
        assert!(check_new("a long enough passphrase").is_ok());
    }
}
