//! A finished session as the record sinks (Salesforce, Agiloft) store it:
//! one record per lsid whose fields each job fills — the session's report
//! fields for the session, a survey field for each survey. The note sinks
//! write the rendered note instead; these read the same [`Note`].

use super::Note;
use crate::writeback::render::utc_text;
use crate::writeback::store::Kind;
use serde_json::Value;

/// The fields a job contributes to its session's record; `None`: this job
/// does not set the field (a survey leaves the session's fields alone).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SessionFields {
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub duration_seconds: Option<u64>,
    pub primary_rep: Option<String>,
    pub primary_customer: Option<String>,
    pub chat_url: Option<String>,
    pub recording_url: Option<String>,
    /// The session note as plain text (the rendered template).
    pub report: Option<String>,
    /// The chat, a line per message.
    pub transcript: Option<String>,
    pub customer_survey: Option<String>,
    pub rep_survey: Option<String>,
}

impl SessionFields {
    pub fn of(note: &Note) -> Self {
        let d = &note.data;
        let text = |key: &str| d[key].as_str().filter(|s| !s.is_empty()).map(clean);
        match note.kind {
            Kind::Session => Self {
                start: d["start_time"]["timestamp"].as_i64(),
                end: d["end_time"]["timestamp"].as_i64(),
                duration_seconds: d["duration_seconds"].as_u64(),
                primary_rep: text("primary_rep"),
                primary_customer: text("primary_customer"),
                chat_url: text("chat_view_url"),
                recording_url: text("recording_view_url"),
                report: Some(clean(&note.text)),
                transcript: Some(transcript(d)),
                ..Self::default()
            },
            Kind::CustomerSurvey => Self {
                customer_survey: Some(clean(&note.text)),
                ..Self::default()
            },
            Kind::RepSurvey => Self {
                rep_survey: Some(clean(&note.text)),
                ..Self::default()
            },
        }
    }
}

/// The chat as text, a line per message: `[2024-12-03 15:26:05 UTC] Name: text`.
fn transcript(report: &Value) -> String {
    let mut out = String::new();
    for message in report["chat"].as_array().into_iter().flatten() {
        let at = message["timestamp"]
            .as_i64()
            .and_then(utc_text)
            .unwrap_or_default();
        let who = message["performed_by"]["name"].as_str().unwrap_or("?");
        let body = message["body"].as_str().unwrap_or_default();
        out.push_str(&format!("[{at}] {who}: {body}\n"));
    }
    clean(out.trim_end())
}

/// RFC 3339 (`2024-12-03T15:26:05Z`).
pub fn rfc3339(secs: i64) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp(secs).ok()?;
    t.format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// `text` without control characters (which hosts refuse in text fields);
/// line breaks and tabs stay.
pub fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .collect()
}

/// `text` when it has at most `limit` characters, else its start and
/// `marker`, `limit` characters in all.
pub fn fit(text: &str, limit: usize, marker: &str) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let keep = limit.saturating_sub(marker.chars().count());
    let end = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
    format!("{}{marker}", &text[..end])
}

/// `text` cut to `limit` characters with a visible marker naming the limit
/// and, when there is one, the chat link where the whole transcript is.
pub fn fit_with_link(text: &str, limit: usize, host: &str, chat_url: Option<&str>) -> String {
    let whole = chat_url
        .map(|u| format!(" The whole transcript: {u}"))
        .unwrap_or_default();
    let marker = format!("\n… [cut at {host}'s {limit}-character field limit.{whole}]");
    fit(text, limit, &marker)
}
