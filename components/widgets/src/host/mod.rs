//! The `Host` trait: everything a widget knows about the page it runs in.
//!
//! A host adapter (an app framework's frame, a page embedded by a CRM, a
//! theme's page, the standalone page of the tests) implements [`Host`] and
//! reads its host's settings source into a [`PageConfig`]; widgets never name
//! a ticketing system and never touch `window` for anything a host may want
//! to do differently (opening links, copying, calling the broker).

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

mod config;
#[cfg(feature = "testing")]
mod fake;
mod standalone;
pub mod web;

/// The types of [`Host::settings`], so an adapter needs no direct core dependency.
pub use bt_core::{settings::Settings, InputError};
pub use config::{validate, ConfiguredPage, PageConfig};
#[cfg(feature = "testing")]
pub use fake::{FakeHost, Recorded};
pub use standalone::StandaloneHost;
#[cfg(feature = "broker")]
pub use web::FetchTransport;

/// A boxed, non-`Send` future (the browser is single-threaded).
pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// The signed-in agent, as the host knows them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Agent {
    pub name: String,
    pub email: Option<String>,
}

/// The colour scheme the host shows. `System` follows `prefers-color-scheme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorScheme {
    #[default]
    System,
    Light,
    Dark,
}

impl ColorScheme {
    /// `light`, `dark`, anything else → `System`.
    pub fn parse(value: &str) -> Self {
        match value.trim().to_ascii_lowercase().as_str() {
            "light" => ColorScheme::Light,
            "dark" => ColorScheme::Dark,
            _ => ColorScheme::System,
        }
    }

    /// The value of the root's `data-theme` attribute (`None`: follow the OS).
    pub fn data_theme(self) -> Option<&'static str> {
        match self {
            ColorScheme::System => None,
            ColorScheme::Light => Some("light"),
            ColorScheme::Dark => Some("dark"),
        }
    }
}

/// What the host calls the record the widgets serve (how the texts name it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordKind {
    #[default]
    Ticket,
    Case,
}

/// What happened to a link the widget asked the host to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// A new tab or window opened (or the host navigated for us).
    NewTab,
    /// The browser (or host) blocked the popup: the widget shows the link.
    Blocked,
}

/// Something the host tells the widgets after they are mounted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostEvent {
    /// The agent switched language.
    Locale(String),
    /// The host switched light/dark.
    ColorScheme(ColorScheme),
    /// The ticket was saved (or another one opened): the new id.
    Record(Option<String>),
}

/// An e-mail the widget would like sent ("Email Session Key").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: Option<String>,
    pub subject: String,
    pub body: String,
}

/// HTTP method of a broker call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// One call to the broker (its endpoints: `docs/broker-api.md`): `path`
/// starts with `/v1/` and may carry an encoded query; `body` is JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerRequest {
    pub method: Method,
    pub path: String,
    pub body: Option<String>,
}

/// The broker's answer as the transport received it: status and JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerResponse {
    pub status: u16,
    pub body: String,
}

/// The call never got an HTTP answer (network down, CORS refusal, the host
/// proxy failed). Broker *errors* are responses, not `TransportError`s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError(pub String);

/// How widgets reach the broker: a direct `fetch` with a bearer token
/// ([`FetchTransport`]) or a host's own proxy (e.g. an app framework's
/// `request` call that adds the signed token itself). Any
/// `Fn(BrokerRequest) -> LocalFuture<...>` closure is a transport.
pub trait Transport {
    fn send(&self, request: BrokerRequest) -> LocalFuture<Result<BrokerResponse, TransportError>>;
}

impl<F> Transport for F
where
    F: Fn(BrokerRequest) -> LocalFuture<Result<BrokerResponse, TransportError>>,
{
    fn send(&self, request: BrokerRequest) -> LocalFuture<Result<BrokerResponse, TransportError>> {
        self(request)
    }
}

/// The page the widgets run in. Only `record_id`, `settings` and `locale` are
/// required; everything else has a browser default.
pub trait Host {
    /// The ticket / case / request id, `None` while the ticket is unsaved
    /// (agent widgets then ask to save it first).
    fn record_id(&self) -> Option<String>;

    /// What the host calls its record ("ticket" unless said otherwise).
    fn record_kind(&self) -> RecordKind {
        RecordKind::Ticket
    }

    /// The admin settings, validated by core (errors are shown to the agent).
    fn settings(&self) -> Result<Settings, Vec<InputError>>;

    /// The user's language tag, e.g. `de-CH`.
    fn locale(&self) -> String;

    /// The signed-in agent, if the host knows them.
    fn agent(&self) -> Option<Agent> {
        None
    }

    /// The e-mail address of the ticket's requester (for "Email Session Key").
    fn customer_email(&self) -> Option<String> {
        None
    }

    fn color_scheme(&self) -> ColorScheme {
        ColorScheme::System
    }

    /// Registers a listener for locale, colour-scheme and record changes.
    /// Hosts that never change anything keep the default (no-op).
    fn subscribe(&self, _listener: Rc<dyn Fn(HostEvent)>) {}

    /// Opens `url` in a new tab. Return [`Opened::Blocked`] when the browser
    /// refused (`window.open` gave `null`): the widget then shows the link.
    fn open_url(&self, url: &str) -> Opened {
        web::open_in_new_tab(url)
    }

    /// Copies `text` to the clipboard; `false` when that was refused.
    fn copy_text(&self, text: &str) -> LocalFuture<bool> {
        web::copy_to_clipboard(text)
    }

    /// Whether the host sends mails itself (a CRM mailer, a ticket comment).
    /// When `false` (the default) "Email Session Key" is a `mailto:` link.
    fn can_send_mail(&self) -> bool {
        false
    }

    /// Sends `mail` through the host; only called when `can_send_mail()`.
    fn send_mail(&self, _mail: &Mail) {}

    /// The broker transport; `None` when the page has no broker (widgets that
    /// need it then say so; console variants and links still work).
    fn transport(&self) -> Option<Rc<dyn Transport>> {
        None
    }

    /// The widgets' content size changed (CSS pixels): hosts that frame the
    /// app resize the frame.
    fn resized(&self, _width: f64, _height: f64) {}

    /// Milliseconds since the epoch (tests inject their own clock).
    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }
}
