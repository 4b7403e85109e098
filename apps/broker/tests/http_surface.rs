//! History, rep status, CORS and static files over real HTTP.

mod common;

use bt_broker::config::parse_origins;
use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn history_is_filtered_by_external_key_newest_first() {
    let h = Harness::start().await;
    let t = token("alice@example.com");
    let (status, body) = h.get(&t, "/v1/sessions?external_key=4711").await;
    assert_eq!(status, 200, "{body}");
    let sessions = body["sessions"].as_array().unwrap();
    // Seeded for 4711: 1 day and 3 days ago, and one 100 days ago (outside 30 days).
    let lsids: Vec<&str> = sessions
        .iter()
        .map(|s| s["lsid"].as_str().unwrap())
        .collect();
    assert_eq!(
        lsids,
        [
            "7b1c0a3e5d9f4e21a0c8b6d4e2f01a01",
            "7b1c0a3e5d9f4e21a0c8b6d4e2f01a02"
        ]
    );
    let first = &sessions[0];
    assert_eq!(first["duration_seconds"], json!(902));
    assert_eq!(first["primary_customer"], json!("Jane Doe"));
    assert_eq!(first["primary_rep"], json!("Alice"));
    assert_eq!(first["has_recording"], json!(true));
    assert_eq!(sessions[1]["has_recording"], json!(false));
    assert!(first["chat_url"]
        .as_str()
        .unwrap()
        .contains("lsid=7b1c0a3e5d9f4e21a0c8b6d4e2f01a01&view=1"));
    assert!(
        first["start"].as_str().unwrap().ends_with('Z')
            && first["end"].as_str().unwrap().ends_with('Z')
    );
    assert!(first["start"].as_str().unwrap() > sessions[1]["start"].as_str().unwrap());

    // Other keys and wider windows.
    let (_, body) = h.get(&t, "/v1/sessions?external_key=4712").await;
    assert_eq!(body["sessions"].as_array().unwrap().len(), 1);
    let (_, body) = h.get(&t, "/v1/sessions?external_key=4711&days=90").await;
    assert_eq!(
        body["sessions"].as_array().unwrap().len(),
        2,
        "100 days ago stays outside 90"
    );
    let (_, body) = h.get(&t, "/v1/sessions?external_key=nothing-here").await;
    assert_eq!(body, json!({"sessions": []}));

    // A chat started on the customer side with the key shows up, still running.
    let r = h.http.get(format!("{}/api/start_session?issue_menu=1&codeName=billing&c2cjs=1&customer.name=Zoe&session.custom.external_key=4711", h.sandbox.url())).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let (_, body) = h.get(&t, "/v1/sessions?external_key=4711").await;
    let sessions = body["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 3);
    assert_eq!(
        (
            sessions[0]["primary_customer"].clone(),
            sessions[0]["end"].clone()
        ),
        (json!("Zoe"), Value::Null)
    );
}

#[tokio::test]
async fn history_checks_its_query() {
    let h = Harness::start().await;
    let t = token("alice@example.com");
    for (q, needle) in [
        ("", "external key: is required"),
        ("?external_key=", "external key: is required"),
        (
            "?external_key=4711&days=0",
            "days: must be between 1 and 90",
        ),
        (
            "?external_key=4711&days=91",
            "days: must be between 1 and 90",
        ),
        (
            "?external_key=4711&days=x",
            "days: must be between 1 and 90",
        ),
    ] {
        let (status, body) = h.get(&t, &format!("/v1/sessions{q}")).await;
        assert_eq!((status, code(&body)), (400, "invalid_input"), "{q}: {body}");
        assert!(message(&body).contains(needle), "{q}: {body}");
    }
    let long = "k".repeat(1025);
    let (status, body) = h
        .get(&t, &format!("/v1/sessions?external_key={long}"))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(message(&body).contains("at most 1024 characters"));
}

#[tokio::test]
async fn rep_status_matches_display_names_and_is_cached() {
    let h = Harness::start().await;
    let (status, body) = h.get(&token("alice@example.com"), "/v1/reps/me").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"logged_in": true, "display_name": "Alice"}));
    let (_, body) = h.get(&token("bob@example.com"), "/v1/reps/me").await;
    assert_eq!(body, json!({"logged_in": false, "display_name": null}));
    // Both answers came from one get_logged_in_reps call (cached a few seconds).
    assert_eq!(h.sb().api_requests(), 1);
}

#[tokio::test]
async fn cors_allows_listed_origins_and_refuses_others() {
    let h = Harness::start_with(|c| {
        c.allowed_origins = parse_origins("https://*.zendesk.com,https://halo.example.com").unwrap()
    })
    .await;
    let t = token("alice@example.com");

    // Allowed (wildcard): the origin is echoed back.
    let r = h
        .http
        .post(h.url("/v1/session-keys"))
        .bearer_auth(&t)
        .header("origin", "https://acme.zendesk.com")
        .json(&json!({"queue": "general"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://acme.zendesk.com"
    );
    assert!(r.headers().get_all("vary").iter().any(|v| v == "Origin"));

    // Preflight from an allowed origin.
    let r = h
        .http
        .request(reqwest::Method::OPTIONS, h.url("/v1/session-keys"))
        .header("origin", "https://halo.example.com")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://halo.example.com"
    );
    assert!(r.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("authorization"));
    assert!(r.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));

    // Refused: look-alike host, wrong scheme, preflight too. Never reaches the appliance.
    let before = h.sb().api_requests();
    for origin in [
        "https://evil.example.com",
        "https://acme.zendesk.com.evil.com",
        "http://acme.zendesk.com",
    ] {
        let r = h
            .http
            .post(h.url("/v1/session-keys"))
            .bearer_auth(&t)
            .header("origin", origin)
            .json(&json!({"queue": "general"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{origin}");
        assert!(r.headers().get("access-control-allow-origin").is_none());
        let body: Value = r.json().await.unwrap();
        assert_eq!(code(&body), "forbidden_origin", "{origin}");
        assert!(message(&body).contains("BT_ALLOWED_ORIGINS"));
    }
    let r = h
        .http
        .request(reqwest::Method::OPTIONS, h.url("/v1/session-keys"))
        .header("origin", "https://evil.example.com")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(h.sb().api_requests(), before);

    // Same origin (the broker's own pages) and no Origin (servers) pass.
    let own = h.broker.url();
    let r = h
        .http
        .get(h.url("/v1/reps/me"))
        .bearer_auth(&t)
        .header("origin", own)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = h
        .http
        .get(h.url("/v1/reps/me"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn static_files_have_types_cache_headers_and_csp() {
    let root = std::env::temp_dir().join(format!("bt-broker-static-{}", std::process::id()));
    let dist = root.join("dist/zendesk-sidebar");
    let site = root.join("site/demo/zendesk");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>sidebar</title>",
    )
    .unwrap();
    std::fs::write(
        dist.join("zendesk-sidebar-1a2b3c4d5e6f7a8b_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .unwrap();
    std::fs::write(dist.join("zendesk-sidebar.js"), "export {}").unwrap();
    std::fs::write(
        site.join("index.html"),
        "<!doctype html><title>demo</title>",
    )
    .unwrap();
    let (dist_dir, site_dir) = (root.join("dist"), root.join("site"));
    let h = Harness::start_with(move |c| {
        c.allowed_origins = parse_origins("https://*.zendesk.com").unwrap();
        c.static_files.dist_dir = Some(dist_dir);
        c.static_files.site_dir = Some(site_dir);
    })
    .await;

    let r = h
        .http
        .get(h.url("/apps/zendesk-sidebar/zendesk-sidebar-1a2b3c4d5e6f7a8b_bg.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/wasm");
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"\0asm\x01\0\0\0");

    let r = h
        .http
        .get(h.url("/apps/zendesk-sidebar/zendesk-sidebar.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "no-cache");
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));

    let r = h
        .http
        .get(h.url("/apps/zendesk-sidebar/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-cache");
    assert_eq!(
        r.headers()["content-security-policy"],
        "frame-ancestors 'self' https://*.zendesk.com"
    );

    let r = h.http.get(h.url("/demo/zendesk/")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("demo"));
    assert_eq!(
        h.http
            .get(h.url("/missing.html"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // The API still answers next to the static site.
    assert_eq!(
        h.http.get(h.url("/healthz")).send().await.unwrap().status(),
        200
    );
    std::fs::remove_dir_all(root).ok();
}
