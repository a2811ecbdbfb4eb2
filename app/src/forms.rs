//! One form path for both modes. A page's form names the server function it posts to; without
//! JavaScript the browser posts the fields to the page's own address and the server runs that
//! same server function (`server/src/forms.rs`), then redirects on success or renders the same
//! page again with what was typed and what to fix; with JavaScript the page dispatches the same
//! server function through its action, with no reload. The permission check, rate limit and
//! rules live once, in the server function's body.
//!
//! A form costs: its fields struct (`#[serde(default)]`, strings as typed), its server function
//! taking one argument named `form`, and an `impl FormFn` saying where success goes:
//!
//! ```ignore
//! #[server(prefix = "/api", endpoint = "councils/add", input = Json)]
//! pub async fn add_council(form: NewCouncilForm) -> Result<(), AppError> { ... }
//!
//! impl FormFn for AddCouncil {
//!     type Form = NewCouncilForm;
//!     fn next_page(&self, _: &()) -> String { "/staff/councils?added=1".into() }
//! }
//! #[cfg(feature = "ssr")]
//! inventory::submit! { FormEntry::of::<AddCouncil>() }
//! ```
//!
//! and in the page, `let state = use_form::<AddCouncil>();` and
//! `<ServerForm state=state>…fields…</ServerForm>` (see `ui::ServerForm`).

use crate::error::{AppError, FieldErrors};
use leptos::server_fn::ServerFn;
use serde::{de::DeserializeOwned, Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// The hidden field naming the server function a form posts to (its path).
pub const FORM_FIELD: &str = "__form";

/// Name/value pairs as a browser posts them, in order.
pub type Pairs = Vec<(String, String)>;

/// A server function a page's form posts to.
pub trait FormFn:
    ServerFn<Error = AppError> + DeserializeOwned + Clone + Send + Sync + 'static
where
    Self::Output: Clone + Send + Sync + 'static,
{
    /// What the form's fields make: the server function's one argument, named `form`.
    type Form: DeserializeOwned + Default + Clone + Send + Sync + 'static;

    /// Where the browser goes once the server function has succeeded.
    fn next_page(&self, output: &Self::Output) -> String;

    /// Fields never sent back to the page after a refusal (passwords).
    const SECRETS: &'static [&'static str] = &[];

    /// True when success needs a full page load rather than client-side navigation (signing
    /// in: every part of the page must see the new session).
    const FULL_LOAD: bool = false;
}

/// The longest field name a form of ours posts, and the deepest nesting and largest index a
/// repeating group uses: more is not a person filling in a form.
const MAX_NAME: usize = 100;
const MAX_DEPTH: usize = 4;
const MAX_INDEX: usize = 99;

fn unreadable() -> AppError {
    AppError::BadRequest("the form's field names could not be read".into())
}

/// Splits a posted name into its parts: `adults[2][first_name]` is `adults`, `2`, `first_name`;
/// `interests[]` is `interests` and an empty part (append).
fn name_parts(name: &str) -> Result<Vec<&str>, AppError> {
    if name.is_empty() || name.len() > MAX_NAME {
        return Err(unreadable());
    }
    let (head, mut rest) = match name.find('[') {
        Some(i) => (&name[..i], &name[i..]),
        None => (name, ""),
    };
    if head.is_empty() || head.contains(']') {
        return Err(unreadable());
    }
    let mut parts = vec![head];
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[').ok_or_else(unreadable)?;
        let close = inner.find(']').ok_or_else(unreadable)?;
        let part = &inner[..close];
        if part.contains('[') {
            return Err(unreadable());
        }
        parts.push(part);
        rest = &inner[close + 1..];
    }
    if parts.len() > MAX_DEPTH {
        return Err(unreadable());
    }
    Ok(parts)
}

/// Puts `value` at `parts` inside `node`. A name posted twice becomes a list (checkboxes); a
/// numeric part is a position in a repeating group, kept as an object keyed by index until
/// [`finish`] turns it into a list in index order.
fn insert(node: &mut Map<String, Value>, parts: &[&str], value: String) -> Result<(), AppError> {
    let key = parts[0].to_string();
    if parts.len() == 1 {
        match node.get_mut(&key) {
            None => {
                node.insert(key, Value::String(value));
            }
            Some(Value::String(first)) => {
                let first = std::mem::take(first);
                node.insert(key, Value::Array(vec![first.into(), value.into()]));
            }
            Some(Value::Array(list)) => list.push(value.into()),
            Some(_) => return Err(unreadable()),
        }
        return Ok(());
    }
    let next = parts[1];
    if next.is_empty() {
        // `interests[]`: always a list, even with one value.
        if parts.len() != 2 {
            return Err(unreadable());
        }
        match node.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
            Value::Array(list) => list.push(value.into()),
            Value::String(first) => {
                let first = std::mem::take(first);
                node.insert(
                    parts[0].to_string(),
                    Value::Array(vec![first.into(), value.into()]),
                );
            }
            _ => return Err(unreadable()),
        }
        return Ok(());
    }
    if let Ok(index) = next.parse::<usize>() {
        if index > MAX_INDEX {
            return Err(unreadable());
        }
    }
    match node.entry(key).or_insert_with(|| Value::Object(Map::new())) {
        Value::Object(child) => insert(child, &parts[1..], value),
        _ => Err(unreadable()),
    }
}

/// Objects whose keys are all indexes become lists in index order (a removed group leaves a gap
/// that must not become an empty group).
fn finish(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let all_indexes = !map.is_empty() && map.keys().all(|k| k.parse::<usize>().is_ok());
            if all_indexes {
                let mut items: Vec<(usize, Value)> = map
                    .into_iter()
                    .map(|(k, v)| (k.parse().unwrap_or(usize::MAX), finish(v)))
                    .collect();
                items.sort_by_key(|(i, _)| *i);
                Value::Array(items.into_iter().map(|(_, v)| v).collect())
            } else {
                Value::Object(map.into_iter().map(|(k, v)| (k, finish(v))).collect())
            }
        }
        other => other,
    }
}

/// The posted fields as one JSON object: `adults[0][first_name]` nests, repeated names list.
pub fn tree(pairs: &[(String, String)]) -> Result<Value, AppError> {
    let mut root = Map::new();
    for (name, value) in pairs {
        if name == FORM_FIELD {
            continue;
        }
        insert(&mut root, &name_parts(name)?, value.clone())?;
    }
    Ok(finish(Value::Object(root)))
}

/// A form's fields read from posted pairs, the same way in both modes.
pub fn decode_form<F: DeserializeOwned>(pairs: &[(String, String)]) -> Result<F, AppError> {
    serde_json::from_value(tree(pairs)?).map_err(|e| AppError::BadRequest(e.to_string()))
}

/// A form's server function call read from posted pairs: its one argument is named `form`.
pub fn decode_call<S: DeserializeOwned>(pairs: &[(String, String)]) -> Result<S, AppError> {
    let mut call = Map::new();
    call.insert("form".into(), tree(pairs)?);
    serde_json::from_value(Value::Object(call)).map_err(|e| AppError::BadRequest(e.to_string()))
}

/// For a list field (checkboxes): one value posted, or several, or none.
pub fn many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(v)) => vec![v],
        Some(OneOrMany::Many(v)) => v,
    })
}

/// For a single checkbox: ticked when posted as `yes`/`on`/`true` (or JSON `true`).
pub fn checked<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    Ok(match Option::<Flag>::deserialize(d)? {
        None => false,
        Some(Flag::Bool(b)) => b,
        Some(Flag::Text(t)) => matches!(t.as_str(), "yes" | "on" | "true"),
    })
}

/// What a page is given after its form was posted without JavaScript and refused: which form
/// (so a page with several shows the message beside the right one), what was typed (secrets
/// removed) and what to fix.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Posted {
    pub form: String,
    pub pairs: Pairs,
    pub errors: FieldErrors,
    pub general: Option<String>,
}

impl Posted {
    /// The refusal of `pairs` posted to `form`, without the fields in `secrets`.
    pub fn refused(form: &str, mut pairs: Pairs, secrets: &[&str], error: &AppError) -> Posted {
        pairs.retain(|(name, _)| name != FORM_FIELD && !secrets.contains(&name.as_str()));
        let (errors, general) = match error {
            AppError::Validation(errors) => (errors.clone(), None),
            other => (FieldErrors::default(), Some(other.to_string())),
        };
        Posted {
            form: form.to_string(),
            pairs,
            errors,
            general,
        }
    }
}

/// A failure on our side while a form was posted without JavaScript: the page shows the
/// apology with its reference instead of the form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerProblem(pub AppError);

/// One form the server accepts without JavaScript: its server function's path, how to run it
/// from posted pairs, and which fields are never sent back.
#[cfg(feature = "ssr")]
pub struct FormEntry {
    pub path: &'static str,
    pub run: fn(Pairs) -> futures_util::future::BoxFuture<'static, Result<String, AppError>>,
    pub secrets: &'static [&'static str],
}

#[cfg(feature = "ssr")]
inventory::collect!(FormEntry);

#[cfg(feature = "ssr")]
impl FormEntry {
    pub const fn of<S: FormFn>() -> FormEntry
    where
        S::Output: Clone + Send + Sync + 'static,
    {
        FormEntry {
            path: S::PATH,
            run: run_form::<S>,
            secrets: S::SECRETS,
        }
    }

    /// The registered form posting to `path`.
    pub fn find(path: &str) -> Option<&'static FormEntry> {
        inventory::iter::<FormEntry>().find(|e| e.path == path)
    }

    /// Every registered form's server function path.
    pub fn paths() -> Vec<&'static str> {
        let mut paths: Vec<_> = inventory::iter::<FormEntry>().map(|e| e.path).collect();
        paths.sort_unstable();
        paths
    }
}

#[cfg(feature = "ssr")]
fn run_form<S: FormFn>(
    pairs: Pairs,
) -> futures_util::future::BoxFuture<'static, Result<String, AppError>>
where
    S::Output: Clone + Send + Sync + 'static,
{
    Box::pin(async move {
        let call: S = decode_call(&pairs)?;
        let kept = call.clone();
        let output = call.run_body().await?;
        Ok(kept.next_page(&output))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Pairs {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Person {
        first_name: String,
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Sample {
        name: String,
        #[serde(deserialize_with = "many")]
        interests: Vec<String>,
        #[serde(deserialize_with = "checked")]
        consent: bool,
        adults: Vec<Person>,
        action: String,
    }

    #[test]
    fn a_posted_form_reads_the_same_as_its_fields_with_one_or_many_checkboxes() {
        let one: Sample = decode_form(&pairs(&[
            ("__form", "/api/x"),
            ("name", "Ann"),
            ("interests", "short_breaks"),
            ("consent", "yes"),
            ("action", "save_and_continue"),
        ]))
        .unwrap();
        assert_eq!(one.name, "Ann");
        assert_eq!(one.interests, vec!["short_breaks"]);
        assert!(one.consent);
        assert_eq!(one.action, "save_and_continue", "the clicked button");
        let many: Sample = decode_form(&pairs(&[
            ("interests", "a"),
            ("interests", "b"),
            ("interests", "c"),
        ]))
        .unwrap();
        assert_eq!(many.interests, vec!["a", "b", "c"]);
        assert!(!many.consent, "an unticked box is not posted");
    }

    #[test]
    fn repeating_groups_come_back_in_index_order_without_gaps() {
        let form: Sample = decode_form(&pairs(&[
            ("adults[3][first_name]", "Cy"),
            ("adults[0][first_name]", "Al"),
        ]))
        .unwrap();
        assert_eq!(
            form.adults,
            vec![
                Person {
                    first_name: "Al".into()
                },
                Person {
                    first_name: "Cy".into()
                }
            ]
        );
    }

    #[test]
    fn an_empty_post_is_an_empty_form_for_the_rules_to_refuse() {
        let form: Sample = decode_form(&[]).unwrap();
        assert_eq!(form, Sample::default());
    }

    #[test]
    fn hostile_names_are_a_bad_request_not_a_panic() {
        for name in [
            "",
            "[x]",
            "a[",
            "a]b",
            "a[b[c]]",
            "a[1][2][3][4][5]",
            "adults[100000][first_name]",
            &"x".repeat(101),
        ] {
            let r = decode_form::<Sample>(&pairs(&[(name, "v")]));
            assert!(matches!(r, Err(AppError::BadRequest(_))), "{name:?}");
        }
        // A field posted both as a value and as a group cannot be read either.
        let r = decode_form::<Sample>(&pairs(&[("name", "a"), ("name[x]", "b")]));
        assert!(matches!(r, Err(AppError::BadRequest(_))));
        // A single-value field posted twice is refused by its type, not taken at random.
        let r = decode_form::<Sample>(&pairs(&[("name", "a"), ("name", "b")]));
        assert!(matches!(r, Err(AppError::BadRequest(_))));
    }

    #[test]
    fn a_refusal_never_sends_a_secret_back() {
        let posted = Posted::refused(
            "/api/auth/sign-in",
            pairs(&[
                ("__form", "/api/auth/sign-in"),
                ("email", "a@b.c"),
                ("password", "hunter2"),
            ]),
            &["password"],
            &AppError::Validation(FieldErrors::field("email", "Enter a correct email")),
        );
        assert_eq!(posted.pairs, pairs(&[("email", "a@b.c")]));
        assert_eq!(posted.errors.get("email"), Some("Enter a correct email"));
        assert_eq!(posted.general, None);
    }
}
