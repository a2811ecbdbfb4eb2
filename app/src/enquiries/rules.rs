//! Pure rules about enquiry data: no I/O, unit tested.

/// Normalises a UK postcode to upper case with a single space before the inward code
/// (`po12ab` → `PO1 2AB`), or `None` when it is not a valid UK postcode format.
pub fn normalise_postcode(input: &str) -> Option<String> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
        return None;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_ok = {
        let b = inward.as_bytes();
        b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
    };
    if inward_ok && valid_outward(outward) {
        Some(format!("{outward} {inward}"))
    } else {
        None
    }
}

/// Outward codes: A9, A99, AA9, AA99, A9A, AA9A (the Royal Mail formats).
fn valid_outward(s: &str) -> bool {
    let shape: String = s
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { 'A' })
        .collect();
    matches!(
        shape.as_str(),
        "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A"
    ) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Normalises a UK phone number to its digits (with a leading `+` for international format), or
/// `None` when it cannot be a UK number. Spaces, dashes, dots and brackets are allowed.
pub fn normalise_uk_phone(input: &str) -> Option<String> {
    let trimmed = input.trim();
    if trimmed
        .chars()
        .any(|c| !(c.is_ascii_digit() || " -().+".contains(c)))
    {
        return None;
    }
    let digits: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
    if trimmed.starts_with('+') {
        // +44 7700 900123 → 12 digits; the trunk 0 is sometimes written as +44 (0)...
        let rest = digits.strip_prefix("44")?;
        let rest = rest.strip_prefix('0').unwrap_or(rest);
        (rest.len() == 10 || rest.len() == 9).then(|| format!("+44{rest}"))
    } else if digits.starts_with("44") && digits.len() >= 11 && !digits.starts_with("440") {
        let rest = &digits[2..];
        (rest.len() == 10 || rest.len() == 9).then(|| format!("+44{rest}"))
    } else if digits.starts_with('0') && (digits.len() == 10 || digits.len() == 11) {
        Some(digits)
    } else {
        None
    }
}

/// Letters for references: Crockford's base 32 (no I, L, O, U), easy to read out on the phone.
const REFERENCE_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A reference such as `FH-7K3M-9QX2` from eight random values (any `u8`s).
pub fn format_reference(random: [u8; 8]) -> String {
    let ch = |b: u8| REFERENCE_ALPHABET[(b % 32) as usize] as char;
    let a: String = random[..4].iter().map(|b| ch(*b)).collect();
    let b: String = random[4..].iter().map(|b| ch(*b)).collect();
    format!("FH-{a}-{b}")
}

/// Whether `s` looks like a reference we issue (used to refuse junk in URLs).
pub fn is_reference(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 12
        && s.starts_with("FH-")
        && b[7] == b'-'
        && s[3..7]
            .bytes()
            .chain(s[8..].bytes())
            .all(|c| REFERENCE_ALPHABET.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_normalised_to_upper_case_with_one_space() {
        assert_eq!(normalise_postcode("po12ab").as_deref(), Some("PO1 2AB"));
        assert_eq!(
            normalise_postcode(" SW1A 1AA ").as_deref(),
            Some("SW1A 1AA")
        );
        assert_eq!(normalise_postcode("m1 1ae").as_deref(), Some("M1 1AE"));
        assert_eq!(normalise_postcode("b33 8th").as_deref(), Some("B33 8TH"));
        assert_eq!(normalise_postcode("CR2 6XH").as_deref(), Some("CR2 6XH"));
        assert_eq!(normalise_postcode("DN55 1PT").as_deref(), Some("DN55 1PT"));
    }

    #[test]
    fn invalid_postcodes_are_refused() {
        for bad in [
            "",
            "PO1",
            "12345",
            "PO1 2A",
            "PO1 22B",
            "ABCDE 1AB",
            "PO1 2AB X",
            "P01 2AB😀",
            "W1A-1AA",
        ] {
            assert_eq!(normalise_postcode(bad), None, "{bad:?} should be refused");
        }
    }

    #[test]
    fn uk_phone_numbers_are_accepted_in_common_formats() {
        assert_eq!(
            normalise_uk_phone("07700 900123").as_deref(),
            Some("07700900123")
        );
        assert_eq!(
            normalise_uk_phone("(023) 9282 2251").as_deref(),
            Some("02392822251")
        );
        assert_eq!(
            normalise_uk_phone("+44 7700 900123").as_deref(),
            Some("+447700900123")
        );
        assert_eq!(
            normalise_uk_phone("+44 (0)7700 900123").as_deref(),
            Some("+447700900123")
        );
    }

    #[test]
    fn non_uk_or_malformed_phone_numbers_are_refused() {
        for bad in [
            "",
            "12345",
            "0770090012345",
            "+1 202 555 0100",
            "07700 9OO123",
            "call me",
        ] {
            assert_eq!(normalise_uk_phone(bad), None, "{bad:?} should be refused");
        }
    }

    #[test]
    fn references_use_only_unambiguous_letters_and_round_trip() {
        let r = format_reference([0, 31, 18, 200, 7, 8, 255, 100]);
        assert!(is_reference(&r), "{r}");
        assert!(!r.contains(['I', 'L', 'O', 'U']));
        assert!(!is_reference("FH-ABCD-EFGI"));
        assert!(!is_reference("<script>"));
    }
}
