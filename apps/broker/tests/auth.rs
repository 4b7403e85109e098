//! Caller authentication over real HTTP: every defective host token → 401,
//! and the Zendesk RS256 verifier accepts only its own key.

mod common;

use base64::Engine;
use common::*;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

fn b64(v: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

async fn zendesk_harness() -> Harness {
    Harness::start_with(|c| {
        c.zendesk = Some(zendesk_config());
    })
    .await
}

/// Sends a general-queue key request with `auth` as the Authorization header.
async fn attempt(h: &Harness, auth: Option<String>) -> (u16, Value) {
    let mut req = h
        .http
        .post(h.url("/v1/session-keys"))
        .json(&json!({"queue": "general"}));
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let www = r
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned());
    let body: Value = r.json().await.unwrap();
    if status == 401 {
        assert_eq!(www.as_deref(), Some("Bearer"));
    }
    (status, body)
}

async fn assert_401(h: &Harness, what: &str, auth: Option<String>, needle: &str) {
    let (status, body) = attempt(h, auth).await;
    assert_eq!(status, 401, "{what}: {body}");
    assert_eq!(code(&body), "unauthorized", "{what}");
    assert!(
        message(&body).contains(needle),
        "{what}: message {:?} lacks {needle:?}",
        message(&body)
    );
}

#[tokio::test]
async fn a_valid_host_token_is_accepted() {
    let h = Harness::start().await;
    let (status, body) = attempt(&h, Some(format!("Bearer {}", token("alice@example.com")))).await;
    assert_eq!(status, 200, "{body}");
    // The second configured host signs with its own secret.
    let mut c = claims("carol@example.com");
    c["iss"] = json!(OTHER_HOST);
    let (status, body) = attempt(&h, Some(format!("Bearer {}", sign(&c, OTHER_SECRET)))).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn defective_host_tokens_are_all_401() {
    let h = Harness::start().await;
    let now = now();
    let bearer = |t: String| Some(format!("Bearer {t}"));

    assert_401(&h, "no token", None, "Authorization").await;
    assert_401(
        &h,
        "not bearer",
        Some(format!("Basic {}", token("a@b.c"))),
        "Bearer",
    )
    .await;
    assert_401(&h, "garbage", bearer("not.a.jwt".into()), "not a valid JWT").await;
    assert_401(
        &h,
        "bad signature",
        bearer(sign(
            &claims("alice@example.com"),
            "some-other-secret-0123456789",
        )),
        "signature",
    )
    .await;
    // Another host's secret under this host's iss.
    assert_401(
        &h,
        "cross-host secret",
        bearer(sign(&claims("alice@example.com"), OTHER_SECRET)),
        "signature",
    )
    .await;

    let unsigned = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&claims("alice@example.com"))
    );
    assert_401(&h, "alg none", bearer(unsigned), "not a valid JWT").await;
    let none_with_sig = format!(
        "{}.{}.c2ln",
        b64(&json!({"alg": "none"})),
        b64(&claims("alice@example.com"))
    );
    assert_401(
        &h,
        "alg none with signature",
        bearer(none_with_sig),
        "not a valid JWT",
    )
    .await;

    let hs384 = encode(
        &Header::new(Algorithm::HS384),
        &claims("alice@example.com"),
        &EncodingKey::from_secret(HOST_SECRET.as_bytes()),
    )
    .unwrap();
    assert_401(&h, "HS384", bearer(hs384), "HS384").await;

    let mut c = claims("alice@example.com");
    c["exp"] = json!(now - 600);
    c["iat"] = json!(now - 900);
    assert_401(&h, "expired", bearer(sign(&c, HOST_SECRET)), "expired").await;

    let mut c = claims("alice@example.com");
    c["exp"] = json!(now + 20 * 60);
    assert_401(
        &h,
        "exp too far ahead",
        bearer(sign(&c, HOST_SECRET)),
        "15 minutes",
    )
    .await;

    let mut c = claims("alice@example.com");
    c.as_object_mut().unwrap().remove("exp");
    assert_401(&h, "no exp", bearer(sign(&c, HOST_SECRET)), "exp").await;

    let mut c = claims("alice@example.com");
    c["aud"] = json!("another-service");
    assert_401(&h, "wrong aud", bearer(sign(&c, HOST_SECRET)), "audience").await;

    let mut c = claims("alice@example.com");
    c["iss"] = json!("salesforce");
    assert_401(
        &h,
        "unknown iss",
        bearer(sign(&c, HOST_SECRET)),
        "Unknown host 'salesforce'",
    )
    .await;

    let mut c = claims("alice@example.com");
    c.as_object_mut().unwrap().remove("sub");
    assert_401(&h, "no sub", bearer(sign(&c, HOST_SECRET)), "sub").await;

    let mut c = claims("alice@example.com");
    c.as_object_mut().unwrap().remove("iat");
    assert_401(&h, "no iat", bearer(sign(&c, HOST_SECRET)), "iat").await;

    // Nothing of the above reached the appliance.
    assert_eq!(h.sb().api_requests(), 0);
}

#[tokio::test]
async fn rs256_hs256_swaps_are_refused() {
    let h = zendesk_harness().await;
    let bearer = |t: String| Some(format!("Bearer {t}"));
    let public_pem = fixture("zendesk_test_public.pem");

    // Positive control: a real Zendesk token signed with the app's key.
    let (status, body) = attempt(
        &h,
        bearer(rs256(
            &zendesk_claims_for("alice@example.com"),
            "zendesk_test_private.pem",
        )),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // RS256 → HS256: the public key used as an HMAC secret.
    let mut c = zendesk_claims_for("alice@example.com");
    let swapped = sign(&c, &public_pem);
    assert_401(
        &h,
        "HS256 signed with the public key, Zendesk claims",
        bearer(swapped),
        "Unknown host",
    )
    .await;
    c["iss"] = json!(HOST);
    c["aud"] = json!("bt-broker");
    assert_401(
        &h,
        "HS256 signed with the public key, host claims",
        bearer(sign(&c, &public_pem)),
        "signature",
    )
    .await;

    // HS256 → RS256: host claims signed by some RSA key.
    assert_401(
        &h,
        "RS256 with host claims",
        bearer(rs256(
            &claims("alice@example.com"),
            "other_test_private.pem",
        )),
        "",
    )
    .await;
    // A Zendesk-shaped token signed by another RSA key.
    assert_401(
        &h,
        "RS256 with the wrong key",
        bearer(rs256(
            &zendesk_claims_for("alice@example.com"),
            "other_test_private.pem",
        )),
        "signature",
    )
    .await;
    // The right key but the wrong audience / issuer / expired.
    let mut c = zendesk_claims_for("alice@example.com");
    c["aud"] = json!("https://evil.zendesk.com/api/v2/apps/installations/1.json");
    assert_401(
        &h,
        "Zendesk wrong aud",
        bearer(rs256(&c, "zendesk_test_private.pem")),
        "audience",
    )
    .await;
    let mut c = zendesk_claims_for("alice@example.com");
    c["iss"] = json!("evil.zendesk.com");
    assert_401(
        &h,
        "Zendesk wrong iss",
        bearer(rs256(&c, "zendesk_test_private.pem")),
        "issuer",
    )
    .await;
    let mut c = zendesk_claims_for("alice@example.com");
    c["exp"] = json!(now() - 600);
    assert_401(
        &h,
        "Zendesk expired",
        bearer(rs256(&c, "zendesk_test_private.pem")),
        "expired",
    )
    .await;
}

#[tokio::test]
async fn rs256_is_refused_when_no_zendesk_key_is_configured() {
    let h = Harness::start().await;
    let t = rs256(&claims("alice@example.com"), "zendesk_test_private.pem");
    assert_401(
        &h,
        "RS256 without Zendesk config",
        Some(format!("Bearer {t}")),
        "RS256",
    )
    .await;
}

#[tokio::test]
async fn callers_are_rate_limited_per_identity() {
    let h = Harness::start_with(|c| c.rate_limit = 3).await;
    let alice = token("alice@example.com");
    for i in 0..3 {
        let (status, body) = h.get(&alice, "/v1/reps/me").await;
        assert_eq!(status, 200, "request {i}: {body}");
    }
    let r = h
        .http
        .get(h.url("/v1/reps/me"))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&retry), "Retry-After {retry}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(code(&body), "rate_limited");
    assert!(message(&body).contains("3 per minute"), "{body}");
    // Another agent on the same host has their own bucket.
    let (status, _) = h.get(&token("carol@example.com"), "/v1/reps/me").await;
    assert_eq!(status, 200);
}
