//! Small pieces the widgets share: styles, ids, form fields, copy, link
//! results, errors.
//!
//! Size note: every distinct `view!` tree is its own Rust type, and Leptos
//! generates render code per type. Forms are therefore built from data
//! ([`FieldSpec`] rendered by the one [`field`] function) instead of a
//! hand-written tree per form, which keeps the wasm small.

use std::cell::Cell;
use std::rc::Rc;

use bt_core::{Field, InputError};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::host::{Host, Opened};
use crate::i18n::{self, Lang};
use crate::use_ctx;

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

/// `Effect::new` behind one erased closure type: every effect of the widgets
/// shares one copy of the effect machinery (and of its async task) in the
/// wasm instead of one per closure.
pub fn effect(f: impl Fn() + 'static) {
    erased_effect(Box::new(f));
}

fn erased_effect(f: Box<dyn Fn()>) {
    Effect::new(move |_| f());
}

/// `spawn_local` behind one erased future type (one copy of the task glue).
pub fn spawn(fut: impl std::future::Future<Output = ()> + 'static) {
    spawn_boxed(Box::pin(fut));
}

fn spawn_boxed(fut: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>) {
    leptos::task::spawn_local(fut);
}

/// A reactive child (`{move || ...}` in a view) behind one erased closure
/// type: Leptos generates the render/rebuild code of a reactive child per
/// closure type, so every dynamic part of the widgets shares one copy.
pub fn dyn_view(f: impl Fn() -> AnyView + Send + Sync + 'static) -> impl IntoView {
    erased_view(std::sync::Arc::new(f))
}

fn erased_view(f: std::sync::Arc<dyn Fn() -> AnyView + Send + Sync>) -> impl IntoView {
    move || f()
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

/// The message for `field` among `errors`, in `lang`.
pub fn field_error(lang: Lang, errors: &[InputError], field: &Field) -> Option<String> {
    errors
        .iter()
        .find(|e| &e.field == field)
        .map(|e| i18n::problem(lang, &e.problem))
}

/// A form control's kind.
#[derive(Clone)]
pub enum Kind {
    Text(Option<Signal<&'static str>>),
    TextArea,
    /// (value, label) options.
    Select(Signal<Vec<(String, String)>>),
    /// Value `"1"` when checked, `""` otherwise.
    Checkbox,
}

/// One labelled form control with its inline error.
#[derive(Clone)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: Signal<&'static str>,
    pub kind: Kind,
    pub value: RwSignal<String>,
    pub error: Signal<Option<String>>,
}

impl FieldSpec {
    pub fn new(
        name: &'static str,
        label: Signal<&'static str>,
        kind: Kind,
        value: RwSignal<String>,
        error: Signal<Option<String>>,
    ) -> Self {
        Self {
            name,
            label,
            kind,
            value,
            error,
        }
    }
}

/// Renders a [`FieldSpec`]: label, control (`aria-invalid`, described by
/// its error), and the error line.
///
/// The field is built with plain DOM calls inside one Leptos element and kept
/// up to date by a few effects: a `view!` tree with this many reactive
/// attributes costs tens of kilobytes of generated render code per control
/// kind, this costs a few.
pub fn field(spec: FieldSpec) -> impl IntoView {
    let holder = NodeRef::<leptos::html::Div>::new();
    holder.on_load(move |div| build_field(&div, spec));
    view! { <div class="bt-field" node_ref=holder></div> }
}

fn el(doc: &web_sys::Document, tag: &str) -> web_sys::HtmlElement {
    doc.create_element(tag)
        .expect("createElement")
        .unchecked_into()
}

/// Runs `f` on every `kind` event of `target` while the current owner lives.
fn listen(target: &web_sys::EventTarget, kind: &str, f: impl FnMut(web_sys::Event) + 'static) {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    let _ = target.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref());
    let keep = send_wrapper::SendWrapper::new(closure);
    on_cleanup(move || drop(keep));
}

fn build_field(div: &web_sys::HtmlDivElement, spec: FieldSpec) {
    let FieldSpec {
        name,
        label,
        kind,
        value,
        error,
    } = spec;
    let Some(doc) = div.owner_document() else {
        return;
    };
    let id = next_id("f");
    let err_id = format!("{id}-err");
    let label_el = el(&doc, "label");
    let _ = label_el.set_attribute("for", &id);
    let (tag, kind_attr) = match &kind {
        Kind::Text(_) => ("input", Some("text")),
        Kind::TextArea => ("textarea", None),
        Kind::Select(_) => ("select", None),
        Kind::Checkbox => ("input", Some("checkbox")),
    };
    let control = el(&doc, tag);
    control.set_id(&id);
    let _ = control.set_attribute("name", name);
    if let Some(t) = kind_attr {
        let _ = control.set_attribute("type", t);
    }
    if matches!(kind, Kind::TextArea) {
        let _ = control.set_attribute("rows", "3");
    }
    let error_el = el(&doc, "p");
    error_el.set_class_name("bt-field-error");
    error_el.set_id(&err_id);
    error_el.set_hidden(true);
    let checkbox = matches!(kind, Kind::Checkbox);
    if checkbox {
        let _ = div.class_list().add_1("bt-check");
    }
    let _ = div.append_child(&label_el);
    let _ = div.append_child(&control);
    let _ = div.append_child(&error_el);

    // Text that follows the language.
    {
        let label_el = label_el.clone();
        effect(move || label_el.set_text_content(Some(label.get())));
    }
    if let Kind::Text(Some(placeholder)) = kind {
        let control = control.clone();
        effect(move || {
            let _ = control.set_attribute("placeholder", placeholder.get());
        });
    }
    if let Kind::Select(options) = kind {
        let (control, doc) = (control.clone(), doc.clone());
        effect(move || {
            let current = value.get();
            control.set_inner_html("");
            for (v, l) in options.get() {
                let option = el(&doc, "option");
                let _ = option.set_attribute("value", &v);
                option.set_text_content(Some(&l));
                if v == current {
                    let _ = option.set_attribute("selected", "");
                }
                let _ = control.append_child(&option);
            }
            js_sys::Reflect::set(&control, &"value".into(), &current.into()).ok();
        });
    } else {
        // The control shows the value (the checkbox: checked when non-empty).
        let control = control.clone();
        effect(move || {
            let v = value.get();
            if checkbox {
                js_sys::Reflect::set(&control, &"checked".into(), &(!v.is_empty()).into()).ok();
            } else if js_sys::Reflect::get(&control, &"value".into())
                .ok()
                .and_then(|c| c.as_string())
                .as_deref()
                != Some(&v)
            {
                js_sys::Reflect::set(&control, &"value".into(), &v.into()).ok();
            }
        });
    }
    {
        let control = control.clone();
        effect(move || match error.get() {
            Some(message) => {
                let _ = control.set_attribute("aria-invalid", "true");
                let _ = control.set_attribute("aria-describedby", &err_id);
                error_el.set_text_content(Some(&message));
                error_el.set_hidden(false);
            }
            None => {
                let _ = control.remove_attribute("aria-invalid");
                let _ = control.remove_attribute("aria-describedby");
                error_el.set_text_content(None);
                error_el.set_hidden(true);
            }
        });
    }
    let events = if matches!(kind, Kind::Select(_)) || checkbox {
        "change"
    } else {
        "input"
    };
    let target = control.clone();
    listen(&control, events, move |_| {
        let v = if checkbox {
            let on = js_sys::Reflect::get(&target, &"checked".into())
                .ok()
                .and_then(|c| c.as_bool())
                .unwrap_or(false);
            if on {
                "1".to_owned()
            } else {
                String::new()
            }
        } else {
            js_sys::Reflect::get(&target, &"value".into())
                .ok()
                .and_then(|c| c.as_string())
                .unwrap_or_default()
        };
        value.set(v);
    });
}

/// A line of text shown only while `text` is `Some` (field errors, alerts).
pub fn message_line(
    class: &'static str,
    role: Option<&'static str>,
    text: Signal<Option<String>>,
) -> impl IntoView {
    let hidden = Signal::derive(move || text.with(Option::is_none));
    view! { <p class=class role=role hidden=hidden>{text}</p> }
}

/// A read-only value with a label and a Copy button.
#[cfg(feature = "agent")]
#[component]
pub fn CopyField(
    label: Signal<&'static str>,
    #[prop(into)] value: Signal<String>,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let id = next_id("c");
    let status = RwSignal::new(None::<bool>);
    let status_text = Signal::derive(move || match status.get() {
        Some(true) => i18n::agent(lang.get()).copied,
        Some(false) => i18n::agent(lang.get()).copy_failed,
        None => "",
    });
    let copy = move |_| {
        let fut = ctx.host().copy_text(&value.get_untracked());
        spawn(async move {
            let ok = fut.await;
            status.try_set(Some(ok));
        });
    };
    view! {
        <div class=format!("bt-copy {class}")>
            <label for=id.clone()>{label}</label>
            <div class="bt-copy-row">
                <input id=id readonly prop:value=value on:focus=|ev| {
                    if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        i.select();
                    }
                }/>
                <button type="button" class="bt-button bt-secondary" on:click=copy>
                    {crate::tr!(lang, agent.copy)}
                    <span class="bt-visually-hidden">" " {label}</span>
                </button>
            </div>
            <p class="bt-status" aria-live="polite">{status_text}</p>
        </div>
    }
}

/// Where a link went: a short confirmation, or, when the popup was blocked,
/// the link itself to click.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkOutcome {
    pub url: String,
    pub opened: Opened,
}

/// Asks the host to open `url` and records the outcome in `state`.
pub fn open_link(host: &Rc<dyn Host>, url: String, state: RwSignal<Option<LinkOutcome>>) {
    let opened = host.open_url(&url);
    state.set(Some(LinkOutcome { url, opened }));
}

/// Shows a [`LinkOutcome`] (in a live region).
pub fn link_result(
    state: RwSignal<Option<LinkOutcome>>,
    success: Signal<&'static str>,
) -> impl IntoView {
    let lang = use_ctx().lang;
    view! {
        <div class="bt-result" aria-live="polite">
            {dyn_view(move || state.get().map(|o| {
                let blocked = o.opened == Opened::Blocked;
                let text = if blocked { crate::tr!(lang, common.popup_blocked) } else { success };
                view! {
                    <p class=if blocked { "bt-status bt-notice bt-blocked" } else { "bt-status" }>
                        {text}
                        {blocked.then(|| view! {
                            " " <a href=o.url target="_blank" rel="noopener noreferrer">{crate::tr!(lang, common.open_link)}</a>
                        })}
                    </p>
                }
                .into_any()
            }).unwrap_or_else(|| ().into_any()))}
        </div>
    }
}

/// The settings' problems, one per line.
pub fn settings_problems(errors: Vec<InputError>) -> AnyView {
    let lang = use_ctx().lang;
    view! {
        <div class="bt-error bt-settings-problems" role="alert">
            <p class="bt-error-headline">{crate::tr!(lang, common.not_configured)}</p>
            <ul>
                {errors.into_iter().map(|e| view! { <li>{Signal::derive(move || i18n::input_error(lang.get(), &e))}</li> }).collect_view()}
            </ul>
        </div>
    }
    .into_any()
}

#[cfg(feature = "agent")]
pub use agent_only::*;

#[cfg(feature = "agent")]
mod agent_only {
    #[cfg(feature = "broker")]
    use bt_core::wire::ErrorCode;
    use leptos::prelude::*;

    #[cfg(feature = "broker")]
    use crate::broker::BrokerError;
    #[cfg(feature = "broker")]
    use crate::i18n::Lang;
    use crate::use_ctx;

    /// The localized headline for a broker failure.
    #[cfg(feature = "broker")]
    pub fn broker_headline(lang: Lang, e: &BrokerError) -> &'static str {
        let b = crate::i18n::broker(lang);
        match e {
            BrokerError::NoBroker => b.no_broker,
            BrokerError::Network(_) => b.network,
            BrokerError::BadResponse => b.bad_response,
            BrokerError::Api { code, .. } => match code {
                ErrorCode::Unauthorized => b.unauthorized,
                ErrorCode::ForbiddenOrigin => b.forbidden_origin,
                ErrorCode::InvalidInput => b.invalid_input,
                ErrorCode::RateLimited => b.rate_limited,
                ErrorCode::RepNotFound => b.rep_not_found,
                ErrorCode::RepNotAvailable => b.rep_not_available,
                ErrorCode::ApplianceUnreachable => b.appliance_unreachable,
                ErrorCode::ApplianceAuthFailed => b.appliance_auth_failed,
                ErrorCode::ApplianceError => b.appliance_error,
                _ => b.other,
            },
        }
    }

    /// A broker failure: the localized headline, then the broker's own words.
    #[cfg(feature = "broker")]
    pub fn broker_error(error: BrokerError) -> AnyView {
        let lang = use_ctx().lang;
        let code = match &error {
            BrokerError::Api { code, .. } => code.as_str(),
            BrokerError::NoBroker => "no_broker",
            BrokerError::Network(_) => "network",
            BrokerError::BadResponse => "bad_response",
        };
        let detail = match &error {
            BrokerError::Api { message, .. } => message.clone(),
            BrokerError::Network(m) => Some(m.clone()).filter(|m| !m.is_empty()),
            _ => None,
        };
        let headline = Signal::derive(move || broker_headline(lang.get(), &error));
        view! {
            <div class="bt-error" role="alert" data-code=code>
                <p class="bt-error-headline">{headline}</p>
                {detail.map(|d| view! {
                    <p class="bt-error-detail">{crate::tr!(lang, broker.details)} " " {d}</p>
                })}
            </div>
        }
        .into_any()
    }

    /// Where an optional broker failure shows.
    #[cfg(feature = "broker")]
    pub fn error_slot(error: Signal<Option<BrokerError>>) -> impl IntoView {
        crate::ui::dyn_view(move || {
            error
                .get()
                .map(broker_error)
                .unwrap_or_else(|| ().into_any())
        })
    }

    /// Renders a widget's body from the settings and the record id.
    pub type Render =
        std::sync::Arc<dyn Fn(&bt_core::settings::Settings, String) -> AnyView + Send + Sync>;

    /// The body of an agent widget: the settings' problems, "save the ticket
    /// first", or `render(settings, record id)` (again when the record
    /// changes). One erased renderer keeps one copy of this logic in the wasm.
    pub fn gated(render: Render) -> impl IntoView {
        let ctx = use_ctx();
        let record = ctx.record;
        crate::ui::dyn_view(move || match (ctx.settings(), record.get()) {
            (Err(errors), _) => super::settings_problems(errors.to_vec()),
            (Ok(_), None) => save_first(),
            (Ok(settings), Some(id)) => render(settings, id),
        })
    }

    /// "Save the ticket first".
    pub fn save_first() -> AnyView {
        let lang = use_ctx().lang;
        view! { <p class="bt-notice bt-save-first" role="status">{crate::tr!(lang, agent.save_first)}</p> }.into_any()
    }
}
