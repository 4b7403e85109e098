use bt_core::client_script::Console;
use bt_widgets::host::{FakeHost, Method};
use bt_widgets::{ConsoleSessionKey, SessionKeyPanel};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::*;

const LOGGED_IN: &str = r#"{"logged_in":true,"display_name":"Ann Agent"}"#;

fn key_body(expires_at: &str) -> String {
    format!(
        r#"{{"short_key":"4839201","key_url":"https://support.example.com/s?k=4839201","expires_at":"{expires_at}","queue":"me","mail_subject":"Your support key & link","mail_body":"Go to https://support.example.com/s?k=4839201\nKey: 4839201"}}"#
    )
}

fn host_with_key(expires_in_ms: f64) -> FakeHost {
    let host = FakeHost::new();
    host.respond(Method::Get, "/v1/reps/me", 200, LOGGED_IN);
    host.respond(
        Method::Post,
        "/v1/session-keys",
        200,
        &key_body(&iso_in(expires_in_ms)),
    );
    host
}

fn request_json(host: &FakeHost) -> serde_json::Value {
    let req = host
        .recorded()
        .requests
        .into_iter()
        .rfind(|r| r.path == "/v1/session-keys")
        .expect("a session key request");
    assert_eq!(req.method, Method::Post);
    serde_json::from_str(req.body.as_deref().unwrap()).unwrap()
}

/// How many times the widget asked the broker for a session key.
fn key_requests(host: &FakeHost) -> usize {
    host.recorded()
        .requests
        .iter()
        .filter(|r| r.path == "/v1/session-keys")
        .count()
}

#[wasm_bindgen_test]
async fn generates_a_key_with_url_copy_email_qr_and_countdown() {
    let host = host_with_key(5.0 * 60_000.0);
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    let button = m.get(".bt-session-key-form button[type=submit]");
    assert_eq!(button.text_content().unwrap(), "Generate Session Key");
    m.click(".bt-session-key-form button[type=submit]");
    wait_for("the key", || m.find(".bt-key").is_some()).await;

    assert_eq!(
        request_json(&host),
        serde_json::json!({"external_key": "4711", "queue": "me"})
    );
    let key: web_sys::HtmlInputElement = m.get(".bt-key-value input").unchecked_into();
    assert_eq!(key.value(), "4839201");
    let url: web_sys::HtmlInputElement = m.get(".bt-key-url input").unchecked_into();
    assert_eq!(url.value(), "https://support.example.com/s?k=4839201");
    let text = m.text();
    for label in [
        "Session Key",
        "Session Key URL",
        "Email Session Key",
        "Regenerate",
    ] {
        assert!(text.contains(label), "{label} missing in {text}");
    }
    let countdown = m.text_of(".bt-countdown");
    assert!(
        countdown == "Expires in 5:00" || countdown == "Expires in 4:59",
        "{countdown}"
    );
    // Announced for screen readers.
    assert!(m
        .get(".bt-key [aria-live=polite]")
        .text_content()
        .unwrap()
        .contains("4839201"));

    // The QR code is an SVG with a label and drawn modules.
    let svg = m.get(".bt-key svg.bt-qr");
    assert_eq!(
        svg.get_attribute("aria-label").as_deref(),
        Some("QR code of the Session Key URL")
    );
    assert!(
        svg.query_selector("path")
            .unwrap()
            .unwrap()
            .get_attribute("d")
            .unwrap()
            .len()
            > 100
    );

    // Without a host mailer: a mailto: link with the appliance's subject and body.
    let mail = m.get("a[href^='mailto:']");
    assert_eq!(mail.text_content().unwrap(), "Email Session Key");
    let p = params(&mail.get_attribute("href").unwrap());
    assert_eq!(p["subject"], "Your support key & link");
    assert!(
        p["body"].starts_with("Go to https://support.example.com/s?k=4839201\nKey: 4839201\n\n"),
        "{}",
        p["body"]
    );
    assert!(
        p["body"].contains("This session key expires in 5 minutes (at "),
        "{}",
        p["body"]
    );

    m.click(".bt-key-url button");
    wait_for("copied", || !host.recorded().copied.is_empty()).await;
    assert_eq!(
        host.recorded().copied,
        vec!["https://support.example.com/s?k=4839201".to_owned()]
    );

    // Regenerate asks the broker again.
    m.click(".bt-session-key-form button[type=submit]");
    wait_for("second request", || key_requests(&host) == 2).await;
}

#[wasm_bindgen_test]
async fn countdown_reaches_expiry() {
    let host = host_with_key(2_000.0);
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    m.click(".bt-session-key-form button[type=submit]");
    wait_for("the key", || m.find(".bt-key").is_some()).await;
    assert!(
        m.text_of(".bt-countdown").starts_with("Expires in 0:0"),
        "{}",
        m.text_of(".bt-countdown")
    );
    assert!(!m.text().contains("has expired"));
    // Real time passes the expiry: the ticking clock notices by itself.
    wait_for("expiry", || {
        m.text()
            .contains("This session key has expired. Generate a new one.")
    })
    .await;
    assert!(!m.is_visible(".bt-countdown"));
    assert!(!m.is_visible(".bt-qr"), "no QR code for an expired key");
    assert!(
        !m.is_visible("a[href^='mailto:']"),
        "no e-mail for an expired key"
    );
    assert_eq!(
        m.get(".bt-expired-message")
            .get_attribute("role")
            .as_deref(),
        Some("status")
    );
}

#[wasm_bindgen_test]
async fn countdown_follows_the_host_clock() {
    let host = host_with_key(10.0 * 60_000.0);
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    m.click(".bt-session-key-form button[type=submit]");
    wait_for("the key", || m.find(".bt-key").is_some()).await;
    host.advance_clock(9.0 * 60_000.0);
    wait_for("one minute left", || {
        m.text_of(".bt-countdown").starts_with("Expires in 1:0")
            || m.text_of(".bt-countdown").starts_with("Expires in 0:5")
    })
    .await;
    host.advance_clock(61_000.0);
    wait_for("expiry", || m.text().contains("has expired")).await;
}

#[wasm_bindgen_test]
async fn queue_choice_offers_teams_and_general_when_allowed() {
    let host = host_with_key(60_000.0);
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    let options: Vec<String> = m
        .all("select[name=queue] option")
        .iter()
        .map(|o| o.text_content().unwrap())
        .collect();
    assert_eq!(
        options,
        [
            "My queue",
            "General queue",
            "Team: Tier 2",
            "Team: Network Team"
        ]
    );
    m.choose("select[name=queue]", "team:7");
    m.click(".bt-session-key-form button[type=submit]");
    wait_for("request", || {
        host.recorded()
            .requests
            .iter()
            .any(|r| r.path == "/v1/session-keys")
    })
    .await;
    assert_eq!(
        request_json(&host)["queue"],
        serde_json::json!({"team": "7"})
    );

    m.choose("select[name=queue]", "general");
    m.click(".bt-session-key-form button[type=submit]");
    wait_for("second request", || key_requests(&host) == 2).await;
    assert_eq!(request_json(&host)["queue"], serde_json::json!("general"));
}

#[wasm_bindgen_test]
async fn no_queue_choice_when_only_my_queue_is_allowed() {
    let host = FakeHost::new().settings_with(|r| {
        r.allow_general_queue = false;
        r.teams = String::new();
    });
    host.respond(Method::Get, "/v1/reps/me", 200, LOGGED_IN);
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    assert!(m.find("select").is_none());
    assert!(m.find(".bt-session-key-form button[type=submit]").is_some());
}

#[wasm_bindgen_test]
async fn warns_before_the_agent_meets_not_available() {
    let host = FakeHost::new();
    host.respond(Method::Get, "/v1/reps/me", 200, r#"{"logged_in":false}"#);
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    wait_for("warning", || {
        m.text()
            .contains("No one is logged in to the representative console as you")
    })
    .await;
    assert!(m.is_visible(".bt-warning"));
    assert_eq!(
        m.get(".bt-warning").get_attribute("role").as_deref(),
        Some("status")
    );

    // Logged in: no warning.
    let host = FakeHost::new();
    host.respond(Method::Get, "/v1/reps/me", 200, LOGGED_IN);
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    wait_for("status call", || {
        host.recorded()
            .requests
            .iter()
            .any(|r| r.path == "/v1/reps/me")
    })
    .await;
    settle().await;
    assert!(!m.is_visible(".bt-warning"));
    assert!(!m
        .text()
        .contains("No one is logged in to the representative console"));
}

#[wasm_bindgen_test]
async fn every_broker_error_is_a_human_message() {
    for (code, status) in ERROR_CODES {
        let host = FakeHost::new();
        host.respond(Method::Get, "/v1/reps/me", 200, LOGGED_IN);
        let message = format!("Broker detail number {status}.");
        host.respond(
            Method::Post,
            "/v1/session-keys",
            *status,
            &error_body(code, &message),
        );
        let m = mount(&host, || view! { <SessionKeyPanel/> });
        settle().await;
        m.click(".bt-session-key-form button[type=submit]");
        wait_for(code, || m.find(".bt-result .bt-error").is_some()).await;
        let error = m.get(".bt-result .bt-error");
        assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
        assert_eq!(error.get_attribute("data-code").as_deref(), Some(*code));
        assert_eq!(m.text_of(".bt-result .bt-error-headline"), headline(code));
        assert_eq!(
            m.text_of(".bt-result .bt-error-detail"),
            format!("Details: {message}")
        );
        assert!(
            !m.text().contains(code),
            "the raw code {code} leaks into the text"
        );
    }
    // Every code has its own headline.
    let mut headlines: Vec<_> = ERROR_CODES.iter().map(|(c, _)| headline(c)).collect();
    headlines.sort();
    headlines.dedup();
    assert_eq!(headlines.len(), ERROR_CODES.len());
}

#[wasm_bindgen_test]
async fn errors_without_a_json_body_and_network_failures() {
    let host = FakeHost::new();
    host.respond(Method::Get, "/v1/reps/me", 200, LOGGED_IN);
    host.respond(
        Method::Post,
        "/v1/session-keys",
        504,
        "<html>Gateway Timeout</html>",
    );
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    m.click(".bt-session-key-form button[type=submit]");
    wait_for("error", || m.find(".bt-result .bt-error").is_some()).await;
    assert_eq!(
        m.text_of(".bt-result .bt-error-headline"),
        headline("appliance_unreachable")
    );
    assert!(m.find(".bt-result .bt-error-detail").is_none());

    let host = FakeHost::new();
    host.respond(Method::Get, "/v1/reps/me", 200, LOGGED_IN);
    host.fail(Method::Post, "/v1/session-keys", "Failed to fetch");
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    m.click(".bt-session-key-form button[type=submit]");
    wait_for("error", || m.find(".bt-result .bt-error").is_some()).await;
    assert_eq!(
        m.text_of(".bt-result .bt-error-headline"),
        headline("network")
    );
}

#[wasm_bindgen_test]
async fn without_a_broker_the_panel_says_so() {
    let host = FakeHost::new().without_transport();
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    assert!(m.text().contains(headline("no_broker")), "{}", m.text());
    let button: web_sys::HtmlButtonElement = m.get(".bt-session-key-form button").unchecked_into();
    assert!(button.disabled());
}

#[wasm_bindgen_test]
async fn unsaved_ticket_shows_the_message_and_no_button() {
    let host = FakeHost::new().record(None);
    let m = mount(
        &host,
        || view! { <SessionKeyPanel/><ConsoleSessionKey console=Console::Desktop/> },
    );
    settle().await;
    assert_eq!(m.all(".bt-save-first").len(), 2);
    assert!(m.find("button").is_none());
    assert!(
        host.recorded().requests.is_empty(),
        "no broker call for an unsaved ticket"
    );
}

#[wasm_bindgen_test]
async fn host_mailer_sends_the_key_mail() {
    let host = host_with_key(60_000.0)
        .host_mail()
        .customer_email("pat@example.org");
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    m.click(".bt-session-key-form button[type=submit]");
    wait_for("the key", || m.find(".bt-key").is_some()).await;
    assert!(m.find("a[href^='mailto:']").is_none());
    let button = m
        .all(".bt-actions button")
        .into_iter()
        .find(|b| b.text_content().unwrap() == "Email Session Key")
        .unwrap();
    button.unchecked_into::<web_sys::HtmlElement>().click();
    let mails = host.recorded().mails;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to.as_deref(), Some("pat@example.org"));
    assert_eq!(mails[0].subject, "Your support key & link");
}

#[wasm_bindgen_test]
async fn enter_in_the_queue_choice_generates() {
    let host = host_with_key(60_000.0);
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    m.press_enter("select[name=queue]");
    wait_for("the key", || m.find(".bt-key").is_some()).await;
}

#[wasm_bindgen_test]
async fn console_variants_open_the_consoles_key_dialog() {
    let host = FakeHost::new();
    let m = mount(&host, || {
        view! {
            <ConsoleSessionKey console=Console::Desktop/>
            <ConsoleSessionKey console=Console::Web/>
        }
    });
    settle().await;
    let buttons = m.all(".bt-console-key button");
    assert_eq!(
        buttons[0].text_content().unwrap(),
        "BeyondTrust Session Key"
    );
    assert_eq!(buttons[1].text_content().unwrap(), "Web Session Key");

    buttons[0]
        .clone()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    let url = host.last_opened().unwrap();
    assert_eq!(base(&url), "https://support.example.com/api/client_script");
    expect_params(
        &url,
        &[
            ("type", "rep"),
            ("operation", "generate"),
            ("action", "generate_session_key"),
            ("session.custom.external_key", "4711"),
        ],
    );
    buttons[1]
        .clone()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    expect_params(
        &host.last_opened().unwrap(),
        &[
            ("type", "web_console"),
            ("operation", "execute"),
            ("action", "generate_session_key"),
            ("session.custom.external_key", "4711"),
        ],
    );
    assert!(
        host.recorded().requests.is_empty(),
        "console variants need no broker"
    );
    wait_for("confirmation", || m.text().contains("Opened in a new tab.")).await;
}

#[wasm_bindgen_test]
async fn console_variant_shows_the_link_when_the_popup_is_blocked() {
    let host = FakeHost::new().block_popups();
    let m = mount(
        &host,
        || view! { <ConsoleSessionKey console=Console::Desktop/> },
    );
    settle().await;
    m.click(".bt-console-key button");
    wait_for("fallback link", || m.find(".bt-blocked a").is_some()).await;
    let a = m.get(".bt-blocked a");
    assert_eq!(a.get_attribute("href"), host.last_opened());
    assert_eq!(a.get_attribute("target").as_deref(), Some("_blank"));
    assert!(m.text().contains("Your browser blocked the new tab"));
}

#[wasm_bindgen_test]
async fn enter_on_generate_keeps_the_focus_on_the_button_while_busy() {
    let host = host_with_key(60_000.0).delay_ms(150);
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    let button: web_sys::HtmlButtonElement = m
        .get(".bt-session-key-form button[type=submit]")
        .unchecked_into();
    button.focus().unwrap();
    // Enter on a focused button is its activation: a click.
    button.click();
    wait_for("busy", || button.text_content().unwrap() == "Generating…").await;
    let focused = || doc().active_element() == Some(button.clone().unchecked_into());
    assert!(focused(), "focus left the button while it was busy");
    assert_eq!(
        button.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    // A second press while busy asks nothing more.
    button.click();
    wait_for("the key", || m.find(".bt-key").is_some()).await;
    assert!(focused(), "focus left the button once the key arrived");
    assert_eq!(button.get_attribute("aria-disabled"), None);
    assert_eq!(key_requests(&host), 1);
}

#[wasm_bindgen_test]
async fn the_not_logged_in_warning_is_only_for_my_queue() {
    let host = FakeHost::new();
    host.respond(Method::Get, "/v1/reps/me", 200, r#"{"logged_in":false}"#);
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    wait_for("warning", || m.is_visible(".bt-warning")).await;
    // A team or the general queue takes keys while the agent is logged out.
    m.choose("select[name=queue]", "general");
    settle().await;
    assert!(
        !m.is_visible(".bt-warning"),
        "warning for the general queue"
    );
    m.choose("select[name=queue]", "team:7");
    settle().await;
    assert!(!m.is_visible(".bt-warning"), "warning for a team queue");
    m.choose("select[name=queue]", "me");
    wait_for("warning for my queue again", || m.is_visible(".bt-warning")).await;
}

#[wasm_bindgen_test]
async fn an_unmapped_agent_sees_the_real_error_without_the_warning() {
    // The broker cannot tell an account the appliance does not know from a
    // logged-out one by the console status; the key request can.
    let host = FakeHost::new();
    host.respond(Method::Get, "/v1/reps/me", 200, r#"{"logged_in":false}"#);
    host.respond(
        Method::Post,
        "/v1/session-keys",
        404,
        &error_body("rep_not_found", "No representative named dave."),
    );
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    m.click(".bt-session-key-form button[type=submit]");
    wait_for("the error", || m.find(".bt-result .bt-error").is_some()).await;
    assert_eq!(
        m.text_of(".bt-result .bt-error-headline"),
        headline("rep_not_found")
    );
    assert!(!m.is_visible(".bt-warning"), "{}", m.text());
    assert!(
        !m.text()
            .contains("No one is logged in to the representative console"),
        "{}",
        m.text()
    );
}

/// A key whose mail gives the expiry as the appliance writes it.
fn host_with_appliance_mail(expires_in_ms: f64) -> (FakeHost, String) {
    let expires = iso_in(expires_in_ms);
    let raw = expires[..19].to_owned();
    let body = format!(
        r#"{{"short_key":"4839201","key_url":"https://support.example.com/?ak=abc","expires_at":"{expires}","queue":"me","mail_subject":"Support","mail_body":"Click on the link below.\n\nhttps://support.example.com/?ak=abc\n\nThis session key expires at {raw} UTC."}}"#
    );
    let host = FakeHost::new();
    host.respond(Method::Get, "/v1/reps/me", 200, LOGGED_IN);
    host.respond(Method::Post, "/v1/session-keys", 200, &body);
    (host, expires)
}

#[wasm_bindgen_test]
async fn the_invitation_gives_the_expiry_in_the_customers_terms() {
    let (host, expires) = host_with_appliance_mail(20.0 * 60_000.0 - 30_000.0);
    let host = host.customer_email("pat@example.org");
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    m.click(".bt-session-key-form button[type=submit]");
    wait_for("the key", || m.find(".bt-key").is_some()).await;
    let href = m.get("a[href^='mailto:']").get_attribute("href").unwrap();
    assert!(href.starts_with("mailto:pat%40example.org?"), "{href}");
    let body = params(&href)["body"].clone();
    let at = &expires[11..16];
    assert!(
        body.ends_with(&format!(
            "This session key expires in 20 minutes (at {at} UTC)."
        )),
        "{body}"
    );
    assert!(
        !body.contains(&expires[..16]),
        "the raw timestamp stays: {body}"
    );
    assert!(body.starts_with("Click on the link below.\n\nhttps://support.example.com/?ak=abc"));
    assert!(m.find(".bt-no-recipient").is_none(), "a recipient is known");
}

#[wasm_bindgen_test]
async fn a_day_long_key_expires_in_hours() {
    let (host, expires) = host_with_appliance_mail(24.0 * 3_600_000.0);
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    m.click(".bt-session-key-form button[type=submit]");
    wait_for("the key", || m.find(".bt-key").is_some()).await;
    let body = params(&m.get("a[href^='mailto:']").get_attribute("href").unwrap())["body"].clone();
    let at = &expires[11..16];
    assert!(
        body.ends_with(&format!(
            "This session key expires in 24 hours (at {at} UTC)."
        )),
        "{body}"
    );
}

#[wasm_bindgen_test]
async fn without_a_customer_address_the_mail_button_says_so() {
    let (host, _) = host_with_appliance_mail(5.0 * 60_000.0);
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    m.click(".bt-session-key-form button[type=submit]");
    wait_for("the key", || m.find(".bt-key").is_some()).await;
    assert!(m.is_visible(".bt-no-recipient"));
    assert!(
        m.text_of(".bt-no-recipient")
            .starts_with("No customer e-mail address"),
        "{}",
        m.text()
    );
}

#[wasm_bindgen_test]
async fn copy_is_off_once_the_key_expired() {
    let host = host_with_key(10.0 * 60_000.0);
    let m = mount(&host, || view! { <SessionKeyPanel/> });
    settle().await;
    m.click(".bt-session-key-form button[type=submit]");
    wait_for("the key", || m.find(".bt-key").is_some()).await;
    let copy_buttons = || -> Vec<web_sys::HtmlButtonElement> {
        m.all(".bt-key .bt-copy button")
            .into_iter()
            .map(|b| b.unchecked_into())
            .collect()
    };
    assert_eq!(copy_buttons().len(), 2);
    assert!(copy_buttons().iter().all(|b| !b.disabled()));
    host.advance_clock(11.0 * 60_000.0);
    wait_for("expiry", || m.text().contains("has expired")).await;
    assert!(
        copy_buttons().iter().all(|b| b.disabled()),
        "Copy still on for an expired key"
    );
}
