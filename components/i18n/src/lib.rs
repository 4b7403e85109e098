//! The widgets' visible strings: one typed catalogue per language (`en.rs`,
//! `de.rs`, ...).
//!
//! Every visible string lives in a catalogue; a missing translation is a
//! compile error, not a blank label. Catalogues are split by audience so an
//! app only links the strings of the widgets it uses: [`common`] (all),
//! [`agent`] (session key, Jump To, case ID, history; feature `agent`) and
//! [`chat`] (click-to-chat). Placeholders are `{0}`, `{1}` ([`fill`]).
//!
//! English is always compiled in. With the `bundled` feature every language
//! is; without it the others are loaded when a page needs them: `cargo xtask
//! build` writes each as `i18n/LANG.json` beside the app ([`file`]), the app
//! fetches it and hands the strings to [`install`]. Until then, or if the
//! file cannot be had, the widgets speak English: never a blank label.
//! The file is the flat list of [`strings`] plus the catalogue's shape (a
//! hash of every section's field names, in order), so a file from another
//! build is refused rather than putting strings into the wrong fields.

#[cfg(feature = "bundled")]
mod de;
mod en;
#[cfg(feature = "bundled")]
mod es;
#[cfg(feature = "bundled")]
mod fr;
#[cfg(feature = "bundled")]
mod ja;

#[cfg(not(feature = "bundled"))]
use std::sync::OnceLock;

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

/// Declares a catalogue section: a struct of `&'static str` fields, and its
/// [`Strings`] impl (the fields in declaration order).
macro_rules! catalogue {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, PartialEq, Eq)]
        pub struct $name { $($(#[$fdoc])* pub $field: &'static str),+ }

        impl Strings for $name {
            const SHAPE: u64 = shape(SHAPE_SEED, &[$(stringify!($field)),+]);
            const LEN: usize = [$(stringify!($field)),+].len();
            fn push_to(&self, out: &mut Vec<&'static str>) {
                $(out.push(self.$field);)+
            }
        }
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
#[derive(Debug, PartialEq, Eq)]
#[repr(C)] // laid out as `[&'static str; LEN]`: see `parse`
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
/// section, reading the static of that name in each bundled language's
/// module, or the installed [`Catalogue`]'s field of the function's name.
/// Separate functions rather than one table of all sections, so an app links
/// only the sections its widgets read.
macro_rules! sections {
    ($($(#[doc = $doc:literal])* $(#[cfg($cfg:meta)])? $name:ident -> $section:ident = $static:ident;)+) => {
        $(
            $(#[doc = $doc])*
            $(#[cfg($cfg)])?
            pub fn $name(lang: Lang) -> &'static $section {
                match lang {
                    Lang::En => &en::$static,
                    #[cfg(feature = "bundled")]
                    Lang::De => &de::$static,
                    #[cfg(feature = "bundled")]
                    Lang::Fr => &fr::$static,
                    #[cfg(feature = "bundled")]
                    Lang::Es => &es::$static,
                    #[cfg(feature = "bundled")]
                    Lang::Ja => &ja::$static,
                    #[cfg(not(feature = "bundled"))]
                    other => match installed(other) {
                        Some(catalogue) => &catalogue.$name,
                        None => &en::$static,
                    },
                }
            }
        )+

        /// Every section of one language: what `i18n/LANG.json` carries.
        #[derive(Debug, PartialEq, Eq)]
        #[repr(C)] // laid out as `[&'static str; LEN]`: see `parse`
        pub struct Catalogue {
            $($(#[doc = $doc])* $(#[cfg($cfg)])? pub $name: $section,)+
        }

        impl Strings for Catalogue {
            const SHAPE: u64 = {
                let mut h = SHAPE_SEED;
                $($(#[cfg($cfg)])? { h = mix(h, $section::SHAPE); })+
                h
            };
            const LEN: usize = {
                let mut n = 0;
                $($(#[cfg($cfg)])? { n += $section::LEN; })+
                n
            };
            fn push_to(&self, out: &mut Vec<&'static str>) {
                $($(#[cfg($cfg)])? self.$name.push_to(out);)+
            }
        }

        /// `lang`'s strings in file order, from the sections this build has.
        pub fn strings(lang: Lang) -> Vec<&'static str> {
            let mut out = Vec::new();
            $($(#[cfg($cfg)])? $name(lang).push_to(&mut out);)+
            out
        }
    };
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

/// A catalogue section as a flat list of strings, in declaration order.
pub trait Strings: Sized {
    /// A hash of the field names, in order: two builds agree on it exactly
    /// when their files put the same strings in the same fields.
    const SHAPE: u64;
    /// How many strings it holds.
    const LEN: usize;
    fn push_to(&self, out: &mut Vec<&'static str>);
}

impl Strings for Common {
    const SHAPE: u64 = mix(
        mix(
            shape(
                SHAPE_SEED,
                &[
                    "not_configured",
                    "popup_blocked",
                    "open_link",
                    "opened",
                    "chars_left",
                    "chars_over",
                ],
            ),
            FieldNames::SHAPE,
        ),
        Problems::SHAPE,
    );
    const LEN: usize = 6 + FieldNames::LEN + Problems::LEN;
    fn push_to(&self, out: &mut Vec<&'static str>) {
        out.extend([
            self.not_configured,
            self.popup_blocked,
            self.open_link,
            self.opened,
            self.chars_left,
            self.chars_over,
        ]);
        self.fields.push_to(out);
        self.problems.push_to(out);
    }
}

/// FNV-1a's offset basis.
const SHAPE_SEED: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a over `names`, each followed by a separator byte.
const fn shape(mut h: u64, names: &[&str]) -> u64 {
    let mut i = 0;
    while i < names.len() {
        let bytes = names[i].as_bytes();
        let mut j = 0;
        while j < bytes.len() {
            h = (h ^ bytes[j] as u64).wrapping_mul(0x0100_0000_01b3);
            j += 1;
        }
        h = (h ^ 0xff).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

/// One section's shape folded into the whole's.
const fn mix(h: u64, part: u64) -> u64 {
    (h ^ part).wrapping_mul(0x0100_0000_01b3).rotate_left(29)
}

// What makes the cast in `parse` sound: nothing in a catalogue but strings.
const _: () = assert!(
    std::mem::size_of::<Catalogue>() == Catalogue::LEN * std::mem::size_of::<&str>()
        && std::mem::align_of::<Catalogue>() == std::mem::align_of::<&str>()
);

/// The shape of this build's [`Catalogue`]: the `"shape"` of its files.
pub const SHAPE: u64 = Catalogue::SHAPE;

/// The version of the file layout below.
pub const FILE_FORMAT: u32 = 1;

/// Where `lang`'s file lives, relative to the app's page.
pub fn file(lang: Lang) -> String {
    format!("i18n/{}.json", lang.tag())
}

/// Whether the widgets can speak `lang` now, without loading anything.
pub fn available(lang: Lang) -> bool {
    lang == Lang::En || cfg!(feature = "bundled") || installed(lang).is_some()
}

/// Why a language file was refused. The widgets then stay in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstallError {
    /// Written for another catalogue layout (an older or newer build).
    Shape { expected: u64, found: u64 },
    /// Not the number of strings this build's catalogue holds.
    Count { expected: usize, found: usize },
    /// An empty string: a blank label.
    Empty { index: usize },
    /// A string longer than any label or sentence of ours.
    TooLong { index: usize, max: usize },
}

impl std::fmt::Display for InstallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InstallError::Shape { expected, found } => write!(
                f,
                "shape {found:016x} is not this build's {expected:016x}: the file is from another build"
            ),
            InstallError::Count { expected, found } => {
                write!(f, "{found} strings where this build has {expected}")
            }
            InstallError::Empty { index } => write!(f, "string {index} is empty"),
            InstallError::TooLong { index, max } => {
                write!(f, "string {index} is over {max} characters")
            }
        }
    }
}

/// The longest string a catalogue file may hold (ours are under 400).
pub const MAX_STRING_CHARS: usize = 2_000;

/// Checks `strings` against this build's catalogue and makes them `lang`'s.
/// Installed once per language and kept for the page's life (the strings
/// are leaked: at most four catalogues of a few KB; a second install of a
/// language keeps the first).
pub fn install(lang: Lang, shape: u64, strings: Vec<String>) -> Result<(), InstallError> {
    let catalogue = parse(shape, strings)?;
    #[cfg(not(feature = "bundled"))]
    if lang != Lang::En {
        let _ = INSTALLED[lang as usize].set(catalogue);
    }
    #[cfg(feature = "bundled")]
    let _ = (lang, catalogue);
    Ok(())
}

/// `strings` as a [`Catalogue`] kept for the rest of the program, or why not.
pub fn parse(shape: u64, strings: Vec<String>) -> Result<&'static Catalogue, InstallError> {
    if shape != SHAPE {
        return Err(InstallError::Shape {
            expected: SHAPE,
            found: shape,
        });
    }
    let expected = strings_len();
    if strings.len() != expected {
        return Err(InstallError::Count {
            expected,
            found: strings.len(),
        });
    }
    for (index, s) in strings.iter().enumerate() {
        if s.trim().is_empty() {
            return Err(InstallError::Empty { index });
        }
        if s.chars().count() > MAX_STRING_CHARS {
            return Err(InstallError::TooLong {
                index,
                max: MAX_STRING_CHARS,
            });
        }
    }
    let leaked: &'static [&'static str] = Box::leak(
        strings
            .into_iter()
            .map(|s| -> &'static str { Box::leak(s.into_boxed_str()) })
            .collect(),
    );
    // SAFETY: `Catalogue` and every section in it are `repr(C)` structs whose
    // fields are all `&'static str` (the `const` assertion above checks it), so a
    // `Catalogue` is laid out exactly as `[&'static str; Catalogue::LEN]`:
    // same size, same alignment, no padding, fields in declaration order,
    // which is the order of the file (`push_to`). `leaked` holds exactly
    // `LEN` strings and lives for the rest of the program. A field-by-field
    // copy did the same in 7 KB of wasm.
    Ok(unsafe { &*leaked.as_ptr().cast::<Catalogue>() })
}

/// How many strings a catalogue of this build holds. (A constant, not
/// `strings(Lang::En).len()`: that would link every English section into an
/// app that shows only some.)
pub fn strings_len() -> usize {
    Catalogue::LEN
}

#[cfg(not(feature = "bundled"))]
static INSTALLED: [OnceLock<&'static Catalogue>; 5] = [
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
];

#[cfg(not(feature = "bundled"))]
fn installed(lang: Lang) -> Option<&'static Catalogue> {
    INSTALLED[lang as usize].get().copied()
}

#[cfg(feature = "bundled")]
fn installed(_: Lang) -> Option<&'static Catalogue> {
    None
}

#[cfg(all(test, feature = "bundled"))]
mod tests {
    use super::*;

    fn owned(lang: Lang) -> Vec<String> {
        strings(lang).into_iter().map(str::to_owned).collect()
    }

    #[test]
    fn every_language_survives_the_file_round_trip() {
        for lang in Lang::ALL {
            let parsed = parse(SHAPE, owned(lang)).expect("a catalogue of this build");
            let mut back = Vec::new();
            parsed.push_to(&mut back);
            assert_eq!(back, strings(lang), "{lang:?}");
            assert_eq!(&parsed.common, common(lang), "{lang:?}");
            assert_eq!(back.len(), strings_len());
        }
    }

    #[test]
    fn a_file_of_another_shape_or_length_is_refused() {
        let de = owned(Lang::De);
        assert_eq!(
            parse(SHAPE ^ 1, de.clone()).unwrap_err(),
            InstallError::Shape {
                expected: SHAPE,
                found: SHAPE ^ 1
            }
        );
        let mut short = de.clone();
        short.pop();
        assert_eq!(
            parse(SHAPE, short).unwrap_err(),
            InstallError::Count {
                expected: strings_len(),
                found: strings_len() - 1
            }
        );
        let mut blank = de.clone();
        blank[3] = "  ".into();
        assert_eq!(
            parse(SHAPE, blank).unwrap_err(),
            InstallError::Empty { index: 3 }
        );
        let mut long = de;
        long[0] = "x".repeat(MAX_STRING_CHARS + 1);
        assert!(matches!(
            parse(SHAPE, long),
            Err(InstallError::TooLong { index: 0, .. })
        ));
    }

    #[test]
    fn the_shape_follows_field_names_and_their_order() {
        let ab = shape(SHAPE_SEED, &["a", "b"]);
        assert_ne!(ab, shape(SHAPE_SEED, &["b", "a"]));
        assert_ne!(
            shape(SHAPE_SEED, &["ab", "c"]),
            shape(SHAPE_SEED, &["a", "bc"])
        );
        assert_ne!(mix(ab, 1), mix(ab, 2));
        assert_eq!(ab, shape(SHAPE_SEED, &["a", "b"]));
    }

    #[test]
    fn no_string_is_empty_or_over_the_file_limit() {
        for lang in Lang::ALL {
            for (i, s) in strings(lang).iter().enumerate() {
                assert!(!s.trim().is_empty(), "{lang:?} string {i} is empty");
                assert!(s.chars().count() <= MAX_STRING_CHARS, "{lang:?} string {i}");
            }
        }
    }
}
