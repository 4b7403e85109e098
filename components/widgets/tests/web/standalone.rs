//! StandaloneHost: configuration from JSON and the query string.

use bt_core::client_script::JumpMethod;
use bt_widgets::host::{PageConfig, StandaloneHost};
use bt_widgets::{ColorScheme, Host};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn query_string_wins_over_json_and_pipes_split_lines() {
    let mut config = PageConfig::default();
    config.merge_json(r#"{"hostname":"json.example.com","record":4711,"allow_rdp":true,"jumpoints":"A\nB","locale":"fr","theme":"dark"}"#);
    config.merge_query("?hostname=support.example.com&issues=general_tech%3DGeneral%20Tech|billing%3DBilling&allow_vnc=1&locale=de-AT");
    let host = StandaloneHost::from_config(config);
    assert_eq!(host.record_id().as_deref(), Some("4711"));
    assert_eq!(host.locale(), "de-AT");
    assert_eq!(host.color_scheme(), ColorScheme::Dark);
    let settings = host.settings().unwrap();
    assert_eq!(settings.host.authority(), "support.example.com");
    let issues: Vec<_> = settings
        .issues
        .iter()
        .map(|i| (i.code.to_string(), i.name.clone()))
        .collect();
    assert_eq!(
        issues,
        [
            ("general_tech".to_owned(), "General Tech".to_owned()),
            ("billing".to_owned(), "Billing".to_owned())
        ]
    );
    assert_eq!(settings.jumpoints.len(), 2);
    assert_eq!(
        settings.methods.allowed(),
        [JumpMethod::Rdp, JumpMethod::Vnc]
    );
    assert!(host.transport().is_none(), "no broker configured");
    assert_eq!(host.param("missing"), None);
}

#[wasm_bindgen_test]
fn a_broker_url_gives_a_fetch_transport() {
    let mut config = PageConfig::default();
    config
        .merge_query("?hostname=support.example.com&broker=http://127.0.0.1:9/&token=t&asset=PC-1");
    let host = StandaloneHost::from_config(config);
    assert!(host.transport().is_some());
    assert_eq!(host.param("asset").as_deref(), Some("PC-1"));
    assert_eq!(host.record_id(), None);
}

#[wasm_bindgen_test]
fn a_settings_file_that_is_not_one_json_object_is_told_apart_from_missing_settings() {
    for not_an_object in [
        r#"{"hostname": "support.example.com",}"#,
        "<!doctype html><title>Not Found</title>",
        r#"["hostname"]"#,
        r#""support.example.com""#,
        "",
    ] {
        assert_eq!(
            PageConfig::from_json(not_an_object),
            None,
            "{not_an_object}"
        );
    }
    let empty = PageConfig::from_json("{}").expect("an object");
    assert!(
        empty.settings().is_err(),
        "an empty object lacks the hostname"
    );
    let config = PageConfig::from_json(
        r#"{"hostname":"support.example.com","allow_pinned_client":true,"theme":"dark"}"#,
    )
    .expect("an object");
    assert_eq!(
        config.settings().unwrap().host.authority(),
        "support.example.com"
    );
    assert_eq!(config.color_scheme(), ColorScheme::Dark);
}
