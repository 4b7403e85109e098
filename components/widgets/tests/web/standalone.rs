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
