//! The Salesforce adapter: the iframe side of docs/embedding-protocol.md.
//!
//! The LWC frames this app and talks to it with `postMessage`. Origins are
//! checked both ways: we post only to the `parent` origin named in our URL
//! and accept only messages from that origin *and* from our parent window.
//! The broker token arrives in the `context` message (minted by Apex from a
//! protected setting) and is renewed with `token-request` before it expires.

use std::cell::RefCell;
use std::rc::Rc;

use bt_core::settings::Settings;
use bt_core::InputError;
use bt_widgets::host::web::{js_prop as prop, js_string as prop_string};
use bt_widgets::host::{Agent, ColorScheme, FetchTransport, PageConfig, Transport, TransportError};
use bt_widgets::{Host, RecordKind};
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub const PROTOCOL: &str = "bt-embed/1";
/// What index.html's early handshake leaves on `window`: `{ queue, listener }`.
const EARLY: &str = "btEmbedEarly";
/// Apex mints 5-minute tokens; ask for a new one a minute before that.
const TOKEN_FRESH_MS: f64 = 4.0 * 60.0 * 1000.0;
/// How long to wait for the LWC to answer a `token-request`.
const TOKEN_WAIT_MS: i32 = 5000;

/// The parent origin from `?parent=`: an https origin (http only on
/// loopback), exactly as `URL.origin` would print it.
pub fn parent_origin() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let raw = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get("parent")?;
    let url = web_sys::Url::new(&raw).ok()?;
    let origin = url.origin();
    let loopback = matches!(url.hostname().as_str(), "localhost" | "127.0.0.1" | "[::1]");
    let scheme_ok = url.protocol() == "https:" || (url.protocol() == "http:" && loopback);
    (scheme_ok && origin == raw.trim_end_matches('/')).then_some(origin)
}

/// The `message` listener, kept alive as long as the bridge.
type MessageListener = RefCell<Option<Closure<dyn FnMut(web_sys::MessageEvent)>>>;

/// The checked channel to the LWC.
pub struct Bridge {
    origin: String,
    /// The `resolve` of the pending `token-request`, if any.
    pending_token: RefCell<Option<js_sys::Function>>,
    _listener: MessageListener,
}

impl Bridge {
    /// Listens for the parent's messages; `on_context` gets the first
    /// `context` message (later ones are ignored: one record per frame).
    pub fn connect(
        origin: String,
        on_context: impl FnOnce(Rc<Bridge>, JsValue) + 'static,
    ) -> Rc<Bridge> {
        let bridge = Rc::new(Bridge {
            origin,
            pending_token: RefCell::new(None),
            _listener: RefCell::new(None),
        });
        let weak = Rc::downgrade(&bridge);
        let mut on_context = Some(on_context);
        let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let Some(bridge) = weak.upgrade() else { return };
                if !bridge.accepts(&event) {
                    return;
                }
                let data = event.data();
                match prop_string(&data, "type").as_deref() {
                    Some("context") => {
                        if let Some(f) = on_context.take() {
                            f(bridge.clone(), data);
                        }
                    }
                    Some("token") => {
                        if let Some(resolve) = bridge.pending_token.borrow_mut().take() {
                            let _ = resolve.call1(&JsValue::NULL, &prop(&data, "token"));
                        }
                    }
                    _ => {}
                }
            },
        );
        let Some(window) = web_sys::window() else {
            return bridge;
        };
        let _ =
            window.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
        // index.html posted `ready` while the wasm loaded and kept what came
        // back: take its messages over, through the same checks, in order.
        let early = Reflect::get(&window, &EARLY.into()).unwrap_or(JsValue::UNDEFINED);
        if early.is_object() {
            if let Ok(early_listener) = prop(&early, "listener").dyn_into::<js_sys::Function>() {
                let _ = window.remove_event_listener_with_callback("message", &early_listener);
            }
            let _ = Reflect::delete_property(window.unchecked_ref::<Object>(), &EARLY.into());
            let handle: &js_sys::Function = listener.as_ref().unchecked_ref();
            for event in js_sys::Array::from(&prop(&early, "queue")).iter() {
                let _ = handle.call1(&JsValue::NULL, &event);
            }
        } else {
            bridge.post("ready", &[]);
        }
        *bridge._listener.borrow_mut() = Some(listener);
        bridge
    }

    /// Only our parent window, from the origin we were given, speaking our protocol.
    fn accepts(&self, event: &web_sys::MessageEvent) -> bool {
        let from_parent = match (
            web_sys::window().and_then(|w| w.parent().ok().flatten()),
            event.source(),
        ) {
            (Some(parent), Some(source)) => JsValue::from(parent) == JsValue::from(source),
            _ => false,
        };
        from_parent
            && event.origin() == self.origin
            && prop_string(&event.data(), "protocol").as_deref() == Some(PROTOCOL)
    }

    /// Posts `{protocol, type, ...fields}` to the parent origin only.
    pub fn post(&self, kind: &str, fields: &[(&str, JsValue)]) {
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"protocol".into(), &PROTOCOL.into());
        let _ = Reflect::set(&msg, &"type".into(), &kind.into());
        for (k, v) in fields {
            let _ = Reflect::set(&msg, &JsValue::from_str(k), v);
        }
        if let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) {
            let _ = parent.post_message(&msg, &self.origin);
        }
    }

    /// Asks the LWC for a fresh token and waits for it (bounded).
    async fn renew_token(self: Rc<Self>) -> Result<String, TransportError> {
        let this = self.clone();
        let promise = Promise::new(&mut move |resolve, _reject| {
            *this.pending_token.borrow_mut() = Some(resolve.clone());
            if let Some(w) = web_sys::window() {
                let _ = w
                    .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, TOKEN_WAIT_MS);
            }
        });
        self.post("token-request", &[]);
        let token = JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .filter(|t| !t.is_empty());
        token.ok_or_else(|| TransportError("Salesforce did not renew the BeyondTrust token".into()))
    }
}

/// The current broker token and when it arrived.
struct Token {
    value: String,
    received_ms: f64,
}

pub struct SalesforceHost {
    bridge: Rc<Bridge>,
    record_id: Option<String>,
    agent: Option<Agent>,
    /// The Case's contact e-mail, when the LWC could read it.
    customer_email: Option<String>,
    locale: String,
    scheme: ColorScheme,
    settings: Result<Settings, Vec<InputError>>,
    broker_url: Option<String>,
    token: Rc<RefCell<Token>>,
}

impl SalesforceHost {
    /// Reads a `context` message.
    pub fn from_context(bridge: Rc<Bridge>, context: &JsValue) -> Self {
        let user = prop(context, "user");
        // The admin's settings, which the LWC passes on from Apex as one
        // object with the names every host uses.
        let config = PageConfig::from_object(&prop(context, "settings"));
        Self {
            bridge,
            record_id: prop_string(context, "recordId"),
            agent: prop_string(&user, "name").map(|name| Agent {
                name,
                email: prop_string(&user, "email"),
            }),
            customer_email: prop_string(context, "customerEmail"),
            locale: prop_string(context, "locale").unwrap_or_else(|| "en-US".into()),
            scheme: ColorScheme::parse(&prop_string(context, "colorScheme").unwrap_or_default()),
            settings: config.settings(),
            broker_url: prop_string(context, "brokerUrl"),
            token: Rc::new(RefCell::new(Token {
                value: prop_string(context, "token").unwrap_or_default(),
                received_ms: js_sys::Date::now(),
            })),
        }
    }
}

impl Host for SalesforceHost {
    fn record_id(&self) -> Option<String> {
        self.record_id.clone()
    }

    fn record_kind(&self) -> RecordKind {
        RecordKind::Case
    }

    fn settings(&self) -> Result<Settings, Vec<InputError>> {
        self.settings.clone()
    }

    fn locale(&self) -> String {
        self.locale.clone()
    }

    fn agent(&self) -> Option<Agent> {
        self.agent.clone()
    }

    fn customer_email(&self) -> Option<String> {
        self.customer_email.clone()
    }

    fn color_scheme(&self) -> ColorScheme {
        self.scheme
    }

    fn transport(&self) -> Option<Rc<dyn Transport>> {
        let base = self.broker_url.clone()?;
        let (token, bridge) = (self.token.clone(), self.bridge.clone());
        let source = Rc::new(move || {
            let (token, bridge) = (token.clone(), bridge.clone());
            Box::pin(async move {
                let fresh = {
                    let t = token.borrow();
                    (!t.value.is_empty() && js_sys::Date::now() - t.received_ms < TOKEN_FRESH_MS)
                        .then(|| t.value.clone())
                };
                if let Some(value) = fresh {
                    return Ok(value);
                }
                let value = bridge.renew_token().await?;
                *token.borrow_mut() = Token {
                    value: value.clone(),
                    received_ms: js_sys::Date::now(),
                };
                Ok(value)
            }) as bt_widgets::host::LocalFuture<Result<String, TransportError>>
        });
        Some(Rc::new(FetchTransport::new(&base, source)))
    }

    fn resized(&self, _width: f64, height: f64) {
        self.bridge
            .post("resize", &[("height", height.ceil().into())]);
    }
}
