//! The Zendesk adapter: ZAF (the Zendesk App Framework client) mapped onto
//! the widgets' `Host` trait.
//!
//! - ticket id, current user and requester from `client.get`, settings from
//!   `client.metadata()`, location from `client.context()` (the new-ticket
//!   sidebar has no ticket: the widgets ask to save it first);
//! - broker calls, in one of two modes:
//!   - signed URLs (the stronger): the broker served this page to Zendesk's
//!     signed POST and put a short-lived session for the agent Zendesk
//!     named into `#bt-broker-session`; the widgets call that broker
//!     directly with it, and nothing this page says changes who it is for;
//!   - proxy-signed (the fallback): through `client.request` with Zendesk's
//!     JWT signing; the secure setting `broker_secret` is only ever named as
//!     a placeholder, so Zendesk's proxy signs and the secret never reaches
//!     this iframe, but the claims are written here, in the agent's browser;
//! - "Email Session Key" writes a public reply, so Zendesk mails the requester;
//! - `resize` and `colorScheme.changed` as ZAF defines them.

use std::cell::RefCell;
use std::rc::Rc;

use bt_core::settings::Settings;
use bt_core::InputError;
use bt_widgets::host::web::{js_prop as prop, js_string as prop_string, FetchTransport};
use bt_widgets::host::{
    Agent, BrokerRequest, BrokerResponse, ColorScheme, HostEvent, LocalFuture, Mail, PageConfig,
    Transport, TransportError,
};
use bt_widgets::Host;
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// A ZAF client (`ZAFClient.init()`).
    pub type ZafClient;
    #[wasm_bindgen(method)]
    fn get(this: &ZafClient, paths: &JsValue) -> Promise;
    #[wasm_bindgen(method)]
    fn metadata(this: &ZafClient) -> Promise;
    #[wasm_bindgen(method)]
    fn context(this: &ZafClient) -> Promise;
    #[wasm_bindgen(method)]
    fn invoke(this: &ZafClient, name: &str, arg: &JsValue) -> Promise;
    #[wasm_bindgen(method)]
    fn set(this: &ZafClient, key: &str, value: &JsValue) -> Promise;
    #[wasm_bindgen(method)]
    fn request(this: &ZafClient, options: &JsValue) -> Promise;
    #[wasm_bindgen(method)]
    fn on(this: &ZafClient, name: &str, handler: &Closure<dyn FnMut(JsValue)>);
}

/// The audience (`aud`) the broker requires in host tokens (`docs/broker-api.md`).
const AUDIENCE: &str = "bt-broker";
/// How long a proxy-signed broker token lives (the broker accepts ≤ 15 min).
const TOKEN_SECONDS: u32 = 300;

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// `ZAFClient.init()`, or `None` outside Zendesk (no ZAF SDK on the page, or
/// no `origin`/`app_guid` in the query: `init()` answers `false`).
pub fn init_client() -> Option<ZafClient> {
    let global = js_sys::global();
    // index.html made the client while the wasm loaded (one client per page:
    // a second `init()` would register the app twice).
    let early = prop(&prop(&global, EARLY), "client");
    if early.is_object() {
        return Some(early.unchecked_into());
    }
    let zaf = prop(&global, "ZAFClient");
    let init = prop(&zaf, "init").dyn_into::<js_sys::Function>().ok()?;
    let client = init.call0(&zaf).ok()?;
    client.is_object().then(|| client.unchecked_into())
}

/// What index.html leaves on `window` when it starts ZAF before the wasm
/// runs: `{ client, answers }`, `answers` being the promise of
/// [`startup_answers`]' three answers.
const EARLY: &str = "btZafEarly";

/// `[metadata, context, get(paths)]` of the sidebar's start, asked at once:
/// the promise index.html already made (taken once), or made now.
fn startup_answers(client: &ZafClient) -> Promise {
    let global = js_sys::global();
    let early = prop(&global, EARLY);
    if let Ok(answers) = prop(&early, "answers").dyn_into::<Promise>() {
        let _ = Reflect::delete_property(global.unchecked_ref::<Object>(), &EARLY.into());
        return answers;
    }
    let paths = js_sys::Array::new();
    for path in STARTUP_PATHS {
        paths.push(&JsValue::from_str(path));
    }
    Promise::all(&js_sys::Array::of3(
        &client.metadata(),
        &client.context(),
        &client.get(&paths),
    ))
}

/// What the sidebar reads at its start (index.html asks for the same).
const STARTUP_PATHS: [&str; 4] = [
    "currentUser",
    "colorScheme",
    "ticket.id",
    "ticket.requester.email",
];

/// The element the broker puts the session into (`POST /zendesk/sidebar`).
const SESSION_ELEMENT_ID: &str = "bt-broker-session";

/// The broker session of the signed-URL mode: the `token` of the JSON in
/// `#bt-broker-session`, and the origin of the broker that served the page
/// (the page is the broker's own, so the session goes back to it).
fn broker_session() -> Option<(String, String)> {
    let document = web_sys::window()?.document()?;
    let json = document
        .get_element_by_id(SESSION_ELEMENT_ID)?
        .text_content()?;
    let token = prop_string(&js_sys::JSON::parse(&json).ok()?, "token")?;
    let origin = prop_string(&prop(&js_sys::global(), "location"), "origin")?;
    (!token.is_empty()).then_some((origin, token))
}

/// The app's settings: the installation's parameters in `metadata.settings`,
/// named as the manifest declares them (the names every host uses). The
/// secure `broker_secret` is not among them: Zendesk keeps it server-side.
fn settings_of(metadata: &JsValue) -> PageConfig {
    PageConfig::from_object(&prop(metadata, "settings"))
}

/// The words of a reply, as rich text or plain: tags dropped, the few
/// entities an editor writes decoded, whitespace runs as one space.
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

type Listeners = Rc<RefCell<Vec<Rc<dyn Fn(HostEvent)>>>>;
/// ZAF event handlers, kept alive as long as the host.
type Handlers = RefCell<Vec<Closure<dyn FnMut(JsValue)>>>;

/// Everything the sidebar learned from Zendesk at start.
pub struct ZendeskHost {
    client: Rc<ZafClient>,
    ticket_id: Option<String>,
    agent: Option<Agent>,
    requester_email: Option<String>,
    locale: String,
    scheme: ColorScheme,
    settings: Result<Settings, Vec<InputError>>,
    broker_url: Option<String>,
    host_id: String,
    /// Signed-URL mode: (broker origin, session) from [`broker_session`].
    session: Option<(String, String)>,
    listeners: Listeners,
    _handlers: Handlers,
    /// The invitation this sidebar last put in the reply (see `send_mail`).
    invitation: Rc<RefCell<Option<String>>>,
}

impl ZendeskHost {
    /// Asks Zendesk for the context, settings, ticket and user.
    pub async fn connect(client: ZafClient) -> Result<Self, JsValue> {
        // The three questions at once: each is a round trip to the Zendesk
        // page, and the sidebar shows nothing until all are answered. The
        // ticket paths are asked everywhere and read only on a ticket; an
        // unknown path comes back under `errors` instead of failing the call.
        let answers: js_sys::Array = JsFuture::from(startup_answers(&client))
            .await?
            .unchecked_into();
        let (metadata, context, data) = (answers.get(0), answers.get(1), answers.get(2));
        let on_ticket = prop_string(&context, "location").as_deref() == Some("ticket_sidebar");
        let user = prop(&data, "currentUser");

        let config = settings_of(&metadata);
        let settings = config.settings();
        Ok(Self {
            client: Rc::new(client),
            ticket_id: if on_ticket {
                prop_string(&data, "ticket.id")
            } else {
                None
            },
            agent: prop_string(&user, "name").map(|name| Agent {
                name,
                email: prop_string(&user, "email"),
            }),
            requester_email: if on_ticket {
                prop_string(&data, "ticket.requester.email")
            } else {
                None
            },
            locale: prop_string(&user, "locale").unwrap_or_else(|| "en".into()),
            scheme: ColorScheme::parse(&prop_string(&data, "colorScheme").unwrap_or_default()),
            settings,
            broker_url: config
                .get("broker_url")
                .map(|u| u.trim_end_matches('/').to_owned()),
            host_id: config.get("broker_host_id").unwrap_or("zendesk").to_owned(),
            session: broker_session(),
            listeners: Rc::default(),
            _handlers: RefCell::default(),
            invitation: Rc::default(),
        })
    }

    fn listen(&self, event: &str, map: fn(JsValue) -> Option<HostEvent>) {
        let listeners = self.listeners.clone();
        let handler = Closure::<dyn FnMut(JsValue)>::new(move |value: JsValue| {
            if let Some(event) = map(value) {
                for l in listeners.borrow().iter() {
                    l(event.clone());
                }
            }
        });
        self.client.on(event, &handler);
        self._handlers.borrow_mut().push(handler);
    }
}

/// Broker calls through `client.request`: Zendesk's proxy substitutes the
/// secure setting and signs an HS256 JWT with the claims below.
struct ZafTransport {
    client: Rc<ZafClient>,
    base_url: String,
    host_id: String,
    subject: String,
}

impl Transport for ZafTransport {
    fn send(&self, request: BrokerRequest) -> LocalFuture<Result<BrokerResponse, TransportError>> {
        let claims = object(&[
            ("iss", self.host_id.as_str().into()),
            ("aud", AUDIENCE.into()),
            ("sub", self.subject.as_str().into()),
        ]);
        let jwt = object(&[
            ("algorithm", "HS256".into()),
            ("secret_key", "{{setting.broker_secret}}".into()),
            ("expiry", TOKEN_SECONDS.into()),
            ("claims", claims),
        ]);
        let mut options = vec![
            (
                "url",
                JsValue::from_str(&format!("{}{}", self.base_url, request.path)),
            ),
            ("type", request.method.as_str().into()),
            ("secure", true.into()),
            ("cors", false.into()),
            ("httpCompleteResponse", true.into()),
            ("dataType", "text".into()),
            ("jwt", jwt),
        ];
        if let Some(body) = &request.body {
            options.push(("contentType", "application/json".into()));
            options.push(("data", body.as_str().into()));
        }
        let promise = self.client.request(&object(&options));
        Box::pin(async move {
            // Zendesk resolves 2xx and rejects the rest; both carry the status.
            let answer = match JsFuture::from(promise).await {
                Ok(v) => v,
                Err(v) => v,
            };
            let status = prop(&answer, "status").as_f64().unwrap_or(0.0) as u16;
            if status == 0 {
                return Err(TransportError("Zendesk could not reach the broker".into()));
            }
            let body = prop_string(&answer, "responseText").unwrap_or_default();
            Ok(BrokerResponse { status, body })
        })
    }
}

impl Host for ZendeskHost {
    fn record_id(&self) -> Option<String> {
        self.ticket_id.clone()
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
        self.requester_email.clone()
    }

    fn color_scheme(&self) -> ColorScheme {
        self.scheme
    }

    fn subscribe(&self, listener: Rc<dyn Fn(HostEvent)>) {
        let first = self.listeners.borrow().is_empty();
        self.listeners.borrow_mut().push(listener);
        if first {
            self.listen("colorScheme.changed", |v| {
                Some(HostEvent::ColorScheme(ColorScheme::parse(&v.as_string()?)))
            });
        }
    }

    /// A public reply on the ticket: Zendesk mails it to the requester.
    fn can_send_mail(&self) -> bool {
        self.ticket_id.is_some()
    }

    /// The invitation goes into the reply once: pressed again, the previous
    /// invitation still in the reply is replaced (a new key, a fresher
    /// expiry), or left as it is where the editor holds it as rich text;
    /// appended only when the reply does not have it.
    fn send_mail(&self, mail: &Mail) {
        let _ = self.client.set("comment.type", &"publicReply".into());
        let text = format!("{}\n\n{}", mail.subject, mail.body);
        let previous = self.invitation.replace(Some(text.clone()));
        let client = self.client.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Some(previous) = previous {
                let reply = match JsFuture::from(client.get(&"comment.text".into())).await {
                    Ok(data) => prop_string(&data, "comment.text").unwrap_or_default(),
                    Err(_) => String::new(),
                };
                if reply.contains(&previous) {
                    let _ = client.set("comment.text", &reply.replacen(&previous, &text, 1).into());
                    return;
                }
                if plain(&reply).contains(&plain(&previous)) {
                    return;
                }
            }
            let _ = client.invoke("comment.appendText", &text.into());
        });
    }

    fn transport(&self) -> Option<Rc<dyn Transport>> {
        if let Some((broker, session)) = &self.session {
            return Some(Rc::new(FetchTransport::with_token(broker, session)));
        }
        let base_url = self.broker_url.clone()?;
        let subject = self.agent.as_ref().and_then(|a| a.email.clone())?;
        Some(Rc::new(ZafTransport {
            client: self.client.clone(),
            base_url,
            host_id: self.host_id.clone(),
            subject,
        }))
    }

    fn resized(&self, _width: f64, height: f64) {
        let size = object(&[("height", format!("{}px", height.ceil() as u32).into())]);
        let _ = self.client.invoke("resize", &size);
    }
}
