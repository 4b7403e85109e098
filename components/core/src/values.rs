//! Validated values with the appliance's limits (docs/appliance-api.md §1, §4).
//!
//! Every value that reaches a URL or an API call goes through one of these
//! types, so limits are checked in one place and errors always name the field.

use crate::error::{Field, InputError, Problem, Unit};
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The appliance's limit for a single `session.custom.*` value.
pub const CUSTOM_FIELD_MAX_CHARS: usize = 1024;
/// The appliance's limit for all custom fields together (names and values).
pub const CUSTOM_FIELDS_TOTAL_MAX_BYTES: usize = 10 * 1024;
/// Targets, hostnames, search strings and client filters.
pub const TARGET_MAX_CHARS: usize = 255;
/// `customer.name`, `customer.company`, `customer.company_code`.
pub const CUSTOMER_FIELD_MAX_CHARS: usize = 100;
/// `customer.details` is limited in bytes, not characters.
pub const CUSTOMER_DETAILS_MAX_BYTES: usize = 1024;

pub(crate) fn err(field: &Field, problem: Problem) -> InputError {
    InputError::new(field.clone(), problem)
}

/// Checks a free-text value: not blank (when required), no control
/// characters (newlines and tabs only where `allow_newlines`), within `max`.
pub(crate) fn check_text(
    value: &str,
    field: &Field,
    max: usize,
    unit: Unit,
    allow_newlines: bool,
) -> Result<(), InputError> {
    if value.trim().is_empty() {
        return Err(err(field, Problem::Required));
    }
    let got = match unit {
        Unit::Characters => value.chars().count(),
        Unit::Bytes => value.len(),
    };
    if got > max {
        return Err(err(field, Problem::TooLong { max, got, unit }));
    }
    let bad = |c: char| c.is_control() && !(allow_newlines && matches!(c, '\n' | '\r' | '\t'));
    if value.chars().any(bad) {
        return Err(err(field, Problem::ControlCharacters));
    }
    Ok(())
}

/// Declares a validated free-text newtype.
macro_rules! text_value {
    ($(#[$doc:meta])* $name:ident, $field:expr, $max:expr, $unit:expr, newlines: $nl:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub const FIELD: Field = $field;
            pub const MAX: usize = $max;

            /// Validates `value` (surrounding whitespace is trimmed).
            pub fn parse(value: &str) -> Result<Self, InputError> {
                let value = value.trim();
                check_text(value, &$field, $max, $unit, $nl)?;
                Ok(Self(value.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = InputError;
            fn from_str(s: &str) -> Result<Self, InputError> {
                Self::parse(s)
            }
        }
    };
}

text_value!(
    /// The ticket or case id, sent as `session.custom.external_key`.
    ExternalKey, Field::ExternalKey, CUSTOM_FIELD_MAX_CHARS, Unit::Characters, newlines: false
);
text_value!(
    /// Pinned-client search text (`search_string`): partial, case-insensitive.
    SearchString, Field::SearchString, TARGET_MAX_CHARS, Unit::Characters, newlines: false
);
text_value!(
    /// A Jumpoint's name as configured on the appliance.
    JumpointName, Field::Jumpoint, TARGET_MAX_CHARS, Unit::Characters, newlines: false
);
text_value!(
    /// The username an RDP or shell session logs in with.
    Username, Field::Username, TARGET_MAX_CHARS, Unit::Characters, newlines: false
);
text_value!(
    /// `customer.name`.
    CustomerName, Field::CustomerName, CUSTOMER_FIELD_MAX_CHARS, Unit::Characters, newlines: false
);
text_value!(
    /// `customer.company`.
    CustomerCompany, Field::CustomerCompany, CUSTOMER_FIELD_MAX_CHARS, Unit::Characters, newlines: false
);
text_value!(
    /// `customer.company_code`.
    CustomerCompanyCode, Field::CustomerCompanyCode, CUSTOMER_FIELD_MAX_CHARS, Unit::Characters, newlines: false
);
text_value!(
    /// `customer.details`: the problem description; may span lines.
    CustomerDetails, Field::CustomerDetails, CUSTOMER_DETAILS_MAX_BYTES, Unit::Bytes, newlines: true
);

/// Splits `host[:port]` / `[v6]:port` and validates the host part.
/// Refuses URLs with a message that says to enter the hostname only.
fn parse_host_port(
    input: &str,
    field: &Field,
    allow_port: bool,
) -> Result<(String, Option<u16>), InputError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(err(field, Problem::Required));
    }
    if s.contains("://") || s.contains('/') || s.contains('?') || s.contains('#') || s.contains('@')
    {
        return Err(err(field, Problem::UrlNotHostname));
    }
    let got = s.chars().count();
    if got > TARGET_MAX_CHARS {
        return Err(err(
            field,
            Problem::TooLong {
                max: TARGET_MAX_CHARS,
                got,
                unit: Unit::Characters,
            },
        ));
    }
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (v6, after) = rest
            .split_once(']')
            .ok_or_else(|| err(field, Problem::InvalidHostname))?;
        v6.parse::<Ipv6Addr>()
            .map_err(|_| err(field, Problem::InvalidHostname))?;
        let port = match after {
            "" => None,
            p => Some(
                p.strip_prefix(':')
                    .ok_or_else(|| err(field, Problem::InvalidHostname))?,
            ),
        };
        (format!("[{v6}]"), port)
    } else if s.matches(':').count() > 1 {
        // A bare IPv6 address; it needs brackets only when a port follows.
        s.parse::<Ipv6Addr>()
            .map_err(|_| err(field, Problem::InvalidHostname))?;
        (format!("[{s}]"), None)
    } else {
        match s.split_once(':') {
            Some((h, p)) => (h.to_owned(), Some(p)),
            None => (s.to_owned(), None),
        }
    };
    let port = match port {
        None => None,
        Some(_) if !allow_port => return Err(err(field, Problem::UrlNotHostname)),
        Some(p) => Some(Port::parse_for(p, field)?.get()),
    };
    if !host.starts_with('[') && host.parse::<Ipv4Addr>().is_err() && !is_dns_name(&host) {
        return Err(err(field, Problem::InvalidHostname));
    }
    Ok((host, port))
}

/// RFC 1123 host name: dot-separated labels of letters, digits and inner '-'.
fn is_dns_name(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    !host.is_empty()
        && host.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// How links to the appliance are made. Production is always `https`; plain
/// `http` exists only for loopback sandboxes used by the demo and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Https,
    Http,
}

/// The appliance's public site, e.g. `support.example.com`: a hostname, an
/// IP address, optionally with a port, but never a URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApplianceHost {
    host: String,
    port: Option<u16>,
    insecure: bool,
}

impl ApplianceHost {
    pub fn parse(value: &str) -> Result<Self, InputError> {
        let (host, port) = parse_host_port(value, &Field::ApplianceHostname, true)?;
        // The admin's appliance name, in the one spelling every link and
        // origin check compares against (DNS names ignore case).
        Ok(Self {
            host: host.to_ascii_lowercase(),
            port,
            insecure: false,
        })
    }

    /// Links to a loopback sandbox over plain `http`. Refused (as a
    /// hostname error) for anything that is not a loopback address.
    pub fn parse_loopback_sandbox(value: &str) -> Result<Self, InputError> {
        let mut host = Self::parse(value)?;
        if !host.is_loopback() {
            return Err(err(&Field::ApplianceHostname, Problem::InvalidHostname));
        }
        host.insecure = true;
        Ok(host)
    }

    pub fn is_loopback(&self) -> bool {
        let bare = self.host.trim_start_matches('[').trim_end_matches(']');
        self.host == "localhost"
            || bare.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
            || bare.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback())
    }

    pub fn scheme(&self) -> Scheme {
        if self.insecure {
            Scheme::Http
        } else {
            Scheme::Https
        }
    }

    /// `host[:port]` as configured (the host lower-cased).
    pub fn authority(&self) -> String {
        match self.port {
            Some(p) => format!("{}:{p}", self.host),
            None => self.host.clone(),
        }
    }

    /// `https://host[:port]`, without a trailing slash.
    pub fn base_url(&self) -> String {
        let scheme = match self.scheme() {
            Scheme::Https => "https",
            Scheme::Http => "http",
        };
        format!("{scheme}://{}", self.authority())
    }
}

impl fmt::Display for ApplianceHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.authority())
    }
}

/// A host name or IP address to jump to (`hostname`, `target`, and the
/// public portal hostname): at most 255 characters, no URL, no port. Kept
/// as the agent typed it (validated, not rewritten), as BeyondTrust's own
/// examples pass it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target(String);

impl Target {
    /// Validates `value` as the `target` field.
    pub fn parse(value: &str) -> Result<Self, InputError> {
        Self::parse_as(value, Field::Target)
    }

    /// Validates `value` for the named field (`hostname`, portal hostname...).
    pub fn parse_as(value: &str, field: Field) -> Result<Self, InputError> {
        let (host, _) = parse_host_port(value, &field, false)?;
        Ok(Self(
            host.trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A TCP port, 1–65535.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Port(u16);

impl Port {
    pub fn parse(value: &str) -> Result<Self, InputError> {
        Self::parse_for(value, &Field::Port)
    }

    fn parse_for(value: &str, field: &Field) -> Result<Self, InputError> {
        let value = value.trim();
        if value.is_empty() {
            return Err(err(field, Problem::Required));
        }
        let range = Problem::OutOfRange { min: 1, max: 65535 };
        if !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(field, range));
        }
        match value.parse::<u32>() {
            Ok(n @ 1..=65535) => Ok(Self(n as u16)),
            _ => Err(err(field, range)),
        }
    }

    pub fn new(port: u16) -> Result<Self, InputError> {
        if port == 0 {
            return Err(err(
                &Field::Port,
                Problem::OutOfRange { min: 1, max: 65535 },
            ));
        }
        Ok(Self(port))
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

/// A positive integer id (issue id, rep id, team id, credential id).
pub fn parse_id(value: &str, field: Field) -> Result<u64, InputError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(InputError::new(field, Problem::Required));
    }
    match value.parse::<u64>() {
        Ok(n) if n >= 1 && value.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(InputError::new(
            field,
            Problem::OutOfRange {
                min: 1,
                max: u64::MAX,
            },
        )),
    }
}

/// Declares a whole-number value with an inclusive range.
macro_rules! ranged_value {
    ($(#[$doc:meta])* $name:ident, $field:expr, $min:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name(u32);

        impl $name {
            pub const MIN: u32 = $min;
            pub const MAX: u32 = $max;

            pub fn new(n: u32) -> Result<Self, InputError> {
                if (Self::MIN..=Self::MAX).contains(&n) {
                    Ok(Self(n))
                } else {
                    Err(InputError::new($field, Problem::OutOfRange { min: Self::MIN as u64, max: Self::MAX as u64 }))
                }
            }

            pub fn parse(value: &str) -> Result<Self, InputError> {
                let value = value.trim();
                if value.is_empty() {
                    return Err(InputError::new($field, Problem::Required));
                }
                match value.parse::<u32>() {
                    Ok(n) if value.bytes().all(|b| b.is_ascii_digit()) => Self::new(n),
                    _ => Err(InputError::new($field, Problem::OutOfRange { min: Self::MIN as u64, max: Self::MAX as u64 })),
                }
            }

            pub fn get(self) -> u32 {
                self.0
            }
        }
    };
}

ranged_value!(
    /// How long a server-side session key lives (`ttl_seconds`): one minute to one day.
    KeyTtl, Field::Ttl, 60, 86_400
);
ranged_value!(
    /// How many days of session history to fetch (`days`). The appliance keeps
    /// session data for a limited time (90 days in one guide).
    HistoryDays, Field::Days, 1, 90
);

/// Checks a value against a character class: letters and digits plus `extra`.
fn check_token(
    value: &str,
    field: &Field,
    max: usize,
    extra: &[u8],
    allowed: &'static str,
) -> Result<(), InputError> {
    if value.is_empty() {
        return Err(err(field, Problem::Required));
    }
    let got = value.chars().count();
    if got > max {
        return Err(err(
            field,
            Problem::TooLong {
                max,
                got,
                unit: Unit::Characters,
            },
        ));
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
    {
        return Err(err(field, Problem::InvalidCharacters { allowed }));
    }
    Ok(())
}

/// Declares a token newtype: letters, digits and a few extra characters.
macro_rules! token_value {
    ($(#[$doc:meta])* $name:ident, $field:expr, $max:expr, $extra:expr, $allowed:expr, lowercase: $lower:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn parse(value: &str) -> Result<Self, InputError> {
                let value = value.trim();
                check_token(value, &$field, $max, $extra, $allowed)?;
                if $lower && value.bytes().any(|b| b.is_ascii_uppercase()) {
                    return Err(err(&$field, Problem::InvalidCharacters { allowed: $allowed }));
                }
                Ok(Self(value.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

token_value!(
    /// An issue's code name as configured in /login (e.g. `general_tech`).
    IssueCode, Field::IssueCode, 64, b"_-.", "letters, digits, '_', '-' and '.'", lowercase: false
);
token_value!(
    /// A session key the customer types or the broker returned.
    SessionKeyText, Field::SessionKey, 64, b"", "letters and digits", lowercase: false
);
token_value!(
    /// A `session.custom.NAME` field name.
    CustomFieldName, Field::CustomFieldName, 64, b"_", "lowercase letters, digits and '_'", lowercase: true
);

/// A language tag such as `en-us`, `de`, `ja-jp` (for `locale=`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Locale(String);

impl Locale {
    pub fn parse(value: &str) -> Result<Self, InputError> {
        let value = value.trim();
        let field = Field::Locale;
        let bad = || {
            err(
                &field,
                Problem::Format {
                    expected: "a language tag such as en-us",
                },
            )
        };
        if value.is_empty() {
            return Err(err(&field, Problem::Required));
        }
        let mut parts = value.split(['-', '_']);
        let lang = parts.next().unwrap_or("");
        if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(bad());
        }
        for part in parts {
            if !(1..=8).contains(&part.len()) || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(bad());
            }
        }
        Ok(Self(value.replace('_', "-").to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag, e.g. `de` for `de-ch`.
    pub fn language(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }
}

/// The `session.custom.*` fields of one link, the external key included.
/// Enforces 1024 characters per value and 10 KB for all of them together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomFields(Vec<(String, String)>);

impl CustomFields {
    pub const EXTERNAL_KEY: &'static str = "external_key";

    pub fn new() -> Self {
        Self::default()
    }

    /// Fields carrying just the ticket id.
    pub fn with_external_key(key: &ExternalKey) -> Self {
        Self(vec![(
            Self::EXTERNAL_KEY.to_owned(),
            key.as_str().to_owned(),
        )])
    }

    /// Adds or replaces a field. The name must be lowercase letters, digits
    /// and `_`; the value at most 1024 characters; all together at most 10 KB.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), InputError> {
        let name = CustomFieldName::parse(name)?;
        let field = if name.as_str() == Self::EXTERNAL_KEY {
            Field::ExternalKey
        } else {
            Field::CustomField(name.as_str().to_owned())
        };
        check_text(
            value,
            &field,
            CUSTOM_FIELD_MAX_CHARS,
            Unit::Characters,
            false,
        )?;
        let mut next = self.0.clone();
        match next.iter_mut().find(|(n, _)| n == name.as_str()) {
            Some(slot) => slot.1 = value.to_owned(),
            None => next.push((name.as_str().to_owned(), value.to_owned())),
        }
        let total: usize = next.iter().map(|(n, v)| n.len() + v.len()).sum();
        if total > CUSTOM_FIELDS_TOTAL_MAX_BYTES {
            return Err(InputError::new(
                Field::CustomFieldsTotal,
                Problem::TooLong {
                    max: CUSTOM_FIELDS_TOTAL_MAX_BYTES,
                    got: total,
                    unit: Unit::Bytes,
                },
            ));
        }
        self.0 = next;
        Ok(())
    }

    pub fn external_key(&self) -> Option<&str> {
        self.get(Self::EXTERNAL_KEY)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appliance_host_refuses_urls_with_the_hostname_hint() {
        for url in [
            "https://support.example.com/",
            "http://support.example.com",
            "support.example.com/login",
        ] {
            let e = ApplianceHost::parse(url).unwrap_err();
            assert_eq!(e.problem, Problem::UrlNotHostname, "{url}");
            assert_eq!(
                e.to_string(),
                "appliance hostname: enter the hostname only, e.g. support.example.com"
            );
        }
    }

    #[test]
    fn appliance_host_accepts_names_ips_and_ports() {
        assert_eq!(
            ApplianceHost::parse(" Support.Example.com ")
                .unwrap()
                .base_url(),
            "https://support.example.com"
        );
        assert_eq!(
            ApplianceHost::parse("10.0.0.5:8443").unwrap().base_url(),
            "https://10.0.0.5:8443"
        );
        assert_eq!(
            ApplianceHost::parse("[::1]:9000").unwrap().authority(),
            "[::1]:9000"
        );
        assert_eq!(ApplianceHost::parse("::1").unwrap().authority(), "[::1]");
        for bad in [
            "",
            "   ",
            "exa mple.com",
            "-bad.example.com",
            "a..b",
            "host:0",
            "host:70000",
            "under_score.com",
        ] {
            assert!(ApplianceHost::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            ApplianceHost::parse("host:99999").unwrap_err().to_string(),
            "appliance hostname: must be between 1 and 65535"
        );
    }

    #[test]
    fn sandbox_hosts_must_be_loopback() {
        let h = ApplianceHost::parse_loopback_sandbox("127.0.0.1:9000").unwrap();
        assert_eq!(h.base_url(), "http://127.0.0.1:9000");
        assert!(ApplianceHost::parse_loopback_sandbox("support.example.com").is_err());
    }

    #[test]
    fn external_key_limit_is_1024_characters_not_bytes() {
        assert!(ExternalKey::parse(&"é".repeat(1024)).is_ok());
        let e = ExternalKey::parse(&"1".repeat(1025)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "external key: is too long: at most 1024 characters (got 1025)"
        );
        assert_eq!(
            ExternalKey::parse("a\u{7}b").unwrap_err().problem,
            Problem::ControlCharacters
        );
    }

    #[test]
    fn targets_are_hostnames_not_urls_and_at_most_255() {
        // Validated, not rewritten: the target goes out as the agent typed it.
        assert_eq!(Target::parse(" ABCDEF02 ").unwrap().as_str(), "ABCDEF02");
        assert_eq!(Target::parse("fe80::1").unwrap().as_str(), "fe80::1");
        assert_eq!(
            Target::parse("rdp://host").unwrap_err().problem,
            Problem::UrlNotHostname
        );
        assert_eq!(
            Target::parse("host:3389").unwrap_err().problem,
            Problem::UrlNotHostname
        );
        let long = format!("{}.com", "a.".repeat(130));
        let e = Target::parse(&long).unwrap_err();
        assert!(
            matches!(e.problem, Problem::TooLong { max: 255, .. }),
            "{e}"
        );
    }

    #[test]
    fn customer_details_count_bytes() {
        assert!(CustomerDetails::parse(&"x".repeat(1024)).is_ok());
        assert!(CustomerDetails::parse("line one\nline two").is_ok());
        // 342 three-byte characters = 1026 bytes
        let e = CustomerDetails::parse(&"€".repeat(342)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "customer details: is too long: at most 1024 bytes (got 1026)"
        );
        let e = CustomerName::parse(&"n".repeat(101)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "customer name: is too long: at most 100 characters (got 101)"
        );
    }

    #[test]
    fn custom_fields_enforce_names_and_the_10kb_total() {
        let mut f = CustomFields::new();
        assert_eq!(
            f.set("Bad-Name", "x").unwrap_err().field,
            Field::CustomFieldName
        );
        for i in 0..9 {
            f.set(&format!("f{i}"), &"v".repeat(1024)).unwrap();
        }
        assert_eq!(
            f.set("f9", &"v".repeat(1025)).unwrap_err().field,
            Field::CustomField("f9".into())
        );
        let e = f.set("f9", &"v".repeat(1024)).unwrap_err();
        assert_eq!(e.field, Field::CustomFieldsTotal);
        assert!(e.to_string().contains("at most 10240 bytes"), "{e}");
        // A refused set leaves the fields as they were.
        assert_eq!(f.iter().count(), 9);
    }

    #[test]
    fn ttl_and_history_windows() {
        assert_eq!(KeyTtl::parse("3600").unwrap().get(), 3600);
        assert_eq!(
            KeyTtl::new(59).unwrap_err().to_string(),
            "ttl_seconds: must be between 60 and 86400"
        );
        assert_eq!(
            HistoryDays::parse("91").unwrap_err().to_string(),
            "days: must be between 1 and 90"
        );
        assert!(HistoryDays::parse("7d").is_err());
    }

    #[test]
    fn ports_and_locales() {
        assert_eq!(Port::parse("22").unwrap().get(), 22);
        for bad in ["0", "65536", "-1", "22a", ""] {
            assert!(Port::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Locale::parse("de_CH").unwrap().as_str(), "de-ch");
        assert_eq!(Locale::parse("ja").unwrap().language(), "ja");
        assert!(Locale::parse("english please").is_err());
    }
}
