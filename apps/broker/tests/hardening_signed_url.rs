//! Zendesk signed URLs: `POST /zendesk/sidebar` opens the sidebar with a
//! broker session only for a token Zendesk signed; a forged identity (a
//! token the agent's browser made, another key, a host token) gets 401.

mod common;

use common::*;
use serde_json::{json, Value};

const PAGE: &str = "<!doctype html><html lang=en><meta charset=utf-8><script type=module src=./app.js></script></head><body><main id=bt-app></main></body></html>";

/// A dist dir holding a sidebar page, for `BT_DIST_DIR`.
fn sidebar_dist() -> std::path::PathBuf {
    let dist = std::env::temp_dir().join(format!("bt-signed-url-{}", std::process::id()));
    std::fs::create_dir_all(dist.join("zendesk-sidebar")).unwrap();
    std::fs::write(dist.join("zendesk-sidebar/index.html"), PAGE).unwrap();
    dist
}

async fn signed_harness() -> Harness {
    let dist = sidebar_dist();
    Harness::start_with(|c| {
        c.zendesk = Some(zendesk_config());
        c.static_files.dist_dir = Some(dist);
    })
    .await
}

async fn open_sidebar(h: &Harness, token: Option<&str>) -> (u16, String, Option<String>) {
    let mut form = vec![("origin", "https://acme.zendesk.com"), ("app_guid", "x")];
    if let Some(t) = token {
        form.push(("token", t));
    }
    let r = h
        .http
        .post(h.url("/zendesk/sidebar"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let cache = r
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, r.text().await.unwrap(), cache)
}

/// The session the page carries.
fn session_of(page: &str) -> String {
    let start = page
        .find("<script id=\"bt-broker-session\" type=\"application/json\">")
        .unwrap();
    let json = &page[start..];
    let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
    let v: Value = serde_json::from_str(json).unwrap();
    v["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_signed_token_opens_the_sidebar_with_a_session_for_that_agent() {
    let h = signed_harness().await;
    let (status, page, cache) = open_sidebar(
        &h,
        Some(&rs256(
            &zendesk_claims_for("alice@example.com"),
            "zendesk_test_private.pem",
        )),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(cache.as_deref(), Some("no-store"));
    assert!(
        page.contains("<base href=\"/apps/zendesk-sidebar/\">"),
        "{page}"
    );
    assert!(page.contains("<main id=bt-app>"), "{page}");
    let session = session_of(&page);
    let (status, body) = h.get(&session, "/v1/reps/me").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["logged_in"], true, "alice is logged in: {body}");
    let (status, body) = h.post_key(&session, json!({"queue": "me"})).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_forged_identity_is_refused() {
    let h = signed_harness().await;
    let now = now();
    let mut long = zendesk_claims_for("alice@example.com");
    long["exp"] = json!(now + 3650 * 86_400);
    let mut future = zendesk_claims_for("alice@example.com");
    future["nbf"] = json!(now + 86_400);
    let mut other_aud = zendesk_claims_for("alice@example.com");
    other_aud["aud"] = json!("https://evil.zendesk.com/api/v2/apps/installations/1.json");
    for (what, token) in [
        (
            "signed by another key",
            rs256(
                &zendesk_claims_for("carol@example.com"),
                "other_test_private.pem",
            ),
        ),
        ("a host token", token("carol@example.com")),
        (
            "HS256 with the public key",
            sign(
                &zendesk_claims_for("carol@example.com"),
                &fixture("zendesk_test_public.pem"),
            ),
        ),
        (
            "exp 10 years ahead",
            rs256(&long, "zendesk_test_private.pem"),
        ),
        (
            "nbf a day ahead",
            rs256(&future, "zendesk_test_private.pem"),
        ),
        (
            "another installation",
            rs256(&other_aud, "zendesk_test_private.pem"),
        ),
        ("not a JWT", "alice@example.com".to_owned()),
    ] {
        let (status, body, _) = open_sidebar(&h, Some(&token)).await;
        assert_eq!(status, 401, "{what}: {body}");
        assert!(!body.contains("bt-broker-session"), "{what}");
    }
    let (status, _, _) = open_sidebar(&h, None).await;
    assert_eq!(status, 401, "no token");
    // A session of the broker's own cannot be made without its key.
    let forged = sign(
        &json!({"iss": bt_broker::auth::SESSION_ISSUER, "aud": "bt-broker", "sub": "carol@example.com", "exp": now + 300, "iat": now}),
        HOST_SECRET,
    );
    assert_eq!(h.get(&forged, "/v1/reps/me").await.0, 401);
}

#[tokio::test]
async fn without_a_zendesk_key_there_is_no_signed_mode() {
    let h = Harness::start().await;
    let (status, body, _) = open_sidebar(
        &h,
        Some(&rs256(
            &zendesk_claims_for("alice@example.com"),
            "zendesk_test_private.pem",
        )),
    )
    .await;
    assert_eq!(status, 404, "{body}");
}

/// A Zendesk stand-in made from `stand_in` (it seeds alice 1001 and bob
/// 1002 as agents, 2001 as an end-user) and a broker in signed mode whose
/// Zendesk API user is the stand-in's default one.
async fn signed_harness_with_api(
    stand_in: bt_sandbox::zendesk_api::ZendeskConfig,
) -> (bt_sandbox::zendesk_api::RunningZendesk, Harness) {
    let zendesk = bt_sandbox::zendesk_api::start(stand_in).await.unwrap();
    let dist = sidebar_dist();
    let defaults = bt_sandbox::zendesk_api::ZendeskConfig::default();
    let url = zendesk.url();
    let h = Harness::start_with(move |c| {
        c.zendesk = Some(zendesk_config());
        c.static_files.dist_dir = Some(dist);
        c.writeback.zendesk = Some(bt_broker::writeback::config::ZendeskSinkConfig {
            url,
            email: defaults.email,
            api_token: bt_broker::Secret::new(defaults.api_token),
        });
    })
    .await;
    (zendesk, h)
}

#[tokio::test]
async fn the_zendesk_user_id_maps_to_a_rep_through_the_zendesk_api() {
    let (_zendesk, h) = signed_harness_with_api(Default::default()).await;
    let open = |sub: &str| rs256(&zendesk_claims_for(sub), "zendesk_test_private.pem");

    // 1001 is alice@example.com (logged in), 1002 bob@example.com (not).
    let (status, page, _) = open_sidebar(&h, Some(&open("1001"))).await;
    assert_eq!(status, 200, "{page}");
    let alice = session_of(&page);
    let (status, body) = h.get(&alice, "/v1/reps/me").await;
    assert_eq!(
        (status, body["logged_in"].clone()),
        (200, json!(true)),
        "{body}"
    );
    assert_eq!(h.post_key(&alice, json!({"queue": "me"})).await.0, 200);

    let (_, page, _) = open_sidebar(&h, Some(&open("1002"))).await;
    let bob = session_of(&page);
    let (status, body) = h.get(&bob, "/v1/reps/me").await;
    assert_eq!(
        (status, body["logged_in"].clone()),
        (200, json!(false)),
        "{body}"
    );
    let (status, body) = h.post_key(&bob, json!({"queue": "me"})).await;
    assert_eq!((status, code(&body)), (409, "rep_not_available"), "{body}");

    for (what, sub) in [("an end-user", "2001"), ("an unknown user", "9999")] {
        let (status, page, _) = open_sidebar(&h, Some(&open(sub))).await;
        assert_eq!(status, 401, "{what}: {page}");
        assert!(!page.contains("bt-broker-session"), "{what}");
    }
}

#[tokio::test]
async fn form_fields_beside_the_token_do_not_change_who_the_session_is_for() {
    let (_zendesk, h) = signed_harness_with_api(Default::default()).await;
    // Bob's token, with fields naming alice as the browser could add them.
    let token = rs256(&zendesk_claims_for("1002"), "zendesk_test_private.pem");
    let r = h
        .http
        .post(h.url("/zendesk/sidebar?sub=1001&email=alice@example.com"))
        .form(&[
            ("token", token.as_str()),
            ("sub", "1001"),
            ("email", "alice@example.com"),
            ("user_id", "1001"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let session = session_of(&r.text().await.unwrap());
    let (_, body) = h.get(&session, "/v1/reps/me").await;
    assert_eq!(body["logged_in"], json!(false), "still bob: {body}");
}

#[tokio::test]
async fn a_wrong_zendesk_api_user_gives_a_message_naming_the_settings() {
    let (zendesk, h) = signed_harness_with_api(bt_sandbox::zendesk_api::ZendeskConfig {
        api_token: "another-token".into(),
        ..Default::default()
    })
    .await;
    let token = rs256(&zendesk_claims_for("1001"), "zendesk_test_private.pem");
    let (status, body, _) = open_sidebar(&h, Some(&token)).await;
    assert_eq!(status, 502, "{body}");
    assert!(
        body.contains("BT_ZENDESK_API_TOKEN") && body.contains("401"),
        "{body}"
    );
    assert!(
        !body.contains("zendesk-sandbox-token"),
        "no credential in the answer"
    );
    assert_eq!(zendesk.handle().refused_auth(), 1);
}
