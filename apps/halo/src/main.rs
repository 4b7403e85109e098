//! Halo button target: Jump To with the asset (`?asset=`) prefilled.

use std::rc::Rc;

use bt_widgets::{mark_ready, Host, JumpTo, StandaloneHost, WidgetRoot};
use leptos::prelude::*;

fn main() {
    let page = StandaloneHost::from_page();
    let asset = page.param("asset").unwrap_or_default();
    let host: Rc<dyn Host> = page;
    leptos::mount::mount_to(
        bt_widgets::app_root(),
        move || view! { <WidgetRoot host=host><JumpTo target=asset/></WidgetRoot> },
    )
    .forget();
    mark_ready();
}
