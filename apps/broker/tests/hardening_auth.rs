//! Who is calling, held against forgeries: the lifetime rules on Zendesk
//! tokens, algorithm confusion, messages that name what applies, strict
//! origin matching, and dev tokens only for a loopback Host.

mod common;

use common::*;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

const DAY: u64 = 86_400;

async fn zendesk_harness() -> Harness {
    Harness::start_with(|c| {
        c.zendesk = Some(zendesk_config());
        c.allowed_origins = bt_broker::config::parse_origins("https://*.zendesk.com").unwrap();
    })
    .await
}

fn zendesk_claims() -> Value {
    zendesk_claims_for("alice@example.com")
}

#[tokio::test]
async fn zendesk_tokens_follow_the_lifetime_rules() {
    let h = zendesk_harness().await;
    let (status, body) = h
        .get(
            &rs256(&zendesk_claims(), "zendesk_test_private.pem"),
            "/v1/reps/me",
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let now = now();
    for (what, key, value) in [
        ("exp 10 years ahead", "exp", now + 3650 * DAY),
        ("exp 16 minutes ahead", "exp", now + 16 * 60 + 31),
        ("nbf a day ahead", "nbf", now + DAY),
        ("iat a day ahead", "iat", now + DAY),
    ] {
        let mut c = zendesk_claims();
        c[key] = json!(value);
        let (status, body) = h
            .get(&rs256(&c, "zendesk_test_private.pem"), "/v1/reps/me")
            .await;
        assert_eq!(
            (status, code(&body)),
            (401, "unauthorized"),
            "{what}: {body}"
        );
    }
    let mut c = zendesk_claims();
    c.as_object_mut().unwrap().remove("exp");
    assert_eq!(
        h.get(&rs256(&c, "zendesk_test_private.pem"), "/v1/reps/me")
            .await
            .0,
        401,
        "no exp"
    );
}

#[tokio::test]
async fn hs256_signed_with_a_public_key_is_refused() {
    let h = zendesk_harness().await;
    let public = fixture("zendesk_test_public.pem");
    for claims in [zendesk_claims(), claims("alice@example.com")] {
        let t = sign(&claims, &public);
        let (status, body) = h.get(&t, "/v1/reps/me").await;
        assert_eq!((status, code(&body)), (401, "unauthorized"), "{body}");
    }
}

#[tokio::test]
async fn zendesk_token_errors_name_what_applies_to_zendesk_tokens() {
    let h = zendesk_harness().await;
    let other = encode(
        &Header::new(Algorithm::RS256),
        &zendesk_claims(),
        &EncodingKey::from_rsa_pem(fixture("other_test_private.pem").as_bytes()).unwrap(),
    )
    .unwrap();
    let mut aud = zendesk_claims();
    aud["aud"] = json!("https://evil.zendesk.com/x");
    let mut iss = zendesk_claims();
    iss["iss"] = json!("evil.zendesk.com");
    for (t, needle) in [
        (other, "public key"),
        (
            rs256(&aud, "zendesk_test_private.pem"),
            "BT_ZENDESK_AUDIENCE",
        ),
        (
            rs256(&iss, "zendesk_test_private.pem"),
            "BT_ZENDESK_ISSUERS",
        ),
    ] {
        let (status, body) = h.get(&t, "/v1/reps/me").await;
        assert_eq!(status, 401);
        let m = message(&body);
        assert!(m.contains(needle), "{m} lacks {needle}");
        assert!(
            !m.contains("shared secret") && !m.contains("BT_AUDIENCE"),
            "{m}"
        );
    }
}

#[tokio::test]
async fn origins_are_parsed_not_suffix_matched() {
    let h = zendesk_harness().await;
    let t = token("alice@example.com");
    let from = |origin: &'static str| {
        h.http
            .get(h.url("/v1/reps/me"))
            .bearer_auth(&t)
            .header("origin", origin)
            .send()
    };
    for origin in [
        "https://evil.com/.zendesk.com",
        "https://evil.com#.zendesk.com",
        "https://evil.com?x.zendesk.com",
        "https://evil.com\\.zendesk.com",
        "https://x@evil.zendesk.com",
        "https://a.zendesk.com:abc",
        "https://a.zendesk.com/",
        "https://.zendesk.com",
        "https://a..zendesk.com",
        "https://zendesk.com",
    ] {
        let r = from(origin).await.unwrap();
        assert!(
            r.headers().get("access-control-allow-origin").is_none(),
            "{origin} echoed"
        );
        assert_eq!(r.status(), 403, "{origin}");
    }
    for origin in [
        "https://acme.zendesk.com",
        "https://a.b.zendesk.com",
        "https://ACME.zendesk.com:443",
    ] {
        let r = from(origin).await.unwrap();
        assert_eq!(r.status(), 200, "{origin}");
        assert_eq!(r.headers()["access-control-allow-origin"], origin);
    }
}

#[tokio::test]
async fn dev_tokens_only_for_a_loopback_host() {
    let h = Harness::start_with_routes(
        |_| {},
        |_, config| {
            bt_sandbox::dev::routes(
                bt_sandbox::dev::DevHost {
                    id: HOST.into(),
                    secret: HOST_SECRET.into(),
                    audience: config.audience.clone(),
                },
                json!({}),
            )
        },
    )
    .await;
    let port = h.broker.addr.port();
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        "evil.example".to_owned(),
    ] {
        let r = h
            .http
            .get(h.url("/dev/host-token"))
            .header("host", &host)
            .header("origin", format!("http://{host}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "Host {host}");
        let body: Value = r.json().await.unwrap();
        assert!(body["token"].is_null(), "{body}");
        assert!(body["error"]["code"].is_string(), "{body}");
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = h
            .http
            .get(h.url("/dev/host-token"))
            .header("host", &host)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "Host {host}");
    }
}
