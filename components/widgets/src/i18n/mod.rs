//! Translations: one typed catalogue per language (`en.rs`, `de.rs`, ...).
//!
//! Every visible string lives in a catalogue; a missing translation is a
//! compile error, not a blank label. Catalogues are split by audience so an
//! app only links the strings of the widgets it uses: [`common`] (all),
//! [`agent`] (session key, Jump To, case ID, history; feature `agent`) and
//! [`chat`] (click-to-chat). Placeholders are `{0}`, `{1}` ([`fill`]).

use bt_core::{Field, InputError, Problem, Unit};

mod de;
mod en;
mod es;
mod fr;
mod ja;

/// The languages the widgets speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    De,
    Fr,
    Es,
    Ja,
}

impl Lang {
    pub const ALL: [Lang; 5] = [Lang::En, Lang::De, Lang::Fr, Lang::Es, Lang::Ja];

    /// Picks the language from a BCP 47 tag (`de-CH` → German); English
    /// when the language is not one of ours.
    pub fn from_locale(tag: &str) -> Lang {
        let lang = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match lang.as_str() {
            "de" => Lang::De,
            "fr" => Lang::Fr,
            "es" => Lang::Es,
            "ja" => Lang::Ja,
            _ => Lang::En,
        }
    }

    /// The `lang` attribute value.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Ja => "ja",
        }
    }
}

/// Declares a catalogue struct of `&'static str` fields.
macro_rules! catalogue {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name { $($(#[$fdoc])* pub $field: &'static str),+ }
    };
}

catalogue!(
    /// Names of the fields core reports problems with.
    FieldNames {
        appliance_hostname, external_key, search_string, target, hostname, jumpoint, username,
        display_size, quality, port, protocol, terminal, customer_name, customer_details,
        issue_code, console, team_id,
        /// `{0}` = line number.
        issues_line,
        /// `{0}` = line number.
        jumpoints_line,
        /// `{0}` = line number.
        teams_line,
        jumpoints, issues,
    }
);

catalogue!(
    /// Why a value was refused (core's `Problem`).
    Problems {
        required,
        /// `{0}` = limit, `{1}` = unit, `{2}` = what was given.
        too_long,
        characters, bytes,
        url_not_hostname, invalid_hostname, control_characters,
        /// `{0}` = the allowed characters (as core describes them).
        invalid_characters,
        /// `{0}`, `{1}` = bounds.
        out_of_range,
        /// `{0}` = the allowed values.
        not_one_of,
        /// `{0}` = the expected shape.
        format,
        /// `{0}` = the setting's name.
        needs_jumpoint,
        duplicate,
        /// A byte limit, in characters a person counts: `{0}` = about how many to remove.
        too_long_by,
    }
);

#[cfg(feature = "agent")]
catalogue!(
    /// Headlines for broker failures, one per error code.
    BrokerText {
        unauthorized, forbidden_origin, invalid_input, rate_limited, rep_not_found, rep_not_available,
        appliance_unreachable, appliance_auth_failed, appliance_error, other, network, bad_response, no_broker,
        /// Prefix for the broker's own words.
        details,
        /// A failure already spelled out higher up the page, reaching another widget.
        same_as_above,
    }
);

/// Strings every app needs.
#[derive(Debug)]
pub struct Common {
    pub not_configured: &'static str,
    pub popup_blocked: &'static str,
    pub open_link: &'static str,
    pub opened: &'static str,
    /// A text field's live counter: `{0}` characters still fit.
    pub chars_left: &'static str,
    /// A text field's live counter: `{0}` characters over the limit.
    pub chars_over: &'static str,
    pub fields: FieldNames,
    pub problems: Problems,
}

#[cfg(feature = "agent")]
catalogue!(
    /// Shared by the agent widgets (and the case ID).
    AgentText { save_first, copy, copied, copy_failed, case_id, case_id_hint, case_id_hint_case }
);

#[cfg(feature = "agent")]
catalogue!(
    /// Jump To.
    JumpText { m_pinned, m_local, m_remote, m_rdp, m_shell, m_vpro, m_vnc, title, b_pinned, f_method, f_search, f_hostname, f_target, f_jumpoint, f_username, f_display_size, f_quality, f_console, f_protocol, f_port, f_terminal, more_options, default_option, none_option, primary_display, all_displays, q_low, q_performance, q_performance_quality, q_quality, placeholder_host, placeholder_search, no_methods, needs_jumpoint_ask_admin, jump_sent }
);

#[cfg(feature = "agent")]
catalogue!(
    /// The session key widgets.
    KeyText { generate_session_key, regenerate, session_key, session_key_url, email_session_key, generating, expires_in, expired, mail_expiry, mail_expiry_hours, mail_expiry_soon, no_recipient, queue, queue_me, queue_general, queue_team, rep_offline, qr_label, key_ready, bt_session_key, web_session_key, console_key_hint, web_console_key_hint }
);

#[cfg(feature = "agent")]
catalogue!(
    /// Session history.
    HistoryText { history_title, col_customer, col_rep, col_start, col_duration, col_transcript, col_recording, view_transcript, recorded, not_recorded, in_progress, no_sessions, loading_sessions, refresh }
);

catalogue!(
    /// Click-to-chat for end users.
    ChatText { get_support_now, intro, issue, name, description, chat_opened, no_issues }
);

/// Declares one `fn section(lang) -> &'static Section` per catalogue
/// section, reading the static of that name in each language's module.
/// Separate functions rather than one table of all sections, so an app links
/// only the sections its widgets read.
macro_rules! sections {
    ($($(#[$attr:meta])* $name:ident -> $section:ident = $static:ident;)+) => {$(
        $(#[$attr])*
        pub fn $name(lang: Lang) -> &'static $section {
            match lang {
                Lang::En => &en::$static,
                Lang::De => &de::$static,
                Lang::Fr => &fr::$static,
                Lang::Es => &es::$static,
                Lang::Ja => &ja::$static,
            }
        }
    )+};
}

sections! {
    /// The strings every app uses, in `lang`.
    common -> Common = COMMON;
    /// The `AgentText` strings in `lang`.
    #[cfg(feature = "agent")]
    agent -> AgentText = AGENT;
    /// The `JumpText` strings in `lang`.
    #[cfg(feature = "agent")]
    jump -> JumpText = JUMP;
    /// The `KeyText` strings in `lang`.
    #[cfg(feature = "agent")]
    key -> KeyText = KEY;
    /// The `HistoryText` strings in `lang`.
    #[cfg(feature = "agent")]
    history -> HistoryText = HISTORY;
    /// The `BrokerText` strings in `lang`.
    #[cfg(feature = "agent")]
    broker -> BrokerText = BROKER;
    /// The click-to-chat strings, in `lang`.
    chat -> ChatText = CHAT;
}

/// Replaces `{0}`, `{1}`, ... in `template` with `args`.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = template.to_owned();
    for (i, a) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), a);
    }
    out
}

/// The field's name in `lang` (core's English label for rare fields).
pub fn field_name(lang: Lang, field: &Field) -> String {
    let f = &common(lang).fields;
    let line = |t: &str, n: &usize| fill(t, &[&n.to_string()]);
    match field {
        Field::ApplianceHostname => f.appliance_hostname.into(),
        Field::ExternalKey => f.external_key.into(),
        Field::SearchString => f.search_string.into(),
        Field::Target => f.target.into(),
        Field::Hostname => f.hostname.into(),
        Field::Jumpoint => f.jumpoint.into(),
        Field::Username => f.username.into(),
        Field::DisplaySize => f.display_size.into(),
        Field::Quality => f.quality.into(),
        Field::Port => f.port.into(),
        Field::Protocol => f.protocol.into(),
        Field::Terminal => f.terminal.into(),
        Field::CustomerName => f.customer_name.into(),
        Field::CustomerDetails => f.customer_details.into(),
        Field::IssueCode => f.issue_code.into(),
        Field::Console => f.console.into(),
        Field::TeamId => f.team_id.into(),
        Field::IssuesLine(n) => line(f.issues_line, n),
        Field::JumpointsLine(n) => line(f.jumpoints_line, n),
        Field::TeamsLine(n) => line(f.teams_line, n),
        Field::Jumpoints => f.jumpoints.into(),
        Field::Issues => f.issues.into(),
        other => other.label(),
    }
}

/// Why the value was refused, in `lang` (a sentence, without the field).
pub fn problem(lang: Lang, problem: &Problem) -> String {
    let p = &common(lang).problems;
    match problem {
        Problem::Required => p.required.into(),
        // A byte limit (the appliance's) means nothing to a person typing:
        // say how much to cut, in characters.
        Problem::TooLong {
            max,
            got,
            unit: Unit::Bytes,
        } => fill(p.too_long_by, &[&got.saturating_sub(*max).to_string()]),
        Problem::TooLong { max, got, .. } => fill(
            p.too_long,
            &[&max.to_string(), p.characters, &got.to_string()],
        ),
        Problem::UrlNotHostname => p.url_not_hostname.into(),
        Problem::InvalidHostname => p.invalid_hostname.into(),
        Problem::ControlCharacters => p.control_characters.into(),
        Problem::InvalidCharacters { allowed } => fill(p.invalid_characters, &[allowed]),
        Problem::OutOfRange { min, max } => {
            fill(p.out_of_range, &[&min.to_string(), &max.to_string()])
        }
        Problem::NotOneOf { allowed } => fill(p.not_one_of, &[&allowed.join(", ")]),
        Problem::Format { expected } => fill(p.format, &[expected]),
        Problem::NeedsJumpoint { method } => fill(p.needs_jumpoint, &[method]),
        Problem::Duplicate => p.duplicate.into(),
    }
}

/// "Field: problem", in `lang`.
pub fn input_error(lang: Lang, e: &InputError) -> String {
    format!(
        "{}: {}",
        field_name(lang, &e.field),
        problem(lang, &e.problem)
    )
}
