//! Hosts that sign RS256 (`BT_HOST_KEYS`): a token from such a host opens
//! that agent's queue; the same host's public key used as an HS256 secret
//! (algorithm confusion), `none` and every other algorithm get 401; the
//! lifetime rules hold; a certificate works as well as a bare key; a host
//! with both a secret and a key stops the start (exit 2).

mod common;

use common::*;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

/// A host whose key is an X.509 certificate (as Salesforce downloads it).
const CERT_HOST: &str = "salesforce";
/// A host whose key is a bare RSA public key.
const KEY_HOST: &str = "servicenow";

async fn harness() -> Harness {
    Harness::start_with(|c| {
        c.host_keys
            .insert(CERT_HOST.into(), fixture("salesforce_test.crt"));
        c.host_keys
            .insert(KEY_HOST.into(), fixture("other_test_public.pem"));
    })
    .await
}

fn host_claims(iss: &str, sub: &str) -> Value {
    let now = now();
    json!({"iss": iss, "aud": "bt-broker", "sub": sub, "exp": now + 300, "iat": now})
}

/// The rep the key's customer page names (`rep_username:NAME`).
async fn rep_of_key(h: &Harness, token: &str) -> Result<String, (u16, Value)> {
    let (status, body) = h.post_key(token, json!({"queue": "me"})).await;
    if status != 200 {
        return Err((status, body));
    }
    let page = get_text(&h.http, body["key_url"].as_str().unwrap()).await;
    let at = page.find("rep_username:").expect("the queue on the page") + "rep_username:".len();
    Ok(page[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect())
}

#[tokio::test]
async fn an_rs256_token_from_a_keyed_host_opens_that_agents_queue() {
    let h = harness().await;
    let from_cert = rs256(
        &host_claims(CERT_HOST, "carol@example.com"),
        "salesforce_test_private.pem",
    );
    assert_eq!(rep_of_key(&h, &from_cert).await.unwrap(), "carol");
    let from_key = rs256(
        &host_claims(KEY_HOST, "alice@example.com"),
        "other_test_private.pem",
    );
    assert_eq!(rep_of_key(&h, &from_key).await.unwrap(), "alice");
    let (status, body) = h.get(&from_cert, "/v1/reps/me").await;
    assert_eq!(
        (status, body["logged_in"].clone()),
        (200, json!(true)),
        "{body}"
    );
    // HS256 hosts keep working next to keyed ones.
    assert_eq!(
        rep_of_key(&h, &token("alice@example.com")).await.unwrap(),
        "alice"
    );
}

fn b64(v: &Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

#[tokio::test]
async fn the_public_key_as_an_hs256_secret_and_other_algorithms_get_401() {
    let h = harness().await;
    let claims = host_claims(CERT_HOST, "carol@example.com");
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&claims)
    );
    let hs512 = encode(
        &Header::new(Algorithm::HS512),
        &claims,
        &EncodingKey::from_secret(fixture("salesforce_test.crt").as_bytes()),
    )
    .unwrap();
    let ps256 = encode(
        &Header::new(Algorithm::PS256),
        &claims,
        &EncodingKey::from_rsa_pem(fixture("salesforce_test_private.pem").as_bytes()).unwrap(),
    )
    .unwrap();
    let wrong_key = rs256(&claims, "zendesk_test_private.pem");
    // A secret host's token signed RS256 with some key does not pass either.
    let rs256_for_secret_host = rs256(
        &host_claims(HOST, "carol@example.com"),
        "other_test_private.pem",
    );
    for (what, token) in [
        (
            "HS256 with the certificate as the secret",
            sign(&claims, &fixture("salesforce_test.crt")),
        ),
        (
            "HS256 with the bare public key as the secret",
            sign(
                &host_claims(KEY_HOST, "carol@example.com"),
                &fixture("other_test_public.pem"),
            ),
        ),
        ("alg none", none),
        ("HS512", hs512),
        ("PS256 with the right key", ps256),
        ("RS256 with another key", wrong_key),
        ("RS256 for an HS256 host", rs256_for_secret_host),
    ] {
        let (status, body) = h.post_key(&token, json!({"queue": "me"})).await;
        assert_eq!(
            (status, code(&body)),
            (401, "unauthorized"),
            "{what}: {body}"
        );
    }
    let confused = sign(&claims, &fixture("salesforce_test.crt"));
    let (_, body) = h.get(&confused, "/v1/reps/me").await;
    assert!(
        message(&body).contains("HS256") && message(&body).contains("RS256"),
        "the refusal says which algorithm the host signs: {body}"
    );
}

#[tokio::test]
async fn keyed_hosts_follow_the_lifetime_rules() {
    let h = harness().await;
    let now = now();
    let with = |changes: &[(&str, Value)], drop: &[&str]| {
        let mut c = host_claims(CERT_HOST, "carol@example.com");
        for (k, v) in changes {
            c[*k] = v.clone();
        }
        for k in drop {
            c.as_object_mut().unwrap().remove(*k);
        }
        rs256(&c, "salesforce_test_private.pem")
    };
    for (what, token, needle) in [
        ("no exp", with(&[], &["exp"]), "exp"),
        (
            "expired",
            with(&[("exp", json!(now - 600))], &[]),
            "expired",
        ),
        (
            "exp 10 years ahead",
            with(&[("exp", json!(now + 3650 * 86_400))], &[]),
            "15 minutes",
        ),
        (
            "nbf a day ahead",
            with(&[("nbf", json!(now + 86_400))], &[]),
            "nbf",
        ),
        (
            "iat a day ahead",
            with(&[("iat", json!(now + 86_400))], &[]),
            "future",
        ),
        ("no iat", with(&[], &["iat"]), "iat"),
        (
            "another audience",
            with(&[("aud", json!("someone-else"))], &[]),
            "audience",
        ),
        (
            "another host's name",
            with(&[("iss", json!(KEY_HOST))], &[]),
            "signature",
        ),
        (
            "unknown host",
            with(&[("iss", json!("halo-x"))], &[]),
            "BT_HOST_KEYS",
        ),
    ] {
        let (status, body) = h.get(&token, "/v1/reps/me").await;
        assert_eq!(status, 401, "{what}: {body}");
        assert!(
            message(&body).contains(needle),
            "{what}: {body} lacks {needle}"
        );
    }
    // Small clock skew is tolerated.
    let skewed = with(&[("iat", json!(now + 10)), ("nbf", json!(now + 10))], &[]);
    assert_eq!(h.get(&skewed, "/v1/reps/me").await.0, 200);
}

/// `bt-broker` with only the given `BT_*` variables.
fn run_broker(vars: &[(&str, String)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_bt-broker"));
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("BT_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("BT_APPLIANCE_URL", "http://127.0.0.1:9")
        .env("BT_CLIENT_ID", "id")
        .env("BT_CLIENT_SECRET", "client-secret-value")
        .env("BT_LISTEN", "127.0.0.1:0");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn a_host_with_both_a_secret_and_a_key_stops_the_start() {
    let cert = format!(
        "file:{}/tests/fixtures/salesforce_test.crt",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = run_broker(&[
        ("BT_HOST_SECRETS", format!("salesforce={HOST_SECRET}")),
        ("BT_HOST_KEYS", format!("salesforce={cert}")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("BT_HOST_KEYS") && err.contains("salesforce") && err.contains("never both"),
        "{err}"
    );
    assert!(
        !err.contains(HOST_SECRET),
        "the secret stays out of the message: {err}"
    );

    let out = run_broker(&[("BT_HOST_KEYS", "salesforce=not a pem".into())]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("BT_HOST_KEYS") && err.contains("'salesforce'"),
        "{err}"
    );
}
