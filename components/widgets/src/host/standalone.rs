//! `StandaloneHost`: a host for a plain page (the widget tests, a demo or
//! trial page): configuration from the page's query string, links in new
//! tabs, the clipboard API, and a fetch transport when `broker` is set. Host
//! adapters read their own host's settings source instead (see
//! [`PageConfig`] for the keys).
//!
//! The page may also switch locale, theme or record at run time with
//! `window.postMessage({type: "bt-host", locale, theme, record}, origin)`
//! from the same origin.

use std::cell::RefCell;
use std::rc::Rc;

use bt_core::settings::{RawSettings, Settings};
use bt_core::InputError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[cfg(feature = "broker")]
use super::web::FetchTransport;
use super::{Agent, ColorScheme, Host, HostEvent, PageConfig, Transport};

struct State {
    record: Option<String>,
    locale: String,
    scheme: ColorScheme,
    listeners: Vec<Rc<dyn Fn(HostEvent)>>,
}

/// A host for a plain page: configuration from a [`PageConfig`], links in
/// new tabs, the clipboard API, and a fetch transport when `broker` is set.
pub struct StandaloneHost {
    config: PageConfig,
    raw: RawSettings,
    state: Rc<RefCell<State>>,
    transport: Option<Rc<dyn Transport>>,
}

impl StandaloneHost {
    /// Reads the page's query string and listens for `bt-host` messages.
    pub fn from_page() -> Rc<Self> {
        let mut config = PageConfig::default();
        if let Some(search) = web_sys::window().and_then(|w| w.location().search().ok()) {
            config.merge_query(&search);
        }
        let host = Rc::new(Self::from_config(config));
        host.listen_for_messages();
        host
    }

    pub fn from_config(config: PageConfig) -> Self {
        let record = config.record();
        let locale = config.locale();
        let scheme = config.color_scheme();
        // Only the broker widgets need it: other builds leave the fetch
        // transport out of the wasm.
        #[cfg(feature = "broker")]
        let transport = config.get("broker").map(|base| {
            Rc::new(FetchTransport::with_token(
                base,
                config.get("token").unwrap_or_default(),
            )) as Rc<dyn Transport>
        });
        #[cfg(not(feature = "broker"))]
        let transport = None;
        Self {
            raw: config.raw_settings(),
            config,
            state: Rc::new(RefCell::new(State {
                record,
                locale,
                scheme,
                listeners: Vec::new(),
            })),
            transport,
        }
    }

    /// Any configuration value (e.g. `asset` or `view`).
    pub fn param(&self, key: &str) -> Option<String> {
        self.config.get(key).map(str::to_owned)
    }

    fn listen_for_messages(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let state = Rc::clone(&self.state);
        let origin = window.location().origin().unwrap_or_default();
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                if ev.origin() != origin {
                    return;
                }
                let data = ev.data();
                let get = |k: &str| js_sys::Reflect::get(&data, &JsValue::from_str(k)).ok();
                if get("type").and_then(|t| t.as_string()).as_deref() != Some("bt-host") {
                    return;
                }
                let mut events = Vec::new();
                {
                    let mut s = state.borrow_mut();
                    if let Some(l) = get("locale").and_then(|v| v.as_string()) {
                        s.locale = l.clone();
                        events.push(HostEvent::Locale(l));
                    }
                    if let Some(t) = get("theme").and_then(|v| v.as_string()) {
                        s.scheme = ColorScheme::parse(&t);
                        events.push(HostEvent::ColorScheme(s.scheme));
                    }
                    if let Some(r) = get("record") {
                        s.record = r.as_string().filter(|r| !r.is_empty());
                        events.push(HostEvent::Record(s.record.clone()));
                    }
                }
                let listeners = state.borrow().listeners.clone();
                for e in events {
                    for l in &listeners {
                        l(e.clone());
                    }
                }
            });
        let _ =
            window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        on_message.forget();
    }
}

impl Host for StandaloneHost {
    fn record_id(&self) -> Option<String> {
        self.state.borrow().record.clone()
    }

    fn settings(&self) -> Result<Settings, Vec<InputError>> {
        super::validate(&self.raw)
    }

    fn locale(&self) -> String {
        self.state.borrow().locale.clone()
    }

    fn agent(&self) -> Option<Agent> {
        self.config.get("agent").map(|name| Agent {
            name: name.to_owned(),
            email: self.config.get("agent_email").map(str::to_owned),
        })
    }

    fn customer_email(&self) -> Option<String> {
        self.config.get("customer_email").map(str::to_owned)
    }

    fn color_scheme(&self) -> ColorScheme {
        self.state.borrow().scheme
    }

    fn subscribe(&self, listener: Rc<dyn Fn(HostEvent)>) {
        self.state.borrow_mut().listeners.push(listener);
    }

    fn transport(&self) -> Option<Rc<dyn Transport>> {
        self.transport.clone()
    }
}
