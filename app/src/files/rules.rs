//! Pure rules about uploaded files: what kind a file is by its bytes, the messages a refusal
//! gives, and the file name a download may carry. No I/O; unit tested.

/// The kinds of file an upload purpose may accept, recognised by content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// Comma-separated values: UTF-8 text (an optional byte order mark) with no control
    /// characters other than tab, carriage return and line feed.
    Csv,
    /// A ZIP archive (local file header `PK\x03\x04`), e.g. several years of SSDA903 files.
    Zip,
    /// A PDF document (`%PDF-`), e.g. panel papers.
    Pdf,
}

impl FileKind {
    /// The `Content-Type` it is stored and downloaded with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Csv => "text/csv; charset=utf-8",
            FileKind::Zip => "application/zip",
            FileKind::Pdf => "application/pdf",
        }
    }

    /// What staff call it.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Csv => "CSV",
            FileKind::Zip => "ZIP",
            FileKind::Pdf => "PDF",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Csv => "csv",
            FileKind::Zip => "zip",
            FileKind::Pdf => "pdf",
        }
    }

    /// For an upload form's `<input type=file accept=...>`: a hint to the browser's file picker
    /// only; the server decides by the bytes.
    pub fn accept(kinds: &[FileKind]) -> String {
        kinds
            .iter()
            .map(|k| match k {
                FileKind::Csv => ".csv,text/csv",
                FileKind::Zip => ".zip,application/zip",
                FileKind::Pdf => ".pdf,application/pdf",
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The kind a stored `Content-Type` names.
    pub fn from_content_type(content_type: &str) -> Option<FileKind> {
        [FileKind::Csv, FileKind::Zip, FileKind::Pdf]
            .into_iter()
            .find(|k| k.content_type() == content_type)
    }
}

/// How many bytes are enough to tell the kinds apart.
pub const SNIFF_BYTES: usize = 8;

/// What a file's first bytes say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sniffed {
    Kind(FileKind),
    /// Not a kind we know (a program, an image, a Word document...).
    Other,
}

/// Recognises a file from its first bytes (`SNIFF_BYTES`, or all of a shorter file). Anything
/// that is not a PDF or a ZIP and starts as text is taken for CSV here; `TextCheck` then reads
/// every byte of it.
pub fn sniff(head: &[u8]) -> Sniffed {
    if head.starts_with(b"%PDF-") {
        Sniffed::Kind(FileKind::Pdf)
    } else if head.starts_with(b"PK\x03\x04") {
        Sniffed::Kind(FileKind::Zip)
    } else if starts_as_text(head) {
        Sniffed::Kind(FileKind::Csv)
    } else {
        Sniffed::Other
    }
}

fn starts_as_text(head: &[u8]) -> bool {
    let mut check = TextCheck::default();
    // A character cut off at the end of the head is fine; the rest of the file decides.
    check.feed(head).is_ok()
}

/// Why a file is not the text a CSV upload needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextProblem {
    /// Not UTF-8: usually a spreadsheet saved in an older Windows encoding, or not text at all.
    NotUtf8,
    /// A NUL or other control byte: a binary file, not a CSV.
    ControlByte,
}

/// Checks text as it streams in, a chunk at a time, keeping only the few bytes of a character
/// split across two chunks.
#[derive(Debug, Default)]
pub struct TextCheck {
    /// The start of a character cut off at the end of the last chunk (at most 3 bytes).
    pending: Vec<u8>,
}

impl TextCheck {
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), TextProblem> {
        // In UTF-8 every byte below 0x80 is itself an ASCII character, so control characters
        // can be found byte by byte.
        if bytes
            .iter()
            .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b == 0x7f)
        {
            return Err(TextProblem::ControlByte);
        }
        if self.pending.is_empty() {
            self.validate(bytes)
        } else {
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(bytes);
            self.validate(&joined)
        }
    }

    /// The end of the file: a character still cut off is a broken file.
    pub fn finish(&self) -> Result<(), TextProblem> {
        if self.pending.is_empty() {
            Ok(())
        } else {
            Err(TextProblem::NotUtf8)
        }
    }

    fn validate(&mut self, bytes: &[u8]) -> Result<(), TextProblem> {
        match std::str::from_utf8(bytes) {
            Ok(_) => Ok(()),
            // Cut off at the end rather than wrong: wait for the next chunk.
            Err(e) if e.error_len().is_none() => {
                self.pending = bytes[e.valid_up_to()..].to_vec();
                Ok(())
            }
            Err(_) => Err(TextProblem::NotUtf8),
        }
    }
}

/// A size as staff read it: "10 MB", "1.5 MB", "64 KB".
pub fn size_label(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    const KB: u64 = 1024;
    if bytes >= MB {
        if bytes.is_multiple_of(MB) {
            format!("{} MB", bytes / MB)
        } else {
            format!("{:.1} MB", bytes as f64 / MB as f64)
        }
    } else if bytes >= KB {
        format!("{} KB", bytes / KB)
    } else {
        format!("{bytes} bytes")
    }
}

/// "CSV", "CSV or ZIP", "CSV, ZIP or PDF".
pub fn kinds_label(kinds: &[FileKind]) -> String {
    let labels: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
    match labels.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The refusal for a file over its purpose's limit.
pub fn too_large_message(max_bytes: u64) -> String {
    format!(
        "The file is larger than the {} this upload allows",
        size_label(max_bytes)
    )
}

/// The refusal for a file of a kind its purpose does not take.
pub fn wrong_kind_message(kinds: &[FileKind]) -> String {
    format!("This upload takes {} files only", kinds_label(kinds))
}

/// The refusal for a CSV that is not UTF-8 text, with what to do about it.
pub fn not_text_message(kinds: &[FileKind], problem: TextProblem) -> String {
    match problem {
        TextProblem::NotUtf8 => format!(
            "{}. This file is not saved as UTF-8 text: in Excel, choose Save As and \
             \"CSV UTF-8 (Comma delimited)\", then upload that file",
            wrong_kind_message(kinds)
        ),
        TextProblem::ControlByte => wrong_kind_message(kinds),
    }
}

/// The most characters of an uploaded file's name kept.
pub const MAX_NAME_CHARS: usize = 120;

/// The name a file is kept and downloaded under: the last part of what the browser sent (some
/// send a whole path), without control characters, quotes or slashes, at most `MAX_NAME_CHARS`,
/// and ending in the extension of its real kind, so the downloaded copy opens in the right
/// program.
pub fn safe_file_name(raw: &str, kind: FileKind) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '"' | '\\' | '/' | ':' | '*' | '?' | '<' | '>' | '|') {
                '_'
            } else if c.is_whitespace() {
                ' '
            } else {
                c
            }
        })
        .collect();
    // Leading dots would make a hidden file; trailing dots and spaces are dropped by Windows.
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c == ' ');
    let ext = kind.extension();
    let has_ext = trimmed
        .rsplit_once('.')
        .is_some_and(|(stem, e)| !stem.is_empty() && e.eq_ignore_ascii_case(ext));
    let stem_budget = if has_ext {
        MAX_NAME_CHARS
    } else {
        MAX_NAME_CHARS - ext.len() - 1
    };
    let mut name = if trimmed.is_empty() {
        "upload".to_string()
    } else if trimmed.chars().count() > stem_budget {
        // Keep the end when the extension is there, so it survives the cut.
        if has_ext {
            let keep_end = ext.len() + 1;
            let head: String = trimmed
                .chars()
                .take(stem_budget - keep_end)
                .collect::<String>()
                .trim_end_matches(['.', ' '])
                .to_string();
            format!("{head}.{ext}")
        } else {
            trimmed
                .chars()
                .take(stem_budget)
                .collect::<String>()
                .trim_end_matches(['.', ' '])
                .to_string()
        }
    } else {
        trimmed.to_string()
    };
    if !has_ext {
        name.push('.');
        name.push_str(ext);
    }
    name
}

/// The `Content-Disposition` of a download: always an attachment (never shown in the browser's
/// own window, where a PDF's scripts or an HTML-looking CSV could run as this site), with the
/// name in plain ASCII for old clients and in full as RFC 6266's `filename*`.
pub fn attachment_header(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '%')) || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::with_capacity(file_name.len() * 3);
    for b in file_name.bytes() {
        // RFC 5987 attr-char: everything else is percent-encoded.
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_recognised_by_their_bytes_not_their_names() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniffed::Kind(FileKind::Pdf));
        assert_eq!(sniff(b"PK\x03\x04\x14\x00"), Sniffed::Kind(FileKind::Zip));
        assert_eq!(sniff(b"name,age\r\n"), Sniffed::Kind(FileKind::Csv));
        assert_eq!(
            sniff(b"\xEF\xBB\xBFname,"),
            Sniffed::Kind(FileKind::Csv),
            "a byte order mark is fine"
        );
        // A Windows program, a PNG, UTF-16 text.
        assert_eq!(sniff(b"MZ\x90\x00\x03\x00"), Sniffed::Other);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n"), Sniffed::Other);
        assert_eq!(sniff(b"\xFF\xFEn\x00a\x00"), Sniffed::Other);
    }

    #[test]
    fn text_check_accepts_a_character_split_across_chunks() {
        let text = "Zoë,Łukasz,😀\n".as_bytes();
        for cut in 0..text.len() {
            let mut check = TextCheck::default();
            check.feed(&text[..cut]).unwrap();
            check.feed(&text[cut..]).unwrap();
            check.finish().unwrap();
        }
    }

    #[test]
    fn text_check_refuses_control_bytes_and_other_encodings() {
        let mut check = TextCheck::default();
        assert_eq!(check.feed(b"a,b\x00"), Err(TextProblem::ControlByte));
        let mut check = TextCheck::default();
        assert_eq!(check.feed(b"a,b\x1b[0m"), Err(TextProblem::ControlByte));
        // "café" in Windows-1252.
        let mut check = TextCheck::default();
        assert_eq!(check.feed(b"caf\xe9,1\n"), Err(TextProblem::NotUtf8));
        // A file that ends half way through a character.
        let mut check = TextCheck::default();
        check.feed(b"caf\xc3").unwrap();
        assert_eq!(check.finish(), Err(TextProblem::NotUtf8));
        // Tabs and both line endings are text.
        let mut check = TextCheck::default();
        check.feed(b"a\tb\r\nc\n").unwrap();
        check.finish().unwrap();
    }

    #[test]
    fn refusals_say_the_limit_and_the_kinds_in_words() {
        assert_eq!(
            too_large_message(10 * 1024 * 1024),
            "The file is larger than the 10 MB this upload allows"
        );
        assert_eq!(size_label(1536 * 1024), "1.5 MB");
        assert_eq!(size_label(64 * 1024), "64 KB");
        assert_eq!(
            wrong_kind_message(&[FileKind::Csv]),
            "This upload takes CSV files only"
        );
        assert_eq!(
            wrong_kind_message(&[FileKind::Csv, FileKind::Zip]),
            "This upload takes CSV or ZIP files only"
        );
        assert_eq!(
            kinds_label(&[FileKind::Csv, FileKind::Zip, FileKind::Pdf]),
            "CSV, ZIP or PDF"
        );
    }

    #[test]
    fn file_names_lose_folders_and_control_characters_and_keep_their_real_extension() {
        assert_eq!(
            safe_file_name(r"C:\Users\ann\Register 2026.csv", FileKind::Csv),
            "Register 2026.csv"
        );
        assert_eq!(
            safe_file_name("../../etc/passwd", FileKind::Csv),
            "passwd.csv"
        );
        assert_eq!(safe_file_name("a\"b\r\nc.PDF", FileKind::Pdf), "a_b__c.PDF");
        assert_eq!(
            safe_file_name("report.pdf", FileKind::Csv),
            "report.pdf.csv"
        );
        assert_eq!(safe_file_name("", FileKind::Zip), "upload.zip");
        assert_eq!(safe_file_name("...", FileKind::Zip), "upload.zip");
        let long = format!("{}.csv", "x".repeat(500));
        let kept = safe_file_name(&long, FileKind::Csv);
        assert_eq!(kept.chars().count(), MAX_NAME_CHARS);
        assert!(kept.ends_with(".csv"));
        let long = "é".repeat(500);
        let kept = safe_file_name(&long, FileKind::Csv);
        assert_eq!(kept.chars().count(), MAX_NAME_CHARS);
        assert!(kept.ends_with(".csv"));
    }

    #[test]
    fn downloads_are_attachments_with_a_header_safe_name() {
        assert_eq!(
            attachment_header("Zoë's register.csv"),
            "attachment; filename=\"Zo_'s register.csv\"; \
             filename*=UTF-8''Zo%C3%AB%27s%20register.csv"
        );
        assert_eq!(
            attachment_header("100%.csv"),
            "attachment; filename=\"100_.csv\"; filename*=UTF-8''100%25.csv"
        );
    }
}
