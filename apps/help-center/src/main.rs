//! Help center: "Get Support Now" click-to-chat only (no broker, no QR code,
//! no history: the `agent` feature of bt-widgets is off).

use std::rc::Rc;

use bt_widgets::{mark_ready, ClickToChat, Host, StandaloneHost, WidgetRoot};
use leptos::prelude::*;

fn main() {
    let host: Rc<dyn Host> = StandaloneHost::from_page();
    leptos::mount::mount_to(
        bt_widgets::app_root(),
        move || view! { <WidgetRoot host=host><ClickToChat/></WidgetRoot> },
    )
    .forget();
    mark_ready();
}
