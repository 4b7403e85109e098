//! `FakeHost` (feature `testing`): a scripted host for widget tests. It
//! records the URLs opened, text copied, mails sent and broker requests, and
//! answers broker calls from a script.

use std::cell::RefCell;
use std::rc::Rc;

use bt_core::settings::{RawSettings, Settings};
use bt_core::InputError;

use super::{
    BrokerRequest, BrokerResponse, ColorScheme, Host, HostEvent, LocalFuture, Mail, Method, Opened,
    Transport, TransportError,
};

struct Rule {
    method: Method,
    path_prefix: String,
    answer: Result<BrokerResponse, TransportError>,
}

#[derive(Default)]
struct State {
    record: Option<String>,
    record_kind: super::RecordKind,
    raw: RawSettings,
    locale: String,
    scheme: ColorScheme,
    listeners: Vec<Rc<dyn Fn(HostEvent)>>,
    block_popups: bool,
    host_mail: bool,
    customer_email: Option<String>,
    no_transport: bool,
    delay_ms: i32,
    clock_offset_ms: f64,
    rules: Vec<Rule>,
    recorded: Recorded,
}

/// What the widgets asked the host to do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recorded {
    pub opened: Vec<String>,
    pub copied: Vec<String>,
    pub mails: Vec<Mail>,
    pub requests: Vec<BrokerRequest>,
    pub sizes: Vec<(f64, f64)>,
}

/// A host for tests; clones share one state, so a test keeps a handle while
/// the widgets hold another.
#[derive(Clone)]
pub struct FakeHost(Rc<RefCell<State>>);

impl Default for FakeHost {
    fn default() -> Self {
        Self::new()
    }
}

impl FakeHost {
    /// Ticket `4711`, English, every method allowed, two Jumpoints, two
    /// issues, two teams, general queue allowed, desktop console.
    pub fn new() -> Self {
        let raw = RawSettings {
            hostname: "support.example.com".into(),
            issues: "general_tech=General Technical Issues\nbilling=Billing".into(),
            jumpoints: "London DC\nParis DC".into(),
            teams: "7=Tier 2\n9=Network Team".into(),
            allow_pinned_client: true,
            allow_push_local: true,
            allow_push_remote: true,
            allow_rdp: true,
            allow_remote_console: true,
            allow_vpro: true,
            allow_vnc: true,
            allow_general_queue: true,
            console: "desktop".into(),
        };
        Self(Rc::new(RefCell::new(State {
            record: Some("4711".into()),
            raw,
            locale: "en-US".into(),
            ..State::default()
        })))
    }

    /// The host calls its record a case.
    pub fn case_record(self) -> Self {
        self.0.borrow_mut().record_kind = super::RecordKind::Case;
        self
    }

    pub fn record(self, id: Option<&str>) -> Self {
        self.0.borrow_mut().record = id.map(str::to_owned);
        self
    }

    /// Changes the raw settings before the widgets read them.
    pub fn settings_with(self, f: impl FnOnce(&mut RawSettings)) -> Self {
        f(&mut self.0.borrow_mut().raw);
        self
    }

    pub fn locale(self, locale: &str) -> Self {
        self.0.borrow_mut().locale = locale.to_owned();
        self
    }

    pub fn scheme(self, scheme: ColorScheme) -> Self {
        self.0.borrow_mut().scheme = scheme;
        self
    }

    /// `open_url` answers `Blocked`, as when `window.open` returns `null`.
    pub fn block_popups(self) -> Self {
        self.0.borrow_mut().block_popups = true;
        self
    }

    /// The host sends mails itself (`can_send_mail` is `true`).
    pub fn host_mail(self) -> Self {
        self.0.borrow_mut().host_mail = true;
        self
    }

    pub fn customer_email(self, email: &str) -> Self {
        self.0.borrow_mut().customer_email = Some(email.to_owned());
        self
    }

    /// No broker on this page.
    pub fn without_transport(self) -> Self {
        self.0.borrow_mut().no_transport = true;
        self
    }

    /// Every broker answer arrives after `ms` milliseconds.
    pub fn delay_ms(self, ms: i32) -> Self {
        self.0.borrow_mut().delay_ms = ms;
        self
    }

    /// Answers calls whose path starts with `path_prefix` (the newest matching
    /// rule wins).
    pub fn respond(&self, method: Method, path_prefix: &str, status: u16, body: &str) -> &Self {
        self.0.borrow_mut().rules.push(Rule {
            method,
            path_prefix: path_prefix.to_owned(),
            answer: Ok(BrokerResponse {
                status,
                body: body.to_owned(),
            }),
        });
        self
    }

    /// Calls to `path_prefix` fail without an HTTP answer.
    pub fn fail(&self, method: Method, path_prefix: &str, reason: &str) -> &Self {
        self.0.borrow_mut().rules.push(Rule {
            method,
            path_prefix: path_prefix.to_owned(),
            answer: Err(TransportError(reason.to_owned())),
        });
        self
    }

    /// Moves the host's clock forward.
    pub fn advance_clock(&self, ms: f64) {
        self.0.borrow_mut().clock_offset_ms += ms;
    }

    /// Tells the widgets something changed (as a host would).
    pub fn emit(&self, event: HostEvent) {
        {
            let mut s = self.0.borrow_mut();
            match &event {
                HostEvent::Locale(l) => s.locale = l.clone(),
                HostEvent::ColorScheme(c) => s.scheme = *c,
                HostEvent::Record(r) => s.record = r.clone(),
            }
        }
        let listeners = self.0.borrow().listeners.clone();
        for l in listeners {
            l(event.clone());
        }
    }

    pub fn recorded(&self) -> Recorded {
        self.0.borrow().recorded.clone()
    }

    /// The last URL the widgets opened.
    pub fn last_opened(&self) -> Option<String> {
        self.0.borrow().recorded.opened.last().cloned()
    }
}

fn sleep(ms: i32) -> wasm_bindgen_futures::JsFuture {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    wasm_bindgen_futures::JsFuture::from(promise)
}

impl Transport for FakeHost {
    fn send(&self, request: BrokerRequest) -> LocalFuture<Result<BrokerResponse, TransportError>> {
        let (answer, delay) = {
            let mut s = self.0.borrow_mut();
            s.recorded.requests.push(request.clone());
            let answer = s
                .rules
                .iter()
                .rev()
                .find(|r| r.method == request.method && request.path.starts_with(&r.path_prefix))
                .map(|r| r.answer.clone())
                .unwrap_or_else(|| {
                    Err(TransportError(format!(
                        "no scripted answer for {}",
                        request.path
                    )))
                });
            (answer, s.delay_ms)
        };
        Box::pin(async move {
            if delay > 0 {
                let _ = sleep(delay).await;
            }
            answer
        })
    }
}

impl Host for FakeHost {
    fn record_id(&self) -> Option<String> {
        self.0.borrow().record.clone()
    }

    fn record_kind(&self) -> super::RecordKind {
        self.0.borrow().record_kind
    }

    fn settings(&self) -> Result<Settings, Vec<InputError>> {
        super::validate(&self.0.borrow().raw)
    }

    fn locale(&self) -> String {
        self.0.borrow().locale.clone()
    }

    fn customer_email(&self) -> Option<String> {
        self.0.borrow().customer_email.clone()
    }

    fn color_scheme(&self) -> ColorScheme {
        self.0.borrow().scheme
    }

    fn subscribe(&self, listener: Rc<dyn Fn(HostEvent)>) {
        self.0.borrow_mut().listeners.push(listener);
    }

    fn open_url(&self, url: &str) -> Opened {
        let mut s = self.0.borrow_mut();
        s.recorded.opened.push(url.to_owned());
        if s.block_popups {
            Opened::Blocked
        } else {
            Opened::NewTab
        }
    }

    fn copy_text(&self, text: &str) -> LocalFuture<bool> {
        self.0.borrow_mut().recorded.copied.push(text.to_owned());
        Box::pin(async { true })
    }

    fn can_send_mail(&self) -> bool {
        self.0.borrow().host_mail
    }

    fn send_mail(&self, mail: &Mail) {
        self.0.borrow_mut().recorded.mails.push(mail.clone());
    }

    fn transport(&self) -> Option<Rc<dyn Transport>> {
        if self.0.borrow().no_transport {
            None
        } else {
            Some(Rc::new(self.clone()))
        }
    }

    fn resized(&self, width: f64, height: f64) {
        self.0.borrow_mut().recorded.sizes.push((width, height));
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now() + self.0.borrow().clock_offset_ms
    }
}
