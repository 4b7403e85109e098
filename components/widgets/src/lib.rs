//! `bt-widgets`: the Leptos (CSR) widgets agents and customers use.
//!
//! Mount any widget inside [`WidgetRoot`], which takes the page's [`Host`]:
//!
//! ```ignore
//! let host: Rc<dyn Host> = StandaloneHost::from_page();
//! leptos::mount::mount_to(bt_widgets::app_root(), move || view! {
//!     <WidgetRoot host=host><CaseId/><SessionKeyPanel/></WidgetRoot>
//! })
//! .forget();
//! bt_widgets::mark_ready();
//! ```
//!
//! Each widget lives in its own folder with its stylesheet beside it; the
//! stylesheet is added to the page once, when the widget first renders. The
//! colours come from CSS variables set by the themes in `static/`.

use std::rc::Rc;
use std::sync::Arc;

use bt_core::settings::Settings;
use bt_core::InputError;
use leptos::prelude::*;
use send_wrapper::SendWrapper;

#[cfg(feature = "broker")]
pub mod broker;
pub mod host;
pub mod i18n;
#[cfg(feature = "broker")]
mod time;
#[cfg_attr(not(feature = "agent"), allow(dead_code))]
pub mod ui;

mod click_to_chat;
pub use click_to_chat::ClickToChat;

#[cfg(feature = "agent")]
mod case_id;
#[cfg(feature = "broker")]
mod history;
#[cfg(feature = "agent")]
mod jump;
#[cfg(feature = "agent")]
mod session_key;
#[cfg(feature = "agent")]
pub use {case_id::CaseId, jump::JumpTo, session_key::ConsoleSessionKey};
#[cfg(feature = "broker")]
pub use {history::SessionHistory, session_key::SessionKeyPanel};

pub use host::web::mark_ready;
pub use host::{ColorScheme, Host, HostEvent, Opened, RecordKind, StandaloneHost};
pub use i18n::Lang;

/// What every widget reads: the host, and the reactive state the host can
/// change after mounting (language, colour scheme, record id).
#[derive(Clone)]
pub struct Ctx {
    host: SendWrapper<Rc<dyn Host>>,
    pub lang: RwSignal<Lang>,
    pub scheme: RwSignal<ColorScheme>,
    pub record: RwSignal<Option<String>>,
    settings: Arc<SendWrapper<Result<Settings, Vec<InputError>>>>,
    /// The broker failures on screen (see `ui::broker_error`), so one
    /// failure reaching several widgets is spelled out once.
    #[cfg(feature = "broker")]
    pub(crate) errors_shown: RwSignal<Vec<ui::ShownError>>,
}

impl Ctx {
    fn new(host: Rc<dyn Host>) -> Self {
        let settings = Arc::new(SendWrapper::new(host.settings()));
        Self {
            lang: RwSignal::new(Lang::En),
            scheme: RwSignal::new(host.color_scheme()),
            record: RwSignal::new(host.record_id().filter(|r| !r.trim().is_empty())),
            host: SendWrapper::new(host),
            settings,
            #[cfg(feature = "broker")]
            errors_shown: RwSignal::new(Vec::new()),
        }
    }

    pub fn host(&self) -> &Rc<dyn Host> {
        &self.host
    }

    /// The validated settings, or what is wrong with them.
    pub fn settings(&self) -> Result<&Settings, &[InputError]> {
        match &**self.settings {
            Ok(s) => Ok(s),
            Err(e) => Err(e),
        }
    }
}

/// Where an app mounts its widgets: the page's `<main id="bt-app">` (a main
/// landmark for assistive technology) when it has one, else `<body>`.
pub fn app_root() -> web_sys::HtmlElement {
    use wasm_bindgen::JsCast;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    match doc.get_element_by_id("bt-app") {
        Some(el) => el.unchecked_into(),
        None => doc.body().expect("a body"),
    }
}

/// The widgets' context; panics outside [`WidgetRoot`].
pub fn use_ctx() -> Ctx {
    use_context::<Ctx>().expect("bt-widgets: render widgets inside <WidgetRoot>")
}

/// Shows `to` at once when the widgets have its strings (English, a bundled
/// or an already loaded language), else once its file has loaded
/// ([`i18n::prepare`]); until then, or if it cannot load, the page stays in
/// the language it shows. An app that awaits `prepare` before mounting never
/// shows English first.
/// `wanted` is the host's latest choice: a file that arrives after the host
/// has moved on to another language changes nothing.
fn switch_language(lang: RwSignal<Lang>, wanted: StoredValue<Lang>, to: Lang) {
    wanted.set_value(to);
    if i18n::available(to) {
        lang.try_set(to);
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        if i18n::prepare(to).await && wanted.try_get_value() == Some(to) {
            lang.try_set(to);
        }
    });
}

/// Loads the language of `host`'s user if the app does not bundle it (see
/// [`i18n::prepare`]): awaited before mounting, the first paint is already
/// in that language.
pub async fn prepare_language(host: &dyn Host) {
    i18n::prepare(Lang::from_locale(&host.locale())).await;
}

/// The root every app mounts: provides the host to the widgets, follows the
/// host's language and colour scheme, and reports size changes to the host.
#[component]
pub fn WidgetRoot(host: Rc<dyn Host>, children: Children) -> impl IntoView {
    ui::use_style("bt-root", include_str!("root.css"));
    let ctx = Ctx::new(Rc::clone(&host));
    let (lang, scheme, record) = (ctx.lang, ctx.scheme, ctx.record);
    let wanted = StoredValue::new(Lang::En);
    switch_language(lang, wanted, Lang::from_locale(&host.locale()));
    host.subscribe(Rc::new(move |event| match event {
        HostEvent::Locale(l) => switch_language(lang, wanted, Lang::from_locale(&l)),
        HostEvent::ColorScheme(s) => {
            scheme.try_set(s);
        }
        HostEvent::Record(r) => {
            record.try_set(r.filter(|r| !r.trim().is_empty()));
        }
    }));
    provide_context(ctx);
    let root = NodeRef::<leptos::html::Div>::new();
    let host = SendWrapper::new(host);
    root.on_load(move |el| ui::observe_size(&el, host.take()));
    let tag = Signal::derive(move || lang.get().tag());
    let theme = Signal::derive(move || scheme.get().data_theme());
    view! {
        <div class="bt-root" node_ref=root lang=tag data-theme=theme>
            {children()}
        </div>
    }
}
