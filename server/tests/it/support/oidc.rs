//! A real OpenID Connect provider on loopback for the single sign-on tests: panva's certified
//! `oidc-provider` (end2end/oidc/provider.mjs), started once per test binary, playing
//! Portsmouth's and Kent's identity providers. Its login page is driven as a browser would,
//! with its cookies, by `reqwest`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// Issuers of the two councils' providers.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Providers {
    pub portsmouth: String,
    pub kent: String,
}

/// Kept for the life of the test binary: the provider exits when its stdin (this pipe) closes,
/// that is, when the test process ends however it ends.
static CHILD: Mutex<Option<Child>> = Mutex::new(None);

pub fn providers() -> &'static Providers {
    static PROVIDERS: OnceLock<Providers> = OnceLock::new();
    PROVIDERS.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let mut child = Command::new("node")
            .arg("oidc/provider.mjs")
            .current_dir(format!("{root}/end2end"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs end2end/oidc/provider.mjs (./scripts/test installs node modules)");
        // Read on a thread of its own, so a provider that never starts fails the tests in a
        // minute rather than holding every test that waits for it.
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = BufReader::new(stdout).read_line(&mut line).map(|_| line);
            let _ = tx.send(read);
        });
        let line = match rx.recv_timeout(std::time::Duration::from_secs(60)) {
            Ok(Ok(line)) => line,
            other => {
                let _ = child.kill();
                panic!("the loopback OpenID provider did not say where it listens: {other:?}");
            }
        };
        let providers: Providers = serde_json::from_str(line.trim())
            .unwrap_or_else(|e| panic!("the provider's first line {line:?}: {e}"));
        *CHILD.lock().unwrap() = Some(child);
        providers
    })
}

/// A browser at the provider: its own cookie jar, redirects followed by hand so the test sees
/// where the provider sends it back.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap()
}

fn absolute(base: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        location.to_string()
    } else {
        format!("{base}{location}")
    }
}

/// Where the provider finally sends the browser back to us: follows its own redirects from
/// `url` (the authorization request), signing in as `login` with `password` on its login page
/// (or cancelling there when `password` is `None`). Returns the redirect to our callback.
pub async fn through_provider(
    browser: &reqwest::Client,
    issuer: &str,
    url: &str,
    login: &str,
    password: Option<&str>,
) -> String {
    let mut next = url.to_string();
    let mut posted = false;
    for _ in 0..12 {
        if !next.starts_with(issuer) {
            return next;
        }
        let r = browser.get(&next).send().await.unwrap();
        if r.status().is_redirection() {
            let location = r.headers()["location"].to_str().unwrap().to_string();
            next = absolute(issuer, &location);
            continue;
        }
        assert_eq!(r.status(), 200, "the provider's page at {next}");
        assert!(
            !posted,
            "the provider showed its page again after the login"
        );
        let page = r.text().await.unwrap();
        let uid = next
            .split("/interaction/")
            .nth(1)
            .expect("the provider's login page")
            .split(['/', '?'])
            .next()
            .unwrap()
            .to_string();
        let r = match password {
            Some(password) => browser
                .post(format!("{issuer}/interaction/{uid}/login"))
                .form(&[("login", login), ("password", password)])
                .send()
                .await
                .unwrap(),
            None => browser
                .post(format!("{issuer}/interaction/{uid}/abort"))
                .send()
                .await
                .unwrap(),
        };
        assert!(
            r.status().is_redirection(),
            "login at the provider: {} {page}",
            r.status()
        );
        posted = true;
        next = absolute(issuer, r.headers()["location"].to_str().unwrap());
    }
    panic!("the provider kept redirecting");
}

/// Changes a test account's groups (and whether its sign-in counts as multi-factor) at the
/// provider.
pub async fn set_account(issuer: &str, account: &str, groups: &[&str], mfa: bool) {
    let r = browser()
        .post(format!("{issuer}/__test/accounts/{account}"))
        .header("content-type", "application/json")
        .body(serde_json::json!({ "groups": groups, "mfa": mfa }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204, "setting {account} at the provider");
}
