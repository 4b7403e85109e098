//! Case page components, one per Lightning component of the vendor guide;
//! `?view=` picks which: session-key (default), web-session-key, jump,
//! web-jump, case-id, sessions.

use std::rc::Rc;

use bt_core::client_script::Console;
use bt_widgets::{
    mark_ready, CaseId, ConsoleSessionKey, Host, JumpTo, SessionHistory, SessionKeyPanel,
    StandaloneHost, WidgetRoot,
};
use leptos::prelude::*;

fn main() {
    let page = StandaloneHost::from_page();
    let which = page.param("view").unwrap_or_default();
    let host: Rc<dyn Host> = page;
    leptos::mount::mount_to(bt_widgets::app_root(), move || {
        // The widgets are built inside the root (they read its context).
        view! {
            <WidgetRoot host=host>
                {match which.as_str() {
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
