//! Zendesk: an internal note on ticket `external_key`.
//!
//! `PUT {URL}/api/v2/tickets/{id}.json` with
//! `{"ticket":{"comment":{"html_body": …, "public": false}}}`, Basic auth
//! `EMAIL/token:API_TOKEN`. Adding a comment has no idempotency key, so after
//! an uncertain attempt the ticket's comments are listed
//! (`GET /api/v2/tickets/{id}/comments.json`, cursor pagination, following
//! `links.next` while `meta.has_more`) and the note's marker looked for.

use super::{
    http_client, numeric_ticket, origin_of, probe, send, takes_ticket_number, transport, BoxFuture,
    Note, Sink, SinkError, PROBE_TICKET,
};
use crate::writeback::config::ZendeskSinkConfig;
use reqwest::header::{HeaderValue, AUTHORIZATION};
use std::time::Duration;

const HOST: &str = "Zendesk";
/// Pages followed when looking for a marker (100 comments each; a ticket
/// holds at most 5,000).
const MAX_PAGES: usize = 60;

pub struct Zendesk {
    http: reqwest::Client,
    base: String,
    auth: HeaderValue,
}

impl Zendesk {
    pub fn new(
        config: &ZendeskSinkConfig,
        connect: Duration,
        total: Duration,
    ) -> Result<Self, String> {
        use base64::Engine;
        let basic = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}/token:{}",
            config.email,
            config.api_token.expose()
        ));
        let mut auth = HeaderValue::from_str(&format!("Basic {basic}")).map_err(|_| {
            "BT_ZENDESK_EMAIL / BT_ZENDESK_API_TOKEN: not valid in an HTTP header".to_owned()
        })?;
        auth.set_sensitive(true);
        Ok(Self {
            http: http_client(connect, total)?,
            base: config.url.clone(),
            auth,
        })
    }

    /// Whether any comment of ticket `id` carries `marker`.
    async fn has_marker(&self, id: u64, marker: &str) -> Result<bool, SinkError> {
        let what = format!("ticket {id}");
        let mut url = format!(
            "{}/api/v2/tickets/{id}/comments.json?page[size]=100",
            self.base
        );
        for _ in 0..MAX_PAGES {
            let request = self.http.get(&url).header(AUTHORIZATION, self.auth.clone());
            let resp = send(HOST, &what, request).await?;
            let page: serde_json::Value = resp.json().await.map_err(|e| transport(HOST, &e))?;
            let found = page["comments"].as_array().is_some_and(|comments| {
                comments.iter().any(|c| {
                    ["body", "html_body", "plain_body"]
                        .iter()
                        .any(|f| c[*f].as_str().is_some_and(|t| t.contains(marker)))
                })
            });
            if found {
                return Ok(true);
            }
            match (
                page["meta"]["has_more"].as_bool(),
                page["links"]["next"].as_str(),
            ) {
                (Some(true), Some(next)) if next.starts_with(&self.base) => url = next.to_owned(),
                _ => return Ok(false),
            }
        }
        Ok(false)
    }
}

impl Sink for Zendesk {
    fn name(&self) -> &'static str {
        "zendesk"
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
                "ticket": {"comment": {"html_body": note.html, "public": false}}
            });
            let request = self
                .http
                .put(format!("{}/api/v2/tickets/{id}.json", self.base))
                .header(AUTHORIZATION, self.auth.clone())
                .json(&body);
            send(HOST, &format!("ticket {id}"), request).await.map(drop)
        })
    }

    /// Reads one comment of the probe ticket: the read a retry makes.
    fn check(&self) -> BoxFuture<'_, Result<String, SinkError>> {
        Box::pin(async move {
            let url = format!(
                "{}/api/v2/tickets/{PROBE_TICKET}/comments.json?page[size]=1",
                self.base
            );
            let request = self.http.get(url).header(AUTHORIZATION, self.auth.clone());
            probe(HOST, request).await?;
            Ok(format!(
                "{} accepts the API token (ticket comments read)",
                origin_of(&self.base)
            ))
        })
    }
}
