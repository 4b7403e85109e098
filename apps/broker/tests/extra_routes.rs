//! Routes merged in through `bt_broker::start_with` (as `bt-broker
//! --sandbox` merges the dev routes) get the API's layers — CORS, metrics —
//! and answer before the bundle directory under `/apps/`.

mod common;

use bt_broker::config::parse_origins;
use bt_sandbox::dev::{self, DevHost, DEV_HOST};
use common::*;
use serde_json::json;

const DEV_SECRET: &str = "dev-host-secret-0123456789abcdef";

#[tokio::test]
async fn dev_routes_behave_as_api_routes_and_win_over_the_bundles() {
    let dist = std::env::temp_dir().join(format!("bt-broker-extra-{}", std::process::id()));
    std::fs::create_dir_all(dist.join("halo")).unwrap();
    std::fs::write(
        dist.join("halo/index.html"),
        "<!doctype html><title>halo</title>",
    )
    .unwrap();
    std::fs::write(
        dist.join("demo-settings.json"),
        "{\"from\": \"the bundles\"}",
    )
    .unwrap();
    let dist_dir = dist.clone();
    let h = Harness::start_with_routes(
        move |c| {
            c.allowed_origins = parse_origins("https://*.zendesk.com").unwrap();
            c.static_files.dist_dir = Some(dist_dir);
            c.host_secrets
                .insert(DEV_HOST.into(), bt_broker::Secret::new(DEV_SECRET));
        },
        |sandbox, config| {
            let host = DevHost {
                id: DEV_HOST.into(),
                secret: config.host_secrets[DEV_HOST].expose().into(),
                audience: config.audience.clone(),
            };
            dev::routes(host, dev::demo_settings(&sandbox.url()))
        },
    )
    .await;

    for path in ["/apps/demo-settings.json", "/apps/halo/config.json"] {
        let settings = get_json(&h.http, &h.url(path)).await;
        assert_eq!(
            settings["hostname"].as_str(),
            h.sandbox.url().strip_prefix("http://"),
            "{path}"
        );
    }
    let r = h.http.get(h.url("/apps/halo/")).send().await.unwrap();
    assert_eq!(r.status(), 200, "the bundles are still served around them");

    let dev = get_json(&h.http, &h.url("/dev/host-token?sub=carol@example.com")).await;
    assert_eq!(dev["expires_in"], 600);
    let (status, me) = h.get(dev["token"].as_str().unwrap(), "/v1/reps/me").await;
    assert_eq!(
        (status, me),
        (200, json!({"logged_in": true, "display_name": "Carol"}))
    );
    let blank = get_json(&h.http, &h.url("/dev/host-token?sub=%20")).await;
    let (_, me) = h.get(blank["token"].as_str().unwrap(), "/v1/reps/me").await;
    assert_eq!(me["display_name"], "Alice", "a blank sub means alice");

    let r = h
        .http
        .get(h.url("/dev/host-token"))
        .header("origin", "https://evil.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(code(&r.json().await.unwrap()), "forbidden_origin");
    let metrics = h
        .http
        .get(h.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(r#"bt_broker_requests_total{route="/dev/host-token",outcome="ok"} 2"#),
        "{metrics}"
    );
    std::fs::remove_dir_all(dist).ok();
}
