//! JumpTo: the Jump forms of BeyondTrust's own integrations — "Jump To"
//! (pinned client search), "Push and Start Local", "Push and Start Remote",
//! "Start RDP Session", "Start Shell Session", "Start vPro Session" — plus
//! VNC. A form is offered only when the settings allow its method, one at a
//! time behind a "Jump method" list; core validates the input and builds the
//! client script link; the ticket id travels as the external key.

use std::rc::Rc;

use bt_core::client_script::{ClientScript, Console, JumpInput, JumpMethod};
use bt_core::settings::Settings;
use bt_core::values::{ApplianceHost, ExternalKey};
use bt_core::{Field, InputError};
use leptos::prelude::*;

use crate::i18n::{self, jump, JumpText, Lang};
use crate::ui::{
    enter_submits, field, field_error, focus_first_invalid, gated, link_result, message_line,
    open_link, use_style, FieldSpec, Kind, LinkOutcome,
};
use crate::{tr, use_ctx, Host};

/// The methods the settings turn on for `console`, in the order
/// BeyondTrust's integrations list them. The web console has no vPro form
/// (their web Jump To has none).
fn enabled_methods(settings: &Settings, console: Console) -> impl Iterator<Item = JumpMethod> {
    settings
        .methods
        .allowed()
        .into_iter()
        .filter(move |m| !(console == Console::Web && *m == JumpMethod::Vpro))
}

/// Whether `method` cannot work with these settings: it needs a Jumpoint
/// and none is set up.
fn lacks_jumpoint(settings: &Settings, method: JumpMethod) -> bool {
    method.needs_jumpoint() && settings.jumpoints.is_empty()
}

/// The methods this widget offers.
pub fn offered_methods(settings: &Settings, console: Console) -> Vec<JumpMethod> {
    enabled_methods(settings, console)
        .filter(|m| !lacks_jumpoint(settings, *m))
        .collect()
}

/// The admin setting that turns `method` on, by its name in the settings.
fn setting_name(method: JumpMethod) -> &'static str {
    match method {
        JumpMethod::Pinned => "Allow Jump-To Pinned Client Session",
        JumpMethod::Local => "Allow Push and Start Local Jump Session",
        JumpMethod::Remote => "Allow Push and Start Remote Jump Session",
        JumpMethod::Rdp => "Allow Remote Desktop (RDP) Session",
        JumpMethod::Shell => "Allow Remote Console Session",
        JumpMethod::Vpro => "Allow vPro Session",
        JumpMethod::Vnc => "Allow VNC Session",
    }
}

/// One line per method turned on without a Jumpoint: which method is out,
/// and which setting to ask an admin about.
fn unavailable_methods(
    lang: RwSignal<Lang>,
    settings: &Settings,
    console: Console,
) -> impl IntoView {
    enabled_methods(settings, console)
        .filter(|m| lacks_jumpoint(settings, *m))
        .map(|m| {
            let text = Signal::derive(move || {
                let a = jump(lang.get());
                i18n::fill(
                    a.needs_jumpoint_ask_admin,
                    &[method_label(a, m), setting_name(m)],
                )
            });
            view! { <p class="bt-notice bt-jump-unavailable" data-method=m.as_str()>{text}</p> }
        })
        .collect_view()
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
        let unavailable = unavailable_methods(lang, settings, console);
        if methods.is_empty() {
            let none = enabled_methods(settings, console).next().is_none();
            return view! {
                {unavailable}
                {none.then(|| view! { <p class="bt-notice">{tr!(lang, jump.no_methods)}</p> })}
            }
            .into_any();
        }
        // One form at a time, picked from a "Jump method" list as in the
        // representative console's Jump To dialog: seven stacked forms would
        // fill a ticket sidebar. The others stay mounted (hidden; each builds
        // its fields when first shown), so what an agent typed in one
        // survives a look at another.
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
        view! { {unavailable} <div class="bt-jump-picker">{picker}</div> {forms} }.into_any()
    }));
    view! {
        <section class="bt-widget bt-jump">
            <h2 class="bt-title">{tr!(lang, jump.title)}</h2>
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

/// What the agent typed in one Jump form, one signal per control (only the
/// method's own controls are shown; the rest stay empty).
#[derive(Clone, Copy)]
struct JumpValues {
    search: RwSignal<String>,
    target: RwSignal<String>,
    jumpoint: RwSignal<String>,
    username: RwSignal<String>,
    display_size: RwSignal<String>,
    quality: RwSignal<String>,
    console_session: RwSignal<String>,
    protocol: RwSignal<String>,
    port: RwSignal<String>,
    terminal: RwSignal<String>,
}

impl JumpValues {
    /// `target` prefills the pinned search or the target host; the Jumpoint
    /// starts at the first configured one, except for VNC, where it is
    /// optional and starts at "None".
    fn new(method: JumpMethod, settings: &Settings, target: String) -> Self {
        let first_jumpoint = if method == JumpMethod::Vnc {
            String::new()
        } else {
            settings
                .jumpoints
                .first()
                .map(|j| j.to_string())
                .unwrap_or_default()
        };
        let empty = || RwSignal::new(String::new());
        Self {
            search: RwSignal::new(if method == JumpMethod::Pinned {
                target.clone()
            } else {
                String::new()
            }),
            target: RwSignal::new(target),
            jumpoint: RwSignal::new(first_jumpoint),
            username: empty(),
            display_size: empty(),
            quality: empty(),
            console_session: empty(),
            protocol: empty(),
            port: empty(),
            terminal: empty(),
        }
    }

    fn input(&self) -> JumpInput {
        JumpInput {
            search: self.search.get_untracked(),
            target: self.target.get_untracked(),
            jumpoint: self.jumpoint.get_untracked(),
            username: self.username.get_untracked(),
            display_size: self.display_size.get_untracked(),
            quality: self.quality.get_untracked(),
            console: !self.console_session.get_untracked().is_empty(),
            protocol: self.protocol.get_untracked(),
            port: self.port.get_untracked(),
            terminal: self.terminal.get_untracked(),
        }
    }
}

/// The fields a form shows its errors at; any other problem (e.g. an
/// over-long ticket id) is listed under the button.
const SHOWN_FIELDS: [Field; 10] = [
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

/// The form's current problems, and how to show them.
#[derive(Clone, Copy)]
struct FormErrors {
    lang: RwSignal<Lang>,
    errors: RwSignal<Vec<InputError>>,
}

impl FormErrors {
    /// The message at `field`.
    fn at(self, field: Field) -> Signal<Option<String>> {
        Signal::derive(move || field_error(self.lang.get(), &self.errors.get(), &field))
    }

    /// The problems of no shown field, in one line.
    fn elsewhere(self) -> Signal<Option<String>> {
        Signal::derive(move || {
            let texts: Vec<String> = self
                .errors
                .get()
                .into_iter()
                .filter(|e| !SHOWN_FIELDS.contains(&e.field))
                .map(|e| i18n::input_error(self.lang.get(), &e))
                .collect();
            (!texts.is_empty()).then(|| texts.join(" "))
        })
    }
}

/// Builds the form's fields: those always shown, and those under "More
/// options" (RDP and shell only).
struct FieldSets<'a> {
    lang: RwSignal<Lang>,
    method: JumpMethod,
    settings: &'a Settings,
    values: JumpValues,
    errors: FormErrors,
}

impl FieldSets<'_> {
    fn split(&self) -> (Vec<FieldSpec>, Vec<FieldSpec>) {
        match self.method {
            JumpMethod::Pinned => (vec![self.search()], vec![]),
            JumpMethod::Local => (vec![self.target(Field::Hostname)], vec![]),
            JumpMethod::Remote | JumpMethod::Vpro => {
                (vec![self.target(Field::Target), self.jumpoint()], vec![])
            }
            JumpMethod::Vnc => (
                vec![self.target(Field::Target), self.jumpoint(), self.port()],
                vec![],
            ),
            JumpMethod::Rdp => (
                vec![self.target(Field::Target), self.jumpoint()],
                self.rdp_options(),
            ),
            JumpMethod::Shell => (
                vec![self.target(Field::Target), self.jumpoint()],
                self.shell_options(),
            ),
        }
    }

    fn text(
        &self,
        name: &'static str,
        label: Signal<&'static str>,
        value: RwSignal<String>,
        field: Field,
        placeholder: Option<Signal<&'static str>>,
    ) -> FieldSpec {
        FieldSpec::new(
            name,
            label,
            Kind::Text(placeholder),
            value,
            self.errors.at(field),
        )
    }

    fn select(
        &self,
        name: &'static str,
        label: Signal<&'static str>,
        value: RwSignal<String>,
        field: Field,
        options: Signal<Vec<(String, String)>>,
    ) -> FieldSpec {
        FieldSpec::new(
            name,
            label,
            Kind::Select(options),
            value,
            self.errors.at(field),
        )
    }

    /// A keyword list with a leading "Default" choice.
    fn keywords(&self, items: &'static [Keyword]) -> Signal<Vec<(String, String)>> {
        let lang = self.lang;
        Signal::derive(move || keyword_options(lang.get(), items))
    }

    fn search(&self) -> FieldSpec {
        let lang = self.lang;
        self.text(
            "search",
            tr!(lang, jump.f_search),
            self.values.search,
            Field::SearchString,
            Some(tr!(lang, jump.placeholder_search)),
        )
    }

    /// The host to jump to: "Hostname" for a local push, else "Target".
    fn target(&self, field: Field) -> FieldSpec {
        let lang = self.lang;
        let label = if field == Field::Hostname {
            tr!(lang, jump.f_hostname)
        } else {
            tr!(lang, jump.f_target)
        };
        let placeholder = Some(tr!(lang, jump.placeholder_host));
        self.text("target", label, self.values.target, field, placeholder)
    }

    /// The configured Jumpoints (VNC may use none).
    fn jumpoint(&self) -> FieldSpec {
        let lang = self.lang;
        let optional = self.method == JumpMethod::Vnc;
        let names: Vec<String> = self
            .settings
            .jumpoints
            .iter()
            .map(|j| j.to_string())
            .collect();
        let options = Signal::derive(move || {
            let none = optional.then(|| (String::new(), jump(lang.get()).none_option.to_owned()));
            none.into_iter()
                .chain(names.iter().map(|n| (n.clone(), n.clone())))
                .collect()
        });
        self.select(
            "jumpoint",
            tr!(lang, jump.f_jumpoint),
            self.values.jumpoint,
            Field::Jumpoint,
            options,
        )
    }

    fn username(&self) -> FieldSpec {
        let lang = self.lang;
        let label = tr!(lang, jump.f_username);
        self.text(
            "username",
            label,
            self.values.username,
            Field::Username,
            None,
        )
    }

    fn port(&self) -> FieldSpec {
        let label = tr!(self.lang, jump.f_port);
        self.text("port", label, self.values.port, Field::Port, None)
    }

    fn rdp_options(&self) -> Vec<FieldSpec> {
        const SIZES: [Keyword; 6] = [
            ("primary_display", |a| a.primary_display),
            ("all_displays", |a| a.all_displays),
            ("1024x768", |_| "1024 × 768"),
            ("1280x720", |_| "1280 × 720"),
            ("1280x1024", |_| "1280 × 1024"),
            ("1920x1080", |_| "1920 × 1080"),
        ];
        const QUALITIES: [Keyword; 4] = [
            ("low", |a| a.q_low),
            ("performance", |a| a.q_performance),
            ("performance_quality", |a| a.q_performance_quality),
            ("quality", |a| a.q_quality),
        ];
        let lang = self.lang;
        vec![
            self.username(),
            self.select(
                "display_size",
                tr!(lang, jump.f_display_size),
                self.values.display_size,
                Field::DisplaySize,
                self.keywords(&SIZES),
            ),
            self.select(
                "quality",
                tr!(lang, jump.f_quality),
                self.values.quality,
                Field::Quality,
                self.keywords(&QUALITIES),
            ),
            FieldSpec::new(
                "console",
                tr!(lang, jump.f_console),
                Kind::Checkbox,
                self.values.console_session,
                Signal::derive(|| None),
            ),
        ]
    }

    fn shell_options(&self) -> Vec<FieldSpec> {
        const PROTOCOLS: [Keyword; 2] = [("ssh", |_| "SSH"), ("telnet", |_| "Telnet")];
        const TERMINALS: [Keyword; 2] = [("xterm", |_| "xterm"), ("vt100", |_| "VT100")];
        let lang = self.lang;
        vec![
            self.username(),
            self.select(
                "protocol",
                tr!(lang, jump.f_protocol),
                self.values.protocol,
                Field::Protocol,
                self.keywords(&PROTOCOLS),
            ),
            self.port(),
            self.select(
                "terminal",
                tr!(lang, jump.f_terminal),
                self.values.terminal,
                Field::Terminal,
                self.keywords(&TERMINALS),
            ),
        ]
    }
}

/// What a submit needs to build the link.
struct JumpLink {
    method: JumpMethod,
    appliance: ApplianceHost,
    console: Console,
    record: String,
    values: JumpValues,
    errors: RwSignal<Vec<InputError>>,
    outcome: RwSignal<Option<LinkOutcome>>,
}

impl JumpLink {
    /// Core validates the input and the ticket id: the link opens, or the
    /// problems show at their fields and focus moves to the first.
    fn submit(&self, host: &Rc<dyn Host>, ev: &leptos::ev::SubmitEvent) {
        ev.prevent_default();
        let action = self.values.input().to_action(self.method);
        let key = ExternalKey::parse(&self.record);
        match (action, key) {
            (Ok(action), Ok(key)) => {
                self.errors.set(Vec::new());
                let url = ClientScript::new(self.appliance.clone(), action)
                    .console(self.console)
                    .external_key(&key)
                    .to_url();
                open_link(host, url, self.outcome);
            }
            (action, key) => {
                let mut all = action.err().unwrap_or_default();
                all.extend(key.err());
                self.outcome.set(None);
                self.errors.set(all);
                focus_first_invalid(ev);
            }
        }
    }
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
    let values = JumpValues::new(method, &settings, target);
    let errors = FormErrors {
        lang,
        errors: RwSignal::new(Vec::new()),
    };
    let outcome = RwSignal::new(None::<LinkOutcome>);
    let (main, more) = FieldSets {
        lang,
        method,
        settings: &settings,
        values,
        errors,
    }
    .split();
    let has_more = !more.is_empty();
    let link = JumpLink {
        method,
        appliance: settings.host.clone(),
        console,
        record,
        values,
        errors: errors.errors,
        outcome,
    };
    let submit = move |ev: leptos::ev::SubmitEvent| link.submit(ctx.host(), &ev);
    let label = Signal::derive(move || method_label(jump(lang.get()), method));
    // What the button does: for the pinned client the guides' "Jump To",
    // which is neither the list's choice nor the section's title.
    let button = Signal::derive(move || {
        let a = jump(lang.get());
        if method == JumpMethod::Pinned {
            a.b_pinned
        } else {
            method_label(a, method)
        }
    });

    view! {
        <form class="bt-form bt-jump-form" data-method=method.as_str() aria-label=label on:submit=submit
            hidden=move || !shown.get()
            on:keydown=enter_submits novalidate>
            <div class="bt-jump-fields">{main.into_iter().map(|f| field(f.built_when(shown))).collect_view()}</div>
            {has_more.then(|| view! {
                <details class="bt-more">
                    <summary>{tr!(lang, jump.more_options)}</summary>
                    <div class="bt-jump-fields">{more.into_iter().map(|f| field(f.built_when(shown))).collect_view()}</div>
                </details>
            })}
            <button type="submit" class="bt-button bt-primary">{button}</button>
            {message_line("bt-field-error", Some("alert"), errors.elsewhere())}
            {link_result(outcome, tr!(lang, jump.jump_sent))}
        </form>
    }
}
