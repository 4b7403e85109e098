//! `/api/client_script` links (docs/appliance-api.md §1): the browser navigates to
//! one and the representative console (or web console) runs the command.

use crate::encode::Query;
use crate::error::{Field, InputError, Problem};
use crate::values::{
    ApplianceHost, CustomFields, ExternalKey, JumpointName, Port, SearchString, Target, Username,
};

/// Which console runs the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Console {
    /// The installed representative console: `type=rep&operation=generate`.
    #[default]
    Desktop,
    /// The web rep console: `type=web_console&operation=execute`. Documented
    /// for jump items only; other actions are unconfirmed, hence a setting.
    Web,
}

impl Console {
    pub fn parse(value: &str) -> Result<Self, InputError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "desktop" | "rep" => Ok(Console::Desktop),
            "web" | "web_console" => Ok(Console::Web),
            _ => Err(InputError::new(
                Field::Console,
                Problem::NotOneOf {
                    allowed: &["desktop", "web"],
                },
            )),
        }
    }

    pub(crate) fn type_and_operation(self) -> (&'static str, &'static str) {
        match self {
            Console::Desktop => ("rep", "generate"),
            Console::Web => ("web_console", "execute"),
        }
    }
}

/// The path of the scripting endpoint. Legacy appliances (and the Autotask
/// guide) use `client_script.ns`; the suffix is a setting, written once here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScriptPath {
    #[default]
    ClientScript,
    ClientScriptNs,
}

impl ScriptPath {
    pub fn as_str(self) -> &'static str {
        match self {
            ScriptPath::ClientScript => "/api/client_script",
            ScriptPath::ClientScriptNs => "/api/client_script.ns",
        }
    }
}

/// Declares a closed set of appliance keywords with `parse` and `as_str`.
macro_rules! keyword_enum {
    ($(#[$doc:meta])* $name:ident, $field:expr, { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(value: &str) -> Result<Self, InputError> {
                let v = value.trim().to_ascii_lowercase();
                Self::ALL.iter().copied().find(|k| k.as_str() == v).ok_or_else(|| {
                    InputError::new($field, Problem::NotOneOf { allowed: Self::NAMES })
                })
            }
        }
    };
}

keyword_enum!(
    /// The Jump forms a host can offer (the seed's list, plus VNC).
    JumpMethod, Field::JumpMethod, {
        Pinned => "pinned", Local => "local", Remote => "remote", Rdp => "rdp",
        Shell => "shell", Vpro => "vpro", Vnc => "vnc",
    }
);

impl JumpMethod {
    /// Methods that reach a system through a Jumpoint, so settings must name
    /// at least one. (VNC takes one optionally.)
    pub fn needs_jumpoint(self) -> bool {
        matches!(
            self,
            JumpMethod::Remote | JumpMethod::Rdp | JumpMethod::Shell | JumpMethod::Vpro
        )
    }
}

keyword_enum!(
    /// `quality=` for RDP.
    RdpQuality, Field::Quality, {
        Low => "low", Performance => "performance",
        PerformanceQuality => "performance_quality", Quality => "quality",
    }
);
keyword_enum!(
    /// `protocol=` for Shell Jump.
    ShellProtocol, Field::Protocol, { Ssh => "ssh", Telnet => "telnet" }
);
keyword_enum!(
    /// `terminal=` for Shell Jump.
    Terminal, Field::Terminal, { Xterm => "xterm", Vt100 => "vt100" }
);
keyword_enum!(
    /// `jump.method=` for `start_jump_item_session`.
    JumpItemMethod, Field::JumpMethod, {
        Push => "push", LocalPush => "local_push", Pinned => "pinned",
        Rdp => "rdp", Vnc => "vnc", ShellJump => "shelljump",
    }
);

/// `display_size=` for RDP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RdpDisplaySize {
    PrimaryDisplay,
    AllDisplays,
    Custom { width: u16, height: u16 },
}

impl RdpDisplaySize {
    pub fn parse(value: &str) -> Result<Self, InputError> {
        let v = value.trim().to_ascii_lowercase();
        let bad = || {
            InputError::new(
                Field::DisplaySize,
                Problem::Format {
                    expected: "primary_display, all_displays or WIDTHxHEIGHT (e.g. 1280x720)",
                },
            )
        };
        match v.as_str() {
            "primary_display" => return Ok(Self::PrimaryDisplay),
            "all_displays" => return Ok(Self::AllDisplays),
            _ => {}
        }
        let (w, h) = v.split_once('x').ok_or_else(bad)?;
        let dim = |s: &str| -> Result<u16, InputError> {
            match s.parse::<u16>() {
                Ok(n @ 1..=16384) if s.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
                _ => Err(bad()),
            }
        };
        Ok(Self::Custom {
            width: dim(w)?,
            height: dim(h)?,
        })
    }

    pub fn to_param(self) -> String {
        match self {
            Self::PrimaryDisplay => "primary_display".into(),
            Self::AllDisplays => "all_displays".into(),
            Self::Custom { width, height } => format!("{width}x{height}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RdpOptions {
    pub target: Target,
    pub jumpoint: Option<JumpointName>,
    pub username: Option<Username>,
    pub display_size: Option<RdpDisplaySize>,
    pub quality: Option<RdpQuality>,
    /// Connect to the console (admin) session.
    pub console: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellOptions {
    pub target: Target,
    pub jumpoint: Option<JumpointName>,
    pub username: Option<Username>,
    pub protocol: Option<ShellProtocol>,
    pub port: Option<Port>,
    pub terminal: Option<Terminal>,
}

/// `client.*` filters of `start_jump_item_session` (each ≤255, partial,
/// case-insensitive on the appliance).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientFilters {
    pub comments: Option<SearchString>,
    pub hostname: Option<SearchString>,
    pub private_ip: Option<SearchString>,
    pub public_ip: Option<SearchString>,
    pub tag: Option<SearchString>,
}

impl ClientFilters {
    fn pairs(&self) -> impl Iterator<Item = (&'static str, &SearchString)> {
        [
            ("client.comments", &self.comments),
            ("client.hostname", &self.hostname),
            ("client.private_ip", &self.private_ip),
            ("client.public_ip", &self.public_ip),
            ("client.tag", &self.tag),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
    }

    pub fn is_empty(&self) -> bool {
        self.pairs().next().is_none()
    }
}

/// `start_jump_item_session`: needs a search string unless a filter is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JumpItemSearch {
    search: Option<SearchString>,
    pub method: Option<JumpItemMethod>,
    pub credential_id: Option<u64>,
    filters: ClientFilters,
}

impl JumpItemSearch {
    pub fn new(search: Option<SearchString>, filters: ClientFilters) -> Result<Self, InputError> {
        if search.is_none() && filters.is_empty() {
            return Err(InputError::new(Field::SearchString, Problem::Required));
        }
        Ok(Self {
            search,
            method: None,
            credential_id: None,
            filters,
        })
    }
}

/// One client-scripting command and its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    GenerateSessionKey {
        portal: Option<Target>,
    },
    /// Legacy pinned-client search (Autotask and Halo guides).
    StartPinnedClientSession {
        search: SearchString,
    },
    StartJumpItemSession(JumpItemSearch),
    PushAndStartLocal {
        hostname: Target,
    },
    PushAndStartRemote {
        target: Target,
        jumpoint: Option<JumpointName>,
    },
    StartRdpSession(RdpOptions),
    StartShellJumpSession(ShellOptions),
    StartVproSession {
        target: Target,
        jumpoint: JumpointName,
    },
    StartVncSession {
        target: Target,
        jumpoint: Option<JumpointName>,
        port: Option<Port>,
    },
}

impl Action {
    /// The `action=` value.
    pub fn name(&self) -> &'static str {
        match self {
            Action::GenerateSessionKey { .. } => "generate_session_key",
            Action::StartPinnedClientSession { .. } => "start_pinned_client_session",
            Action::StartJumpItemSession(_) => "start_jump_item_session",
            Action::PushAndStartLocal { .. } => "push_and_start_local",
            Action::PushAndStartRemote { .. } => "push_and_start_remote",
            Action::StartRdpSession(_) => "start_rdp_session",
            Action::StartShellJumpSession(_) => "start_shell_jump_session",
            Action::StartVproSession { .. } => "start_vpro_session",
            Action::StartVncSession { .. } => "start_vnc_session",
        }
    }

    /// The action's own parameters, decoded, in a stable order.
    fn params(&self) -> Vec<(&'static str, String)> {
        let mut p: Vec<(&'static str, String)> = Vec::new();
        let opt = |p: &mut Vec<(&'static str, String)>, k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                p.push((k, v));
            }
        };
        let s = |v: &dyn ToString| v.to_string();
        match self {
            Action::GenerateSessionKey { portal } => opt(
                &mut p,
                "public_portal_hostname",
                portal.as_ref().map(|t| s(t)),
            ),
            Action::StartPinnedClientSession { search } => p.push(("search_string", s(search))),
            Action::StartJumpItemSession(j) => {
                opt(&mut p, "search_string", j.search.as_ref().map(|v| s(v)));
                opt(
                    &mut p,
                    "jump.method",
                    j.method.map(|m| m.as_str().to_owned()),
                );
                opt(
                    &mut p,
                    "credential_id",
                    j.credential_id.map(|c| c.to_string()),
                );
                for (k, v) in j.filters.pairs() {
                    p.push((k, s(v)));
                }
            }
            Action::PushAndStartLocal { hostname } => p.push(("hostname", s(hostname))),
            Action::PushAndStartRemote { target, jumpoint } => {
                p.push(("target", s(target)));
                opt(&mut p, "jumpoint", jumpoint.as_ref().map(|j| s(j)));
            }
            Action::StartRdpSession(o) => {
                p.push(("target", s(&o.target)));
                opt(&mut p, "jumpoint", o.jumpoint.as_ref().map(|j| s(j)));
                opt(&mut p, "username", o.username.as_ref().map(|u| s(u)));
                opt(
                    &mut p,
                    "display_size",
                    o.display_size.map(RdpDisplaySize::to_param),
                );
                opt(&mut p, "quality", o.quality.map(|q| q.as_str().to_owned()));
                if o.console {
                    p.push(("console", "yes".to_owned()));
                }
            }
            Action::StartShellJumpSession(o) => {
                p.push(("target", s(&o.target)));
                opt(&mut p, "jumpoint", o.jumpoint.as_ref().map(|j| s(j)));
                opt(&mut p, "username", o.username.as_ref().map(|u| s(u)));
                opt(
                    &mut p,
                    "protocol",
                    o.protocol.map(|v| v.as_str().to_owned()),
                );
                opt(&mut p, "port", o.port.map(|v| v.get().to_string()));
                opt(
                    &mut p,
                    "terminal",
                    o.terminal.map(|v| v.as_str().to_owned()),
                );
            }
            Action::StartVproSession { target, jumpoint } => {
                p.push(("target", s(target)));
                p.push(("jumpoint", s(jumpoint)));
            }
            Action::StartVncSession {
                target,
                jumpoint,
                port,
            } => {
                p.push(("target", s(target)));
                opt(&mut p, "jumpoint", jumpoint.as_ref().map(|j| s(j)));
                opt(&mut p, "port", port.map(|v| v.get().to_string()));
            }
        }
        p
    }
}

/// Raw form input of a Jump form, as typed: empty strings mean "not given".
/// One place turns it into an [`Action`], so the CLI and every widget agree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JumpInput {
    pub search: String,
    pub target: String,
    pub jumpoint: String,
    pub username: String,
    pub display_size: String,
    pub quality: String,
    pub console: bool,
    pub protocol: String,
    pub port: String,
    pub terminal: String,
}

impl JumpInput {
    /// Validates every field `method` uses and reports all problems at once.
    pub fn to_action(&self, method: JumpMethod) -> Result<Action, Vec<InputError>> {
        let mut errors = Vec::new();
        fn given<T>(
            raw: &str,
            parse: impl Fn(&str) -> Result<T, InputError>,
        ) -> Result<Option<T>, InputError> {
            if raw.trim().is_empty() {
                Ok(None)
            } else {
                parse(raw).map(Some)
            }
        }
        let action = match method {
            JumpMethod::Pinned => keep_error(&mut errors, SearchString::parse(&self.search))
                .map(|search| Action::StartPinnedClientSession { search }),
            JumpMethod::Local => {
                keep_error(&mut errors, Target::parse_as(&self.target, Field::Hostname))
                    .map(|hostname| Action::PushAndStartLocal { hostname })
            }
            JumpMethod::Remote => {
                let target = keep_error(&mut errors, Target::parse(&self.target));
                let jumpoint = keep_error(&mut errors, given(&self.jumpoint, JumpointName::parse));
                match (target, jumpoint) {
                    (Some(target), Some(jumpoint)) => {
                        Some(Action::PushAndStartRemote { target, jumpoint })
                    }
                    _ => None,
                }
            }
            JumpMethod::Rdp => {
                let target = keep_error(&mut errors, Target::parse(&self.target));
                let jumpoint = keep_error(&mut errors, given(&self.jumpoint, JumpointName::parse));
                let username = keep_error(&mut errors, given(&self.username, Username::parse));
                let display_size = keep_error(
                    &mut errors,
                    given(&self.display_size, RdpDisplaySize::parse),
                );
                let quality = keep_error(&mut errors, given(&self.quality, RdpQuality::parse));
                match (target, jumpoint, username, display_size, quality) {
                    (
                        Some(target),
                        Some(jumpoint),
                        Some(username),
                        Some(display_size),
                        Some(quality),
                    ) => Some(Action::StartRdpSession(RdpOptions {
                        target,
                        jumpoint,
                        username,
                        display_size,
                        quality,
                        console: self.console,
                    })),
                    _ => None,
                }
            }
            JumpMethod::Shell => {
                let target = keep_error(&mut errors, Target::parse(&self.target));
                let jumpoint = keep_error(&mut errors, given(&self.jumpoint, JumpointName::parse));
                let username = keep_error(&mut errors, given(&self.username, Username::parse));
                let protocol = keep_error(&mut errors, given(&self.protocol, ShellProtocol::parse));
                let port = keep_error(&mut errors, given(&self.port, Port::parse));
                let terminal = keep_error(&mut errors, given(&self.terminal, Terminal::parse));
                match (target, jumpoint, username, protocol, port, terminal) {
                    (
                        Some(target),
                        Some(jumpoint),
                        Some(username),
                        Some(protocol),
                        Some(port),
                        Some(terminal),
                    ) => Some(Action::StartShellJumpSession(ShellOptions {
                        target,
                        jumpoint,
                        username,
                        protocol,
                        port,
                        terminal,
                    })),
                    _ => None,
                }
            }
            JumpMethod::Vpro => {
                let target = keep_error(&mut errors, Target::parse(&self.target));
                let jumpoint = keep_error(&mut errors, JumpointName::parse(&self.jumpoint));
                match (target, jumpoint) {
                    (Some(target), Some(jumpoint)) => {
                        Some(Action::StartVproSession { target, jumpoint })
                    }
                    _ => None,
                }
            }
            JumpMethod::Vnc => {
                let target = keep_error(&mut errors, Target::parse(&self.target));
                let jumpoint = keep_error(&mut errors, given(&self.jumpoint, JumpointName::parse));
                let port = keep_error(&mut errors, given(&self.port, Port::parse));
                match (target, jumpoint, port) {
                    (Some(target), Some(jumpoint), Some(port)) => Some(Action::StartVncSession {
                        target,
                        jumpoint,
                        port,
                    }),
                    _ => None,
                }
            }
        };
        match action {
            Some(a) if errors.is_empty() => Ok(a),
            _ => Err(errors),
        }
    }
}

/// `Some(value)`, or `None` with the error collected.
fn keep_error<T>(errors: &mut Vec<InputError>, result: Result<T, InputError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// A complete client-scripting link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientScript {
    pub host: ApplianceHost,
    pub console: Console,
    pub path: ScriptPath,
    pub action: Action,
    pub custom: CustomFields,
}

impl ClientScript {
    /// A desktop-console link on `/api/client_script` with no custom fields.
    pub fn new(host: ApplianceHost, action: Action) -> Self {
        Self {
            host,
            console: Console::Desktop,
            path: ScriptPath::ClientScript,
            action,
            custom: CustomFields::new(),
        }
    }

    pub fn console(mut self, console: Console) -> Self {
        self.console = console;
        self
    }

    pub fn path(mut self, path: ScriptPath) -> Self {
        self.path = path;
        self
    }

    /// Attaches the ticket id as `session.custom.external_key`. Cannot fail:
    /// an [`ExternalKey`] is within the per-field limit, and it is the first
    /// field set. Use [`ClientScript::custom`] to add more.
    pub fn external_key(mut self, key: &ExternalKey) -> Self {
        let mut custom = CustomFields::with_external_key(key);
        for (n, v) in self
            .custom
            .iter()
            .filter(|(n, _)| *n != CustomFields::EXTERNAL_KEY)
        {
            // Re-adding fields that already fit together cannot exceed the total
            // unless the new key is longer; keep the key and drop what no longer fits.
            let _ = custom.set(n, v);
        }
        self.custom = custom;
        self
    }

    pub fn custom(mut self, custom: CustomFields) -> Self {
        self.custom = custom;
        self
    }

    /// All query parameters, decoded, in link order.
    pub fn params(&self) -> Vec<(String, String)> {
        let (kind, operation) = self.console.type_and_operation();
        let mut p = vec![
            ("type".to_owned(), kind.to_owned()),
            ("operation".to_owned(), operation.to_owned()),
            ("action".to_owned(), self.action.name().to_owned()),
        ];
        p.extend(
            self.action
                .params()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v)),
        );
        p.extend(
            self.custom
                .iter()
                .map(|(k, v)| (format!("session.custom.{k}"), v.to_owned())),
        );
        p
    }

    /// The link, RFC 3986-encoded.
    pub fn to_url(&self) -> String {
        let mut q = Query::new();
        for (k, v) in self.params() {
            q.push(&k, &v);
        }
        format!(
            "{}{}{}",
            self.host.base_url(),
            self.path.as_str(),
            q.as_str()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn host() -> ApplianceHost {
        ApplianceHost::parse("support.example.com").unwrap()
    }

    /// Decoded query parameters of a URL, for order-insensitive comparison.
    fn decoded(link: &str) -> BTreeMap<String, String> {
        url::Url::parse(link)
            .unwrap()
            .query_pairs()
            .into_owned()
            .collect()
    }

    fn expect(link: &str, official: &str) {
        assert_eq!(decoded(link), decoded(official), "{link}");
    }

    #[test]
    fn official_examples() {
        let remote = ClientScript::new(
            host(),
            Action::PushAndStartRemote {
                target: Target::parse("ABCDEF02").unwrap(),
                jumpoint: Some(JumpointName::parse("Network01").unwrap()),
            },
        );
        expect(&remote.to_url(), "https://support.example.com/api/client_script?type=rep&operation=generate&action=push_and_start_remote&target=ABCDEF02&jumpoint=Network01");
        let vpro = ClientScript::new(
            host(),
            Action::StartVproSession {
                target: Target::parse("ABCDEF02").unwrap(),
                jumpoint: JumpointName::parse("Network01").unwrap(),
            },
        );
        expect(&vpro.to_url(), "https://support.example.com/api/client_script?type=rep&operation=generate&action=start_vpro_session&target=ABCDEF02&jumpoint=Network01");
        let local = ClientScript::new(
            host(),
            Action::PushAndStartLocal {
                hostname: Target::parse("ABCDEF02").unwrap(),
            },
        )
        .external_key(&ExternalKey::parse("BMC0000001275").unwrap());
        expect(&local.to_url(), "https://support.example.com/api/client_script?type=rep&operation=generate&action=push_and_start_local&hostname=ABCDEF02&session.custom.external_key=BMC0000001275");
    }

    #[test]
    fn web_console_and_legacy_path() {
        let link = ClientScript::new(host(), Action::GenerateSessionKey { portal: None })
            .console(Console::Web)
            .path(ScriptPath::ClientScriptNs)
            .to_url();
        assert!(link.starts_with("https://support.example.com/api/client_script.ns?type=web_console&operation=execute&action=generate_session_key"), "{link}");
    }

    #[test]
    fn spaces_are_percent_20() {
        let link = ClientScript::new(
            host(),
            Action::StartPinnedClientSession {
                search: SearchString::parse("Front Desk PC").unwrap(),
            },
        )
        .to_url();
        assert!(link.ends_with("search_string=Front%20Desk%20PC"), "{link}");
    }

    #[test]
    fn jump_input_reports_every_bad_field() {
        let input = JumpInput {
            target: "https://pc1".into(),
            port: "70000".into(),
            protocol: "rlogin".into(),
            ..Default::default()
        };
        let errors = input.to_action(JumpMethod::Shell).unwrap_err();
        let fields: Vec<Field> = errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![Field::Target, Field::Protocol, Field::Port]);
        let errors = JumpInput::default()
            .to_action(JumpMethod::Vpro)
            .unwrap_err();
        assert_eq!(
            errors.iter().map(|e| &e.field).collect::<Vec<_>>(),
            [&Field::Target, &Field::Jumpoint]
        );
    }

    #[test]
    fn rdp_options_become_parameters() {
        let input = JumpInput {
            target: "pc1.corp.local".into(),
            jumpoint: "Office".into(),
            username: r"CORP\jane".into(),
            display_size: "1280x720".into(),
            quality: "performance_quality".into(),
            console: true,
            ..Default::default()
        };
        let link = ClientScript::new(host(), input.to_action(JumpMethod::Rdp).unwrap()).to_url();
        let p = decoded(&link);
        assert_eq!(p["action"], "start_rdp_session");
        assert_eq!(p["username"], r"CORP\jane");
        assert_eq!(p["display_size"], "1280x720");
        assert_eq!(p["quality"], "performance_quality");
        assert_eq!(p["console"], "yes");
        assert!(RdpDisplaySize::parse("0x720").is_err());
        assert!(RdpDisplaySize::parse("big")
            .unwrap_err()
            .to_string()
            .contains("WIDTHxHEIGHT"));
    }

    #[test]
    fn jump_item_session_needs_a_search_or_filter() {
        assert_eq!(
            JumpItemSearch::new(None, ClientFilters::default())
                .unwrap_err()
                .field,
            Field::SearchString
        );
        let mut j = JumpItemSearch::new(
            None,
            ClientFilters {
                tag: Some(SearchString::parse("kiosk").unwrap()),
                ..Default::default()
            },
        )
        .unwrap();
        j.method = Some(JumpItemMethod::ShellJump);
        let p = decoded(
            &ClientScript::new(host(), Action::StartJumpItemSession(j))
                .console(Console::Web)
                .to_url(),
        );
        assert_eq!(
            (
                p["client.tag"].as_str(),
                p["jump.method"].as_str(),
                p["type"].as_str()
            ),
            ("kiosk", "shelljump", "web_console")
        );
    }

    #[test]
    fn external_key_replaces_and_keeps_other_fields() {
        let mut custom = CustomFields::new();
        custom.set("asset", "A-1").unwrap();
        custom.set("external_key", "old").unwrap();
        let link = ClientScript::new(host(), Action::GenerateSessionKey { portal: None })
            .custom(custom)
            .external_key(&ExternalKey::parse("new").unwrap());
        assert_eq!(link.custom.external_key(), Some("new"));
        assert_eq!(link.custom.get("asset"), Some("A-1"));
    }
}
