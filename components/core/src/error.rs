//! Input errors: which field was wrong and why, in a form every front end can
//! show (English `Display` here; widgets translate from the structured parts).

use std::fmt;

/// The field a value belongs to. Widgets map these to their own labels;
/// `label()` is the English name used by the CLI and the broker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    ApplianceHostname,
    PortalHostname,
    ExternalKey,
    CustomFieldName,
    CustomField(String),
    CustomFieldsTotal,
    SearchString,
    Target,
    Hostname,
    Jumpoint,
    Username,
    DisplaySize,
    Quality,
    Port,
    Protocol,
    Terminal,
    JumpMethod,
    CredentialId,
    ClientFilter(&'static str),
    CustomerName,
    CustomerCompany,
    CustomerCompanyCode,
    CustomerDetails,
    IssueCode,
    IssueName,
    IssueId,
    RepId,
    SessionKey,
    Locale,
    Console,
    Template,
    TeamId,
    Ttl,
    Days,
    /// A line of the multi-line "Issues" setting (1-based).
    IssuesLine(usize),
    /// A line of the multi-line "Jumpoints" setting (1-based).
    JumpointsLine(usize),
    /// A line of the multi-line "Teams" setting (1-based).
    TeamsLine(usize),
    Jumpoints,
    Issues,
}

impl Field {
    /// English name of the field, as an agent or admin sees it.
    pub fn label(&self) -> String {
        match self {
            Field::ApplianceHostname => "appliance hostname".into(),
            Field::PortalHostname => "public portal hostname".into(),
            Field::ExternalKey => "external key".into(),
            Field::CustomFieldName => "custom field name".into(),
            Field::CustomField(name) => format!("custom field '{name}'"),
            Field::CustomFieldsTotal => "custom fields (all together)".into(),
            Field::SearchString => "search string".into(),
            Field::Target => "target".into(),
            Field::Hostname => "hostname".into(),
            Field::Jumpoint => "Jumpoint".into(),
            Field::Username => "username".into(),
            Field::DisplaySize => "display size".into(),
            Field::Quality => "quality".into(),
            Field::Port => "port".into(),
            Field::Protocol => "protocol".into(),
            Field::Terminal => "terminal".into(),
            Field::JumpMethod => "jump method".into(),
            Field::CredentialId => "credential id".into(),
            Field::ClientFilter(name) => format!("client filter '{name}'"),
            Field::CustomerName => "customer name".into(),
            Field::CustomerCompany => "customer company".into(),
            Field::CustomerCompanyCode => "customer company code".into(),
            Field::CustomerDetails => "customer details".into(),
            Field::IssueCode => "issue code".into(),
            Field::IssueName => "issue name".into(),
            Field::IssueId => "issue id".into(),
            Field::RepId => "representative id".into(),
            Field::SessionKey => "session key".into(),
            Field::Locale => "locale".into(),
            Field::Console => "console".into(),
            Field::Template => "template".into(),
            Field::TeamId => "team id".into(),
            Field::Ttl => "ttl_seconds".into(),
            Field::Days => "days".into(),
            Field::IssuesLine(n) => format!("Issues, line {n}"),
            Field::JumpointsLine(n) => format!("Jumpoints, line {n}"),
            Field::TeamsLine(n) => format!("Teams, line {n}"),
            Field::Jumpoints => "Jumpoints".into(),
            Field::Issues => "Issues".into(),
        }
    }
}

/// How a length limit is counted. The appliance counts characters for most
/// fields but bytes for `customer.details` and the custom-field total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Characters,
    Bytes,
}

/// What is wrong with a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
        got: usize,
        unit: Unit,
    },
    /// A URL (scheme, path) was given where a bare hostname belongs.
    UrlNotHostname,
    InvalidHostname,
    ControlCharacters,
    /// Only these characters are allowed (human description).
    InvalidCharacters {
        allowed: &'static str,
    },
    OutOfRange {
        min: u64,
        max: u64,
    },
    NotOneOf {
        allowed: &'static [&'static str],
    },
    /// Free-form format hint, e.g. "WIDTHxHEIGHT".
    Format {
        expected: &'static str,
    },
    /// An allow-flag is on but no Jumpoint is configured.
    NeedsJumpoint {
        method: &'static str,
    },
    /// The same name appears twice.
    Duplicate,
}

/// A refused input value: the field and the reason, never the value itself
/// (it may be long, or private).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub field: Field,
    pub problem: Problem,
}

impl InputError {
    pub fn new(field: Field, problem: Problem) -> Self {
        Self { field, problem }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Required => write!(f, "is required"),
            Problem::TooLong { max, got, unit } => {
                let unit = match unit {
                    Unit::Characters => "characters",
                    Unit::Bytes => "bytes",
                };
                write!(f, "is too long: at most {max} {unit} (got {got})")
            }
            Problem::UrlNotHostname => {
                write!(f, "enter the hostname only, e.g. support.example.com")
            }
            Problem::InvalidHostname => write!(
                f,
                "is not a valid hostname: use letters, digits, '-' and '.', e.g. support.example.com"
            ),
            Problem::ControlCharacters => write!(f, "must not contain control characters"),
            Problem::InvalidCharacters { allowed } => write!(f, "may only contain {allowed}"),
            Problem::OutOfRange { min, max } => write!(f, "must be between {min} and {max}"),
            Problem::NotOneOf { allowed } => write!(f, "must be one of: {}", allowed.join(", ")),
            Problem::Format { expected } => write!(f, "must look like {expected}"),
            Problem::NeedsJumpoint { method } => {
                write!(f, "\"{method}\" needs at least one Jumpoint")
            }
            Problem::Duplicate => write!(f, "is listed twice"),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field.label(), self.problem)
    }
}

impl std::error::Error for InputError {}
