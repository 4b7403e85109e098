use bt_widgets::host::FakeHost;
use bt_widgets::ClickToChat;
use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::*;

#[wasm_bindgen_test]
async fn renders_the_issues_from_the_settings() {
    let host = FakeHost::new();
    let m = mount(&host, || view! { <ClickToChat/> });
    settle().await;
    let options: Vec<(String, String)> = m
        .all("select[name=issue] option")
        .iter()
        .map(|o| (o.get_attribute("value").unwrap(), o.text_content().unwrap()))
        .collect();
    assert_eq!(
        options,
        [
            (
                "general_tech".to_owned(),
                "General Technical Issues".to_owned()
            ),
            ("billing".to_owned(), "Billing".to_owned()),
        ]
    );
    assert_eq!(m.text_of("button[type=submit]"), "Get Support Now");
    for input in m.all("input, select, textarea") {
        assert!(
            m.find(&format!("label[for='{}']", input.id())).is_some(),
            "unlabelled {}",
            input.outer_html()
        );
    }
}

#[wasm_bindgen_test]
async fn without_issues_there_is_nothing_to_start() {
    let host = FakeHost::new().settings_with(|r| r.issues = String::new());
    let m = mount(&host, || view! { <ClickToChat/> });
    settle().await;
    assert!(m.text().contains("Support chat is not set up yet."));
    assert!(m.find("button").is_none());
}

#[wasm_bindgen_test]
async fn get_support_now_opens_a_click_to_chat_session() {
    let host = FakeHost::new().locale("de-DE");
    let m = mount(&host, || view! { <ClickToChat/> });
    settle().await;
    m.choose("select[name=issue]", "billing");
    m.type_into("input[name=name]", "Zoë O'Brien & Co");
    m.type_into(
        "textarea[name=details]",
        "Printer says 50% done\nthen stops",
    );
    m.click("button[type=submit]");
    let url = host.last_opened().expect("a link");
    assert_eq!(base(&url), "https://support.example.com/api/start_session");
    expect_params(
        &url,
        &[
            ("issue_menu", "1"),
            ("codeName", "billing"),
            ("c2cjs", "1"),
            ("customer.name", "Zoë O'Brien & Co"),
            ("customer.details", "Printer says 50% done\nthen stops"),
            ("session.custom.external_key", "4711"),
            ("locale", "de-de"),
        ],
    );
    wait_for("confirmation", || {
        m.text()
            .contains("Ihre Support-Sitzung wurde in einem neuen Tab geöffnet.")
    })
    .await;
}

#[wasm_bindgen_test]
async fn without_a_request_id_the_link_has_no_external_key() {
    let host = FakeHost::new().record(None);
    let m = mount(&host, || view! { <ClickToChat/> });
    settle().await;
    m.click("button[type=submit]");
    let p = params(&host.last_opened().unwrap());
    assert_eq!(p["codeName"], "general_tech");
    assert!(!p.contains_key("session.custom.external_key"));
    assert!(
        !p.contains_key("customer.name"),
        "empty fields are left out"
    );
}

#[wasm_bindgen_test]
async fn refuses_bad_input_with_the_fields_message() {
    let host = FakeHost::new();
    let m = mount(&host, || view! { <ClickToChat/> });
    settle().await;
    m.type_into("input[name=name]", &"n".repeat(101));
    m.type_into("textarea[name=details]", &"€".repeat(342));
    m.click("button[type=submit]");
    wait_for("errors", || {
        m.text()
            .contains("Too long: at most 100 characters (entered: 101).")
    })
    .await;
    assert!(
        m.text()
            .contains("Too long: shorten it by about 2 characters."),
        "{}",
        m.text()
    );
    assert_eq!(
        m.get("input[name=name]")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        m.get("textarea[name=details]")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert!(host.recorded().opened.is_empty());
}

#[wasm_bindgen_test]
async fn enter_in_the_name_field_starts_the_chat() {
    let host = FakeHost::new();
    let m = mount(&host, || view! { <ClickToChat/> });
    settle().await;
    m.type_into("input[name=name]", "Kim");
    m.press_enter("input[name=name]");
    wait_for("link", || host.last_opened().is_some()).await;
    assert_eq!(params(&host.last_opened().unwrap())["customer.name"], "Kim");
}

#[wasm_bindgen_test]
async fn blocked_popup_shows_the_link() {
    let host = FakeHost::new().block_popups();
    let m = mount(&host, || view! { <ClickToChat/> });
    settle().await;
    m.click("button[type=submit]");
    wait_for("fallback", || m.find(".bt-blocked a").is_some()).await;
    assert_eq!(
        m.get(".bt-blocked a").get_attribute("href"),
        host.last_opened()
    );
}

#[wasm_bindgen_test]
async fn speaks_the_end_users_language() {
    for (locale, label) in [
        ("es", "Obtener soporte ahora"),
        ("fr-CA", "Obtenir de l'aide maintenant"),
        ("ja", "今すぐサポートを受ける"),
    ] {
        let host = FakeHost::new().locale(locale);
        let m = mount(&host, || view! { <ClickToChat/> });
        settle().await;
        assert_eq!(m.text_of("button[type=submit]"), label);
    }
}

#[wasm_bindgen_test]
async fn the_limits_show_in_characters_while_typing() {
    let host = FakeHost::new();
    let m = mount(&host, || view! { <ClickToChat/> });
    settle().await;
    let details = m.get("textarea[name=details]");
    assert_eq!(details.get_attribute("maxlength").as_deref(), Some("1024"));
    let counter_of = |control: &web_sys::Element| {
        let ids = control
            .get_attribute("aria-describedby")
            .expect("described by its counter");
        let id = ids
            .split(' ')
            .find(|i| i.ends_with("-count"))
            .expect("a counter id")
            .to_owned();
        m.text_of(&format!("#{id}"))
    };
    assert_eq!(
        counter_of(&details),
        "1024 characters left",
        "shown before typing"
    );
    m.type_into("textarea[name=details]", "The printer jams.");
    settle().await;
    assert_eq!(counter_of(&details), "1007 characters left");
    // Past the limit (text pasted in), the counter says by how much, in characters.
    m.type_into("textarea[name=details]", &"x".repeat(1030));
    settle().await;
    assert_eq!(counter_of(&details), "6 characters too many");
    assert!(!m.text().contains("bytes"), "{}", m.text());

    let name = m.get("input[name=name]");
    assert_eq!(name.get_attribute("maxlength").as_deref(), Some("100"));
    assert_eq!(counter_of(&name), "100 characters left");

    // An error keeps the counter in the description, and speaks characters.
    m.click("button[type=submit]");
    wait_for("the error", || {
        details.get_attribute("aria-invalid").is_some()
    })
    .await;
    assert!(
        m.text()
            .contains("Too long: shorten it by about 6 characters."),
        "{}",
        m.text()
    );
    assert!(!m.text().contains("bytes"), "{}", m.text());
    let ids = details.get_attribute("aria-describedby").unwrap();
    assert!(ids.contains("-err") && ids.contains("-count"), "{ids}");
    host.emit(bt_widgets::HostEvent::Locale("de".into()));
    settle().await;
    assert_eq!(counter_of(&name), "Noch 100 Zeichen");
}
