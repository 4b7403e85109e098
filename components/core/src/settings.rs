//! The admin settings every host shares, named as in the Zendesk app
//! (seed 001): hostname, issues (`code=Name` per line), Jumpoints (one per
//! line), the per-method allow-flags, plus our additions (teams, console,
//! vPro/VNC flags). Hosts hand over a [`RawSettings`]; widgets get [`Settings`].

use crate::client_script::{Console, JumpMethod};
use crate::error::{Field, InputError, Problem, Unit};
use crate::values::{check_text, ApplianceHost, IssueCode, JumpointName};
use serde::{Deserialize, Deserializer};

/// Settings as a host stores them: strings and checkboxes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RawSettings {
    /// The appliance's hostname ("Hostname", required).
    pub hostname: String,
    /// "Issues": `issue_code=Issue Name`, one per line.
    pub issues: String,
    /// "Jumpoints": one name per line.
    pub jumpoints: String,
    /// Support teams for the session-key queue choice: `id=Team Name` per line.
    pub teams: String,
    /// "Allow Jump-To Pinned Client Session"
    #[serde(deserialize_with = "lenient_bool")]
    pub allow_pinned_client: bool,
    /// "Allow Push and Start Local Jump Session"
    #[serde(deserialize_with = "lenient_bool")]
    pub allow_push_local: bool,
    /// "Allow Push and Start Remote Jump Session" (needs a Jumpoint)
    #[serde(deserialize_with = "lenient_bool")]
    pub allow_push_remote: bool,
    /// "Allow Remote Desktop (RDP) Session" (needs a Jumpoint)
    #[serde(deserialize_with = "lenient_bool")]
    pub allow_rdp: bool,
    /// "Allow Remote Console Session", i.e. Shell Jump (needs a Jumpoint)
    #[serde(deserialize_with = "lenient_bool")]
    pub allow_remote_console: bool,
    /// "Allow vPro Session" (needs a Jumpoint)
    #[serde(deserialize_with = "lenient_bool")]
    pub allow_vpro: bool,
    /// "Allow VNC Session"
    #[serde(deserialize_with = "lenient_bool")]
    pub allow_vnc: bool,
    /// Let agents put a session key in the general queue.
    #[serde(deserialize_with = "lenient_bool")]
    pub allow_general_queue: bool,
    /// `desktop` (default) or `web`.
    pub console: String,
}

/// Hosts store checkboxes as booleans or as "true"/"false"/"1"/"" strings.
fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
        Number(i64),
        Nothing(()),
    }
    Ok(match Flag::deserialize(d)? {
        Flag::Bool(b) => b,
        Flag::Number(n) => n != 0,
        Flag::Text(s) => matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "true" | "1" | "yes" | "on"
        ),
        Flag::Nothing(()) => false,
    })
}

/// One entry of the "Get Support Now" issue dropdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueChoice {
    pub code: IssueCode,
    pub name: String,
}

/// One support team an agent may send a session key to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamChoice {
    pub id: String,
    pub name: String,
}

/// Which Jump forms the admin allows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AllowedMethods {
    pub pinned: bool,
    pub local: bool,
    pub remote: bool,
    pub rdp: bool,
    pub shell: bool,
    pub vpro: bool,
    pub vnc: bool,
}

impl AllowedMethods {
    pub fn allows(&self, method: JumpMethod) -> bool {
        match method {
            JumpMethod::Pinned => self.pinned,
            JumpMethod::Local => self.local,
            JumpMethod::Remote => self.remote,
            JumpMethod::Rdp => self.rdp,
            JumpMethod::Shell => self.shell,
            JumpMethod::Vpro => self.vpro,
            JumpMethod::Vnc => self.vnc,
        }
    }

    /// The allowed methods in the seed's order (Jump To first).
    pub fn allowed(&self) -> Vec<JumpMethod> {
        JumpMethod::ALL
            .iter()
            .copied()
            .filter(|m| self.allows(*m))
            .collect()
    }
}

/// Validated settings shared by all hosts and widgets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub host: ApplianceHost,
    pub issues: Vec<IssueChoice>,
    pub jumpoints: Vec<JumpointName>,
    pub teams: Vec<TeamChoice>,
    pub methods: AllowedMethods,
    pub allow_general_queue: bool,
    pub console: Console,
}

/// Non-blank, trimmed lines with their 1-based line numbers.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
}

/// Splits `left=right` for the issue and team lists.
fn split_pair(
    line: &str,
    field: Field,
    expected: &'static str,
) -> Result<(String, String), InputError> {
    let (left, right) = line
        .split_once('=')
        .ok_or_else(|| InputError::new(field.clone(), Problem::Format { expected }))?;
    let (left, right) = (left.trim(), right.trim());
    if left.is_empty() || right.is_empty() {
        return Err(InputError::new(field, Problem::Format { expected }));
    }
    check_text(right, &field, 255, Unit::Characters, false)?;
    Ok((left.to_owned(), right.to_owned()))
}

/// Re-labels an error from a value parser with the settings line it came from.
fn on_line(mut e: InputError, field: Field) -> InputError {
    e.field = field;
    e
}

impl Settings {
    /// Validates everything and reports every problem, each naming the
    /// setting (and line) so an admin can fix them in one pass.
    pub fn from_raw(raw: &RawSettings) -> Result<Settings, Vec<InputError>> {
        let mut errors = Vec::new();
        // A loopback hostname can only be the local sandbox appliance (a real
        // appliance is never the agent's own machine), which speaks plain http.
        let host = ApplianceHost::parse(&raw.hostname)
            .map(|h| {
                if h.is_loopback() {
                    ApplianceHost::parse_loopback_sandbox(&raw.hostname).unwrap_or(h)
                } else {
                    h
                }
            })
            .map_err(|e| errors.push(e))
            .ok();
        let console = Console::parse(&raw.console)
            .map_err(|e| errors.push(e))
            .ok();

        let mut issues: Vec<IssueChoice> = Vec::new();
        for (n, line) in lines(&raw.issues) {
            let field = Field::IssuesLine(n);
            let parsed = split_pair(line, field.clone(), "issue_code=Issue Name").and_then(
                |(code, name)| {
                    Ok(IssueChoice {
                        code: IssueCode::parse(&code).map_err(|e| on_line(e, field.clone()))?,
                        name,
                    })
                },
            );
            match parsed {
                Ok(issue) if issues.iter().any(|i| i.code == issue.code) => {
                    errors.push(InputError::new(field, Problem::Duplicate))
                }
                Ok(issue) => issues.push(issue),
                Err(e) => errors.push(e),
            }
        }

        let mut jumpoints: Vec<JumpointName> = Vec::new();
        for (n, line) in lines(&raw.jumpoints) {
            match JumpointName::parse(line) {
                Ok(j) if jumpoints.contains(&j) => {
                    errors.push(InputError::new(Field::JumpointsLine(n), Problem::Duplicate))
                }
                Ok(j) => jumpoints.push(j),
                Err(e) => errors.push(on_line(e, Field::JumpointsLine(n))),
            }
        }

        let mut teams: Vec<TeamChoice> = Vec::new();
        for (n, line) in lines(&raw.teams) {
            let field = Field::TeamsLine(n);
            match split_pair(line, field.clone(), "team_id=Team Name") {
                Ok((id, _)) if !id.bytes().all(|b| b.is_ascii_digit()) => {
                    errors.push(InputError::new(
                        field,
                        Problem::InvalidCharacters {
                            allowed: "digits before '='",
                        },
                    ))
                }
                Ok((id, name)) => teams.push(TeamChoice { id, name }),
                Err(e) => errors.push(e),
            }
        }

        let methods = AllowedMethods {
            pinned: raw.allow_pinned_client,
            local: raw.allow_push_local,
            remote: raw.allow_push_remote,
            rdp: raw.allow_rdp,
            shell: raw.allow_remote_console,
            vpro: raw.allow_vpro,
            vnc: raw.allow_vnc,
        };
        if jumpoints.is_empty() {
            let names = [
                (
                    JumpMethod::Remote,
                    "Allow Push and Start Remote Jump Session",
                ),
                (JumpMethod::Rdp, "Allow Remote Desktop (RDP) Session"),
                (JumpMethod::Shell, "Allow Remote Console Session"),
                (JumpMethod::Vpro, "Allow vPro Session"),
            ];
            for (method, name) in names {
                if method.needs_jumpoint() && methods.allows(method) {
                    errors.push(InputError::new(
                        Field::Jumpoints,
                        Problem::NeedsJumpoint { method: name },
                    ));
                }
            }
        }

        match (host, console) {
            (Some(host), Some(console)) if errors.is_empty() => Ok(Settings {
                host,
                issues,
                jumpoints,
                teams,
                methods,
                allow_general_queue: raw.allow_general_queue,
                console,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawSettings {
        RawSettings {
            hostname: "support.example.com".into(),
            issues: "general_tech=General Technical Issues\n\n  printers = Printers  \n".into(),
            jumpoints: "Network01\nOffice Jumpoint\n".into(),
            allow_pinned_client: true,
            allow_push_remote: true,
            ..Default::default()
        }
    }

    #[test]
    fn parses_the_seed_format() {
        let s = Settings::from_raw(&raw()).unwrap();
        assert_eq!(s.issues.len(), 2);
        assert_eq!(
            (s.issues[1].code.as_str(), s.issues[1].name.as_str()),
            ("printers", "Printers")
        );
        assert_eq!(
            s.jumpoints.iter().map(|j| j.as_str()).collect::<Vec<_>>(),
            ["Network01", "Office Jumpoint"]
        );
        assert_eq!(
            s.methods.allowed(),
            vec![JumpMethod::Pinned, JumpMethod::Remote]
        );
        assert_eq!(s.console, Console::Desktop);
    }

    #[test]
    fn errors_carry_line_numbers() {
        let mut r = raw();
        r.issues =
            "general_tech=General\nno equals sign\nbad code!=Name\ngeneral_tech=Again".into();
        let errors = Settings::from_raw(&r).unwrap_err();
        let msgs: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs[0],
            "Issues, line 2: must look like issue_code=Issue Name"
        );
        assert!(
            msgs[1].starts_with("Issues, line 3: may only contain letters"),
            "{}",
            msgs[1]
        );
        assert_eq!(msgs[2], "Issues, line 4: is listed twice");
    }

    #[test]
    fn jumpoint_methods_need_a_jumpoint() {
        let mut r = raw();
        r.jumpoints = " \n".into();
        r.allow_rdp = true;
        r.allow_remote_console = true;
        let msgs: Vec<String> = Settings::from_raw(&r)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(msgs, [
            "Jumpoints: \"Allow Push and Start Remote Jump Session\" needs at least one Jumpoint",
            "Jumpoints: \"Allow Remote Desktop (RDP) Session\" needs at least one Jumpoint",
            "Jumpoints: \"Allow Remote Console Session\" needs at least one Jumpoint",
        ]);
        r.allow_push_remote = false;
        r.allow_rdp = false;
        r.allow_remote_console = false;
        assert!(
            Settings::from_raw(&r).is_ok(),
            "pinned/local need no Jumpoint"
        );
    }

    #[test]
    fn loopback_hostnames_are_the_http_sandbox() {
        let mut r = raw();
        r.hostname = "127.0.0.1:9000".into();
        assert_eq!(
            Settings::from_raw(&r).unwrap().host.base_url(),
            "http://127.0.0.1:9000"
        );
        assert_eq!(
            Settings::from_raw(&raw()).unwrap().host.base_url(),
            "https://support.example.com"
        );
    }

    #[test]
    fn hostname_must_not_be_a_url() {
        let mut r = raw();
        r.hostname = "https://support.example.com/".into();
        let e = Settings::from_raw(&r).unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "appliance hostname: enter the hostname only, e.g. support.example.com"
        );
    }

    #[test]
    fn checkboxes_arrive_as_bools_or_strings() {
        let r: RawSettings = serde_json::from_value(serde_json::json!({
            "hostname": "support.example.com", "allow_pinned_client": "true", "allow_push_local": true,
            "allow_rdp": "false", "allow_vnc": 1, "allow_vpro": null, "console": "web", "teams": "3=Tier 1"
        })).unwrap();
        let s = Settings::from_raw(&r).unwrap();
        assert_eq!(
            s.methods.allowed(),
            vec![JumpMethod::Pinned, JumpMethod::Local, JumpMethod::Vnc]
        );
        assert_eq!(s.console, Console::Web);
        assert_eq!(
            s.teams,
            vec![TeamChoice {
                id: "3".into(),
                name: "Tier 1".into()
            }]
        );
    }
}
