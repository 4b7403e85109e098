//! Autotask: a plain-text ticket note (the REST API cannot create rich text).
//!
//! `POST {URL}/Tickets/{id}/Notes` with `{"ticketID", "title",
//! "description", "noteType", "publish"}` and the headers
//! `ApiIntegrationCode`, `UserName`, `Secret`. After an uncertain attempt the
//! ticket's notes are read (`GET {URL}/Tickets/{id}/Notes`, following
//! `pageDetails.nextPageUrl`) and the marker looked for.

use super::{http_client, numeric_ticket, send, transport, BoxFuture, Note, Sink, SinkError};
use crate::writeback::config::AutotaskSinkConfig;
use reqwest::header::HeaderValue;
use std::time::Duration;

const HOST: &str = "Autotask";
/// Autotask's limits on a ticket note.
pub const MAX_DESCRIPTION: usize = 32_000;
pub const MAX_TITLE: usize = 250;
const MAX_PAGES: usize = 50;

pub struct Autotask {
    http: reqwest::Client,
    base: String,
    username: HeaderValue,
    secret: HeaderValue,
    code: HeaderValue,
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

impl Autotask {
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
            note_type: config.note_type,
            publish: config.publish,
        })
    }

    fn request(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, url)
            .header("ApiIntegrationCode", self.code.clone())
            .header("UserName", self.username.clone())
            .header("Secret", self.secret.clone())
    }

    async fn has_marker(&self, id: u64, marker: &str) -> Result<bool, SinkError> {
        let what = format!("ticket {id}");
        let mut url = format!("{}/Tickets/{id}/Notes", self.base);
        for _ in 0..MAX_PAGES {
            let resp = send(HOST, &what, self.request(reqwest::Method::GET, &url)).await?;
            let page: serde_json::Value = resp.json().await.map_err(|e| transport(HOST, &e))?;
            if page["items"].as_array().is_some_and(|items| {
                items.iter().any(|n| {
                    n["description"]
                        .as_str()
                        .is_some_and(|d| d.contains(marker))
                })
            }) {
                return Ok(true);
            }
            match page["pageDetails"]["nextPageUrl"].as_str() {
                Some(next) if next.starts_with(&self.base) => url = next.to_owned(),
                _ => return Ok(false),
            }
        }
        Ok(false)
    }
}

impl Sink for Autotask {
    fn name(&self) -> &'static str {
        "autotask"
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
                .request(
                    reqwest::Method::POST,
                    &format!("{}/Tickets/{id}/Notes", self.base),
                )
                .json(&body);
            send(HOST, &format!("ticket {id}"), request).await.map(drop)
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
