//! Salesforce: a `BeyondTrust_Session__c` record on the Case `external_key`.
//!
//! Sign-in is the OAuth 2.0 JWT bearer flow: an RS256 assertion (`iss` the
//! connected app's consumer key, `sub` the integration user, `aud` the login
//! URL, `exp` 3 minutes ahead) signed with `BT_SALESFORCE_PRIVATE_KEY`,
//! posted to `{LOGIN_URL}/services/oauth2/token`. The access token and
//! instance URL are kept until Salesforce answers 401; then the broker signs
//! in once more and repeats the request once.
//!
//! The write is an upsert by the external id `LSID__c`
//! (`PATCH …/sobjects/BeyondTrust_Session__c/LSID__c/{lsid}`): 201 creates
//! the record, 200 updates it, so a repeated delivery can never make a
//! second record and the surveys fill their fields on the session's record.
//! Hence no marker search ([`Sink::has_note`] is always false). Values are
//! made to fit the object (text cut at its field's limit with a visible
//! marker and the chat link, control characters dropped, over-long links
//! moved into the report) rather than refused.

use super::record::{fit, fit_with_link, rfc3339, SessionFields};
use super::{endpoint, http_client, status_error, transport, BoxFuture, Note, Sink, SinkError};
use crate::config::{ConfigError, Secret};
use crate::writeback::config::{required, Lookup};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::header::{HeaderValue, AUTHORIZATION};
use serde_json::{Map, Value};
use std::time::Duration;

const HOST: &str = "Salesforce";
/// The REST API version the object and its upsert answers are written for
/// (200 with `created: false` on an update needs ≥ 46.0).
pub const API_VERSION: &str = "v62.0";
const OBJECT: &str = "BeyondTrust_Session__c";
/// Salesforce refuses an assertion whose `exp` is further ahead.
const ASSERTION_SECONDS: u64 = 180;
/// Sizes of the object's fields (the SFDX project's metadata).
const TEXT_LIMIT: usize = 255;
const URL_LIMIT: usize = 255;
const LONG_TEXT_LIMIT: usize = 131_072;

#[derive(Debug, Clone)]
pub struct SalesforceSinkConfig {
    /// `https://login.salesforce.com`, `https://test.salesforce.com` or the
    /// org's My Domain; no trailing slash. Also the assertion's `aud`.
    pub login_url: String,
    /// The connected app's consumer key.
    pub client_id: String,
    /// The integration user the connected app is pre-authorized for.
    pub username: String,
    /// The private key of the certificate uploaded to the connected app (PEM).
    pub private_key: Secret,
}

/// `BT_SALESFORCE_*`, when `BT_SALESFORCE_LOGIN_URL` is set. `value` reads a
/// variable (trimmed, empty = unset); `url` checks a sink URL.
pub fn config(
    value: Lookup,
    url: &dyn Fn(&'static str, &str) -> Result<String, ConfigError>,
) -> Result<Option<SalesforceSinkConfig>, ConfigError> {
    const ON: &str = "BT_SALESFORCE_LOGIN_URL";
    let Some(login) = value(ON)? else {
        return Ok(None);
    };
    let required = |key: &'static str| required(value, key, ON);
    let login_url = url(ON, &login)?;
    let client_id = required("BT_SALESFORCE_CLIENT_ID")?;
    let username = required("BT_SALESFORCE_USERNAME")?;
    let key = required("BT_SALESFORCE_PRIVATE_KEY")?;
    let pem = crate::config::read_pem("BT_SALESFORCE_PRIVATE_KEY", &key)?;
    // Checked here so a wrong key stops the start, not the first session.
    EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|_| ConfigError {
        key: "BT_SALESFORCE_PRIVATE_KEY",
        message: "is not an RSA private key in PEM (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----), or file:PATH to one".to_owned(),
    })?;
    Ok(Some(SalesforceSinkConfig {
        login_url,
        client_id,
        username,
        private_key: Secret::new(pem),
    }))
}

/// A signed-in API session.
#[derive(Clone)]
struct ApiSession {
    bearer: HeaderValue,
    instance_url: String,
}

pub struct Salesforce {
    http: reqwest::Client,
    config: SalesforceSinkConfig,
    key: EncodingKey,
    /// Held while signing in, so concurrent writes share one sign-in.
    session: tokio::sync::Mutex<Option<ApiSession>>,
}

impl Salesforce {
    pub fn new(
        config: &SalesforceSinkConfig,
        connect: Duration,
        total: Duration,
    ) -> Result<Self, String> {
        let key =
            EncodingKey::from_rsa_pem(config.private_key.expose().as_bytes()).map_err(|_| {
                "BT_SALESFORCE_PRIVATE_KEY: is not an RSA private key in PEM".to_owned()
            })?;
        Ok(Self {
            http: http_client(connect, total)?,
            config: config.clone(),
            key,
            session: tokio::sync::Mutex::new(None),
        })
    }

    /// The kept session, or a new one; `stale` is the session Salesforce
    /// just refused (dropped unless another write already replaced it).
    async fn signed_in(&self, stale: Option<&ApiSession>) -> Result<ApiSession, SinkError> {
        let mut kept = self.session.lock().await;
        if let (Some(k), Some(s)) = (kept.as_ref(), stale) {
            if k.bearer == s.bearer {
                *kept = None;
            }
        }
        if let Some(k) = kept.as_ref() {
            return Ok(k.clone());
        }
        let session = self.sign_in().await?;
        *kept = Some(session.clone());
        Ok(session)
    }

    async fn sign_in(&self) -> Result<ApiSession, SinkError> {
        let now = jsonwebtoken::get_current_timestamp();
        let claims = serde_json::json!({
            "iss": self.config.client_id,
            "sub": self.config.username,
            "aud": self.config.login_url,
            "exp": now + ASSERTION_SECONDS,
        });
        let assertion = jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &self.key)
            .map_err(|e| {
                SinkError::Permanent(format!("cannot sign the Salesforce assertion: {e}"))
            })?;
        let resp = self
            .http
            .post(format!("{}/services/oauth2/token", self.config.login_url))
            .form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", assertion.as_str()),
            ])
            .send()
            .await
            .map_err(|e| transport(HOST, &e))?;
        let status = resp.status();
        if status.is_server_error() || status.as_u16() == 429 {
            return Err(status_error(HOST, "the sign-in", status, resp.headers()));
        }
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            let error = body["error"].as_str().unwrap_or("no error code");
            let description = body["error_description"].as_str().unwrap_or("");
            let said: String = format!("{error}: {description}")
                .chars()
                .take(200)
                .collect();
            return Err(SinkError::Permanent(format!(
                "Salesforce refused the broker's sign-in (HTTP {}, {said}): check BT_SALESFORCE_CLIENT_ID, BT_SALESFORCE_USERNAME, the connected app's certificate and that the user is pre-authorized",
                status.as_u16()
            )));
        }
        let token = body["access_token"].as_str().unwrap_or_default();
        let instance = body["instance_url"].as_str().unwrap_or_default();
        let instance_url =
            crate::writeback::config::sink_url("instance_url", instance).map_err(|e| {
                SinkError::Permanent(format!(
                    "Salesforce's sign-in answer has no usable instance_url ({})",
                    e.message
                ))
            })?;
        let mut bearer = HeaderValue::from_str(&format!("Bearer {token}"))
            .ok()
            .filter(|_| !token.is_empty())
            .ok_or_else(|| {
                SinkError::Permanent("Salesforce's sign-in answer has no access_token".into())
            })?;
        bearer.set_sensitive(true);
        Ok(ApiSession {
            bearer,
            instance_url,
        })
    }

    async fn upsert(
        &self,
        session: &ApiSession,
        lsid: &str,
        fields: &Map<String, Value>,
    ) -> Result<reqwest::Response, SinkError> {
        let path = [
            "services",
            "data",
            API_VERSION,
            "sobjects",
            OBJECT,
            "LSID__c",
            lsid,
        ];
        let url = endpoint(HOST, &session.instance_url, &path)?;
        self.http
            .patch(url)
            .header(AUTHORIZATION, session.bearer.clone())
            .json(fields)
            .send()
            .await
            .map_err(|e| transport(HOST, &e))
    }
}

impl Sink for Salesforce {
    fn name(&self) -> &'static str {
        "salesforce"
    }

    fn takes(&self, ticket: &str) -> Result<(), String> {
        case_id(ticket).map(drop)
    }

    /// Signs in (the JWT bearer flow): the connected app, its certificate
    /// and the user are all checked; nothing is written.
    fn check(&self) -> BoxFuture<'_, Result<String, SinkError>> {
        Box::pin(async move {
            self.sign_in().await?;
            Ok(format!(
                "{} signs in {} (JWT bearer flow)",
                super::origin_of(&self.config.login_url),
                self.config.username
            ))
        })
    }

    fn has_note<'a>(&'a self, _note: &'a Note) -> BoxFuture<'a, Result<bool, SinkError>> {
        // An upsert by lsid is idempotent: writing again is the check.
        Box::pin(async { Ok(false) })
    }

    fn write<'a>(&'a self, note: &'a Note) -> BoxFuture<'a, Result<(), SinkError>> {
        Box::pin(async move {
            let fields = record_fields(note)?;
            let what = format!("the {OBJECT} record of session {}", note.lsid);
            let mut session = self.signed_in(None).await?;
            for attempt in 0..2 {
                let resp = self.upsert(&session, &note.lsid, &fields).await?;
                let status = resp.status().as_u16();
                match status {
                    200 | 201 | 204 => return Ok(()),
                    401 if attempt == 0 => session = self.signed_in(Some(&session)).await?,
                    300 => {
                        return Err(SinkError::Permanent(format!(
                            "several {OBJECT} records have LSID__c {}: merge them in Salesforce, then run bt-broker writeback retry {}",
                            note.lsid, note.lsid
                        )))
                    }
                    _ => return Err(refusal(&what, resp).await),
                }
            }
            Err(SinkError::Permanent(format!(
                "Salesforce refused a fresh access token for {what} (HTTP 401)"
            )))
        })
    }
}

/// What a refused upsert means, with Salesforce's own error text.
async fn refusal(what: &str, resp: reqwest::Response) -> SinkError {
    let status = resp.status();
    let headers = resp.headers().clone();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    let first = &body[0];
    let code = first["errorCode"].as_str().unwrap_or_default();
    let message: String = first["message"]
        .as_str()
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect();
    match (status.as_u16(), code) {
        // Salesforce's own throttling answer: the org's API request limit.
        (403, "REQUEST_LIMIT_EXCEEDED") => SinkError::Retry {
            reason: format!("Salesforce's API request limit is used up ({message})"),
            after: None,
        },
        (404, _) => SinkError::Permanent(format!(
            "Salesforce has no {OBJECT} with the field LSID__c for the integration user (HTTP 404, {message}): deploy the package's object and assign the BeyondTrust Session Writer permission set"
        )),
        (400, _) => SinkError::Permanent(format!("Salesforce refused {what} (HTTP 400, {code}: {message})")),
        _ => status_error(HOST, what, status, &headers),
    }
}

/// `ticket` when it can be a Case id, else why not.
fn case_id(ticket: &str) -> Result<&str, String> {
    let case = ticket.trim();
    if is_case_id(case) {
        return Ok(case);
    }
    let shown: String = case.chars().take(40).collect();
    Err(format!(
        "the session's external key '{shown}' is not a Salesforce Case id (15 or 18 letters and digits starting 500)"
    ))
}

/// Whether `id` can be a Case id: 15 or 18 letters and digits, starting
/// with Case's key prefix `500`.
fn is_case_id(id: &str) -> bool {
    matches!(id.len(), 15 | 18)
        && id.starts_with("500")
        && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The record's fields for `note`: the session's for a session, a survey
/// field for a survey; the Case lookup for both. Made to fit the object.
fn record_fields(note: &Note) -> Result<Map<String, Value>, SinkError> {
    let case = case_id(&note.ticket).map_err(SinkError::Permanent)?;
    let r = SessionFields::of(note);
    let mut fields = Map::new();
    fields.insert("Case__c".into(), case.into());
    let mut put = |name: &str, value: Value| {
        fields.insert(name.into(), value);
    };
    for (name, at) in [("Start_Time__c", r.start), ("End_Time__c", r.end)] {
        if let Some(t) = at.and_then(rfc3339) {
            put(name, t.into());
        }
    }
    if let Some(s) = r.duration_seconds {
        put("Duration_Seconds__c", s.into());
    }
    for (name, value) in [
        ("Primary_Rep__c", &r.primary_rep),
        ("Primary_Customer__c", &r.primary_customer),
    ] {
        if let Some(v) = value {
            put(name, fit(v, TEXT_LIMIT, "…").into());
        }
    }
    // A link too long (or odd) for a URL field is kept in the report.
    let mut moved = String::new();
    for (name, value, label) in [
        ("Chat_URL__c", &r.chat_url, "Chat transcript"),
        ("Recording_URL__c", &r.recording_url, "Recording"),
    ] {
        match value {
            Some(u)
                if u.chars().count() <= URL_LIMIT
                    && (u.starts_with("https://") || u.starts_with("http://")) =>
            {
                put(name, u.clone().into())
            }
            Some(u) => moved.push_str(&format!("{label}: {u}\n")),
            None => {}
        }
    }
    let long = |text: &str| fit_with_link(text, LONG_TEXT_LIMIT, HOST, r.chat_url.as_deref());
    if let Some(report) = &r.report {
        put(
            "Session_Report__c",
            long(&format!("{moved}{report}")).into(),
        );
    }
    for (name, value) in [
        ("Chat_Transcript__c", &r.transcript),
        ("Customer_Survey__c", &r.customer_survey),
        ("Rep_Survey__c", &r.rep_survey),
    ] {
        if let Some(v) = value {
            put(name, long(v).into());
        }
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::writeback::store::Kind;

    fn note(kind: Kind, ticket: &str, data: Value, text: &str) -> Note {
        Note {
            lsid: "abc123".into(),
            kind,
            ticket: ticket.into(),
            marker: "bt-session: abc123/session".into(),
            title: "t".into(),
            html: String::new(),
            text: text.into(),
            data,
        }
    }

    #[test]
    fn only_case_ids_are_written() {
        for bad in [
            "4711",
            "001Hn00001XyZaBIAV",
            "500Hn00001XyZa",
            "500Hn00001XyZaB!AV",
            "",
        ] {
            let e = record_fields(&note(Kind::Session, bad, Value::Null, "")).unwrap_err();
            assert!(
                matches!(&e, SinkError::Permanent(m) if m.contains("is not a Salesforce Case id")),
                "{bad}: {e:?}"
            );
        }
        for good in ["500Hn00001XyZaB", "500Hn00001XyZaBIAV"] {
            assert!(
                record_fields(&note(Kind::Session, good, Value::Null, "")).is_ok(),
                "{good}"
            );
        }
    }

    #[test]
    fn long_text_is_cut_with_a_marker_and_the_chat_link_and_never_refused() {
        let chat = "https://support.example.com/session_download.ns?lsid=abc";
        let long: String = "é".repeat(LONG_TEXT_LIMIT + 10);
        let data = serde_json::json!({
            "chat_view_url": chat,
            "chat": [{"timestamp": 1733239565, "performed_by": {"name": "Ann\u{0}"}, "body": long}],
            "primary_rep": "R".repeat(300),
            "recording_view_url": format!("https://support.example.com/{}", "x".repeat(300)),
        });
        let f = record_fields(&note(Kind::Session, "500Hn00001XyZaBIAV", data, "report")).unwrap();
        let transcript = f["Chat_Transcript__c"].as_str().unwrap();
        assert_eq!(transcript.chars().count(), LONG_TEXT_LIMIT);
        assert!(
            transcript.ends_with(&format!("The whole transcript: {chat}]")),
            "{}",
            &transcript[transcript.len() - 200..]
        );
        assert!(
            transcript.starts_with("[2024-12-03 15:26:05 UTC] Ann: éé"),
            "control characters are dropped"
        );
        assert_eq!(
            f["Primary_Rep__c"].as_str().unwrap().chars().count(),
            TEXT_LIMIT
        );
        // A link too long for the URL field is kept in the report instead.
        assert!(f.get("Recording_URL__c").is_none());
        assert!(f["Session_Report__c"]
            .as_str()
            .unwrap()
            .starts_with("Recording: https://support.example.com/xxx"));
        assert_eq!(f["Chat_URL__c"], chat);
    }

    #[test]
    fn a_survey_fills_only_its_own_field_and_the_case() {
        let f = record_fields(&note(
            Kind::CustomerSurvey,
            "500Hn00001XyZaBIAV",
            Value::Null,
            "Rating: 5",
        ))
        .unwrap();
        let names: Vec<&str> = f.keys().map(String::as_str).collect();
        assert_eq!(names, ["Case__c", "Customer_Survey__c"]);
        let f = record_fields(&note(
            Kind::RepSurvey,
            "500Hn00001XyZaBIAV",
            Value::Null,
            "Solved",
        ))
        .unwrap();
        assert_eq!(f["Rep_Survey__c"], "Solved");
    }
}
