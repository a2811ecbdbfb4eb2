//! Plain-text rules every domain shares.

/// True when a single-line text field holds characters no one types: control characters
/// (including NUL, which PostgreSQL refuses) or invisible direction overrides used to disguise text.
pub fn has_forbidden_chars(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_direction_override_characters_are_forbidden() {
        assert!(has_forbidden_chars("Ann\0"));
        assert!(has_forbidden_chars("Ann\nSmith"));
        assert!(has_forbidden_chars("abc\u{202E}def"));
        assert!(!has_forbidden_chars("Siân O'Brien-Smith"));
    }
}

/// A place in a queue in words: 1st, 2nd, 3rd, 4th, 11th, 21st.
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod ordinal_tests {
    #[test]
    fn places_in_a_queue_read_as_people_say_them() {
        let words: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 102, 111]
            .into_iter()
            .map(super::ordinal)
            .collect();
        assert_eq!(
            words,
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "102nd", "111th"]
        );
    }
}
