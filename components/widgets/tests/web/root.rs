//! The root: language and colour scheme from the host, settings problems,
//! size reports.

use bt_widgets::host::FakeHost;
use bt_widgets::{CaseId, ClickToChat, ColorScheme, HostEvent, JumpTo};
use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::*;

#[wasm_bindgen_test]
async fn language_follows_the_host_locale_and_switches_live() {
    let host = FakeHost::new().locale("de-CH");
    let m = mount(&host, || view! { <CaseId/><ClickToChat/> });
    settle().await;
    assert_eq!(
        m.get(".bt-root").get_attribute("lang").as_deref(),
        Some("de")
    );
    assert!(m.text().contains("Fall-ID"), "{}", m.text());
    assert!(m.text().contains("Jetzt Support erhalten"));

    host.emit(HostEvent::Locale("ja-JP".into()));
    wait_for("Japanese labels", || m.text().contains("ケース ID")).await;
    assert!(m.text().contains("今すぐサポートを受ける"));
    assert_eq!(
        m.get(".bt-root").get_attribute("lang").as_deref(),
        Some("ja")
    );

    for (locale, label) in [
        ("fr", "ID du dossier"),
        ("es-MX", "ID del caso"),
        ("pt-BR", "Case ID"),
        ("en", "Case ID"),
    ] {
        host.emit(HostEvent::Locale(locale.into()));
        wait_for(label, || m.text_of(".bt-case-id .bt-title") == label).await;
    }
}

#[wasm_bindgen_test]
async fn colour_scheme_is_a_data_theme_the_host_can_change() {
    let host = FakeHost::new().scheme(ColorScheme::Dark);
    let m = mount(&host, || view! { <CaseId/> });
    settle().await;
    assert_eq!(
        m.get(".bt-root").get_attribute("data-theme").as_deref(),
        Some("dark")
    );
    host.emit(HostEvent::ColorScheme(ColorScheme::Light));
    wait_for("light theme", || {
        m.get(".bt-root").get_attribute("data-theme").as_deref() == Some("light")
    })
    .await;
    host.emit(HostEvent::ColorScheme(ColorScheme::System));
    wait_for("system theme", || {
        m.get(".bt-root").get_attribute("data-theme").is_none()
    })
    .await;
}

#[wasm_bindgen_test]
async fn bad_settings_are_listed_with_their_line_and_reason() {
    let host = FakeHost::new().settings_with(|r| {
        r.hostname = "https://support.example.com/".into();
        r.jumpoints = String::new();
    });
    let m = mount(&host, || view! { <JumpTo/> });
    settle().await;
    let text = m.text_of(".bt-settings-problems");
    assert!(text.contains("The app's settings need attention"), "{text}");
    assert!(
        text.contains("Hostname: Enter the hostname only, e.g. support.example.com."),
        "{text}"
    );
    assert!(
        text.contains("\"Allow Remote Desktop (RDP) Session\" needs at least one Jumpoint."),
        "{text}"
    );
    assert!(
        m.find("form").is_none(),
        "no form while the settings are wrong"
    );
}

#[wasm_bindgen_test]
async fn size_changes_reach_the_host() {
    let host = FakeHost::new();
    let _m = mount(&host, || view! { <JumpTo/> });
    wait_for("a size report", || {
        host.recorded().sizes.iter().any(|(_, h)| *h > 0.0)
    })
    .await;
}
