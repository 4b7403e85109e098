//! Autotask time entry (optional, `BT_AUTOTASK_TIME_ENTRIES`): the primary
//! rep's time in the session, entered on the session's ticket, as the
//! vendor's middleware does ("Auto-Time Entry Creation").
//!
//! `POST {URL}/TimeEntries` with `ticketID`, `resourceID` (the primary
//! rep's Autotask resource: their appliance username `@`
//! `BT_AUTOTASK_RESOURCE_DOMAIN` is looked up with `GET
//! {URL}/Resources/query`, else `BT_AUTOTASK_RESOURCE_ID`), `roleID`,
//! `dateWorked`, the session's `startDateTime` / `endDateTime` (UTC),
//! `hoursWorked` (the rep's seconds involved in hours, two decimals),
//! `summaryNotes` and `internalNotes`. Autotask takes 0 < `hoursWorked` ≤
//! 24: a session with no time gets no entry (skipped, with the reason), a
//! longer one is entered as 24 h and says so in its internal notes.
//!
//! The marker `bt-session: LSID/time_entry` goes in `internalNotes` (the
//! summary notes may reach the customer's invoice); after an uncertain
//! attempt the ticket's entries are queried for it
//! (`GET {URL}/TimeEntries/query`, filtered by ticket and marker).

use super::autotask::{AutotaskApi, HOST};
// Autotask's UTC date-times (`2024-12-03T15:26:05Z`) are RFC 3339.
use super::record::rfc3339;
use super::{numeric_ticket, send, takes_ticket_number, BoxFuture, Note, Sink, SinkError};
use crate::writeback::config::TimeEntryConfig;
use crate::writeback::store::Kind;

/// Autotask's bounds on one time entry.
pub const MAX_HOURS: f64 = 24.0;

pub struct AutotaskTimeEntries {
    api: AutotaskApi,
    config: TimeEntryConfig,
}

/// The entry's figures from the session report.
#[derive(Debug, Clone, PartialEq)]
pub struct Worked {
    pub hours: f64,
    /// The rep's seconds involved, when more than Autotask takes.
    pub clamped_from: Option<u64>,
    pub rep_name: String,
    pub rep_username: Option<String>,
    pub start: Option<i64>,
    pub end: Option<i64>,
}

/// The primary rep (else the first) and their time, or why there is no entry.
pub fn worked(report: &serde_json::Value) -> Result<Worked, String> {
    let reps = report["reps"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let Some(rep) = reps
        .iter()
        .find(|r| r["primary"].as_bool() == Some(true))
        .or_else(|| reps.first())
    else {
        return Err("the session report names no representative: no time entry".into());
    };
    let seconds = rep["seconds_involved"].as_u64().unwrap_or(0);
    if seconds == 0 {
        return Err(
            "the primary representative was involved 0 seconds: no time entry (Autotask needs hoursWorked > 0)"
                .into(),
        );
    }
    let exact = seconds as f64 / 3600.0;
    let hours = ((exact.min(MAX_HOURS) * 100.0).round() / 100.0).max(0.01);
    let start = report["start_time"]["timestamp"].as_i64();
    let end = report["end_time"]["timestamp"].as_i64();
    Ok(Worked {
        hours,
        clamped_from: (exact > MAX_HOURS).then_some(seconds),
        rep_name: rep["display_name"].as_str().unwrap_or_default().to_owned(),
        rep_username: rep["username"].as_str().map(str::to_owned),
        start,
        end,
    })
}

impl AutotaskTimeEntries {
    pub fn new(api: AutotaskApi, config: TimeEntryConfig) -> Self {
        Self { api, config }
    }

    fn marker(note: &Note) -> String {
        format!("bt-session: {}/time_entry", note.lsid)
    }

    /// The rep's Autotask resource id.
    async fn resource(&self, w: &Worked) -> Result<i64, SinkError> {
        let email = match (&self.config.resource_domain, &w.rep_username) {
            (Some(_), Some(u)) if u.contains('@') => Some(u.clone()),
            (Some(domain), Some(u)) if !u.is_empty() => Some(format!("{u}@{domain}")),
            _ => None,
        };
        if let Some(email) = &email {
            let search = serde_json::json!({
                "filter": [{"op": "eq", "field": "email", "value": email}]
            })
            .to_string();
            let url = self.api.url("Resources/query", &[("search", &search)])?;
            let found = self
                .api
                .find(&format!("the resource {email}"), url, |r| {
                    r["email"]
                        .as_str()
                        .is_some_and(|e| e.eq_ignore_ascii_case(email))
                })
                .await?;
            if let Some(id) = found.and_then(|r| r["id"].as_i64()) {
                return Ok(id);
            }
        }
        self.config.resource_id.ok_or_else(|| {
            SinkError::Permanent(match email {
                Some(e) => format!("no Autotask resource has the e-mail {e} (the primary rep's username @ BT_AUTOTASK_RESOURCE_DOMAIN): create it, or set BT_AUTOTASK_RESOURCE_ID for reps without one"),
                None => "the primary rep has no username to find their Autotask resource by: set BT_AUTOTASK_RESOURCE_ID".into(),
            })
        })
    }

    /// The `POST /TimeEntries` body.
    fn body(&self, id: u64, resource: i64, w: &Worked, note: &Note) -> serde_json::Value {
        let marker = Self::marker(note);
        let mut internal = format!(
            "BeyondTrust session {}: {} was involved {}.",
            note.lsid,
            if w.rep_name.is_empty() {
                "the representative"
            } else {
                &w.rep_name
            },
            match w.clamped_from {
                Some(s) => format!(
                    "{:.2} h; entered as 24 h, the most one Autotask time entry takes",
                    s as f64 / 3600.0
                ),
                None => format!("{} h", w.hours),
            }
        );
        internal.push('\n');
        internal.push_str(&marker);
        // The session's own start and end when they fit one entry (Autotask
        // wants the end after the start, within the hours a day has).
        let span = match (w.start, w.end) {
            (Some(a), Some(b)) if b > a && b - a <= 24 * 3600 && w.clamped_from.is_none() => {
                Some((a, b))
            }
            _ => None,
        };
        let day = w
            .start
            .or(w.end)
            .unwrap_or_else(|| super::super::store::now_ms() / 1000);
        let mut body = serde_json::json!({
            "ticketID": id,
            "resourceID": resource,
            "roleID": self.config.role_id,
            "dateWorked": rfc3339(day - day.rem_euclid(86_400)),
            "hoursWorked": w.hours,
            "summaryNotes": self.config.summary_notes,
            "internalNotes": internal,
        });
        if let Some((a, b)) = span {
            body["startDateTime"] = rfc3339(a).into();
            body["endDateTime"] = rfc3339(b).into();
        }
        body
    }
}

impl Sink for AutotaskTimeEntries {
    fn name(&self) -> &'static str {
        "autotask_time"
    }

    fn takes(&self, ticket: &str) -> Result<(), String> {
        takes_ticket_number(HOST, ticket)
    }

    fn handles(&self, kind: Kind) -> bool {
        kind == Kind::Session
    }

    fn has_note<'a>(&'a self, note: &'a Note) -> BoxFuture<'a, Result<bool, SinkError>> {
        Box::pin(async move {
            let id = numeric_ticket(HOST, &note.ticket)?;
            let marker = Self::marker(note);
            let search = serde_json::json!({"filter": [{"op": "and", "items": [
                {"op": "eq", "field": "ticketID", "value": id},
                {"op": "contains", "field": "internalNotes", "value": marker},
            ]}]})
            .to_string();
            let url = self.api.url("TimeEntries/query", &[("search", &search)])?;
            let found = self
                .api
                .find(&format!("the time entries of ticket {id}"), url, |e| {
                    e["internalNotes"]
                        .as_str()
                        .is_some_and(|n| n.contains(&marker))
                })
                .await?;
            Ok(found.is_some())
        })
    }

    fn write<'a>(&'a self, note: &'a Note) -> BoxFuture<'a, Result<(), SinkError>> {
        Box::pin(async move {
            let id = numeric_ticket(HOST, &note.ticket)?;
            let w = worked(&note.data).map_err(SinkError::Skip)?;
            let resource = self.resource(&w).await?;
            let request = self
                .api
                .request(
                    reqwest::Method::POST,
                    &format!("{}/TimeEntries", self.api.base),
                )
                .json(&self.body(id, resource, &w, note));
            send(HOST, &format!("a time entry on ticket {id}"), request)
                .await
                .map(drop)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(seconds: serde_json::Value) -> serde_json::Value {
        serde_json::json!({
            "start_time": {"timestamp": 1733239565}, "end_time": {"timestamp": 1733240467},
            "reps": [
                {"display_name": "Bob", "username": "bob", "seconds_involved": 60, "primary": false},
                {"display_name": "Alice", "username": "alice", "seconds_involved": seconds, "primary": true},
            ],
        })
    }

    #[test]
    fn hours_are_the_primary_reps_seconds_within_autotasks_bounds() {
        let w = worked(&report(902.into())).unwrap();
        assert_eq!(
            (w.hours, w.clamped_from, w.rep_name.as_str()),
            (0.25, None, "Alice")
        );
        assert_eq!(worked(&report(5.into())).unwrap().hours, 0.01);
        let long = worked(&report((30 * 3600).into())).unwrap();
        assert_eq!((long.hours, long.clamped_from), (24.0, Some(30 * 3600)));
        for none in [0.into(), serde_json::Value::Null] {
            let e = worked(&report(none)).unwrap_err();
            assert!(e.contains("0 seconds"), "{e}");
        }
        assert!(worked(&serde_json::json!({}))
            .unwrap_err()
            .contains("no representative"));
    }

    #[test]
    fn times_are_utc() {
        assert_eq!(rfc3339(1733239565).as_deref(), Some("2024-12-03T15:26:05Z"));
    }
}
