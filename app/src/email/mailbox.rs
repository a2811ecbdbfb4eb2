//! Reads the local mail folder (the file transport's `.eml` files) so administrators can see in
//! the app what the product would have sent. A small reader for the messages this product
//! writes (plain text, or multipart with a plain-text part, as calendar invitations are), not a
//! general MIME parser.

use std::path::Path;
use std::time::SystemTime;

pub use super::LocalMail;

const PREVIEW_CHARS: usize = 300;

/// The newest `limit` messages in `dir`, newest first. A missing folder is an empty list;
/// unreadable files are skipped. Blocking file reads: call it from `spawn_blocking` in a handler.
pub fn list_local(dir: &Path, limit: usize) -> Vec<LocalMail> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(SystemTime, String)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".eml") {
                return None;
            }
            let modified = e.metadata().and_then(|m| m.modified()).ok()?;
            Some((modified, name))
        })
        .collect();
    // Newest first; the name breaks ties so the order is stable.
    files.sort_by(|a, b| b.cmp(a));
    files
        .into_iter()
        .take(limit)
        .filter_map(|(_, name)| {
            let raw = std::fs::read(dir.join(&name)).ok()?;
            let mail = ParsedMail::parse(&raw);
            let preview: String = mail.body.chars().take(PREVIEW_CHARS).collect();
            Some(LocalMail {
                to: mail.header("To").unwrap_or_default(),
                subject: mail.header("Subject").unwrap_or_default(),
                date: mail.header("Date").unwrap_or_default(),
                body_preview: preview.trim_end().to_string(),
                file_name: name,
            })
        })
        .collect()
}

/// A message split into decoded headers and a decoded body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedMail {
    /// (name, decoded value), in order.
    pub headers: Vec<(String, String)>,
    /// The body with its transfer encoding (quoted-printable or base64) undone.
    pub body: String,
}

impl ParsedMail {
    pub fn parse(raw: &[u8]) -> Self {
        let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
        let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.lines() {
            if line.starts_with([' ', '\t']) {
                // A folded header continues the previous one.
                if let Some((_, value)) = headers.last_mut() {
                    value.push_str(line);
                }
            } else if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_string(), value.trim().to_string()));
            }
        }
        for (_, value) in headers.iter_mut() {
            *value = decode_words(value);
        }
        let mut mail = ParsedMail {
            headers,
            body: String::new(),
        };
        // A multipart message: the body shown is its first plain-text part (for an invitation,
        // the text beside the calendar), found depth first.
        if let Some(boundary) = mail.boundary() {
            mail.body = multipart_parts(body, &boundary)
                .into_iter()
                .map(|part| ParsedMail::parse(part.as_bytes()))
                .find(|part| part.shows_text())
                .map(|part| part.body)
                .unwrap_or_default();
            return mail;
        }
        let encoding = mail
            .header("Content-Transfer-Encoding")
            .unwrap_or_default()
            .to_ascii_lowercase();
        mail.body = match encoding.as_str() {
            "quoted-printable" => {
                String::from_utf8_lossy(&decode_quoted_printable(body)).into_owned()
            }
            "base64" => String::from_utf8_lossy(&decode_base64(body)).into_owned(),
            _ => body.to_string(),
        };
        mail
    }

    /// The boundary of a multipart message.
    fn boundary(&self) -> Option<String> {
        let content_type = self.header("Content-Type")?;
        if !content_type.to_ascii_lowercase().starts_with("multipart/") {
            return None;
        }
        content_type.split(';').skip(1).find_map(|param| {
            let (name, value) = param.split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("boundary")
                .then(|| value.trim().trim_matches('"').to_string())
        })
    }

    /// A part whose body is plain text to show: text/plain (or no Content-Type, which means
    /// the same) or a nested multipart that held some, and not an attachment.
    fn shows_text(&self) -> bool {
        let content_type = self
            .header("Content-Type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let disposition = self
            .header("Content-Disposition")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let text = content_type.is_empty()
            || content_type.starts_with("text/plain")
            || content_type.starts_with("multipart/");
        text && !disposition.starts_with("attachment") && !self.body.is_empty()
    }

    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }
}

/// The parts of a multipart body (line ends already `\n`), each with its own headers.
fn multipart_parts<'a>(body: &'a str, boundary: &str) -> Vec<&'a str> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    // The preamble before the first delimiter is not a part; the text after the closing one
    // (`--boundary--`) neither.
    for chunk in body.split(delimiter.as_str()).skip(1) {
        if chunk.starts_with("--") {
            break;
        }
        parts.push(chunk.strip_prefix('\n').unwrap_or(chunk));
    }
    parts
}

/// Undoes RFC 2047 encoded words (`=?utf-8?b?...?=`, `=?utf-8?q?...?=`) in a header value.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut last_was_word = false;
    while let Some(start) = rest.find("=?") {
        let before = &rest[..start];
        let Some(word) = parse_word(&rest[start..]) else {
            out.push_str(&rest[..start + 2]);
            rest = &rest[start + 2..];
            last_was_word = false;
            continue;
        };
        // Whitespace between two encoded words is not part of the text.
        if !(last_was_word && before.trim().is_empty()) {
            out.push_str(before);
        }
        out.push_str(&word.0);
        rest = &rest[start + word.1..];
        last_was_word = true;
    }
    out.push_str(rest);
    out
}

/// One encoded word at the start of `s`: (decoded text, length consumed).
fn parse_word(s: &str) -> Option<(String, usize)> {
    let inner = s.strip_prefix("=?")?;
    let mut parts = inner.splitn(3, '?');
    let charset = parts.next()?;
    let encoding = parts.next()?;
    let rest = parts.next()?;
    let end = rest.find("?=")?;
    let text = &rest[..end];
    let bytes = match encoding {
        "b" | "B" => decode_base64(text),
        "q" | "Q" => decode_quoted_printable(&text.replace('_', " ")),
        _ => return None,
    };
    let consumed = 2 + charset.len() + 1 + encoding.len() + 1 + end + 2;
    Some((String::from_utf8_lossy(&bytes).into_owned(), consumed))
}

fn decode_quoted_printable(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'=' if bytes.get(i + 1) == Some(&b'\n') => i += 2, // soft line break
            b'=' if bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n') => i += 3,
            b'=' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'=');
                        i += 1;
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

fn decode_base64(s: &str) -> Vec<u8> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some((c - b'A') as u32),
            b'a'..=b'z' => Some((c - b'a') as u32 + 26),
            b'0'..=b'9' => Some((c - b'0') as u32 + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(value) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("fh-mailbox-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_local_mail_folder_is_listed_newest_first_with_decoded_headers_and_body() {
        let dir = temp_dir();
        std::fs::write(
            dir.join("a.eml"),
            "From: Hub <no-reply@example.org>\r\nTo: Ann Smith <ann@example.org>\r\n\
             Subject: First\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\
             Content-Transfer-Encoding: 7bit\r\n\r\nHello Ann.\r\nSecond line.\r\n",
        )
        .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(
            dir.join("b.eml"),
            "To: =?utf-8?b?Wm/DqyBCcm9udMOr?= <zoe@example.org>\r\n\
             Subject: =?utf-8?q?Caf=C3=A9?=\r\n =?utf-8?q?_society?=\r\n\
             Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n\
             Content-Transfer-Encoding: quoted-printable\r\n\r\nZo=C3=AB, a long =\r\nline.\r\n",
        )
        .unwrap();
        std::fs::write(dir.join("notes.txt"), "not a message").unwrap();

        let list = list_local(&dir, 10);
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].file_name, "b.eml");
        assert_eq!(list[0].to, "Zoë Brontë <zoe@example.org>");
        assert_eq!(list[0].subject, "Café society");
        assert_eq!(list[0].body_preview, "Zoë, a long line.");
        assert_eq!(list[1].to, "Ann Smith <ann@example.org>");
        assert_eq!(list[1].subject, "First");
        assert_eq!(list[1].date, "Mon, 23 Nov 2026 09:00:00 +0000");
        assert_eq!(list[1].body_preview, "Hello Ann.\nSecond line.");

        assert_eq!(list_local(&dir, 1).len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_mail_folder_lists_nothing() {
        assert!(list_local(Path::new("/nonexistent/fostering-hub-mail"), 10).is_empty());
    }

    #[test]
    fn a_multipart_message_shows_its_plain_text_part() {
        let raw = "Subject: Invitation\r\n\
             Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n\
             --outer\r\n\
             Content-Type: multipart/alternative; boundary=inner\r\n\r\n\
             --inner\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\
             Content-Transfer-Encoding: quoted-printable\r\n\r\n\
             Dear Zo=C3=AB,\r\nSee you there.\r\n\
             --inner\r\n\
             Content-Type: text/calendar; method=REQUEST; charset=UTF-8\r\n\r\n\
             BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n\
             --inner--\r\n\
             --outer\r\n\
             Content-Type: application/ics\r\n\
             Content-Disposition: attachment; filename=\"invite.ics\"\r\n\r\n\
             BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n\
             --outer--\r\n";
        let mail = ParsedMail::parse(raw.as_bytes());
        assert_eq!(mail.header("Subject").unwrap(), "Invitation");
        assert_eq!(mail.body.trim_end(), "Dear Zoë,\nSee you there.");
    }

    #[test]
    fn base64_bodies_are_decoded() {
        let mail =
            ParsedMail::parse(b"Content-Transfer-Encoding: base64\r\n\r\nSGVsbG8sIFpvw6sh\r\n");
        assert_eq!(mail.body, "Hello, Zoë!");
    }
}
