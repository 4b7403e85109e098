use bt_widgets::host::{FakeHost, Method};
use bt_widgets::{SessionHistory, SessionKeyPanel};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::*;

const SESSIONS: &str = r#"{"sessions":[
  {"lsid":"old","start":"2026-10-01T08:00:00Z","end":"2026-10-01T08:05:00Z","duration_seconds":300,
   "primary_customer":"Pat Customer","primary_rep":"Ann Agent","chat_url":null,"has_recording":false},
  {"lsid":"new","start":"2026-11-20T14:30:00Z","end":"2026-11-20T15:32:03Z","duration_seconds":3723,
   "primary_customer":"Pat Customer","primary_rep":"Bo Rep","chat_url":"https://support.example.com/session_download?lsid=new","has_recording":true},
  {"lsid":"live","start":"2026-11-21T09:00:00Z","end":null,"duration_seconds":60,
   "primary_customer":"Sam","primary_rep":"Ann Agent","has_recording":false}
]}"#;

#[wasm_bindgen_test]
async fn lists_the_tickets_sessions_newest_first() {
    let host = FakeHost::new().record(Some("A&B 12")).delay_ms(150);
    host.respond(Method::Get, "/v1/sessions", 200, SESSIONS);
    let m = mount(&host, || view! { <SessionHistory/> });
    settle().await;
    // Loading state first.
    assert!(m.text().contains("Loading sessions…"), "{}", m.text());
    assert_eq!(
        m.get(".bt-history-body")
            .get_attribute("aria-busy")
            .as_deref(),
        Some("true")
    );
    wait_for("rows", || m.find("tbody tr").is_some()).await;

    let req = &host.recorded().requests[0];
    assert_eq!(req.method, Method::Get);
    let url = format!("https://broker.invalid{}", req.path);
    assert_eq!(base(&url), "https://broker.invalid/v1/sessions");
    expect_params(&url, &[("external_key", "A&B 12")]);

    let order: Vec<String> = m
        .all("tbody tr")
        .iter()
        .map(|r| r.get_attribute("data-lsid").unwrap())
        .collect();
    assert_eq!(order, ["live", "new", "old"]);
    let headers: Vec<String> = m
        .all("thead th")
        .iter()
        .map(|h| h.text_content().unwrap())
        .collect();
    assert_eq!(
        headers,
        [
            "Primary Customer",
            "Primary Representative",
            "Start Time",
            "Duration",
            "Transcript",
            "Recording"
        ]
    );

    let new_row = m.get("tr[data-lsid=new]").inner_html();
    assert!(
        new_row.contains("Bo Rep") && new_row.contains("Pat Customer"),
        "{new_row}"
    );
    assert!(new_row.contains("1:02:03"), "{new_row}");
    assert!(new_row.contains("Recorded"), "{new_row}");
    assert!(
        new_row.contains("datetime=\"2026-11-20T14:30:00Z\""),
        "{new_row}"
    );
    let link = m.get("tr[data-lsid=new] a");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://support.example.com/session_download?lsid=new")
    );
    assert_eq!(link.text_content().unwrap(), "View transcript");
    assert!(m.get("tr[data-lsid=old]").inner_html().contains("5:00"));
    assert!(
        m.get("tr[data-lsid=old]")
            .query_selector("a")
            .unwrap()
            .is_none(),
        "no transcript link without a URL"
    );
    assert!(m
        .get("tr[data-lsid=live]")
        .inner_html()
        .contains("In progress"));
    assert!(m
        .get(".bt-history-body")
        .get_attribute("aria-busy")
        .is_none());
}

#[wasm_bindgen_test]
async fn empty_history_says_so() {
    let host = FakeHost::new();
    host.respond(Method::Get, "/v1/sessions", 200, r#"{"sessions":[]}"#);
    let m = mount(&host, || view! { <SessionHistory/> });
    wait_for("empty", || {
        m.text()
            .contains("No remote support sessions for this ticket yet.")
    })
    .await;
    assert!(m.find("table").is_none());
}

#[wasm_bindgen_test]
async fn every_broker_error_is_a_human_message_and_refresh_retries() {
    for (code, status) in ERROR_CODES {
        let host = FakeHost::new();
        host.respond(
            Method::Get,
            "/v1/sessions",
            *status,
            &error_body(code, "from the broker"),
        );
        let m = mount(&host, || view! { <SessionHistory/> });
        wait_for(code, || m.find(".bt-error").is_some()).await;
        assert_eq!(m.text_of(".bt-error-headline"), headline(code));
        assert_eq!(m.text_of(".bt-error-detail"), "Details: from the broker");
    }

    let host = FakeHost::new();
    host.respond(
        Method::Get,
        "/v1/sessions",
        502,
        &error_body("appliance_unreachable", ""),
    );
    let m = mount(&host, || view! { <SessionHistory/> });
    wait_for("error", || m.find(".bt-error").is_some()).await;
    assert!(
        m.find(".bt-error-detail").is_none(),
        "an empty broker message adds no details line"
    );
    host.respond(Method::Get, "/v1/sessions", 200, SESSIONS);
    m.click(".bt-refresh");
    wait_for("rows after refresh", || m.all("tbody tr").len() == 3).await;
}

#[wasm_bindgen_test]
async fn a_broken_answer_and_a_missing_broker_are_explained() {
    let host = FakeHost::new();
    host.respond(
        Method::Get,
        "/v1/sessions",
        200,
        "<html>proxy login page</html>",
    );
    let m = mount(&host, || view! { <SessionHistory/> });
    wait_for("error", || m.find(".bt-error").is_some()).await;
    assert_eq!(
        m.get(".bt-error").get_attribute("data-code").as_deref(),
        Some("bad_response")
    );

    let host = FakeHost::new().without_transport();
    let m = mount(&host, || view! { <SessionHistory/> });
    wait_for("error", || m.find(".bt-error").is_some()).await;
    assert_eq!(m.text_of(".bt-error-headline"), headline("no_broker"));
}

#[wasm_bindgen_test]
async fn unsaved_ticket_makes_no_request() {
    let host = FakeHost::new().record(None);
    let m = mount(&host, || view! { <SessionHistory/> });
    settle().await;
    assert!(m.text().contains("Save the ticket first"));
    assert!(host.recorded().requests.is_empty());
}

#[wasm_bindgen_test]
async fn headers_follow_the_language() {
    let host = FakeHost::new().locale("fr");
    host.respond(Method::Get, "/v1/sessions", 200, SESSIONS);
    let m = mount(&host, || view! { <SessionHistory/> });
    wait_for("rows", || m.find("tbody tr").is_some()).await;
    assert!(m.text().contains("Technicien principal"));
    assert!(m.text().contains("Voir la transcription"));
}

#[wasm_bindgen_test]
async fn a_narrow_column_shows_each_session_as_a_labelled_card() {
    let host = FakeHost::new().record(Some("4711"));
    host.respond(Method::Get, "/v1/sessions", 200, SESSIONS);
    let m = mount(&host, || view! { <SessionHistory/> });
    wait_for("rows", || m.find("tbody tr").is_some()).await;
    let window = web_sys::window().unwrap();
    let style = |selector: &str, pseudo: &str, property: &str| {
        window
            .get_computed_style_with_pseudo_elt(&m.get(selector), pseudo)
            .unwrap()
            .unwrap()
            .get_property_value(property)
            .unwrap()
    };

    // Wide: a table, no cell labels.
    m.root.style().set_property("width", "900px").unwrap();
    assert_eq!(style("tbody tr", "", "display"), "table-row");
    assert_eq!(
        style("tr[data-lsid=new] td:nth-child(2)", "::before", "content"),
        "none"
    );

    // A Salesforce-sidebar width: cards whose lines carry the column names.
    m.root.style().set_property("width", "320px").unwrap();
    assert_eq!(style("tbody tr", "", "display"), "block");
    let labels: Vec<String> = (1..=6)
        .map(|n| {
            style(
                &format!("tr[data-lsid=new] td:nth-child({n})"),
                "::before",
                "content",
            )
        })
        .collect();
    assert_eq!(
        labels,
        [
            "\"Primary Customer\"",
            "\"Primary Representative\"",
            "\"Start Time\"",
            "\"Duration\"",
            "\"Transcript\"",
            "\"Recording\""
        ]
    );
    // The header row is only hidden from sight: screen readers still get it,
    // and the cells keep their table roles although they are now blocks.
    assert_ne!(style("thead", "", "display"), "none");
    assert_eq!(style("thead", "", "width"), "1px");
    assert_eq!(m.all("thead th[role=columnheader]").len(), 6);
    assert_eq!(m.all("tr[data-lsid=new] td[role=cell]").len(), 6);
    // Nothing scrolls sideways any more.
    let wrap = m.get(".bt-table-wrap");
    assert!(
        wrap.scroll_width() <= wrap.client_width(),
        "{} > {}",
        wrap.scroll_width(),
        wrap.client_width()
    );
}

/// The headlines of broker failures a sighted agent sees.
fn visible_headlines(m: &Mounted) -> Vec<String> {
    m.all(".bt-error-headline")
        .into_iter()
        .map(|e| e.unchecked_into::<web_sys::HtmlElement>())
        .filter(|e| e.offset_parent().is_some())
        .map(|e| e.inner_text())
        .collect()
}

#[wasm_bindgen_test]
async fn one_appliance_failure_is_spelled_out_once_per_page() {
    let host = FakeHost::new();
    let failure = error_body("appliance_error", "The appliance answered HTTP 500.");
    host.respond(Method::Get, "/v1/reps/me", 502, &failure);
    host.respond(Method::Get, "/v1/sessions", 502, &failure);
    host.respond(Method::Post, "/v1/session-keys", 502, &failure);
    let m = mount(&host, || view! { <SessionKeyPanel/><SessionHistory/> });
    wait_for("both calls answered", || m.all(".bt-error").len() == 2).await;
    settle().await;
    assert_eq!(visible_headlines(&m), [headline("appliance_error")]);
    // The first on the page has the details, the later one points up.
    assert!(m.is_visible(".bt-session-key .bt-error-detail"));
    assert!(m.is_visible(".bt-history .bt-error-repeat"));
    assert_eq!(
        m.text_of(".bt-history .bt-error-repeat"),
        "Not available: see the message above."
    );

    m.click(".bt-session-key-form button[type=submit]");
    wait_for("the key request", || {
        host.recorded()
            .requests
            .iter()
            .any(|r| r.path == "/v1/session-keys")
    })
    .await;
    settle().await;
    assert_eq!(visible_headlines(&m), [headline("appliance_error")]);

    // A different failure is its own message.
    host.respond(
        Method::Get,
        "/v1/sessions",
        502,
        &error_body("appliance_unreachable", "Timed out."),
    );
    m.click(".bt-refresh");
    wait_for("the second message", || visible_headlines(&m).len() == 2).await;
}
