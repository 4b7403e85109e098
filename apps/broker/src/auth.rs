//! Who is calling: host tokens (`docs/broker-api.md`) and, when configured,
//! Zendesk signed-URL tokens (RS256 with the app's public key).
//!
//! Host tokens: `iss` selects the host, and the host's key pins the
//! algorithm: a shared secret (`BT_HOST_SECRETS`) verifies HS256 only, a
//! public key or certificate (`BT_HOST_KEYS`) RS256 only. A token whose
//! `alg` is not its host's is refused before any key is used, so an HS256
//! token "signed" with a host's public key (the classic algorithm
//! confusion) never verifies; `none` and every other algorithm are refused
//! outright. `aud` must equal `BT_AUDIENCE`; `sub`, `exp` and `iat` are
//! required; `exp` may be at most 15 minutes ahead.
//!
//! The lifetime rules are the same for every token, Zendesk's included
//! ([`check_lifetime`]): `exp` required and at most 15 minutes ahead, `nbf`
//! and `iat` not in the future (30 s leeway). A token that lives for years
//! is a credential, not a proof of who is calling now.

use crate::config::{Config, ZendeskConfig};
use crate::error::ApiError;
use bt_core::wire::{HostClaims, HOST_TOKEN_MAX_LIFETIME_SECS};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Validation};
use serde::Deserialize;
use std::collections::HashMap;

/// Clock skew tolerated on `exp` and `iat`, in seconds.
pub const LEEWAY_SECS: u64 = 30;

/// A verified caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The host id (`iss`) or, for Zendesk tokens, the Zendesk issuer.
    pub issuer: String,
    /// Agent email or username.
    pub subject: String,
    pub kind: CallerKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerKind {
    Host,
    Zendesk,
}

impl Caller {
    /// The rate-limit key: one bucket per issuer and subject.
    pub fn identity(&self) -> String {
        format!("{}\u{1f}{}", self.issuer, self.subject)
    }
}

/// The unverified view of a token's claims, only used to pick the key.
#[derive(Deserialize)]
struct Peek {
    iss: Option<String>,
}

/// Zendesk signed-URL claims. Zendesk's exact claim set is not confirmed
/// here: `sub` is required as the identity, `exp` and `aud` are checked,
/// `iat` and `nbf` when present.
#[derive(Deserialize)]
struct ZendeskClaims {
    iss: String,
    sub: String,
    exp: u64,
    #[serde(default)]
    iat: Option<u64>,
}

/// Which verifier refused a token: its messages name what applies to it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TokenKind {
    Host,
    Zendesk,
}

impl TokenKind {
    fn name(self) -> &'static str {
        match self {
            TokenKind::Host => "host token",
            TokenKind::Zendesk => "Zendesk token",
        }
    }
}

/// The lifetime rules every token follows: `exp` at most 15 minutes ahead,
/// `iat` not in the future (both with [`LEEWAY_SECS`]). `exp` in the past
/// and `nbf` in the future are refused by the decoder's validation.
fn check_lifetime(kind: TokenKind, exp: u64, iat: Option<u64>, now: u64) -> Result<(), ApiError> {
    let what = kind.name();
    if exp > now + HOST_TOKEN_MAX_LIFETIME_SECS + LEEWAY_SECS {
        return Err(unauthorized(format!(
            "The {what}'s 'exp' is more than 15 minutes ahead: sign short-lived tokens"
        )));
    }
    if iat.is_some_and(|iat| iat > now + LEEWAY_SECS) {
        return Err(unauthorized(format!(
            "The {what}'s 'iat' is in the future: check the clock of whoever signs it"
        )));
    }
    Ok(())
}

/// The `iss` of the broker's own sessions for Zendesk signed URLs. No host
/// may be configured with it.
pub const SESSION_ISSUER: &str = "bt-broker:zendesk-session";
/// Lifetime of such a session, in seconds (within the 15-minute rule).
pub const SESSION_LIFETIME_SECS: u64 = 600;

/// A calling host's key and the one algorithm it verifies.
struct HostKey {
    algorithm: Algorithm,
    key: DecodingKey,
}

impl HostKey {
    fn secret(secret: &[u8]) -> Self {
        Self {
            algorithm: Algorithm::HS256,
            key: DecodingKey::from_secret(secret),
        }
    }
}

pub struct Verifier {
    hosts: HashMap<String, HostKey>,
    /// Pinned to HS256 (shared secrets).
    host_validation: Validation,
    /// Pinned to RS256 (public keys); otherwise the same rules.
    host_key_validation: Validation,
    audience: String,
    zendesk: Option<(DecodingKey, Validation)>,
    /// Signs the sessions `POST /zendesk/sidebar` hands out: a secret made
    /// at start, known to no one else, so a session is a host token of the
    /// broker's own (verified like any host token, with [`SESSION_ISSUER`]).
    session_key: Option<EncodingKey>,
}

fn unauthorized(msg: impl Into<String>) -> ApiError {
    ApiError::Unauthorized(msg.into())
}

impl Verifier {
    pub fn new(config: &Config) -> Result<Self, String> {
        let mut hosts: HashMap<String, HostKey> = config
            .host_secrets
            .iter()
            .map(|(id, s)| (id.clone(), HostKey::secret(s.expose().as_bytes())))
            .collect();
        for (id, pem) in &config.host_keys {
            if hosts.contains_key(id) {
                return Err(format!("BT_HOST_KEYS: host '{id}' is also in BT_HOST_SECRETS: a host has either a shared secret (HS256) or a public key (RS256), never both"));
            }
            let key = DecodingKey::from_rsa_pem(pem.as_bytes())
                .map_err(|e| format!("BT_HOST_KEYS: the key of host '{id}': {e}"))?;
            hosts.insert(
                id.clone(),
                HostKey {
                    algorithm: Algorithm::RS256,
                    key,
                },
            );
        }
        if hosts.contains_key(SESSION_ISSUER) {
            return Err(format!(
                "BT_HOST_SECRETS / BT_HOST_KEYS: '{SESSION_ISSUER}' is the broker's own session issuer: name the host otherwise"
            ));
        }
        let session_key = match &config.zendesk {
            Some(_) => {
                let secret = random_secret()?;
                hosts.insert(SESSION_ISSUER.into(), HostKey::secret(&secret));
                Some(EncodingKey::from_secret(&secret))
            }
            None => None,
        };
        let host_validation = host_token_validation(Algorithm::HS256, &config.audience);
        let host_key_validation = host_token_validation(Algorithm::RS256, &config.audience);
        let zendesk = config
            .zendesk
            .as_ref()
            .map(zendesk_validation)
            .transpose()?;
        Ok(Self {
            hosts,
            host_validation,
            host_key_validation,
            audience: config.audience.clone(),
            zendesk,
            session_key,
        })
    }

    /// Verifies a Zendesk signed-URL token (RS256 with the app's key, and
    /// nothing else: a host token does not open a Zendesk session).
    pub fn verify_signed_url(&self, token: &str, now: u64) -> Result<Caller, ApiError> {
        if self.zendesk.is_none() {
            return Err(ApiError::NotFound(
                "Zendesk signed URLs are off: set BT_ZENDESK_PUBLIC_KEY and BT_ZENDESK_AUDIENCE"
                    .into(),
            ));
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| {
            unauthorized("The Zendesk token is not a valid JWT: Zendesk signs RS256 tokens")
        })?;
        if header.alg != Algorithm::RS256 {
            return Err(unauthorized(format!(
                "Tokens signed with {:?} are refused here: Zendesk signs RS256 with the app's key",
                header.alg
            )));
        }
        self.verify_zendesk(token, now)
    }

    /// A session for `caller` (a verified Zendesk agent): a host token of
    /// the broker's own, for [`SESSION_LIFETIME_SECS`].
    pub fn mint_session(&self, caller: &Caller, now: u64) -> Result<String, ApiError> {
        let key = self.session_key.as_ref().ok_or_else(|| {
            ApiError::Internal("no session key: Zendesk signed URLs are off".into())
        })?;
        let claims = HostClaims {
            iss: SESSION_ISSUER.into(),
            aud: self.audience.clone(),
            sub: caller.subject.clone(),
            exp: now + SESSION_LIFETIME_SECS,
            iat: now,
        };
        jsonwebtoken::encode(&jsonwebtoken::Header::new(Algorithm::HS256), &claims, key)
            .map_err(|e| ApiError::Internal(format!("cannot sign a session: {e}")))
    }

    /// Verifies a bearer token at `now` (UNIX seconds).
    pub fn verify(&self, token: &str, now: u64) -> Result<Caller, ApiError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| unauthorized("The bearer token is not a valid JWT (or uses an algorithm the broker refuses): the host must sign an HS256 or RS256 token"))?;
        match header.alg {
            Algorithm::HS256 | Algorithm::RS256 => {}
            other => {
                return Err(unauthorized(format!(
                    "Tokens signed with {other:?} are refused: host tokens must be HS256 (shared secret) or RS256 (public key)"
                )))
            }
        }
        let peek = jsonwebtoken::dangerous::insecure_decode::<Peek>(token)
            .map_err(|_| unauthorized("The host token's claims are not readable JSON"))?;
        let iss = peek.claims.iss.filter(|i| !i.is_empty());
        match iss.as_deref().and_then(|i| self.hosts.get(i)) {
            Some(host) => self.verify_host(token, header.alg, host, now),
            // Zendesk's own tokens name the Zendesk domain, not a host id.
            None if header.alg == Algorithm::RS256 && self.zendesk.is_some() => {
                self.verify_zendesk(token, now)
            }
            None => Err(unauthorized(match iss {
                Some(iss) => format!(
                    "Unknown host '{iss}': ask your admin to add it to BT_HOST_SECRETS (HS256) or BT_HOST_KEYS (RS256)"
                ),
                None => "The host token has no 'iss': it must name the calling host".into(),
            })),
        }
    }

    fn verify_host(
        &self,
        token: &str,
        alg: Algorithm,
        host: &HostKey,
        now: u64,
    ) -> Result<Caller, ApiError> {
        // The host's key decides the algorithm, never the token's header.
        if alg != host.algorithm {
            let (has, setting) = match host.algorithm {
                Algorithm::RS256 => ("a public key (BT_HOST_KEYS)", "RS256"),
                _ => ("a shared secret (BT_HOST_SECRETS)", "HS256"),
            };
            return Err(unauthorized(format!(
                "The host token is signed with {alg:?}, but this host has {has}: it must sign {setting}"
            )));
        }
        let validation = match host.algorithm {
            Algorithm::RS256 => &self.host_key_validation,
            _ => &self.host_validation,
        };
        let data = jsonwebtoken::decode::<HostClaims>(token, &host.key, validation)
            .map_err(|e| unauthorized(describe(&e, TokenKind::Host)))?;
        let c = data.claims;
        check_lifetime(TokenKind::Host, c.exp, Some(c.iat), now)?;
        if c.sub.trim().is_empty() {
            return Err(unauthorized(
                "The host token has an empty 'sub': it must name the agent",
            ));
        }
        let kind = if c.iss == SESSION_ISSUER {
            CallerKind::Zendesk
        } else {
            CallerKind::Host
        };
        Ok(Caller {
            issuer: c.iss,
            subject: c.sub,
            kind,
        })
    }

    fn verify_zendesk(&self, token: &str, now: u64) -> Result<Caller, ApiError> {
        let (key, validation) = self.zendesk.as_ref().expect("checked by caller");
        let data = jsonwebtoken::decode::<ZendeskClaims>(token, key, validation)
            .map_err(|e| unauthorized(describe(&e, TokenKind::Zendesk)))?;
        check_lifetime(TokenKind::Zendesk, data.claims.exp, data.claims.iat, now)?;
        if data.claims.sub.trim().is_empty() {
            return Err(unauthorized("The Zendesk token has an empty 'sub'"));
        }
        Ok(Caller {
            issuer: data.claims.iss,
            subject: data.claims.sub,
            kind: CallerKind::Zendesk,
        })
    }
}

/// The rules for host tokens, pinned to `alg`.
fn host_token_validation(alg: Algorithm, audience: &str) -> Validation {
    let mut v = Validation::new(alg);
    v.algorithms = vec![alg];
    v.set_audience(&[audience]);
    v.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
    v.leeway = LEEWAY_SECS;
    v.validate_nbf = true;
    v
}

fn zendesk_validation(z: &ZendeskConfig) -> Result<(DecodingKey, Validation), String> {
    let key = DecodingKey::from_rsa_pem(z.public_key_pem.as_bytes())
        .map_err(|e| format!("BT_ZENDESK_PUBLIC_KEY: {e}"))?;
    let mut v = Validation::new(Algorithm::RS256);
    v.algorithms = vec![Algorithm::RS256];
    v.set_audience(&[&z.audience]);
    v.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
    if !z.issuers.is_empty() {
        v.set_issuer(&z.issuers);
    }
    v.leeway = LEEWAY_SECS;
    v.validate_nbf = true;
    Ok((key, v))
}

/// Why the decoder refused a token, naming the setting that applies to
/// that kind of token (a host's shared secret and `BT_AUDIENCE`, or the
/// Zendesk app's public key, `BT_ZENDESK_AUDIENCE` and `BT_ZENDESK_ISSUERS`).
fn describe(e: &jsonwebtoken::errors::Error, kind: TokenKind) -> String {
    use jsonwebtoken::errors::ErrorKind as K;
    let what = kind.name();
    let zendesk = kind == TokenKind::Zendesk;
    match e.kind() {
        K::ExpiredSignature => format!("The {what} has expired: sign a fresh one"),
        K::InvalidAudience if zendesk => format!(
            "The {what} is for another audience: 'aud' must be the app installation URL set in BT_ZENDESK_AUDIENCE"
        ),
        K::InvalidAudience => {
            format!("The {what} is for another audience: 'aud' must be the broker's BT_AUDIENCE")
        }
        K::InvalidIssuer if zendesk => format!(
            "The {what} has an unexpected issuer: 'iss' must be one of BT_ZENDESK_ISSUERS"
        ),
        K::InvalidIssuer => format!("The {what} has an unexpected issuer"),
        K::InvalidSignature if zendesk => format!(
            "The {what}'s signature does not match: BT_ZENDESK_PUBLIC_KEY must be the Zendesk app's public key"
        ),
        K::InvalidSignature => format!(
            "The {what}'s signature does not match: check the host's shared secret or public key"
        ),
        K::MissingRequiredClaim(c) => format!("The {what} lacks the required claim '{c}'"),
        K::ImmatureSignature => format!("The {what} is not valid yet ('nbf')"),
        K::InvalidAlgorithm => format!("The {what} uses an algorithm the broker refuses"),
        K::Json(_) if zendesk => {
            format!("The {what}'s claims are incomplete: iss, aud, sub and exp are required")
        }
        K::Json(_) => {
            format!("The {what}'s claims are incomplete: iss, aud, sub, exp and iat are required")
        }
        _ => format!("The {what} is invalid"),
    }
}

/// 32 bytes from the system's random source.
fn random_secret() -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut secret = vec![0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut secret))
        .map_err(|e| format!("cannot read /dev/urandom for the session key: {e}"))?;
    Ok(secret)
}

/// Current UNIX time in seconds.
pub fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Reads `Authorization: Bearer TOKEN`.
pub fn bearer(headers: &axum::http::HeaderMap) -> Result<&str, ApiError> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)
        .ok_or_else(|| unauthorized("Missing 'Authorization: Bearer <host token>' header"))?
        .to_str()
        .map_err(|_| unauthorized("The Authorization header is not readable"))?;
    let (scheme, token) = value
        .trim()
        .split_once(' ')
        .ok_or_else(|| unauthorized("The Authorization header must be 'Bearer <host token>'"))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(unauthorized(
            "The Authorization header must be 'Bearer <host token>'",
        ));
    }
    Ok(token.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{encode, EncodingKey, Header};
    use serde_json::json;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    fn verifier() -> Verifier {
        let c = Config::new("https://support.example.com", "id", "secret")
            .unwrap()
            .with_host("zendesk", SECRET);
        Verifier::new(&c).unwrap()
    }

    fn token(claims: serde_json::Value, secret: &str) -> String {
        encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(secret.as_bytes()),
        )
        .unwrap()
    }

    fn claims(now: u64) -> serde_json::Value {
        json!({"iss": "zendesk", "aud": "bt-broker", "sub": "alice@example.com", "exp": now + 300, "iat": now})
    }

    #[test]
    fn a_good_token_names_the_caller() {
        let now = now_unix();
        let c = verifier().verify(&token(claims(now), SECRET), now).unwrap();
        assert_eq!(
            (c.issuer.as_str(), c.subject.as_str(), c.kind),
            ("zendesk", "alice@example.com", CallerKind::Host)
        );
    }

    #[test]
    fn each_defect_is_refused_with_a_reason() {
        let now = now_unix();
        let v = verifier();
        let refuse = |claims: serde_json::Value, secret: &str, needle: &str| {
            let e = v.verify(&token(claims, secret), now).unwrap_err();
            assert!(matches!(e, ApiError::Unauthorized(_)), "{e:?}");
            assert!(e.to_string().contains(needle), "{e} lacks {needle}");
        };
        refuse(claims(now), "wrong-secret-wrong-secret", "signature");
        let mut c = claims(now);
        c["exp"] = json!(now - 600);
        refuse(c, SECRET, "expired");
        let mut c = claims(now);
        c["exp"] = json!(now + 16 * 60 + LEEWAY_SECS);
        refuse(c, SECRET, "15 minutes");
        let mut c = claims(now);
        c["aud"] = json!("someone-else");
        refuse(c, SECRET, "audience");
        let mut c = claims(now);
        c["iss"] = json!("halo");
        refuse(c, SECRET, "Unknown host 'halo'");
        let mut c = claims(now);
        c.as_object_mut().unwrap().remove("exp");
        refuse(c, SECRET, "exp");
        let mut c = claims(now);
        c.as_object_mut().unwrap().remove("sub");
        refuse(c, SECRET, "sub");
        let mut c = claims(now);
        c.as_object_mut().unwrap().remove("iat");
        refuse(c, SECRET, "iat");
        let mut c = claims(now);
        c["iat"] = json!(now + 600);
        refuse(c, SECRET, "future");
    }

    #[test]
    fn alg_none_and_other_algorithms_are_refused() {
        use base64::Engine;
        let now = now_unix();
        let b64 = |v: serde_json::Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
        };
        let none = format!(
            "{}.{}.",
            b64(json!({"alg": "none", "typ": "JWT"})),
            b64(claims(now))
        );
        assert!(matches!(
            verifier().verify(&none, now),
            Err(ApiError::Unauthorized(_))
        ));
        let hs512 = encode(
            &Header::new(Algorithm::HS512),
            &claims(now),
            &EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .unwrap();
        assert!(verifier()
            .verify(&hs512, now)
            .unwrap_err()
            .to_string()
            .contains("HS512"));
    }

    #[test]
    fn bearer_header_parsing() {
        let mut h = axum::http::HeaderMap::new();
        assert!(bearer(&h).is_err());
        h.insert("authorization", "Basic abc".parse().unwrap());
        assert!(bearer(&h).is_err());
        h.insert("authorization", "bearer abc.def.ghi".parse().unwrap());
        assert_eq!(bearer(&h).unwrap(), "abc.def.ghi");
    }
}
