//! Translations: the catalogues live in `bt-i18n` (re-exported here); this
//! module turns core's field and problem values into sentences, and loads a
//! language's file when the app does not bundle it ([`prepare`]).

pub use bt_i18n::*;

mod load;
pub use load::prepare;

use bt_core::{Field, InputError, Problem, Unit};

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
