//! Salesforce Case page components, one per Lightning component of the
//! vendor guide; `?view=` picks which: session-key (default),
//! web-session-key, jump, web-jump, case-id, sessions. The LWC frames this
//! app and hands over the context by postMessage (see `bridge.rs`).

mod bridge;

use std::rc::Rc;

use bt_core::client_script::Console;
use bt_widgets::{
    mark_ready, CaseId, ConsoleSessionKey, Host, JumpTo, SessionHistory, SessionKeyPanel,
    WidgetRoot,
};
use leptos::prelude::*;

fn view_param() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .and_then(|p| p.get("view"))
        .unwrap_or_default()
}

fn mount(host: Rc<dyn Host>, which: String) {
    leptos::mount::mount_to(bt_widgets::app_root(), move || {
        // The widgets are built inside the root (they read its context).
        view! {
            <WidgetRoot host=host>
                {match which.as_str() {
                    // The guide's Session Key and Web Session Key components
                    // both show the key, its URL, "Email Session Key" and a
                    // button that starts the session in the rep's console
                    // (desktop or web).
                    "web-session-key" => view! { <SessionKeyPanel/><ConsoleSessionKey console=Console::Web/> }.into_any(),
                    "jump" => view! { <JumpTo console=Console::Desktop/> }.into_any(),
                    "web-jump" => view! { <JumpTo console=Console::Web/> }.into_any(),
                    "case-id" => view! { <CaseId/> }.into_any(),
                    "sessions" => view! { <SessionHistory/> }.into_any(),
                    _ => view! { <SessionKeyPanel/><ConsoleSessionKey console=Console::Desktop/> }.into_any(),
                }}
            </WidgetRoot>
        }
    })
    .forget();
    mark_ready();
}

fn notice(text: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("bt-app"))
    {
        root.set_text_content(Some(text));
    }
}

fn main() {
    let Some(origin) = bridge::parent_origin() else {
        notice("This component runs inside Salesforce: add it to a Case record page.");
        return mark_ready();
    };
    let which = view_param();
    // Kept alive by its message listener for the page's lifetime.
    let _bridge = bridge::Bridge::connect(origin, move |bridge, context| {
        let host = bridge::SalesforceHost::from_context(bridge, &context);
        wasm_bindgen_futures::spawn_local(async move {
            // The first paint in the agent's language, not English first.
            bt_widgets::prepare_language(&host).await;
            mount(Rc::new(host), which);
        });
    });
    std::mem::forget(_bridge);
}
