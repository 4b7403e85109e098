//! Keyboard and focus behaviour the forms share.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Enter in a text field or select submits its form (as browsers do for
/// inputs), also for synthetic key events and for selects.
pub fn enter_submits(ev: web_sys::KeyboardEvent) {
    if ev.key() != "Enter" || ev.is_composing() {
        return;
    }
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let tag = target.tag_name();
    let checkbox = target.get_attribute("type").as_deref() == Some("checkbox");
    if (tag == "INPUT" && !checkbox) || tag == "SELECT" {
        if let Some(form) = target
            .closest("form")
            .ok()
            .flatten()
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
        {
            ev.prevent_default();
            let _ = form.request_submit();
        }
    }
}

/// After a refused submit, moves focus to the form's first invalid control
/// (once the error effects have marked it), so keyboard and screen reader
/// users land on the message.
pub fn focus_first_invalid(ev: &web_sys::Event) {
    let Some(form) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    set_timeout(
        move || {
            if let Some(el) = form.query_selector("[aria-invalid=true]").ok().flatten() {
                let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        },
        std::time::Duration::from_millis(0),
    );
}
