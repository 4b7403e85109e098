//! The sandbox appliance on its own: OAuth rules, Command/Reporting XML as
//! core parses it, client_script and start_session.

use bt_core::xml;
use bt_sandbox::{self as sandbox, SandboxConfig};
use serde_json::Value;
use std::time::Duration;

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

async fn token(sb: &sandbox::RunningSandbox) -> String {
    let r = client()
        .post(format!("{}/oauth2/token", sb.url()))
        .basic_auth(sb.client_id(), Some(sb.client_secret()))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    body["access_token"].as_str().unwrap().to_owned()
}

async fn command(
    sb: &sandbox::RunningSandbox,
    token: &str,
    params: &[(&str, &str)],
) -> (u16, String) {
    let r = client()
        .post(format!("{}/api/command", sb.url()))
        .bearer_auth(token)
        .form(params)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn oauth_requires_basic_credentials_and_the_grant() {
    let sb = sandbox::start(SandboxConfig::default()).await.unwrap();
    let http = client();
    let url = format!("{}/oauth2/token", sb.url());
    let r = http
        .post(&url)
        .basic_auth(sb.client_id(), Some("wrong"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_client");
    let r = http
        .post(&url)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", sb.client_id()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "credentials must come as HTTP Basic");
    let r = http
        .post(&url)
        .basic_auth(sb.client_id(), Some(sb.client_secret()))
        .form(&[("grant_type", "password")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(sb.handle().token_requests(), 3);
    assert_eq!(sb.handle().tokens_issued(), 0);
}

#[tokio::test]
async fn the_31st_token_silently_invalidates_the_oldest() {
    let sb = sandbox::start(SandboxConfig::default()).await.unwrap();
    let first = token(&sb).await;
    let second = token(&sb).await;
    for _ in 0..28 {
        token(&sb).await;
    }
    assert_eq!(
        command(&sb, &first, &[("action", "get_support_teams")])
            .await
            .0,
        200
    );
    let _31st = token(&sb).await;
    assert_eq!(sb.handle().valid_tokens(), 30);
    assert_eq!(
        command(&sb, &first, &[("action", "get_support_teams")])
            .await
            .0,
        401,
        "the oldest died"
    );
    assert_eq!(
        command(&sb, &second, &[("action", "get_support_teams")])
            .await
            .0,
        200
    );
    assert_eq!(
        command(&sb, "made-up", &[("action", "get_support_teams")])
            .await
            .0,
        401
    );
    let r = client()
        .get(format!("{}/api/command?action=get_support_teams", sb.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "no bearer");
}

#[tokio::test]
async fn command_api_answers_in_the_recorded_shapes() {
    let sb = sandbox::start(SandboxConfig::default()).await.unwrap();
    let t = token(&sb).await;
    let (status, body) = command(
        &sb,
        &t,
        &[
            ("action", "generate_session_key"),
            ("type", "support"),
            ("queue_id", "rep_username:alice"),
            ("session.custom.external_key", "A&B <1>"),
            ("ttl", "900"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        body.contains("<session_key xmlns=\"http://www.bomgar.com/namespaces/API/command\">"),
        "{body}"
    );
    let key = xml::parse_session_key(&body).unwrap();
    assert_eq!(
        (
            key.queue.as_str(),
            key.queue_id.as_deref(),
            key.external_key.as_deref(),
            key.ttl
        ),
        ("rep", Some("1"), Some("A&B <1>"), Some(900))
    );
    assert!(key.key_url.starts_with(&format!("{}/?ak=", sb.url())));
    assert_eq!(key.short_key.len(), 7);
    assert!(key.mail_body.lines().count() > 3, "{:?}", key.mail_body);

    // The same over GET.
    let r = client()
        .get(format!(
            "{}/api/command?action=generate_session_key&type=support&queue_id=general",
            sb.url()
        ))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(
        xml::parse_session_key(&r.text().await.unwrap())
            .unwrap()
            .queue,
        "general"
    );

    let (_, body) = command(
        &sb,
        &t,
        &[
            ("action", "generate_session_key"),
            ("type", "support"),
            ("queue_id", "rep_username:nobody"),
        ],
    )
    .await;
    assert!(body.contains("<error xmlns=\"http://www.bomgar.com/namespaces/API/command\">Error validating parameter &#39;queue_id&#39;: The representative could not be found</error>"), "{body}");
    match xml::parse_session_key(&body).unwrap_err() {
        xml::ResponseError::Api { kind, message } => {
            assert_eq!(kind, xml::ApiErrorKind::RepNotFound);
            assert_eq!(message, sandbox::REP_NOT_FOUND);
        }
        e => panic!("{e:?}"),
    }
    let (_, body) = command(
        &sb,
        &t,
        &[
            ("action", "generate_session_key"),
            ("type", "support"),
            ("queue_id", "rep_username:bob"),
        ],
    )
    .await;
    assert!(
        matches!(
            xml::parse_session_key(&body),
            Err(xml::ResponseError::Api {
                kind: xml::ApiErrorKind::RepNotAvailable,
                ..
            })
        ),
        "{body}"
    );

    let (_, body) = command(&sb, &t, &[("action", "get_logged_in_reps")]).await;
    let reps = xml::parse_logged_in_reps(&body).unwrap();
    assert_eq!(
        reps.iter()
            .map(|r| r.public_display_name.as_str())
            .collect::<Vec<_>>(),
        ["Alice", "Carol"]
    );
    let (_, body) = command(&sb, &t, &[("action", "get_support_teams")]).await;
    assert_eq!(xml::parse_support_teams(&body).unwrap().len(), 2);
    let (_, body) = command(&sb, &t, &[("action", "explode")]).await;
    assert!(xml::parse_session_key(&body).is_err());
}

#[tokio::test]
async fn reporting_api_windows_and_listing() {
    let sb = sandbox::start(SandboxConfig::default()).await.unwrap();
    let t = token(&sb).await;
    let get = |q: String| {
        let t = t.clone();
        let url = format!("{}/api/reporting?{q}", sb.url());
        async move {
            client()
                .get(url)
                .bearer_auth(t)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let now = unix_now();
    let all = xml::parse_session_list(
        &get(format!(
            "generate_report=SupportSession&start_time={}&duration=0",
            now - 200 * 86_400
        ))
        .await,
    )
    .unwrap();
    assert_eq!(all.len(), 6);
    let recent = xml::parse_session_list(
        &get(format!(
            "generate_report=SupportSession&start_time={}&duration=0",
            now - 2 * 86_400 - 60
        ))
        .await,
    )
    .unwrap();
    assert_eq!(recent.len(), 4, "1 h, 5 h, 1 day and 2 days ago");
    let today = time::OffsetDateTime::now_utc().date();
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let by_date = xml::parse_session_list(
        &get(format!(
            "generate_report=SupportSession&start_date={}&duration=0",
            (today - time::Duration::days(5)).format(&fmt).unwrap()
        ))
        .await,
    )
    .unwrap();
    assert_eq!(by_date.len(), 5);
    let one = xml::parse_session_list(
        &get("generate_report=SupportSession&lsid=7b1c0a3e5d9f4e21a0c8b6d4e2f01a03".into()).await,
    )
    .unwrap();
    assert_eq!(one[0].external_key.as_deref(), Some("4712"));
    let listing = xml::parse_session_listing(
        &get(format!(
            "generate_report=SupportSessionListing&start_time={}&duration=0",
            now - 200 * 86_400
        ))
        .await,
    )
    .unwrap();
    assert_eq!(listing.iter().filter(|(_, rec)| *rec).count(), 3);
    assert!(xml::parse_session_list(&get("generate_report=SupportSession".into()).await).is_err());
    assert!(
        xml::parse_session_list(&get("generate_report=Nope&start_time=0".into()).await).is_err()
    );
}

#[tokio::test]
async fn client_script_returns_a_brcs_file() {
    let sb = sandbox::start(SandboxConfig::default()).await.unwrap();
    let r = client().get(format!("{}/api/client_script?type=rep&operation=generate&action=push_and_start_local&hostname=ABCDEF02&session.custom.external_key=BMC%201275", sb.url())).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/octet-stream");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"bomgar-push_and_start_local.brcs-sandbox\""
    );
    assert_eq!(r.text().await.unwrap(), "BRCS1.0\naction=push_and_start_local&hostname=ABCDEF02&session.custom.external_key=BMC%201275\n");
    let r = client()
        .get(format!(
            "{}/api/client_script?type=rep&operation=generate&action=format_disk",
            sb.url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = client().get(format!("{}/api/client_script?type=web_console&operation=execute&action=start_jump_item_session&search_string=%3Cb%3E", sb.url())).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(!html.contains("<b>") && html.contains("%3Cb%3E"), "{html}");
}

#[tokio::test]
async fn start_session_page_says_the_chat_started_and_escapes_everything() {
    let sb = sandbox::start(SandboxConfig::default()).await.unwrap();
    let evil = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    let r = client().get(format!("{}/api/start_session?issue_menu=1&codeName=general_tech&c2cjs=1&customer.name={evil}&session.custom.external_key=%22%3E%3Cimg%3E", sb.url())).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-security-policy"],
        "default-src 'none'; style-src 'unsafe-inline'"
    );
    let html = r.text().await.unwrap();
    assert!(html.contains("Chat started"), "{html}");
    assert!(html.contains("click-to-chat"), "{html}");
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            && html.contains("&quot;&gt;&lt;img&gt;"),
        "{html}"
    );

    let r = client()
        .get(format!("{}/api/start_session?id=2", sb.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "bob is logged out");
    let r = client()
        .get(format!("{}/api/start_session?short_key=0000000", sb.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let long_name = "n".repeat(101);
    let r = client()
        .get(format!(
            "{}/api/start_session?name=Alice&customer.name={long_name}",
            sb.url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("customer name: is too long: at most 100 characters"));
}

/// POSTs one of the sandbox's fault-injection routes; its status.
async fn admin(sb: &sandbox::RunningSandbox, route: &str) -> u16 {
    let r = client()
        .post(format!("{}/__sandbox/{route}", sb.url()))
        .send()
        .await
        .unwrap();
    r.status().as_u16()
}

#[tokio::test]
async fn admin_routes_inject_faults() {
    let sb = sandbox::start(SandboxConfig::default()).await.unwrap();
    let t = token(&sb).await;
    let http = client();
    assert_eq!(admin(&sb, "fail?status=503").await, 204);
    assert_eq!(
        command(&sb, &t, &[("action", "get_support_teams")]).await.0,
        503
    );
    assert_eq!(admin(&sb, "fail?status=0").await, 204);
    assert_eq!(admin(&sb, "revoke").await, 204);
    assert_eq!(
        command(&sb, &t, &[("action", "get_support_teams")]).await.0,
        401
    );
    assert_eq!(admin(&sb, "rep?username=bob&logged_in=1").await, 204);
    let t = token(&sb).await;
    let (_, body) = command(&sb, &t, &[("action", "get_logged_in_reps")]).await;
    assert_eq!(xml::parse_logged_in_reps(&body).unwrap().len(), 3);
    let stats: Value = http
        .get(format!("{}/__sandbox/stats", sb.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["token_requests"], 2);
}
