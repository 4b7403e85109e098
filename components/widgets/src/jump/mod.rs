//! JumpTo: the Jump forms of the vendor guides — "Jump To" (pinned client
//! search), "Push and Start Local", "Push and Start Remote", "Start RDP
//! Session", "Start Shell Session", "Start vPro Session" — plus VNC. A form is
//! offered only when the settings allow its method, one at a time behind a
//! "Jump method" list; core validates the input and builds the client script
//! link; the ticket id travels as the external key.

use bt_core::client_script::{ClientScript, Console, JumpInput, JumpMethod};
use bt_core::settings::Settings;
use bt_core::values::ExternalKey;
use bt_core::{Field, InputError};
use leptos::prelude::*;

use crate::i18n::{self, jump, JumpText, Lang};
use crate::ui::{
    enter_submits, field, field_error, focus_first_invalid, gated, link_result, message_line,
    open_link, use_style, FieldSpec, Kind, LinkOutcome,
};
use crate::{tr, use_ctx};

/// The methods this widget offers, in the guides' order. The web console has
/// no vPro form (the web Jump To of the guides lists none).
pub fn offered_methods(settings: &Settings, console: Console) -> Vec<JumpMethod> {
    settings
        .methods
        .allowed()
        .into_iter()
        .filter(|m| !(console == Console::Web && *m == JumpMethod::Vpro))
        .collect()
}

/// The Jump forms. `console` overrides the settings' console; `target`
/// prefills the hostname and search fields (e.g. an asset from the host).
#[component]
pub fn JumpTo(
    #[prop(optional)] console: Option<Console>,
    #[prop(optional, into)] target: Option<String>,
) -> impl IntoView {
    use_style("bt-jump", include_str!("style.css"));
    let ctx = use_ctx();
    let lang = ctx.lang;
    let target = target.unwrap_or_default();
    let body = gated(std::sync::Arc::new(move |settings, record| {
        let console = console.unwrap_or(settings.console);
        let methods = offered_methods(settings, console);
        if methods.is_empty() {
            return view! { <p class="bt-notice">{tr!(lang, jump.no_methods)}</p> }.into_any();
        }
        // One form at a time, picked from a "Jump method" list as in the
        // representative console's Jump To dialog: seven stacked forms would
        // fill a ticket sidebar. The others stay mounted (hidden), so what an
        // agent typed in one survives a look at another.
        let chosen = RwSignal::new(methods[0].as_str().to_owned());
        let picker = (methods.len() > 1).then(|| {
            let list = methods.clone();
            let options = Signal::derive(move || {
                let a = jump(lang.get());
                list.iter()
                    .map(|m| (m.as_str().to_owned(), method_label(a, *m).to_owned()))
                    .collect()
            });
            field(FieldSpec::new(
                "method",
                tr!(lang, jump.f_method),
                Kind::Select(options),
                chosen,
                Signal::derive(|| None),
            ))
        });
        let forms = methods
            .into_iter()
            .map(|method| {
                let shown = Signal::derive(move || chosen.get() == method.as_str());
                view! {
                    <JumpForm method=method settings=settings.clone() console=console
                        record=record.clone() target=target.clone() shown=shown/>
                }
            })
            .collect_view();
        view! { <div class="bt-jump-picker">{picker}</div> {forms} }.into_any()
    }));
    view! {
        <section class="bt-widget bt-jump">
            <h2 class="bt-title">{tr!(lang, jump.m_pinned)}</h2>
            {body}
        </section>
    }
}

fn method_label(a: &JumpText, m: JumpMethod) -> &'static str {
    match m {
        JumpMethod::Pinned => a.m_pinned,
        JumpMethod::Local => a.m_local,
        JumpMethod::Remote => a.m_remote,
        JumpMethod::Rdp => a.m_rdp,
        JumpMethod::Shell => a.m_shell,
        JumpMethod::Vpro => a.m_vpro,
        JumpMethod::Vnc => a.m_vnc,
    }
}

/// A keyword option: its value and how to label it.
type Keyword = (&'static str, fn(&JumpText) -> &'static str);

/// (value, label) options with a leading "Default" (empty) choice.
fn keyword_options(lang: Lang, items: &[Keyword]) -> Vec<(String, String)> {
    let a = jump(lang);
    std::iter::once((String::new(), a.default_option.to_owned()))
        .chain(
            items
                .iter()
                .map(|(v, l)| ((*v).to_owned(), l(a).to_owned())),
        )
        .collect()
}

#[component]
fn JumpForm(
    method: JumpMethod,
    settings: Settings,
    console: Console,
    record: String,
    target: String,
    /// Whether the method picker has this form chosen.
    shown: Signal<bool>,
) -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let jumpoint_optional = method == JumpMethod::Vnc;
    let first_jumpoint = if jumpoint_optional {
        String::new()
    } else {
        settings
            .jumpoints
            .first()
            .map(|j| j.to_string())
            .unwrap_or_default()
    };

    let search = RwSignal::new(if method == JumpMethod::Pinned {
        target.clone()
    } else {
        String::new()
    });
    let target = RwSignal::new(target);
    let jumpoint = RwSignal::new(first_jumpoint);
    let username = RwSignal::new(String::new());
    let display_size = RwSignal::new(String::new());
    let quality = RwSignal::new(String::new());
    let console_session = RwSignal::new(String::new());
    let protocol = RwSignal::new(String::new());
    let port = RwSignal::new(String::new());
    let terminal = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<InputError>::new());
    let outcome = RwSignal::new(None::<LinkOutcome>);

    let err =
        move |field: Field| Signal::derive(move || field_error(lang.get(), &errors.get(), &field));

    let submit = {
        let ctx = ctx.clone();
        let host = settings.host.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let input = JumpInput {
                search: search.get_untracked(),
                target: target.get_untracked(),
                jumpoint: jumpoint.get_untracked(),
                username: username.get_untracked(),
                display_size: display_size.get_untracked(),
                quality: quality.get_untracked(),
                console: !console_session.get_untracked().is_empty(),
                protocol: protocol.get_untracked(),
                port: port.get_untracked(),
                terminal: terminal.get_untracked(),
            };
            let action = input.to_action(method);
            let key = ExternalKey::parse(&record);
            match (action, key) {
                (Ok(action), Ok(key)) => {
                    errors.set(Vec::new());
                    let url = ClientScript::new(host.clone(), action)
                        .console(console)
                        .external_key(&key)
                        .to_url();
                    open_link(ctx.host(), url, outcome);
                }
                (action, key) => {
                    let mut all = action.err().unwrap_or_default();
                    all.extend(key.err());
                    outcome.set(None);
                    errors.set(all);
                    focus_first_invalid(&ev);
                }
            }
        }
    };

    let label = Signal::derive(move || method_label(jump(lang.get()), method));
    let names: Vec<String> = settings.jumpoints.iter().map(|j| j.to_string()).collect();
    let jumpoint_options = Signal::derive(move || {
        let none = jumpoint_optional.then(|| {
            (
                String::new(),
                crate::i18n::jump(lang.get()).none_option.to_owned(),
            )
        });
        none.into_iter()
            .chain(names.iter().map(|n| (n.clone(), n.clone())))
            .collect()
    });
    let text = |name, label, value, field, placeholder| {
        FieldSpec::new(name, label, Kind::Text(placeholder), value, err(field))
    };
    let select = |name, label, value, field, options| {
        FieldSpec::new(name, label, Kind::Select(options), value, err(field))
    };
    let host_placeholder = Some(tr!(lang, jump.placeholder_host));
    let target_field = |field: Field| {
        let label = if field == Field::Hostname {
            tr!(lang, jump.f_hostname)
        } else {
            tr!(lang, jump.f_target)
        };
        text("target", label, target, field, host_placeholder)
    };
    let jumpoint_field = select(
        "jumpoint",
        tr!(lang, jump.f_jumpoint),
        jumpoint,
        Field::Jumpoint,
        jumpoint_options,
    );
    let username_field = text(
        "username",
        tr!(lang, jump.f_username),
        username,
        Field::Username,
        None,
    );
    let port_field = text("port", tr!(lang, jump.f_port), port, Field::Port, None);

    let (main, more): (Vec<FieldSpec>, Vec<FieldSpec>) = match method {
        JumpMethod::Pinned => (
            vec![text(
                "search",
                tr!(lang, jump.f_search),
                search,
                Field::SearchString,
                Some(tr!(lang, jump.placeholder_search)),
            )],
            vec![],
        ),
        JumpMethod::Local => (vec![target_field(Field::Hostname)], vec![]),
        JumpMethod::Remote | JumpMethod::Vpro => {
            (vec![target_field(Field::Target), jumpoint_field], vec![])
        }
        JumpMethod::Vnc => (
            vec![target_field(Field::Target), jumpoint_field, port_field],
            vec![],
        ),
        JumpMethod::Rdp => {
            let sizes = Signal::derive(move || {
                keyword_options(
                    lang.get(),
                    &[
                        ("primary_display", |a| a.primary_display),
                        ("all_displays", |a| a.all_displays),
                        ("1024x768", |_| "1024 × 768"),
                        ("1280x720", |_| "1280 × 720"),
                        ("1280x1024", |_| "1280 × 1024"),
                        ("1920x1080", |_| "1920 × 1080"),
                    ],
                )
            });
            let qualities = Signal::derive(move || {
                keyword_options(
                    lang.get(),
                    &[
                        ("low", |a| a.q_low),
                        ("performance", |a| a.q_performance),
                        ("performance_quality", |a| a.q_performance_quality),
                        ("quality", |a| a.q_quality),
                    ],
                )
            });
            (
                vec![target_field(Field::Target), jumpoint_field],
                vec![
                    username_field,
                    select(
                        "display_size",
                        tr!(lang, jump.f_display_size),
                        display_size,
                        Field::DisplaySize,
                        sizes,
                    ),
                    select(
                        "quality",
                        tr!(lang, jump.f_quality),
                        quality,
                        Field::Quality,
                        qualities,
                    ),
                    FieldSpec::new(
                        "console",
                        tr!(lang, jump.f_console),
                        Kind::Checkbox,
                        console_session,
                        Signal::derive(|| None),
                    ),
                ],
            )
        }
        JumpMethod::Shell => {
            let protocols = Signal::derive(move || {
                keyword_options(lang.get(), &[("ssh", |_| "SSH"), ("telnet", |_| "Telnet")])
            });
            let terminals = Signal::derive(move || {
                keyword_options(
                    lang.get(),
                    &[("xterm", |_| "xterm"), ("vt100", |_| "VT100")],
                )
            });
            (
                vec![target_field(Field::Target), jumpoint_field],
                vec![
                    username_field,
                    select(
                        "protocol",
                        tr!(lang, jump.f_protocol),
                        protocol,
                        Field::Protocol,
                        protocols,
                    ),
                    port_field,
                    select(
                        "terminal",
                        tr!(lang, jump.f_terminal),
                        terminal,
                        Field::Terminal,
                        terminals,
                    ),
                ],
            )
        }
    };
    let has_more = !more.is_empty();

    // Problems that belong to no visible field (e.g. an over-long ticket id).
    let other_errors = Signal::derive(move || {
        let shown = [
            Field::SearchString,
            Field::Target,
            Field::Hostname,
            Field::Jumpoint,
            Field::Username,
            Field::DisplaySize,
            Field::Quality,
            Field::Port,
            Field::Protocol,
            Field::Terminal,
        ];
        let texts: Vec<String> = errors
            .get()
            .into_iter()
            .filter(|e| !shown.contains(&e.field))
            .map(|e| i18n::input_error(lang.get(), &e))
            .collect();
        (!texts.is_empty()).then(|| texts.join(" "))
    });

    view! {
        <form class="bt-form bt-jump-form" data-method=method.as_str() aria-label=label on:submit=submit
            hidden=move || !shown.get()
            on:keydown=enter_submits novalidate>
            <div class="bt-jump-fields">{main.into_iter().map(field).collect_view()}</div>
            {has_more.then(|| view! {
                <details class="bt-more">
                    <summary>{tr!(lang, jump.more_options)}</summary>
                    <div class="bt-jump-fields">{more.into_iter().map(field).collect_view()}</div>
                </details>
            })}
            <button type="submit" class="bt-button bt-primary">{label}</button>
            {message_line("bt-field-error", Some("alert"), other_errors)}
            {link_result(outcome, tr!(lang, jump.jump_sent))}
        </form>
    }
}
