//! Zendesk ticket sidebar: case ID, session key, Jump To and the ticket's
//! sessions, hosted by ZAF (see `zaf.rs`, the only Zendesk-specific code).

mod zaf;

use std::rc::Rc;

use bt_widgets::{mark_ready, CaseId, Host, JumpTo, SessionHistory, SessionKeyPanel, WidgetRoot};
use leptos::prelude::*;

fn mount(host: Rc<dyn Host>) {
    // On a new, unsaved ticket every widget would say "save the ticket
    // first"; say it once (CaseId does) instead of four times.
    let saved = host.record_id().is_some();
    leptos::mount::mount_to(bt_widgets::app_root(), move || {
        view! {
            <WidgetRoot host=host>
                <CaseId/>
                {saved.then(|| view! { <SessionKeyPanel/><JumpTo/><SessionHistory/> })}
            </WidgetRoot>
        }
    })
    .forget();
    mark_ready();
}

/// Shown when the page is opened outside Zendesk (no ZAF client).
fn outside_zendesk(why: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("bt-app"))
    {
        root.set_text_content(Some(why));
    }
    mark_ready();
}

fn main() {
    let Some(client) = zaf::init_client() else {
        return outside_zendesk(
            "This is a Zendesk app: install it in Zendesk Support to use it in the ticket sidebar.",
        );
    };
    wasm_bindgen_futures::spawn_local(async move {
        match zaf::ZendeskHost::connect(client).await {
            Ok(host) => {
                // The first paint in the agent's language, not English first.
                bt_widgets::prepare_language(&host).await;
                mount(Rc::new(host))
            }
            Err(_) => {
                outside_zendesk("Zendesk did not answer the app. Reload the ticket to try again.")
            }
        }
    });
}
