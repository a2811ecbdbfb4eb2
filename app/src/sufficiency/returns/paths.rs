//! What a file's name and folders say about it: the council and the collection year it is for,
//! when its columns do not (a zip laid out `portsmouth/2024/episodes.csv`, or a file named
//! `episodes_2023-24.csv`).

/// The collection year a name gives: a four-digit year from 2000 (`2024`), or a span
/// (`2023-24`, `2023_24`, `202324`), which means the year it ends in. The last one wins, so a
/// folder's year gives way to the file's own.
pub fn year_in(path: &str) -> Option<i32> {
    let bytes = path.as_bytes();
    let mut found = None;
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let digits = |from: usize, n: usize| {
            from + n <= bytes.len() && bytes[from..from + n].iter().all(u8::is_ascii_digit)
        };
        let boundary_before = i == 0 || !bytes[i - 1].is_ascii_digit();
        if boundary_before && digits(i, 4) && bytes[i..i + 2] == *b"20" {
            let first: i32 = path[i..i + 4].parse().unwrap_or(0);
            let mut end = i + 4;
            let mut year = first;
            // `2023-24`, `2023_24`, `2023/24` or `202324`.
            let sep = bytes.get(end).copied();
            if matches!(sep, Some(b'-' | b'_')) && digits(end + 1, 2) && !digits(end + 1, 3) {
                let short: i32 = path[end + 1..end + 3].parse().unwrap_or(-1);
                if short == (first + 1) % 100 {
                    year = first + 1;
                    end += 3;
                }
            } else if digits(end, 2) && !digits(end, 3) {
                let short: i32 = path[end..end + 2].parse().unwrap_or(-1);
                if short == (first + 1) % 100 {
                    year = first + 1;
                    end += 2;
                }
            }
            if !digits(end, 1) {
                found = Some(year);
            }
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

/// The council a path names: a folder or name part equal to one of `codes` (a council code such
/// as `portsmouth`, or an ONS code), ignoring case. The deepest wins.
pub fn council_in<'a>(path: &str, codes: &'a [(String, String)]) -> Option<&'a str> {
    let lower = path.to_ascii_lowercase();
    let parts: Vec<&str> = lower
        .split(['/', '\\', '.', '_', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    parts.iter().rev().find_map(|part| {
        codes
            .iter()
            .find(|(code, ons)| code == part || ons.eq_ignore_ascii_case(part))
            .map(|(code, _)| code.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_in_a_name_is_the_collection_year_it_ends() {
        assert_eq!(year_in("portsmouth/2024/episodes.csv"), Some(2024));
        assert_eq!(year_in("episodes_2023-24.csv"), Some(2024));
        assert_eq!(year_in("header 2023_24.csv"), Some(2024));
        assert_eq!(year_in("903_202324_uasc.csv"), Some(2024));
        assert_eq!(year_in("2022/episodes-2023.csv"), Some(2023));
        assert_eq!(year_in("episodes.csv"), None);
        assert_eq!(year_in("episodes_12345.csv"), None);
        assert_eq!(year_in("1999/episodes.csv"), None);
    }

    #[test]
    fn a_council_in_a_path_is_found_by_code_or_ons_code() {
        let codes = vec![
            ("portsmouth".to_string(), "E06000044".to_string()),
            ("kent".to_string(), "E10000016".to_string()),
        ];
        assert_eq!(
            council_in("Portsmouth/2024/episodes.csv", &codes),
            Some("portsmouth")
        );
        assert_eq!(
            council_in("e10000016_2024_header.csv", &codes),
            Some("kent")
        );
        assert_eq!(council_in("2024/episodes.csv", &codes), None);
        assert_eq!(council_in("kentish/2024.csv", &codes), None);
    }
}
