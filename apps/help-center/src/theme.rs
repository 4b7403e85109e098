//! The help-center adapter: the request page of the help center's theme.
//!
//! The theme renders `<script type="application/json" id="bt-config">` with
//! the request id and the issue list, and `<div id="bt-click-to-chat">` where
//! the widget goes. Configuration comes from that element only, never from
//! the page's URL, so a crafted link cannot send customers elsewhere.

use bt_widgets::host::{ConfiguredPage, PageConfig};
use wasm_bindgen::JsCast;

/// The request page's host, from `#bt-config` (a missing element or invalid
/// JSON leaves every setting unset: the widget then lists what is missing).
pub fn read(document: &web_sys::Document) -> ConfiguredPage {
    let mut config = PageConfig::default();
    if let Some(json) = document
        .get_element_by_id("bt-config")
        .and_then(|el| el.text_content())
    {
        config.merge_json(&json);
    }
    ConfiguredPage::new(&config, config.record())
}

/// Where the theme wants the widget: `#bt-click-to-chat`, else the app root.
pub fn mount_point(document: &web_sys::Document) -> web_sys::HtmlElement {
    match document.get_element_by_id("bt-click-to-chat") {
        Some(el) => el.unchecked_into(),
        None => bt_widgets::app_root(),
    }
}
