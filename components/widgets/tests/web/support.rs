//! Test helpers: mounting, DOM queries, user actions, waiting, URL parsing.

use std::any::Any;
use std::collections::BTreeMap;
use std::rc::Rc;

use bt_widgets::host::FakeHost;
use bt_widgets::{Host, WidgetRoot};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement};

pub fn doc() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Widgets mounted into their own element; unmounted and removed on drop.
pub struct Mounted {
    pub root: HtmlElement,
    handle: Option<Box<dyn Any>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.handle.take();
        self.root.remove();
    }
}

/// Mounts `widgets` inside a `WidgetRoot` with `host`.
pub fn mount<F, V>(host: &FakeHost, widgets: F) -> Mounted
where
    F: FnOnce() -> V + Send + 'static,
    V: IntoView + 'static,
{
    let root: HtmlElement = doc().create_element("div").unwrap().unchecked_into();
    doc().body().unwrap().append_child(&root).unwrap();
    let host: Rc<dyn Host> = Rc::new(host.clone());
    let handle = leptos::mount::mount_to(
        root.clone(),
        move || view! { <WidgetRoot host=host>{widgets()}</WidgetRoot> },
    );
    Mounted {
        root,
        handle: Some(Box::new(handle)),
    }
}

impl Mounted {
    pub fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    pub fn get(&self, selector: &str) -> Element {
        self.find(selector).unwrap_or_else(|| {
            panic!(
                "no element matches {selector:?} in:\n{}",
                self.root.inner_html()
            )
        })
    }

    pub fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().unchecked_into())
            .collect()
    }

    /// The visible text of the whole mount (hidden elements excluded).
    pub fn text(&self) -> String {
        self.root.inner_text()
    }

    pub fn text_of(&self, selector: &str) -> String {
        self.get(selector)
            .unchecked_into::<HtmlElement>()
            .inner_text()
    }

    pub fn is_visible(&self, selector: &str) -> bool {
        self.find(selector)
            .is_some_and(|e| e.unchecked_into::<HtmlElement>().offset_parent().is_some())
    }

    /// Types `value` into an input or textarea (sets it and fires `input`).
    pub fn type_into(&self, selector: &str, value: &str) {
        let el = self.get(selector);
        js_sys::Reflect::set(&el, &"value".into(), &value.into()).unwrap();
        fire(&el, "input");
    }

    /// Chooses `value` in a select (sets it and fires `change`).
    pub fn choose(&self, selector: &str, value: &str) {
        let el: web_sys::HtmlSelectElement = self.get(selector).unchecked_into();
        el.set_value(value);
        assert_eq!(el.value(), value, "{selector} has no option {value:?}");
        fire(&el, "change");
    }

    pub fn click(&self, selector: &str) {
        self.get(selector).unchecked_into::<HtmlElement>().click();
    }

    /// Focuses the element and presses Enter on it (keydown, as a keyboard would).
    pub fn press_enter(&self, selector: &str) {
        let el: HtmlElement = self.get(selector).unchecked_into();
        el.focus().unwrap();
        assert_eq!(
            doc().active_element().as_ref(),
            Some(el.unchecked_ref::<Element>()),
            "{selector} cannot take focus"
        );
        let init = web_sys::KeyboardEventInit::new();
        init.set_key("Enter");
        init.set_code("Enter");
        init.set_bubbles(true);
        init.set_cancelable(true);
        let ev =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        el.dispatch_event(&ev).unwrap();
    }
}

fn fire(el: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&web_sys::Event::new_with_event_init_dict(kind, &init).unwrap())
        .unwrap();
}

pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits (up to 3 s) until `cond` holds; panics with `what` otherwise.
pub async fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..300 {
        if cond() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting for: {what}");
}

/// Lets effects and scripted broker answers run.
pub async fn settle() {
    sleep(20).await;
}

/// The decoded query parameters of a URL.
pub fn params(url: &str) -> BTreeMap<String, String> {
    let parsed = url::Url::parse(url).unwrap_or_else(|e| panic!("{url:?} is not a URL: {e}"));
    let mut map = BTreeMap::new();
    for (k, v) in parsed.query_pairs() {
        assert!(
            map.insert(k.to_string(), v.to_string()).is_none(),
            "parameter {k} twice in {url}"
        );
    }
    map
}

/// The origin and path of a URL.
pub fn base(url: &str) -> String {
    let parsed = url::Url::parse(url).unwrap();
    format!("{}{}", parsed.origin().ascii_serialization(), parsed.path())
}

pub fn expect_params(url: &str, expected: &[(&str, &str)]) {
    let got = params(url);
    let want: BTreeMap<String, String> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(got, want, "parameters of {url}");
}

/// An RFC 3339 timestamp `ms` milliseconds from now.
pub fn iso_in(ms: f64) -> String {
    js_sys::Date::new(&JsValue::from_f64(js_sys::Date::now() + ms))
        .to_iso_string()
        .into()
}

/// A broker error body.
pub fn error_body(code: &str, message: &str) -> String {
    format!(r#"{{"error":{{"code":"{code}","message":"{message}"}}}}"#)
}

/// Every error code of the contract, with the status the broker uses.
pub const ERROR_CODES: &[(&str, u16)] = &[
    ("unauthorized", 401),
    ("forbidden_origin", 403),
    ("invalid_input", 400),
    ("rate_limited", 429),
    ("rep_not_found", 404),
    ("rep_not_available", 409),
    ("appliance_unreachable", 502),
    ("appliance_auth_failed", 502),
    ("appliance_error", 502),
];

/// The English headline the widgets show for `code`.
pub fn headline(code: &str) -> &'static str {
    let b = bt_widgets::i18n::broker(bt_widgets::Lang::En);
    match code {
        "unauthorized" => b.unauthorized,
        "forbidden_origin" => b.forbidden_origin,
        "invalid_input" => b.invalid_input,
        "rate_limited" => b.rate_limited,
        "rep_not_found" => b.rep_not_found,
        "rep_not_available" => b.rep_not_available,
        "appliance_unreachable" => b.appliance_unreachable,
        "appliance_auth_failed" => b.appliance_auth_failed,
        "appliance_error" => b.appliance_error,
        "network" => b.network,
        "no_broker" => b.no_broker,
        other => panic!("unknown code {other}"),
    }
}
