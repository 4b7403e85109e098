//! Small pieces the widgets share, one file per concern: effects and
//! erased views ([`effects`]), form fields and their errors ([`fields`]),
//! keyboard and focus behaviour ([`a11y`]), links the host opens ([`links`]),
//! the copy field ([`copy`]), error views ([`errors`]) and the agent widgets'
//! gate ([`gate`]). This file keeps the translation signal, styles, ids and
//! size reporting. Everything is re-exported here, so widgets use `crate::ui::*`.
//!
//! Size note: every distinct `view!` tree is its own Rust type, and Leptos
//! generates render code per type. Forms are therefore built from data
//! ([`FieldSpec`] rendered by the one [`field`] function) instead of a
//! hand-written tree per form, which keeps the wasm small.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::host::Host;
use crate::i18n::Lang;

pub mod a11y;
#[cfg(feature = "agent")]
pub mod copy;
pub mod effects;
pub mod errors;
pub mod fields;
#[cfg(feature = "agent")]
pub mod gate;
pub mod links;

pub use a11y::*;
#[cfg(feature = "agent")]
pub use copy::*;
pub use effects::*;
pub use errors::*;
pub use fields::*;
#[cfg(feature = "agent")]
pub use gate::*;
pub use links::*;

/// A reactive translated string: `tr!(lang, common.opened)` is a
/// `Signal<&'static str>` that follows the language.
#[macro_export]
#[doc(hidden)]
macro_rules! tr {
    ($lang:expr, $cat:ident . $($path:ident).+) => {
        $crate::ui::tr($lang, $crate::i18n::$cat, |t| t.$($path).+)
    };
}

/// The function behind [`tr!`]: one signal type for every string, so the
/// views do not instantiate a renderer per string.
pub fn tr<T: 'static>(
    lang: RwSignal<Lang>,
    catalogue: fn(Lang) -> &'static T,
    pick: fn(&T) -> &'static str,
) -> Signal<&'static str> {
    Signal::derive(move || pick(catalogue(lang.get())))
}

/// Adds a widget's stylesheet to `<head>` once.
pub fn use_style(id: &'static str, css: &'static str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if doc.get_element_by_id(id).is_some() {
        return;
    }
    if let (Ok(style), Some(head)) = (doc.create_element("style"), doc.head()) {
        style.set_id(id);
        style.set_text_content(Some(css));
        let _ = head.append_child(&style);
    }
}

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// A page-unique element id, `bt-PREFIX-N`.
pub fn next_id(prefix: &str) -> String {
    let n = NEXT_ID.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    let mut id = String::from("bt-");
    id.push_str(prefix);
    id.push('-');
    id.push_str(&n.to_string());
    id
}

/// Reports the root's size to the host whenever it changes.
pub fn observe_size(el: &web_sys::HtmlDivElement, host: Rc<dyn Host>) {
    let on_resize = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
        if let Ok(entry) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>() {
            let rect = entry.content_rect();
            host.resized(rect.width(), rect.height());
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        observer.observe(el);
    }
    // Lives as long as the page (one root per app).
    on_resize.forget();
}
