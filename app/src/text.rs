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
