//! The help-center adapter: the request page of the help center's theme.
//!
//! The theme renders `<script type="application/json" id="bt-config">` with
//! the request id and the issue list, and `<div id="bt-click-to-chat">` where
//! the widget goes. Configuration comes from that element only, never from
//! the page's URL, so a crafted link cannot send customers elsewhere.

use bt_widgets::host::{ColorScheme, InputError, PageConfig, Settings};
use bt_widgets::Host;
use wasm_bindgen::JsCast;

/// The request page, as its theme configured it.
pub struct RequestPage {
    record: Option<String>,
    locale: String,
    scheme: ColorScheme,
    settings: Result<Settings, Vec<InputError>>,
}

impl RequestPage {
    /// Reads `#bt-config` (a missing element or invalid JSON leaves every
    /// setting unset: the widget then lists what is missing).
    pub fn read(document: &web_sys::Document) -> Self {
        let mut config = PageConfig::default();
        if let Some(json) = document
            .get_element_by_id("bt-config")
            .and_then(|el| el.text_content())
        {
            config.merge_json(&json);
        }
        Self {
            record: config.record(),
            locale: config.locale(),
            scheme: config.color_scheme(),
            settings: config.settings(),
        }
    }
}

/// Where the theme wants the widget: `#bt-click-to-chat`, else the app root.
pub fn mount_point(document: &web_sys::Document) -> web_sys::HtmlElement {
    match document.get_element_by_id("bt-click-to-chat") {
        Some(el) => el.unchecked_into(),
        None => bt_widgets::app_root(),
    }
}

impl Host for RequestPage {
    fn record_id(&self) -> Option<String> {
        self.record.clone()
    }

    fn settings(&self) -> Result<Settings, Vec<InputError>> {
        self.settings.clone()
    }

    fn locale(&self) -> String {
        self.locale.clone()
    }

    fn color_scheme(&self) -> ColorScheme {
        self.scheme
    }
}
