//! Single sign-on's pure rules: which council a work email belongs to, what a council's groups
//! grant, whether the provider already did multi-factor, how long the session lasts, and what
//! each failure says to the person meeting it.

use crate::auth::Role;
use serde::{Deserialize, Serialize};

/// The domain of a work email, lower case: `asha@Portsmouth.gov.uk` is `portsmouth.gov.uk`.
pub fn email_domain(email: &str) -> Option<String> {
    let email = email.trim();
    let (local, domain) = email.rsplit_once('@')?;
    let domain = domain.trim().to_ascii_lowercase();
    (!local.is_empty() && is_domain(&domain)).then_some(domain)
}

/// A DNS name as a council's email uses it: letters, digits, hyphens and dots, with a dot.
pub fn is_domain(domain: &str) -> bool {
    domain.len() <= 253
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && domain
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase()))
}

/// The allowed domains an administrator typed (one per line, or separated by commas or spaces;
/// a leading `@` is ignored), or what is wrong with them.
pub fn parse_domains(text: &str) -> Result<Vec<String>, String> {
    let mut domains = Vec::new();
    for part in text.split(|c: char| c == ',' || c.is_whitespace()) {
        let d = part.trim().trim_start_matches('@').to_ascii_lowercase();
        if d.is_empty() {
            continue;
        }
        if !is_domain(&d) {
            return Err(format!(
                "'{}' is not an email domain. Enter domains like portsmouth.gov.uk",
                clip(part.trim(), 60)
            ));
        }
        if !domains.contains(&d) {
            domains.push(d);
        }
    }
    match domains.len() {
        0 => Err("Enter the email domains this council's staff sign in with".into()),
        n if n > 20 => Err("Enter 20 domains or fewer".into()),
        _ => Ok(domains),
    }
}

/// One line of a council's group mapping: members of `group` get `roles` and, if named, join
/// `team`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRule {
    pub group: String,
    pub roles: Vec<Role>,
    pub team: Option<String>,
}

/// Reads the mapping an administrator typed, one line per group:
///
/// ```text
/// fh-assessors = Assessor
/// fh-managers = Team manager, Panel chair, team: South assessment team
/// ```
///
/// Roles are named as the product labels them (any case) or by their stored names. Every
/// problem is reported with its line number.
pub fn parse_group_rules(text: &str) -> Result<Vec<GroupRule>, Vec<String>> {
    let mut rules: Vec<GroupRule> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((group, grants)) = line.split_once('=') else {
            problems.push(format!(
                "Line {n}: write the group, then '=', then what it grants, like 'fh-assessors = Assessor'"
            ));
            continue;
        };
        let group = group.trim();
        if group.is_empty() || group.len() > 200 {
            problems.push(format!(
                "Line {n}: enter the group's name (up to 200 characters) before '='"
            ));
            continue;
        }
        if seen.iter().any(|g| g == group) {
            problems.push(format!("Line {n}: the group '{group}' is already listed"));
            continue;
        }
        seen.push(group.to_string());
        let mut rule = GroupRule {
            group: group.to_string(),
            roles: Vec::new(),
            team: None,
        };
        let items: Vec<&str> = grants
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if items.is_empty() {
            problems.push(format!(
                "Line {n}: say which roles or team '{group}' grants"
            ));
            continue;
        }
        for item in items {
            if let Some(team) = item
                .strip_prefix("team:")
                .or_else(|| item.strip_prefix("Team:"))
            {
                let team = team.trim();
                if team.is_empty() || rule.team.is_some() {
                    problems.push(format!("Line {n}: name one team after 'team:'"));
                } else {
                    rule.team = Some(team.to_string());
                }
                continue;
            }
            match role_named(item) {
                Some(role) if !rule.roles.contains(&role) => rule.roles.push(role),
                Some(_) => {}
                None => problems.push(format!(
                    "Line {n}: '{}' is not a role. The roles are: {}",
                    clip(item, 60),
                    Role::ALL
                        .iter()
                        .map(|r| r.label())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
        rule.roles.sort();
        rules.push(rule);
    }
    if rules.len() > 100 {
        problems.push("Map 100 groups or fewer".into());
    }
    if problems.is_empty() {
        Ok(rules)
    } else {
        Err(problems)
    }
}

/// The mapping written back as an administrator types it.
pub fn group_rules_text(rules: &[GroupRule]) -> String {
    rules
        .iter()
        .map(|r| {
            let mut grants: Vec<String> = r.roles.iter().map(|role| role.label().into()).collect();
            if let Some(team) = &r.team {
                grants.push(format!("team: {team}"));
            }
            format!("{} = {}", r.group, grants.join(", "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// At most `n` characters of what someone typed, for quoting it back in a message.
fn clip(text: &str, n: usize) -> String {
    text.chars().take(n).collect()
}

fn role_named(text: &str) -> Option<Role> {
    let wanted = text.trim().to_lowercase();
    Role::ALL
        .into_iter()
        .find(|r| r.label().to_lowercase() == wanted || r.as_str() == wanted)
}

/// What a person's groups grant: every role of every group they hold, and the team of the
/// first listed group that names one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Granted {
    pub roles: Vec<Role>,
    pub team: Option<String>,
}

pub fn granted(rules: &[GroupRule], groups: &[String]) -> Granted {
    let mut out = Granted::default();
    for rule in rules.iter().filter(|r| groups.contains(&r.group)) {
        out.roles.extend(rule.roles.iter().copied());
        if out.team.is_none() {
            out.team = rule.team.clone();
        }
    }
    out.roles.sort();
    out.roles.dedup();
    out
}

/// Whether the provider says it performed multi-factor authentication, so the product's own
/// second step is not asked again. RFC 8176: `amr` containing `mfa`, or methods of two
/// different kinds (something known, held, or of the body); or an `acr` naming multi-factor.
pub fn provider_did_mfa(amr: &[String], acr: Option<&str>) -> bool {
    if amr.iter().any(|m| m == "mfa") {
        return true;
    }
    let kind = |m: &str| match m {
        "pwd" | "pin" | "kba" => Some(0),
        "otp" | "hwk" | "swk" | "sms" | "tel" | "sc" | "pop" => Some(1),
        "fpt" | "face" | "iris" | "retina" | "vbm" | "bio" => Some(2),
        _ => None,
    };
    let mut kinds: Vec<u8> = amr.iter().filter_map(|m| kind(m)).collect();
    kinds.sort_unstable();
    kinds.dedup();
    if kinds.len() >= 2 {
        return true;
    }
    acr.is_some_and(|a| {
        let a = a.to_ascii_lowercase();
        a.contains("multi-factor") || a.contains("multifactor") || a == "mfa" || a.ends_with(":mfa")
    })
}

/// When a session started through a provider ends: `SESSION_MINUTES` from now at most, and no
/// later than the provider's own session (its configured length from when the person last
/// authenticated there).
pub fn session_ends(
    now: i64,
    session_minutes: i64,
    provider_minutes: i64,
    auth_time: Option<i64>,
) -> i64 {
    let from_now = now + session_minutes.min(provider_minutes) * 60;
    match auth_time {
        Some(at) if at <= now => from_now.min(at + provider_minutes * 60),
        _ => from_now,
    }
}

/// An issuer an administrator may connect: https, or plain http only on this machine (the
/// loopback test provider).
pub fn issuer_allowed(issuer: &str) -> bool {
    let Ok(url) = url_parts(issuer) else {
        return false;
    };
    match url.0.as_str() {
        "https" => true,
        "http" => matches!(url.1.as_str(), "127.0.0.1" | "localhost" | "[::1]"),
        _ => false,
    }
}

/// (scheme, host) of an absolute URL without credentials, or an error.
fn url_parts(text: &str) -> Result<(String, String), ()> {
    let text = text.trim();
    if text.len() > 300 || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(());
    }
    let (scheme, rest) = text.split_once("://").ok_or(())?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return Err(());
    }
    let host = if authority.starts_with('[') {
        authority
            .split_inclusive(']')
            .next()
            .unwrap_or_default()
            .to_string()
    } else {
        authority.split(':').next().unwrap_or_default().to_string()
    };
    Ok((scheme.to_ascii_lowercase(), host.to_ascii_lowercase()))
}

/// Everything that can stop a single sign-on, in words for the person meeting it. The code
/// travels in the sign-in page's address (`?sso=...`); nothing else about the failure does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SsoProblem {
    /// No council's provider serves this email's domain.
    UnknownDomain,
    /// The council's provider could not be reached, or answered with something unreadable.
    Unreachable,
    /// The person cancelled at their council's sign-in page (or it refused them).
    Cancelled,
    /// The provider's clock and ours disagree by more than a few minutes.
    Clock,
    /// Signed in at the provider, but no group they hold grants a role here.
    NotAllowed,
    /// The account or email belongs to another council (or is deactivated).
    WrongAccount,
    /// The sign-in took too long, was already used, or began in another browser.
    Stale,
    /// The provider's answer failed a check (signature, issuer, audience, nonce).
    Refused,
    /// The council's connection is switched off or incomplete.
    Unavailable,
}

impl SsoProblem {
    pub const ALL: [SsoProblem; 9] = [
        SsoProblem::UnknownDomain,
        SsoProblem::Unreachable,
        SsoProblem::Cancelled,
        SsoProblem::Clock,
        SsoProblem::NotAllowed,
        SsoProblem::WrongAccount,
        SsoProblem::Stale,
        SsoProblem::Refused,
        SsoProblem::Unavailable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SsoProblem::UnknownDomain => "unknown-domain",
            SsoProblem::Unreachable => "unreachable",
            SsoProblem::Cancelled => "cancelled",
            SsoProblem::Clock => "clock",
            SsoProblem::NotAllowed => "not-allowed",
            SsoProblem::WrongAccount => "wrong-account",
            SsoProblem::Stale => "expired",
            SsoProblem::Refused => "refused",
            SsoProblem::Unavailable => "unavailable",
        }
    }

    pub fn from_code(code: &str) -> Option<SsoProblem> {
        SsoProblem::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn message(self) -> &'static str {
        match self {
            SsoProblem::UnknownDomain => {
                "Your council does not sign in to Fostering Hub with its own accounts. Sign in with your email address and password"
            }
            SsoProblem::Unreachable => {
                "Your council's sign-in service is not answering. Try again in a few minutes"
            }
            SsoProblem::Cancelled => {
                "You did not finish signing in with your council account. Try again"
            }
            SsoProblem::Clock => {
                "Your council's sign-in service and Fostering Hub disagree about the time, so the sign-in could not be trusted. Try again in a few minutes, and tell your IT service desk if it happens again"
            }
            SsoProblem::NotAllowed => {
                "Your council account is not allowed to use Fostering Hub. Ask your manager or IT service desk to add you to the right group"
            }
            SsoProblem::WrongAccount => {
                "Your council account cannot be used to sign in here. Ask your council's Fostering Hub administrator for help"
            }
            SsoProblem::Stale => {
                "Your sign-in took too long or was already used. Start again"
            }
            SsoProblem::Refused => {
                "Your council's sign-in service sent an answer Fostering Hub could not trust. Try again, and tell your IT service desk if it happens again"
            }
            SsoProblem::Unavailable => {
                "Signing in with your council account is switched off at the moment. Ask your council's Fostering Hub administrator"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_domain_is_read_in_lower_case_and_nonsense_has_none() {
        assert_eq!(
            email_domain(" Asha@Portsmouth.GOV.uk ").as_deref(),
            Some("portsmouth.gov.uk")
        );
        assert_eq!(email_domain("no-at-sign"), None);
        assert_eq!(email_domain("@portsmouth.gov.uk"), None);
        assert_eq!(email_domain("a@localhost"), None);
        assert_eq!(email_domain("a@exa mple.org"), None);
        assert_eq!(email_domain("a@example.123"), None);
    }

    #[test]
    fn domains_are_read_from_lines_or_commas_and_refused_when_not_domains() {
        assert_eq!(
            parse_domains("portsmouth.gov.uk, @Hants.gov.uk\nportsmouth.gov.uk").unwrap(),
            vec!["portsmouth.gov.uk", "hants.gov.uk"]
        );
        assert!(parse_domains("  ").is_err());
        assert!(parse_domains("portsmouth").is_err());
        assert!(parse_domains("<script>.gov.uk").is_err());
    }

    #[test]
    fn a_group_mapping_names_roles_by_label_or_code_and_one_team() {
        let rules = parse_group_rules(
            "# comments and blank lines are skipped\n\nfh-assessors = Assessor\nfh-managers = team manager, panel_chair, team: South team\n",
        )
        .unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].roles, vec![Role::Assessor]);
        assert_eq!(rules[1].roles, vec![Role::TeamManager, Role::PanelChair]);
        assert_eq!(rules[1].team.as_deref(), Some("South team"));
        // Written back, it reads the same.
        assert_eq!(parse_group_rules(&group_rules_text(&rules)).unwrap(), rules);
    }

    #[test]
    fn every_problem_in_a_group_mapping_is_reported_with_its_line() {
        let problems = parse_group_rules(
            "fh-assessors = Assesor\nno equals sign\nfh-assessors = Assessor\nempty = \n",
        )
        .unwrap_err();
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].starts_with("Line 1: 'Assesor' is not a role"));
        assert!(problems[1].starts_with("Line 2:"));
        assert!(problems[2].starts_with("Line 3: the group 'fh-assessors' is already listed"));
        assert!(problems[3].starts_with("Line 4:"));
    }

    #[test]
    fn groups_grant_the_union_of_their_roles_and_the_first_listed_team() {
        let rules = parse_group_rules(
            "a = Assessor, team: North\nb = Team manager, Assessor, team: South\nc = Trainer",
        )
        .unwrap();
        let got = granted(&rules, &["b".into(), "a".into(), "z".into()]);
        assert_eq!(got.roles, vec![Role::Assessor, Role::TeamManager]);
        assert_eq!(got.team.as_deref(), Some("North"));
        assert_eq!(granted(&rules, &["z".into()]), Granted::default());
    }

    #[test]
    fn the_provider_did_multi_factor_only_when_its_claims_say_so() {
        let amr = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(provider_did_mfa(&amr(&["pwd", "mfa"]), None));
        assert!(provider_did_mfa(&amr(&["pwd", "otp"]), None));
        assert!(provider_did_mfa(&amr(&["hwk", "fpt"]), None));
        assert!(!provider_did_mfa(&amr(&["pwd"]), None));
        assert!(!provider_did_mfa(&amr(&["otp", "sms"]), None));
        assert!(!provider_did_mfa(&[], None));
        assert!(provider_did_mfa(
            &[],
            Some("http://schemas.openid.net/pape/policies/2007/06/multi-factor")
        ));
        assert!(!provider_did_mfa(&[], Some("urn:mace:incommon:iap:silver")));
    }

    #[test]
    fn a_provider_session_never_outlasts_session_minutes_or_the_providers_own_session() {
        let now = 1_000_000;
        assert_eq!(session_ends(now, 480, 1440, None), now + 480 * 60);
        assert_eq!(session_ends(now, 480, 60, None), now + 60 * 60);
        // Authenticated at the provider 50 minutes ago, whose sessions last an hour.
        assert_eq!(
            session_ends(now, 480, 60, Some(now - 50 * 60)),
            now + 10 * 60
        );
        // An auth_time in the future is not trusted to lengthen anything.
        assert_eq!(session_ends(now, 480, 60, Some(now + 999)), now + 60 * 60);
    }

    #[test]
    fn only_https_issuers_or_loopback_http_may_be_connected() {
        assert!(issuer_allowed("https://login.microsoftonline.com/abc/v2.0"));
        assert!(issuer_allowed("http://127.0.0.1:4100"));
        assert!(issuer_allowed("http://localhost:4100/oidc"));
        assert!(!issuer_allowed("http://idp.example.org"));
        assert!(!issuer_allowed("https://user:pw@idp.example.org"));
        assert!(!issuer_allowed("javascript:alert(1)"));
        assert!(!issuer_allowed("ftp://idp.example.org"));
        assert!(!issuer_allowed("https://"));
    }

    #[test]
    fn every_problem_has_its_own_code_and_a_message() {
        for p in SsoProblem::ALL {
            assert_eq!(SsoProblem::from_code(p.code()), Some(p));
            assert!(p.message().len() > 20);
        }
        assert_eq!(SsoProblem::from_code("<script>"), None);
    }
}
