//! `StandaloneHost`: a host for a plain page, used by the apps until their own
//! host adapters exist, and by the demo pages.
//!
//! Configuration comes from a `<script type="application/json" id="bt-config">`
//! element and then the page's query string (which wins). Keys (all optional):
//! `record` (or `ticket`), `locale`, `theme` (or `scheme`: `light`|`dark`), `agent`,
//! `agent_email`, `customer_email`, `broker` (base URL), `token` (bearer),
//! and the settings' own names: `hostname`, `issues`, `jumpoints`, `teams`,
//! `allow_pinned_client`, `allow_push_local`, `allow_push_remote`,
//! `allow_rdp`, `allow_remote_console`, `allow_vpro`, `allow_vnc`,
//! `allow_general_queue`, `console`. Multi-line settings take `\n` in JSON
//! or `|`-separated lines in the query string.
//!
//! The page may also switch locale, theme or record at run time with
//! `window.postMessage({type: "bt-host", locale, theme, record}, origin)`
//! from the same origin.
//!
//! JSON is read with the browser's `JSON.parse`, so no JSON parser is added
//! to apps that do not talk to the broker.

use std::cell::RefCell;
use std::rc::Rc;

use bt_core::settings::{RawSettings, Settings};
use bt_core::InputError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[cfg(feature = "broker")]
use super::web::FetchTransport;
use super::{Agent, ColorScheme, Host, HostEvent, Transport};

/// The flat key → value configuration of a standalone page (later values
/// win).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageConfig(Vec<(String, String)>);

impl PageConfig {
    /// Reads `#bt-config` (JSON object) and then the query string.
    pub fn from_page() -> Self {
        let mut config = Self::default();
        let Some(window) = web_sys::window() else {
            return config;
        };
        if let Some(doc) = window.document() {
            if let Some(el) = doc.get_element_by_id("bt-config") {
                if let Some(text) = el.text_content() {
                    config.merge_json(&text);
                }
            }
        }
        if let Ok(search) = window.location().search() {
            config.merge_query(&search);
        }
        config
    }

    /// Adds the keys of a JSON object (strings, numbers and booleans).
    pub fn merge_json(&mut self, json: &str) {
        if let Ok(value) = js_sys::JSON::parse(json) {
            self.merge_object(&value, false);
        }
    }

    /// Adds the parameters of a query string (`?a=1&b=2`). `|` separates the
    /// lines of the multi-line settings.
    pub fn merge_query(&mut self, search: &str) {
        if let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) {
            if let Ok(obj) = js_sys::Object::from_entries(&params) {
                self.merge_object(&obj, true);
            }
        }
    }

    fn merge_object(&mut self, value: &JsValue, pipes_are_lines: bool) {
        let Some(obj) = value.dyn_ref::<js_sys::Object>() else {
            return;
        };
        for entry in js_sys::Object::entries(obj).iter() {
            let pair: js_sys::Array = entry.unchecked_into();
            let (Some(key), v) = (pair.get(0).as_string(), pair.get(1)) else {
                continue;
            };
            // Numbers and booleans as JSON writes them (no float formatting in wasm).
            let text = match v.as_string() {
                Some(s) => s,
                None if v.as_bool().is_some() || v.as_f64().is_some() => {
                    js_sys::JSON::stringify(&v)
                        .ok()
                        .and_then(|s| s.as_string())
                        .unwrap_or_default()
                }
                None => continue,
            };
            let text =
                if pipes_are_lines && matches!(key.as_str(), "issues" | "jumpoints" | "teams") {
                    text.replace('|', "\n")
                } else {
                    text
                };
            self.0.push((key, text));
        }
    }

    pub fn set(&mut self, key: &str, value: &str) -> &mut Self {
        self.0.push((key.to_owned(), value.to_owned()));
        self
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }

    fn flag(&self, key: &str) -> bool {
        self.get(key).is_some_and(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "true" | "1" | "yes" | "on"
            )
        })
    }

    /// The settings part, in core's raw form.
    pub fn raw_settings(&self) -> RawSettings {
        let text = |k: &str| self.get(k).unwrap_or_default().to_owned();
        RawSettings {
            hostname: text("hostname"),
            issues: text("issues"),
            jumpoints: text("jumpoints"),
            teams: text("teams"),
            allow_pinned_client: self.flag("allow_pinned_client"),
            allow_push_local: self.flag("allow_push_local"),
            allow_push_remote: self.flag("allow_push_remote"),
            allow_rdp: self.flag("allow_rdp"),
            allow_remote_console: self.flag("allow_remote_console"),
            allow_vpro: self.flag("allow_vpro"),
            allow_vnc: self.flag("allow_vnc"),
            allow_general_queue: self.flag("allow_general_queue"),
            console: text("console"),
        }
    }
}

struct State {
    record: Option<String>,
    locale: String,
    scheme: ColorScheme,
    listeners: Vec<Rc<dyn Fn(HostEvent)>>,
}

/// A host for a plain page: configuration from [`PageConfig`], links in new
/// tabs, the clipboard API, and a [`FetchTransport`] when `broker` is set.
pub struct StandaloneHost {
    config: PageConfig,
    raw: RawSettings,
    state: Rc<RefCell<State>>,
    transport: Option<Rc<dyn Transport>>,
}

impl StandaloneHost {
    /// Reads the page's configuration and listens for `bt-host` messages.
    pub fn from_page() -> Rc<Self> {
        let host = Rc::new(Self::from_config(PageConfig::from_page()));
        host.listen_for_messages();
        host
    }

    pub fn from_config(config: PageConfig) -> Self {
        let record = config
            .get("record")
            .or_else(|| config.get("ticket"))
            .map(str::to_owned);
        let locale = config
            .get("locale")
            .map(str::to_owned)
            .or_else(|| web_sys::window().and_then(|w| w.navigator().language()))
            .unwrap_or_else(|| "en".to_owned());
        let scheme = ColorScheme::parse(
            config
                .get("theme")
                .or_else(|| config.get("scheme"))
                .unwrap_or_default(),
        );
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
        Settings::from_raw(&self.raw)
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
