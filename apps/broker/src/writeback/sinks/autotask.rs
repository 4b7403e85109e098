//! Autotask: a plain-text ticket note (the REST API cannot create rich text).
//!
//! `POST {URL}/Tickets/{id}/Notes` with `{"ticketID", "title",
//! "description", "noteType", "publish"}` and the headers
//! `ApiIntegrationCode`, `UserName`, `Secret`. After an uncertain attempt the
//! ticket's notes are read (`GET {URL}/Tickets/{id}/Notes`, following
//! `pageDetails.nextPageUrl`) and the marker looked for.
//!
//! [`AutotaskApi`] (the zone's base URL and the three headers) is shared
//! with the time entry sink (`autotask_time.rs`).

use super::{
    http_client, numeric_ticket, origin_of, probe, send, takes_ticket_number, transport, BoxFuture,
    Note, Sink, SinkError, PROBE_TICKET,
};
use crate::writeback::config::AutotaskSinkConfig;
use reqwest::header::HeaderValue;
use std::time::Duration;

pub const HOST: &str = "Autotask";
/// Autotask's limits on a ticket note.
pub const MAX_DESCRIPTION: usize = 32_000;
pub const MAX_TITLE: usize = 250;
const MAX_PAGES: usize = 50;

/// The Autotask REST API as the API user: base URL and auth headers.
#[derive(Clone)]
pub struct AutotaskApi {
    http: reqwest::Client,
    pub base: String,
    username: HeaderValue,
    secret: HeaderValue,
    code: HeaderValue,
}

pub struct Autotask {
    api: AutotaskApi,
    note_type: i64,
    publish: i64,
}

fn header(name: &str, value: &str, sensitive: bool) -> Result<HeaderValue, String> {
    let mut v =
        HeaderValue::from_str(value).map_err(|_| format!("{name}: not valid in an HTTP header"))?;
    v.set_sensitive(sensitive);
    Ok(v)
}

/// `text` cut to `max` characters, keeping its last line (the marker).
pub fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let (body, last) = text.rsplit_once('\n').unwrap_or(("", text));
    let note = "\n[… cut to fit Autotask's note limit; the full transcript is on the appliance]\n";
    let keep = max.saturating_sub(last.chars().count() + note.chars().count());
    let mut out: String = body.chars().take(keep).collect();
    out.push_str(note);
    out.push_str(last);
    out
}

impl AutotaskApi {
    pub fn new(
        config: &AutotaskSinkConfig,
        connect: Duration,
        total: Duration,
    ) -> Result<Self, String> {
        Ok(Self {
            http: http_client(connect, total)?,
            base: config.url.clone(),
            username: header("BT_AUTOTASK_USERNAME", &config.username, false)?,
            secret: header("BT_AUTOTASK_SECRET", config.secret.expose(), true)?,
            code: header(
                "BT_AUTOTASK_INTEGRATION_CODE",
                config.integration_code.expose(),
                true,
            )?,
        })
    }

    pub fn request(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, url)
            .header("ApiIntegrationCode", self.code.clone())
            .header("UserName", self.username.clone())
            .header("Secret", self.secret.clone())
    }

    /// The first item of the listing at `url` (about `what`) that `wanted`
    /// picks, following `pageDetails.nextPageUrl` on this API only.
    pub async fn find(
        &self,
        what: &str,
        mut url: reqwest::Url,
        wanted: impl Fn(&serde_json::Value) -> bool,
    ) -> Result<Option<serde_json::Value>, SinkError> {
        for _ in 0..MAX_PAGES {
            let resp = send(HOST, what, self.request(reqwest::Method::GET, url.as_str())).await?;
            let page: serde_json::Value = resp.json().await.map_err(|e| transport(HOST, &e))?;
            if let Some(found) = page["items"]
                .as_array()
                .and_then(|items| items.iter().find(|i| wanted(i)))
            {
                return Ok(Some(found.clone()));
            }
            match page["pageDetails"]["nextPageUrl"].as_str() {
                Some(next) if next.starts_with(&self.base) => {
                    url = reqwest::Url::parse(next).map_err(|_| SinkError::Retry {
                        reason: format!("{HOST} gave an unreadable nextPageUrl for {what}"),
                        after: None,
                    })?
                }
                _ => return Ok(None),
            }
        }
        Ok(None)
    }

    /// `{base}/{path}` (e.g. `TimeEntries/query`), with `query` pairs.
    pub fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<reqwest::Url, SinkError> {
        reqwest::Url::parse_with_params(&format!("{}/{path}", self.base), query).map_err(|e| {
            SinkError::Permanent(format!(
                "BT_AUTOTASK_URL does not make a URL for {path}: {e}"
            ))
        })
    }
}

impl Autotask {
    pub fn new(api: AutotaskApi, config: &AutotaskSinkConfig) -> Self {
        Self {
            api,
            note_type: config.note_type,
            publish: config.publish,
        }
    }

    async fn has_marker(&self, id: u64, marker: &str) -> Result<bool, SinkError> {
        let url = self.api.url(&format!("Tickets/{id}/Notes"), &[])?;
        let found = self
            .api
            .find(&format!("ticket {id}"), url, |n| {
                n["description"]
                    .as_str()
                    .is_some_and(|d| d.contains(marker))
            })
            .await?;
        Ok(found.is_some())
    }
}

impl Sink for Autotask {
    fn name(&self) -> &'static str {
        "autotask"
    }

    fn takes(&self, ticket: &str) -> Result<(), String> {
        takes_ticket_number(HOST, ticket)
    }

    fn has_note<'a>(&'a self, note: &'a Note) -> BoxFuture<'a, Result<bool, SinkError>> {
        Box::pin(async move {
            self.has_marker(numeric_ticket(HOST, &note.ticket)?, &note.marker)
                .await
        })
    }

    fn write<'a>(&'a self, note: &'a Note) -> BoxFuture<'a, Result<(), SinkError>> {
        Box::pin(async move {
            let id = numeric_ticket(HOST, &note.ticket)?;
            let body = serde_json::json!({
                "ticketID": id,
                "title": note.title.chars().take(MAX_TITLE).collect::<String>(),
                "description": fit(&note.text, MAX_DESCRIPTION),
                "noteType": self.note_type,
                "publish": self.publish,
            });
            let request = self
                .api
                .request(
                    reqwest::Method::POST,
                    &format!("{}/Tickets/{id}/Notes", self.api.base),
                )
                .json(&body);
            send(HOST, &format!("ticket {id}"), request).await.map(drop)
        })
    }

    /// Reads the probe ticket's notes: the read a retry makes.
    fn check(&self) -> BoxFuture<'_, Result<String, SinkError>> {
        Box::pin(async move {
            let url = self
                .api
                .url(&format!("Tickets/{PROBE_TICKET}/Notes"), &[])?;
            let request = self.api.request(reqwest::Method::GET, url.as_str());
            probe(HOST, request).await?;
            Ok(format!(
                "{} accepts the API user (ticket notes read)",
                origin_of(&self.api.base)
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_notes_keep_their_marker() {
        let text = format!("{}\nbt-session: L/session", "x".repeat(40_000));
        let cut = fit(&text, MAX_DESCRIPTION);
        assert!(cut.chars().count() <= MAX_DESCRIPTION);
        assert!(cut.ends_with("\nbt-session: L/session"));
        assert_eq!(fit("short\nm", 100), "short\nm");
    }
}
