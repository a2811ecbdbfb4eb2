//! Checking an upload's files against each other: each return (a council's collection year) is
//! its Header, Episodes and UASC files together. What survives is kept, minimised; everything
//! else is in the report, with the row and the reason.

use super::read::{Derived, ParsedEpisode, ReadFile, Warnings};
use super::{FileKind, FileReport, RowProblem, UploadReport, MAX_REFUSED_LISTED};
use crate::sufficiency::types::{CollectionYear, EpisodeRecord, HeaderRecord, UascRecord};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap, HashSet};

/// An upload checked: the records to keep and the report. The episodes still carry their full
/// postcodes: derive the distance and whether the placement is outside the council, then call
/// [`ParsedEpisode::keep`] on each.
#[derive(Clone, Debug, Default)]
pub struct Checked {
    pub headers: Vec<HeaderRecord>,
    pub episodes: Vec<ParsedEpisode>,
    pub uasc: Vec<UascRecord>,
    pub report: UploadReport,
}

impl Checked {
    /// The episodes as kept: `derive` gives each its distance in miles, whether it is placed
    /// outside the council and where, from the full postcodes; only the sectors are kept.
    pub fn keep_episodes(
        &mut self,
        derive: impl Fn(&ParsedEpisode) -> Derived,
    ) -> Vec<EpisodeRecord> {
        std::mem::take(&mut self.episodes)
            .into_iter()
            .map(|e| {
                let derived = derive(&e);
                e.keep(derived)
            })
            .collect()
    }
}

type Key = (String, CollectionYear);
type ChildKey = (String, CollectionYear, String);

const INT32: &str = "Internal check INT32: the child is in the Header file more than once; the \
                     first row is kept";
const INT36: &str = "Internal check INT36: the child is in the UASC file more than once; the \
                     first row is kept";
const INT09: &str = "Internal check INT09: the child in the UASC file has no row in the Header \
                     file (kept)";

/// Checks the files of one upload together (in the order given: where two files hold the same
/// kind for the same council and year, the first is taken and the other's rows are refused).
pub fn check_return(files: Vec<ReadFile>) -> Checked {
    let mut out = Checked::default();
    let mut files = files;

    // One file of each kind per return.
    let mut owners: HashMap<(FileKind, Key), usize> = HashMap::new();
    for (i, f) in files.iter_mut().enumerate() {
        let Some(kind) = f.kind.filter(|_| f.file_refusal.is_none()) else {
            continue;
        };
        let keys: BTreeSet<Key> = f
            .headers
            .iter()
            .map(|h| (h.council.clone(), h.year))
            .chain(f.episodes.iter().map(|e| (e.council.clone(), e.year)))
            .chain(f.uasc.iter().map(|u| (u.council.clone(), u.year)))
            .collect();
        let mut taken: HashMap<Key, usize> = HashMap::new();
        for key in keys {
            let owner = *owners.entry((kind, key.clone())).or_insert(i);
            if owner != i {
                taken.insert(key, owner);
            }
        }
        if taken.is_empty() {
            continue;
        }
        let refuse = |key: &Key, row: u32, problems: &mut Vec<RowProblem>| {
            let owner = taken.get(key).copied();
            if owner.is_some() {
                problems.push(RowProblem {
                    row,
                    column: String::new(),
                    message: format!(
                        "Another {} file in this upload already holds {}'s {} return. Upload \
                         each file once",
                        kind.label(),
                        key.0,
                        key.1
                    ),
                });
            }
            owner.is_none()
        };
        let problems = &mut f.problems;
        f.headers
            .retain(|h| refuse(&(h.council.clone(), h.year), h.row, problems));
        f.episodes
            .retain(|e| refuse(&(e.council.clone(), e.year), e.row, problems));
        f.uasc
            .retain(|u| refuse(&(u.council.clone(), u.year), u.row, problems));
    }

    // Header rows: the first of each child kept.
    let mut born: HashMap<ChildKey, NaiveDate> = HashMap::new();
    let mut refused_headers: HashMap<ChildKey, (String, u32)> = HashMap::new();
    let mut kept_rows: Vec<u32> = vec![0; files.len()];
    let mut duplicates: Vec<u32> = vec![0; files.len()];
    for f in &files {
        for (council, year, child, row) in &f.refused_children {
            refused_headers
                .entry((council.clone(), *year, child.clone()))
                .or_insert((f.name.clone(), *row));
        }
    }
    for (i, f) in files.iter_mut().enumerate() {
        for h in std::mem::take(&mut f.headers) {
            let key = (h.council.clone(), h.year, h.child.clone());
            if born.contains_key(&key) {
                f.warnings.add("INT32", INT32, "CHILD", h.row, &h.child);
                duplicates[i] += 1;
                continue;
            }
            born.insert(key, h.dob);
            out.headers.push(h.keep());
            kept_rows[i] += 1;
        }
    }

    // Episodes: each needs its child's Header row, and a child born by the time it began.
    for (i, f) in files.iter_mut().enumerate() {
        for e in std::mem::take(&mut f.episodes) {
            let key = (e.council.clone(), e.year, e.child.clone());
            let problem = match born.get(&key) {
                None => Some(match refused_headers.get(&key) {
                    Some((file, row)) => format!(
                        "CHILD {}'s Header row ({file}, row {row}) was refused, so their \
                         episodes cannot be kept. Internal check INT03",
                        e.child
                    ),
                    None => format!(
                        "CHILD {} has no row in the Header file for {}'s {} return. Every child \
                         in the Episodes file needs one. Internal check INT03",
                        e.child, e.council, e.year
                    ),
                }),
                Some(dob) if *dob > e.decom => Some(
                    "The episode began (DECOM) before the child's date of birth in the Header \
                     file. DfE rule 302"
                        .to_string(),
                ),
                Some(_) => None,
            };
            match problem {
                Some(message) => f.problems.push(RowProblem {
                    row: e.row,
                    column: if born.contains_key(&key) {
                        "DECOM"
                    } else {
                        "CHILD"
                    }
                    .into(),
                    message,
                }),
                None => {
                    kept_rows[i] += 1;
                    out.episodes.push(e);
                }
            }
        }
    }

    // UASC rows: the first of each child kept.
    let mut uasc_seen: HashSet<ChildKey> = HashSet::new();
    for (i, f) in files.iter_mut().enumerate() {
        for u in std::mem::take(&mut f.uasc) {
            let key = (u.council.clone(), u.year, u.child.clone());
            if !uasc_seen.insert(key.clone()) {
                f.warnings.add("INT36", INT36, "CHILD", u.row, &u.child);
                duplicates[i] += 1;
                continue;
            }
            if !born.contains_key(&key) {
                f.warnings.add("INT09", INT09, "CHILD", u.row, &u.child);
            }
            out.uasc.push(u.keep());
            kept_rows[i] += 1;
        }
    }

    let returns: BTreeSet<Key> = out
        .headers
        .iter()
        .map(|h| (h.council.clone(), h.year))
        .chain(out.episodes.iter().map(|e| (e.council.clone(), e.year)))
        .chain(out.uasc.iter().map(|u| (u.council.clone(), u.year)))
        .collect();
    out.report.returns = returns.into_iter().collect();
    out.report.files = files
        .into_iter()
        .enumerate()
        .map(|(i, f)| report(f, kept_rows[i], duplicates[i]))
        .collect();
    out
}

fn report(f: ReadFile, rows_kept: u32, duplicates_dropped: u32) -> FileReport {
    let ReadFile {
        name,
        kind,
        pooled,
        file_refusal,
        read_as_windows_1252,
        rows_read,
        mut problems,
        warnings: Warnings(warnings),
        ..
    } = f;
    problems.sort_by_key(|p| p.row);
    let rows_refused = problems
        .iter()
        .map(|p| p.row)
        .collect::<BTreeSet<_>>()
        .len();
    let refused_total = problems.len();
    problems.truncate(MAX_REFUSED_LISTED);
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    FileReport {
        name,
        kind,
        pooled,
        file_refusal,
        read_as_windows_1252,
        rows_read,
        rows_kept,
        rows_refused: count(rows_refused),
        duplicates_dropped,
        refused: problems,
        refused_total: count(refused_total),
        warnings,
    }
}
