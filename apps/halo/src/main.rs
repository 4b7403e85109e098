//! The page a HaloPSA custom button opens: Jump To with the asset prefilled
//! (see `page.rs`, the only Halo-specific code).

mod page;

use std::rc::Rc;

use bt_widgets::{mark_ready, Host, JumpTo, WidgetRoot};
use leptos::prelude::*;

/// Shown instead of Jump To when the page was opened without an asset (and
/// without a ticket): there is nothing to jump to and no key to file the
/// session under. The page is not a ticket, so "save the ticket first" would
/// send the agent the wrong way.
const NO_ASSET: &str = "This page opens from the BeyondTrust button of an asset in HaloPSA, \
    which passes the asset to jump to. Open the asset and use its button.";

/// Shown instead of Jump To when the page has no settings or no asset to
/// jump with.
fn alert(text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let (Some(root), Ok(p)) = (doc.get_element_by_id("bt-app"), doc.create_element("p")) {
        let _ = p.set_attribute("role", "alert");
        p.set_class_name("bt-notice");
        p.set_text_content(Some(text));
        let _ = root.append_child(&p);
    }
}

fn main() {
    wasm_bindgen_futures::spawn_local(async {
        match page::open().await {
            Ok((_, page)) if page.record_id().is_none() => alert(NO_ASSET),
            Ok((asset, page)) => {
                bt_widgets::prepare_language(&page).await;
                let host: Rc<dyn Host> = Rc::new(page);
                leptos::mount::mount_to(
                    bt_widgets::app_root(),
                    move || view! { <WidgetRoot host=host><JumpTo target=asset/></WidgetRoot> },
                )
                .forget();
            }
            Err(problem) => alert(problem.message()),
        }
        mark_ready();
    });
}
