//! The page a HaloPSA custom button opens: Jump To with the asset prefilled.
//!
//! The button URL carries only `asset` (and optionally `ticket`); the admin's
//! settings come from `config.json` next to this page, never from the URL,
//! so a crafted link cannot point the agent at another appliance. The ticket
//! is the session's external key; without one, the asset's inventory number is.

use std::rc::Rc;

use bt_widgets::host::PageConfig;
use bt_widgets::{mark_ready, Host, JumpTo, StandaloneHost, WidgetRoot};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// `asset` and `ticket` from the button's query string.
fn button_params() -> (String, Option<String>) {
    let params = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok());
    let get = |k: &str| {
        params
            .as_ref()
            .and_then(|p| p.get(k))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    (get("asset").unwrap_or_default(), get("ticket"))
}

/// The admin's settings: `config.json` beside the page.
async fn settings_json() -> Option<String> {
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str("config.json"))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
}

fn main() {
    wasm_bindgen_futures::spawn_local(async {
        let (asset, ticket) = button_params();
        let mut config = PageConfig::default();
        // Missing settings are reported by the widgets, naming what is missing.
        if let Some(json) = settings_json().await {
            config.merge_json(&json);
        }
        let record = ticket.unwrap_or_else(|| asset.clone());
        if !record.is_empty() {
            config.set("record", &record);
        }
        let host: Rc<dyn Host> = Rc::new(StandaloneHost::from_config(config));
        leptos::mount::mount_to(
            bt_widgets::app_root(),
            move || view! { <WidgetRoot host=host><JumpTo target=asset/></WidgetRoot> },
        )
        .forget();
        mark_ready();
    });
}
