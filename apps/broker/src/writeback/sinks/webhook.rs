//! Webhook: the session as signed JSON, for Agiloft and anything else.
//!
//! `POST BT_WEBHOOK_URL` with `X-BT-Signature: sha256=<hex HMAC-SHA256 of
//! the body with BT_WEBHOOK_SECRET>` and `X-BT-Delivery: <lsid>:<kind>`,
//! the same on every retry. A receiver cannot be asked whether it already
//! has a delivery, so it may see one twice after a lost answer: it keeps
//! one per `X-BT-Delivery`.

use super::{http_client, send, BoxFuture, Note, Sink, SinkError};
use crate::config::Secret;
use crate::writeback::config::WebhookSinkConfig;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt::Write as _;
use std::time::Duration;

const HOST: &str = "The webhook";

pub struct Webhook {
    http: reqwest::Client,
    url: String,
    secret: Secret,
}

/// `sha256=<hex>` of `body` under `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    digest.iter().fold(String::from("sha256="), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

impl Webhook {
    pub fn new(
        config: &WebhookSinkConfig,
        connect: Duration,
        total: Duration,
    ) -> Result<Self, String> {
        Ok(Self {
            http: http_client(connect, total)?,
            url: config.url.clone(),
            secret: config.secret.clone(),
        })
    }
}

impl Sink for Webhook {
    fn name(&self) -> &'static str {
        "webhook"
    }

    /// A receiver cannot be asked; it keeps one delivery per `X-BT-Delivery`.
    fn has_note<'a>(&'a self, _note: &'a Note) -> BoxFuture<'a, Result<bool, SinkError>> {
        Box::pin(async { Ok(false) })
    }

    fn write<'a>(&'a self, note: &'a Note) -> BoxFuture<'a, Result<(), SinkError>> {
        Box::pin(async move {
            let body = serde_json::to_vec(&serde_json::json!({
                "lsid": note.lsid,
                "kind": note.kind.as_str(),
                "external_key": note.ticket,
                "title": note.title,
                "report": note.data,
                "html": note.html,
                "text": note.text,
            }))
            .map_err(|e| SinkError::Permanent(format!("cannot encode the webhook body: {e}")))?;
            let request = self
                .http
                .post(&self.url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header("X-BT-Signature", signature(self.secret.expose(), &body))
                .header(
                    "X-BT-Delivery",
                    format!("{}:{}", note.lsid, note.kind.as_str()),
                )
                .body(body);
            send(HOST, "the delivery", request).await.map(drop)
        })
    }

    /// A receiver has nothing to read and a POST would be a delivery: an
    /// unsigned GET shows that it answers; the secret is checked by the
    /// receiver on every delivery.
    fn check(&self) -> BoxFuture<'_, Result<String, SinkError>> {
        Box::pin(async move {
            let resp = self
                .http
                .get(&self.url)
                .send()
                .await
                .map_err(|e| super::transport(HOST, &e))?;
            let status = resp.status().as_u16();
            if status >= 500 {
                return Err(SinkError::Retry {
                    reason: format!("{HOST} answered HTTP {status}"),
                    after: None,
                });
            }
            Ok(format!(
                "{} answers (HTTP {status} to an unsigned GET); it checks BT_WEBHOOK_SECRET on each delivery",
                super::origin_of(&self.url)
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn signature_matches_rfc_4231_case_2() {
        // Key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            super::signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
