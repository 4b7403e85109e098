//! Ticket sidebar: case ID, session key, Jump To and the ticket's sessions.

use std::rc::Rc;

use bt_widgets::{
    mark_ready, CaseId, Host, JumpTo, SessionHistory, SessionKeyPanel, StandaloneHost, WidgetRoot,
};
use leptos::prelude::*;

fn main() {
    let host: Rc<dyn Host> = StandaloneHost::from_page();
    leptos::mount::mount_to(bt_widgets::app_root(), move || {
        view! {
            <WidgetRoot host=host>
                <CaseId/>
                <SessionKeyPanel/>
                <JumpTo/>
                <SessionHistory/>
            </WidgetRoot>
        }
    })
    .forget();
    mark_ready();
}
