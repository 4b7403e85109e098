//! Where a finished session is written: one small trait, one file per host.
//!
//! Every configured sink gets every job (docs/writeback.md, "Several
//! sinks"). A sink writes at most one note per (lsid, kind) in the ticket:
//! when an earlier attempt's outcome is unknown (`uncertain`: the broker
//! crashed, or the host's answer was lost), it first looks for the note's
//! marker in the ticket and writes only when it is not there.

pub mod agiloft;
pub mod autotask;
pub mod autotask_time;
pub mod record;
pub mod salesforce;
pub mod webhook;
pub mod zendesk;

use super::store::Kind;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One rendered note for one ticket.
#[derive(Debug, Clone)]
pub struct Note {
    pub lsid: String,
    pub kind: Kind,
    /// The session's external key: the ticket id.
    pub ticket: String,
    /// `bt-session: LSID/KIND`, the last line of every note.
    pub marker: String,
    pub title: String,
    pub html: String,
    pub text: String,
    /// The report as data, for the webhook.
    pub data: serde_json::Value,
}

/// Why a write did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinkError {
    /// Try again later (429, 5xx, timeouts, connection failures); `after`
    /// is the host's `Retry-After`.
    Retry {
        reason: String,
        after: Option<Duration>,
    },
    /// Never retried by itself (other 4xx: ticket not found, credentials
    /// refused); the job is parked with the reason.
    Permanent(String),
    /// Nothing to write, and that is no failure (a time entry for a session
    /// with no time): the delivery is recorded as done with the reason.
    Skip(String),
}

impl SinkError {
    pub fn reason(&self) -> &str {
        match self {
            SinkError::Retry { reason, .. }
            | SinkError::Permanent(reason)
            | SinkError::Skip(reason) => reason,
        }
    }
}

pub trait Sink: Send + Sync {
    /// `zendesk`, `autotask`, `autotask_time`, `webhook`: the delivery's name in the store.
    fn name(&self) -> &'static str;

    /// Whether this sink writes jobs of `kind` at all (a time entry is
    /// made for a session, not for its surveys).
    fn handles(&self, _kind: Kind) -> bool {
        true
    }

    /// Whether the ticket already holds `note` (a note with its marker).
    fn has_note<'a>(&'a self, note: &'a Note) -> BoxFuture<'a, Result<bool, SinkError>>;

    /// Whether this host can hold a ticket with id `ticket` (the session's
    /// external key), or why not. A session goes to every sink that takes
    /// its key; one that no sink takes is parked with their reasons.
    fn takes(&self, _ticket: &str) -> Result<(), String> {
        Ok(())
    }

    /// Writes `note` into its ticket.
    fn write<'a>(&'a self, note: &'a Note) -> BoxFuture<'a, Result<(), SinkError>>;

    /// An authenticated read that writes nothing (`bt-broker doctor`): what
    /// was checked, or why it failed. Never names a secret. A sink with
    /// nothing to read leaves its credentials to its first delivery.
    fn check(&self) -> BoxFuture<'_, Result<String, SinkError>> {
        Box::pin(async {
            Ok("no credentials check for this sink: its first delivery shows them (bt-broker writeback status)".into())
        })
    }
}

/// The ticket a sink's [`Sink::check`] reads. Hosts refuse bad credentials
/// before they look a ticket up, so "no such ticket" proves them too.
pub const PROBE_TICKET: u64 = 1;

/// Sends a [`Sink::check`] read: the status when the host accepted the
/// credentials (a success, or a JSON 404 for a ticket that does not
/// exist), else the failure. 401/403 say only that the credentials were
/// refused; the doctor names the variables to fix.
pub async fn probe(
    host: &str,
    request: reqwest::RequestBuilder,
) -> Result<reqwest::StatusCode, SinkError> {
    let resp = request.send().await.map_err(|e| transport(host, &e))?;
    let status = resp.status();
    let json = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    match status.as_u16() {
        _ if status.is_success() => Ok(status),
        404 if json => Ok(status),
        401 | 403 => Err(SinkError::Permanent(format!(
            "{host} refused the broker's credentials (HTTP {})",
            status.as_u16()
        ))),
        _ => Err(status_error(
            host,
            &format!("ticket {PROBE_TICKET}"),
            status,
            resp.headers(),
        )),
    }
}

/// `scheme://host[:port]` of `url`, for a line an admin reads: a URL's
/// path or query may carry credentials (some receivers take them there).
pub fn origin_of(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| "(not a URL)".into())
}

/// Writes `note` through `sink` unless the ticket already holds it, which
/// is asked only when an earlier attempt's outcome is unknown (`uncertain`).
pub async fn deliver(sink: &dyn Sink, note: &Note, uncertain: bool) -> Result<(), SinkError> {
    if uncertain && sink.has_note(note).await? {
        return Ok(());
    }
    sink.write(note).await
}

/// The marker every note ends with.
pub fn marker(lsid: &str, kind: Kind) -> String {
    format!("bt-session: {lsid}/{}", kind.as_str())
}

/// The HTTP client the sinks share: timeouts, no redirects.
pub fn http_client(connect: Duration, total: Duration) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .connect_timeout(connect)
        .timeout(total)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("bt-broker/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// A transport failure: always retryable (the request may or may not have
/// reached the host, hence the marker check on the next attempt).
pub fn transport(host: &str, e: &reqwest::Error) -> SinkError {
    let what = if e.is_timeout() {
        "did not answer in time"
    } else if e.is_connect() {
        "cannot be reached"
    } else {
        "dropped the connection"
    };
    SinkError::Retry {
        reason: format!("{host} {what}"),
        after: None,
    }
}

/// Sends `request` to `host`: the response when it is a success, else the
/// failure it means (about `what`, e.g. "ticket 4711").
pub async fn send(
    host: &str,
    what: &str,
    request: reqwest::RequestBuilder,
) -> Result<reqwest::Response, SinkError> {
    let resp = request.send().await.map_err(|e| transport(host, &e))?;
    let status = resp.status();
    if status.is_success() {
        Ok(resp)
    } else {
        Err(status_error(host, what, status, resp.headers()))
    }
}

/// Maps a non-success status to retry or park, with `what` saying what was
/// asked (e.g. "ticket 4711").
pub fn status_error(
    host: &str,
    what: &str,
    status: reqwest::StatusCode,
    headers: &reqwest::header::HeaderMap,
) -> SinkError {
    let code = status.as_u16();
    let after = headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| Duration::from_secs(s.min(24 * 3600)));
    match code {
        429 => SinkError::Retry {
            reason: format!("{host} is throttling the broker (HTTP 429)"),
            after,
        },
        408 | 500..=599 => SinkError::Retry {
            reason: format!("{host} answered HTTP {code} for {what}"),
            after,
        },
        401 | 403 => SinkError::Permanent(format!(
            "{host} refused the broker's credentials (HTTP {code}) for {what}: check the API user and token"
        )),
        404 => SinkError::Permanent(format!("{host} has no {what} (HTTP 404)")),
        422 => SinkError::Permanent(format!(
            "{host} refused the note on {what} (HTTP 422): the ticket may be closed, or hold as many comments as it can"
        )),
        _ => SinkError::Permanent(format!("{host} refused {what} (HTTP {code})")),
    }
}

/// [`Sink::takes`] for a host whose tickets are numbered.
pub fn takes_ticket_number(host: &str, ticket: &str) -> Result<(), String> {
    numeric_ticket(host, ticket)
        .map(drop)
        .map_err(|e| e.reason().to_owned())
}

/// `base` with `segments` appended to its path, each percent-encoded as one
/// segment (an lsid, a knowledgebase or table name cannot add a `/`).
pub fn endpoint(host: &str, base: &str, segments: &[&str]) -> Result<reqwest::Url, SinkError> {
    let refused = |why: String| SinkError::Permanent(format!("{host}: '{base}' {why}"));
    let mut url = reqwest::Url::parse(base).map_err(|e| refused(format!("is not a URL: {e}")))?;
    url.path_segments_mut()
        .map_err(|()| refused("cannot take a path".into()))?
        .pop_if_empty()
        .extend(segments);
    Ok(url)
}

/// A ticket id a numeric-id host accepts.
pub fn numeric_ticket(host: &str, ticket: &str) -> Result<u64, SinkError> {
    ticket
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| {
            let shown: String = ticket.chars().take(40).collect();
            SinkError::Permanent(format!(
                "the session's external key '{shown}' is not a {host} ticket id (a number)"
            ))
        })
}
