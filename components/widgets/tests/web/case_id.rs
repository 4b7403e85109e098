use bt_widgets::host::FakeHost;
use bt_widgets::{CaseId, HostEvent};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::*;

#[wasm_bindgen_test]
async fn shows_the_id_the_external_key_hint_and_copies() {
    let host = FakeHost::new().record(Some("500123"));
    let m = mount(&host, || view! { <CaseId/> });
    settle().await;
    assert_eq!(m.text_of(".bt-case-id .bt-title"), "Case ID");
    let input: web_sys::HtmlInputElement = m.get(".bt-case-id-value input").unchecked_into();
    assert_eq!(input.value(), "500123");
    assert!(input.read_only());
    // The input is labelled.
    let label = m.get(&format!("label[for='{}']", input.id()));
    assert_eq!(label.text_content().unwrap(), "Case ID");
    assert!(m.text().contains("External Key"), "{}", m.text());
    assert!(m.text().contains("representative console"));

    m.click(".bt-case-id button");
    wait_for("copied", || m.text().contains("Copied")).await;
    assert_eq!(host.recorded().copied, vec!["500123".to_owned()]);
}

#[wasm_bindgen_test]
async fn unsaved_ticket_asks_to_save_first_then_shows_the_id_once_saved() {
    let host = FakeHost::new().record(None);
    let m = mount(&host, || view! { <CaseId/> });
    settle().await;
    assert!(m.text().contains("Save the ticket first"), "{}", m.text());
    assert!(m.find("input").is_none());
    host.emit(HostEvent::Record(Some("77".into())));
    wait_for("the id after saving", || {
        m.find(".bt-case-id-value input").is_some()
    })
    .await;
    assert!(!m.text().contains("Save the ticket first"));
}

#[wasm_bindgen_test]
async fn copy_button_works_from_the_keyboard() {
    let host = FakeHost::new();
    let m = mount(&host, || view! { <CaseId/> });
    settle().await;
    // A native <button>: focusable, activated by Enter/Space.
    let button: web_sys::HtmlElement = m.get(".bt-case-id button").unchecked_into();
    assert_eq!(button.tag_name(), "BUTTON");
    assert_eq!(button.get_attribute("type").as_deref(), Some("button"));
    button.focus().unwrap();
    assert_eq!(
        doc().active_element().unwrap(),
        *button.unchecked_ref::<web_sys::Element>()
    );
    // The accessible name says what is copied.
    assert!(button.text_content().unwrap().contains("Copy"));
    assert!(button.text_content().unwrap().contains("Case ID"));
}

#[wasm_bindgen_test]
async fn on_a_case_the_hint_says_case() {
    let host = FakeHost::new()
        .case_record()
        .record(Some("5003000000D8cuIAAR"));
    let m = mount(&host, || view! { <CaseId/> });
    settle().await;
    let hint = m.text_of(".bt-case-id .bt-hint");
    assert!(hint.ends_with("to this case."), "{hint}");
    assert!(!hint.contains("ticket"), "{hint}");
    // A ticketing host keeps "ticket".
    let host = FakeHost::new();
    let m = mount(&host, || view! { <CaseId/> });
    settle().await;
    assert!(m
        .text_of(".bt-case-id .bt-hint")
        .ends_with("to this ticket."));
}
