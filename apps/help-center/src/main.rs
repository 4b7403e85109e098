//! Help center: "Get Support Now" click-to-chat only (no broker, no QR code,
//! no history: the agent features of bt-widgets are off).
//!
//! The theme renders `<script type="application/json" id="bt-config">` with
//! `{{request.id}}` and the issue list, and `<div id="bt-click-to-chat">`
//! where the widget goes. Configuration comes from that element only, never
//! from the page's URL, so a crafted link cannot send customers elsewhere.

use std::rc::Rc;

use bt_widgets::host::PageConfig;
use bt_widgets::{mark_ready, ClickToChat, Host, StandaloneHost, WidgetRoot};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn main() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let mut config = PageConfig::default();
    if let Some(json) = document
        .get_element_by_id("bt-config")
        .and_then(|el| el.text_content())
    {
        config.merge_json(&json);
    }
    let host: Rc<dyn Host> = Rc::new(StandaloneHost::from_config(config));
    let root: web_sys::HtmlElement = match document.get_element_by_id("bt-click-to-chat") {
        Some(el) => el.unchecked_into(),
        None => bt_widgets::app_root(),
    };
    leptos::mount::mount_to(
        root,
        move || view! { <WidgetRoot host=host><ClickToChat/></WidgetRoot> },
    )
    .forget();
    mark_ready();
}
