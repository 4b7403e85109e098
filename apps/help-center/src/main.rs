//! Help center: "Get Support Now" click-to-chat only (no broker, no QR code,
//! no history: the agent features of bt-widgets are off). The page and its
//! configuration are the theme's (see `theme.rs`).

mod theme;

use std::rc::Rc;

use bt_widgets::{mark_ready, ClickToChat, Host, WidgetRoot};
use leptos::prelude::*;

fn main() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let host: Rc<dyn Host> = Rc::new(theme::read(&document));
    leptos::mount::mount_to(
        theme::mount_point(&document),
        move || view! { <WidgetRoot host=host><ClickToChat/></WidgetRoot> },
    )
    .forget();
    mark_ready();
}
