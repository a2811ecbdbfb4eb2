//! The layering rule, checked: platform code never imports a domain. A domain may use the
//! platform and the `types` and `api` of domains earlier in the journey; were the platform to
//! reach back into a domain, every domain would depend on every other through it.

use std::path::{Path, PathBuf};

/// Folders under `app/src` that are platform code; every other folder is a domain, so a domain
/// added later is covered without anyone remembering.
const PLATFORM_FOLDERS: &[&str] = &[
    "accounts", "audit", "auth", "calendar", "email", "files", "jobs", "places", "ui",
];

/// Top-level files that are platform code. Not listed: `app.rs`, the shell that composes the
/// domains' routes (it must name them), and `lib.rs`, which declares the modules.
const PLATFORM_FILES: &[&str] = &[
    "config.rs",
    "db.rs",
    "error.rs",
    "forms.rs",
    "limits.rs",
    "security.rs",
    "state.rs",
    "text.rs",
    "time.rs",
];

/// The `.rs` files under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The domains `file` names in code (comments may name a domain, as documentation does).
fn domains_named(file: &Path, domains: &[String]) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    // Paths (`crate::enquiries::...`, `super::super::councils::...`) and the names inside `use`
    // groups (`use crate::{councils, ...}`).
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .collect();
    // A `use` statement runs from its line's start to the next `;` (string literals such as
    // "/staff/enquiries" are not imports).
    let uses: Vec<&str> = code
        .split(';')
        .filter_map(|stmt| {
            let mut offset = 0;
            for line in stmt.split_inclusive('\n') {
                let t = line.trim_start();
                if t.starts_with("use ")
                    || t.starts_with("pub use ")
                    || t.starts_with("pub(crate) use ")
                {
                    return Some(&stmt[offset..]);
                }
                offset += line.len();
            }
            None
        })
        .flat_map(|s| s.split(|c: char| !(c.is_alphanumeric() || c == '_')))
        .collect();
    domains
        .iter()
        .filter(|d| {
            let as_path = format!("{d}::");
            words.iter().any(|w| w.contains(&as_path)) || uses.iter().any(|w| w == d)
        })
        .cloned()
        .collect()
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn domains() -> Vec<String> {
    std::fs::read_dir(src())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|name| !PLATFORM_FOLDERS.contains(&name.as_str()))
        .collect()
}

#[test]
fn no_platform_folder_or_file_imports_a_domain() {
    let domains = domains();
    assert!(
        domains.iter().any(|d| d == "enquiries") && domains.iter().any(|d| d == "councils"),
        "{domains:?}"
    );
    let mut files: Vec<PathBuf> = PLATFORM_FOLDERS
        .iter()
        .flat_map(|f| rust_files(&src().join(f)))
        .collect();
    files.extend(PLATFORM_FILES.iter().map(|f| src().join(f)));
    let offences: Vec<String> = files
        .iter()
        .flat_map(|f| {
            domains_named(f, &domains)
                .into_iter()
                .map(move |d| format!("{} uses {d}", f.display()))
        })
        .collect();
    assert!(
        offences.is_empty(),
        "platform code imports a domain: {offences:#?}"
    );
}

#[test]
fn the_guard_sees_a_domain_import_when_there_is_one() {
    // The check itself can fail: the shell, which composes the domains, is found importing them.
    let domains = domains();
    let offender = src().join("app.rs");
    assert!(!domains_named(&offender, &domains).is_empty());
}
