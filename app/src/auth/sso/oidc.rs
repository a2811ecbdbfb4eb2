//! The OpenID Connect exchange with a council's provider, through the `openidconnect` crate:
//! discovery (cached, refreshed when a token names a key we have not seen), the authorization
//! request with PKCE, `state` and `nonce`, the code exchange, and the ID token's checks
//! (signature against the provider's published keys, issuer, audience, expiry, nonce). No JWT
//! is read by hand here.

use super::rules::SsoProblem;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
};
use openidconnect::{
    reqwest, AdditionalClaims, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret,
    CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdToken, IdTokenVerifier, IssuerUrl,
    JsonWebKeySet, LoginHint, Nonce, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, RequestTokenError, Scope, SignatureVerificationError,
    TokenResponse,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Clocks may differ this much before a token counts as expired or issued in the future.
pub const CLOCK_SKEW_SECONDS: i64 = 120;
/// How long discovery documents and keys are kept before they are fetched again (a token
/// naming a key not among them fetches them at once).
const METADATA_SECONDS: u64 = 60 * 60;
/// How long the provider may take to answer.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Every claim of the ID token beyond the standard ones: the groups claim is whichever the
/// council named.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    pub claims: HashMap<String, serde_json::Value>,
}
impl AdditionalClaims for OtherClaims {}

pub type SsoIdToken = IdToken<
    OtherClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

type Discovered = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Providers' discovery documents and keys, by issuer, for this process. Any process may fetch
/// them again: nothing here is the only copy.
pub struct ProviderCache {
    metadata: moka::sync::Cache<String, Arc<ProviderMetadataWithLogout>>,
    http: reqwest::Client,
}

impl Default for ProviderCache {
    fn default() -> Self {
        ProviderCache {
            metadata: moka::sync::Cache::builder()
                .max_capacity(1_000)
                .time_to_live(Duration::from_secs(METADATA_SECONDS))
                .build(),
            http: reqwest::ClientBuilder::new()
                // Following redirects would let a provider's answer send us anywhere (SSRF).
                .redirect(reqwest::redirect::Policy::none())
                .timeout(TIMEOUT)
                .build()
                .expect("an HTTP client with a timeout builds"),
        }
    }
}

impl ProviderCache {
    /// The provider's discovery document and keys: cached, or fetched afresh when `fresh`.
    pub async fn metadata(
        &self,
        issuer: &str,
        fresh: bool,
    ) -> Result<Arc<ProviderMetadataWithLogout>, SsoProblem> {
        if !fresh {
            if let Some(found) = self.metadata.get(issuer) {
                return Ok(found);
            }
        }
        let url = IssuerUrl::new(issuer.to_string()).map_err(|_| SsoProblem::Unavailable)?;
        let found = ProviderMetadataWithLogout::discover_async(url, &self.http)
            .await
            .map_err(|e| {
                // The detail is for the log: never a token or secret, only what failed.
                tracing::warn!(issuer, error = %e, "identity provider discovery failed");
                SsoProblem::Unreachable
            })?;
        let found = Arc::new(found);
        self.metadata.insert(issuer.to_string(), found.clone());
        Ok(found)
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }
}

/// What the council's connection says about us.
pub struct Connection<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub redirect_uri: &'a str,
}

fn client(meta: &ProviderMetadataWithLogout, c: &Connection<'_>) -> Result<Discovered, SsoProblem> {
    let redirect =
        RedirectUrl::new(c.redirect_uri.to_string()).map_err(|_| SsoProblem::Unavailable)?;
    Ok(CoreClient::from_provider_metadata(
        meta.clone(),
        ClientId::new(c.client_id.to_string()),
        Some(ClientSecret::new(c.client_secret.to_string())),
    )
    .set_redirect_uri(redirect))
}

/// A sign-in begun: where to send the person, and what to keep in their session to check
/// the answer.
pub struct Started {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// The authorization request (code flow, PKCE S256, fresh `state` and `nonce`).
pub fn start(
    meta: &ProviderMetadataWithLogout,
    c: &Connection<'_>,
    login_hint: &str,
) -> Result<Started, SsoProblem> {
    let client = client(meta, c)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .set_login_hint(LoginHint::new(login_hint.to_string()))
        .url();
    Ok(Started {
        url: url.to_string(),
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
    })
}

/// Exchanges the code for tokens at the provider's token endpoint (with the PKCE verifier and
/// our client secret), returning the raw ID token.
pub async fn exchange(
    cache: &ProviderCache,
    meta: &ProviderMetadataWithLogout,
    c: &Connection<'_>,
    code: &str,
    pkce_verifier: &str,
) -> Result<String, SsoProblem> {
    let client = client(meta, c)?;
    let request = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .map_err(|_| SsoProblem::Unavailable)?
        .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_string()));
    let response = request
        .request_async(cache.http())
        .await
        .map_err(|e| match e {
            // The provider refused the code: used already, issued to another client, or for
            // another verifier.
            RequestTokenError::ServerResponse(r) => {
                tracing::info!(error = %r.error(), "identity provider refused the code");
                SsoProblem::Refused
            }
            RequestTokenError::Request(e) => {
                tracing::warn!(error = %e, "identity provider token endpoint unreachable");
                SsoProblem::Unreachable
            }
            other => {
                tracing::warn!(error = %other, "identity provider token response unreadable");
                SsoProblem::Refused
            }
        })?;
    let id_token = response.id_token().ok_or_else(|| {
        tracing::warn!("identity provider sent no ID token");
        SsoProblem::Refused
    })?;
    Ok(id_token.to_string())
}

/// What the checks found wrong with an ID token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenProblem {
    /// Signed with a key the provider's published set does not hold (yet): fetch the keys again.
    UnknownKey,
    BadSignature,
    WrongIssuer,
    WrongAudience,
    WrongNonce,
    /// Expired, or issued in the future, beyond the allowed skew.
    Clock,
    Malformed,
}

impl TokenProblem {
    pub fn for_person(self) -> SsoProblem {
        match self {
            TokenProblem::Clock => SsoProblem::Clock,
            _ => SsoProblem::Refused,
        }
    }
}

/// An ID token's claims once every check has passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: Option<bool>,
    pub name: Option<String>,
    pub groups: Vec<String>,
    pub amr: Vec<String>,
    pub acr: Option<String>,
    pub auth_time: Option<i64>,
    pub nonce: String,
}

/// What the token must say.
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub nonce: &'a str,
    pub groups_claim: &'a str,
    /// Unix seconds, now.
    pub now: i64,
}

/// Checks an ID token against the provider's keys and what we expect; pure, so every refusal
/// is unit tested with tokens signed by keys the tests hold.
pub fn verify(
    raw: &str,
    keys: &JsonWebKeySet<CoreJsonWebKey>,
    e: &Expected<'_>,
) -> Result<Verified, TokenProblem> {
    let token: SsoIdToken = raw.parse().map_err(|_| TokenProblem::Malformed)?;
    let issuer = IssuerUrl::new(e.issuer.to_string()).map_err(|_| TokenProblem::WrongIssuer)?;
    let now = e.now;
    let verifier: IdTokenVerifier<CoreJsonWebKey> = IdTokenVerifier::new_confidential_client(
        ClientId::new(e.client_id.to_string()),
        ClientSecret::new(e.client_secret.to_string()),
        issuer,
        keys.clone(),
    )
    // Asymmetric signatures only: a token "signed" with the client secret or not at all is
    // refused.
    .set_allowed_algs([
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
        CoreJwsSigningAlgorithm::RsaSsaPssSha256,
        CoreJwsSigningAlgorithm::RsaSsaPssSha384,
        CoreJwsSigningAlgorithm::RsaSsaPssSha512,
        CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        CoreJwsSigningAlgorithm::EcdsaP384Sha384,
        CoreJwsSigningAlgorithm::EdDsa,
    ])
    // Expiry is checked against a clock allowed to run `CLOCK_SKEW_SECONDS` behind ours.
    .set_time_fn(move || {
        chrono::DateTime::from_timestamp(now - CLOCK_SKEW_SECONDS, 0).unwrap_or_default()
    })
    .set_issue_time_verifier_fn(move |iat| {
        if iat.timestamp() > now + CLOCK_SKEW_SECONDS {
            Err("issued in the future".into())
        } else {
            Ok(())
        }
    });
    let nonce = Nonce::new(e.nonce.to_string());
    let claims = token.claims(&verifier, &nonce).map_err(|err| match err {
        ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        ) => TokenProblem::UnknownKey,
        ClaimsVerificationError::SignatureVerification(_) => TokenProblem::BadSignature,
        ClaimsVerificationError::InvalidIssuer(_) => TokenProblem::WrongIssuer,
        ClaimsVerificationError::InvalidAudience(_) => TokenProblem::WrongAudience,
        ClaimsVerificationError::InvalidNonce(_) => TokenProblem::WrongNonce,
        ClaimsVerificationError::Expired(_) => TokenProblem::Clock,
        _ => TokenProblem::Malformed,
    })?;
    let groups = match claims.additional_claims().claims.get(e.groups_claim) {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(serde_json::Value::String(one)) => vec![one.clone()],
        _ => Vec::new(),
    };
    Ok(Verified {
        subject: claims.subject().as_str().to_string(),
        email: claims.email().map(|m| m.as_str().to_string()).or_else(|| {
            // Entra ID's work accounts carry the address as `preferred_username`.
            claims
                .preferred_username()
                .map(|u| u.as_str().to_string())
                .filter(|u| u.contains('@'))
        }),
        email_verified: claims.email_verified(),
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_string()),
        groups,
        amr: claims
            .auth_method_refs()
            .map(|v| v.iter().map(|m| m.as_str().to_string()).collect())
            .unwrap_or_default(),
        acr: claims.auth_context_ref().map(|a| a.as_str().to_string()),
        auth_time: claims.auth_time().map(|t| t.timestamp()),
        nonce: e.nonce.to_string(),
    })
}

/// The provider's sign-out address for RP-initiated logout, if it advertises one.
pub fn end_session_url(
    meta: &ProviderMetadataWithLogout,
    client_id: &str,
    post_logout: &str,
) -> Option<String> {
    let endpoint = meta.additional_metadata().end_session_endpoint.clone()?;
    let mut request = openidconnect::LogoutRequest::from(endpoint)
        .set_client_id(ClientId::new(client_id.to_string()));
    if let Ok(url) = PostLogoutRedirectUrl::new(post_logout.to_string()) {
        request = request.set_post_logout_redirect_uri(url);
    }
    Some(request.http_get_url().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use openidconnect::core::{CoreIdToken, CoreIdTokenClaims, CoreRsaPrivateSigningKey};
    use openidconnect::{
        Audience, EmptyAdditionalClaims, EndUserEmail, IdTokenClaims, JsonWebKeyId,
        PrivateSigningKey, StandardClaims, SubjectIdentifier,
    };

    const KEY: &str = include_str!("test_keys/provider.pem");
    const OTHER_KEY: &str = include_str!("test_keys/attacker.pem");
    const ISSUER: &str = "https://login.portsmouth.example";
    const NOW: i64 = 1_800_000_000;

    fn signing(pem: &str, kid: &str) -> CoreRsaPrivateSigningKey {
        CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(kid.into()))).unwrap()
    }

    fn published() -> JsonWebKeySet<CoreJsonWebKey> {
        JsonWebKeySet::new(vec![signing(KEY, "k1").as_verification_key()])
    }

    struct Token {
        issuer: &'static str,
        audience: &'static str,
        nonce: &'static str,
        issued: i64,
        expires: i64,
        pem: &'static str,
        kid: &'static str,
        extra: serde_json::Value,
    }

    impl Default for Token {
        fn default() -> Self {
            Token {
                issuer: ISSUER,
                audience: "fostering-hub",
                nonce: "n-1",
                issued: NOW - 10,
                expires: NOW + 300,
                pem: KEY,
                kid: "k1",
                extra: serde_json::json!({"groups": ["fh-assessors"], "amr": ["pwd", "mfa"]}),
            }
        }
    }

    fn sign(t: Token) -> String {
        let at = |s: i64| chrono::DateTime::from_timestamp(s, 0).unwrap();
        let claims: CoreIdTokenClaims = IdTokenClaims::new(
            IssuerUrl::new(t.issuer.into()).unwrap(),
            vec![Audience::new(t.audience.into())],
            at(t.expires),
            at(t.issued),
            StandardClaims::new(SubjectIdentifier::new("asha".into()))
                .set_email(Some(EndUserEmail::new("asha@portsmouth.gov.uk".into())))
                .set_email_verified(Some(true)),
            EmptyAdditionalClaims {},
        )
        .set_nonce(Some(Nonce::new(t.nonce.into())));
        let token = CoreIdToken::new(
            claims,
            &signing(t.pem, t.kid),
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            None,
            None,
        )
        .unwrap()
        .to_string();
        // Extra claims (groups, amr) added to the payload and signed again with the same key,
        // as a provider would issue them.
        resign(&token, t.extra, t.pem, t.kid)
    }

    /// The token with `extra` merged into its claims, signed with `pem`.
    fn resign(token: &str, extra: serde_json::Value, pem: &str, kid: &str) -> String {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let parts: Vec<&str> = token.split('.').collect();
        let mut payload: serde_json::Value =
            serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
        for (k, v) in extra.as_object().unwrap() {
            payload[k] = v.clone();
        }
        let claims: IdTokenClaims<OtherClaims, CoreGenderClaim> =
            serde_json::from_value(payload).unwrap();
        SsoIdToken::new(
            claims,
            &signing(pem, kid),
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            None,
            None,
        )
        .unwrap()
        .to_string()
    }

    fn expected() -> Expected<'static> {
        Expected {
            issuer: ISSUER,
            client_id: "fostering-hub",
            client_secret: "secret",
            nonce: "n-1",
            groups_claim: "groups",
            now: NOW,
        }
    }

    #[test]
    fn a_token_signed_by_the_providers_key_for_us_is_accepted_with_its_groups_and_amr() {
        let v = verify(&sign(Token::default()), &published(), &expected()).unwrap();
        assert_eq!(v.subject, "asha");
        assert_eq!(v.email.as_deref(), Some("asha@portsmouth.gov.uk"));
        assert_eq!(v.groups, vec!["fh-assessors"]);
        assert_eq!(v.amr, vec!["pwd", "mfa"]);
    }

    #[test]
    fn a_token_signed_by_another_key_under_the_providers_key_id_is_refused() {
        let t = sign(Token {
            pem: OTHER_KEY,
            ..Token::default()
        });
        assert_eq!(
            verify(&t, &published(), &expected()),
            Err(TokenProblem::BadSignature)
        );
    }

    #[test]
    fn a_token_naming_a_key_the_provider_has_not_published_asks_for_its_keys_again() {
        let t = sign(Token {
            kid: "k2",
            ..Token::default()
        });
        assert_eq!(
            verify(&t, &published(), &expected()),
            Err(TokenProblem::UnknownKey)
        );
    }

    #[test]
    fn a_token_whose_payload_was_changed_after_signing_is_refused() {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let t = sign(Token::default());
        let parts: Vec<&str> = t.split('.').collect();
        let mut payload: serde_json::Value =
            serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
        payload["groups"] = serde_json::json!(["fh-admins"]);
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            b64.encode(serde_json::to_vec(&payload).unwrap()),
            parts[2]
        );
        assert_eq!(
            verify(&forged, &published(), &expected()),
            Err(TokenProblem::BadSignature)
        );
    }

    #[test]
    fn a_token_for_another_client_or_from_another_issuer_is_refused() {
        let t = sign(Token {
            audience: "other-app",
            ..Token::default()
        });
        assert_eq!(
            verify(&t, &published(), &expected()),
            Err(TokenProblem::WrongAudience)
        );
        let t = sign(Token {
            issuer: "https://login.kent.example",
            ..Token::default()
        });
        assert_eq!(
            verify(&t, &published(), &expected()),
            Err(TokenProblem::WrongIssuer)
        );
    }

    #[test]
    fn a_token_answering_another_sign_in_is_refused_by_its_nonce() {
        let t = sign(Token {
            nonce: "n-other",
            ..Token::default()
        });
        assert_eq!(
            verify(&t, &published(), &expected()),
            Err(TokenProblem::WrongNonce)
        );
    }

    #[test]
    fn expiry_and_issue_time_allow_two_minutes_of_clock_skew_and_no_more() {
        let within = sign(Token {
            expires: NOW - 60,
            issued: NOW + 60,
            ..Token::default()
        });
        assert!(verify(&within, &published(), &expected()).is_ok());
        let expired = sign(Token {
            expires: NOW - 121,
            issued: NOW - 400,
            ..Token::default()
        });
        assert_eq!(
            verify(&expired, &published(), &expected()),
            Err(TokenProblem::Clock)
        );
        let future = sign(Token {
            issued: NOW + 600,
            expires: NOW + 900,
            ..Token::default()
        });
        assert_eq!(
            verify(&future, &published(), &expected()),
            Err(TokenProblem::Clock)
        );
    }

    #[test]
    fn a_token_signed_with_the_client_secret_or_unsigned_is_refused() {
        assert_eq!(
            verify("not.a.token", &published(), &expected()),
            Err(TokenProblem::Malformed)
        );
        // alg "none": header {"alg":"none"}.
        use base64::Engine;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let t = sign(Token::default());
        let parts: Vec<&str> = t.split('.').collect();
        let none = format!("{}.{}.", b64.encode(br#"{"alg":"none"}"#), parts[1]);
        assert!(verify(&none, &published(), &expected()).is_err());
    }
}
