//! A Salesforce stand-in: the OAuth 2.0 JWT bearer token endpoint and the
//! REST API's upsert of `BeyondTrust_Session__c` records by external id.
//!
//! - `POST /services/oauth2/token`, form `grant_type=urn:ietf:params:oauth:
//!   grant-type:jwt-bearer&assertion=JWT`. The assertion must be RS256,
//!   signed by the key of the connected app's certificate, with `iss` the
//!   consumer key, `sub` a username the app is pre-authorized for, `aud` the
//!   login URL and `exp` in the future and at most 3 minutes ahead. Refusals
//!   are 400 `{"error", "error_description"}`, as Salesforce answers them.
//!   Success: `{"access_token", "instance_url", "id", "token_type": "Bearer",
//!   "scope"}`; the instance is this server.
//! - `PATCH /services/data/vNN.N/sobjects/BeyondTrust_Session__c/LSID__c/{lsid}`
//!   with `Authorization: Bearer TOKEN` (else 401 `INVALID_SESSION_ID`):
//!   201 `{"id", "success", "errors", "created": true}` for a new record, 200
//!   with `"created": false` when the lsid has one, 300 when it has several.
//!   The fields are the object's; an unknown field, a value longer than its
//!   field, a control character, the external id in the body or a `Case__c`
//!   that is no Case id → 400 `[{"message", "errorCode", "fields"}]`.
//! - `GET /services/data/vNN.N/sobjects/Case/{id}/BeyondTrust_Sessions__r`:
//!   the Case's records (`{"totalSize", "done", "records"}`), for the demo's
//!   Case page.
//! - Faults ([`HostFault`]) apply to the upsert as for the other hosts; the
//!   handle can also expire every access token (a session timeout).

use crate::host_api::{before, count, drop_connection, serve, Faults, HostFault, RunningHost};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Form, Json, Router};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// The connected app's certificate in the sandbox (its private key,
/// [`DEV_PRIVATE_KEY`], is what the demo's broker signs with). Test material
/// for loopback only: it signs nothing anywhere else.
pub const DEV_CERTIFICATE: &str = include_str!("../keys/salesforce-connected-app.crt");
pub const DEV_PRIVATE_KEY: &str = include_str!("../keys/salesforce-connected-app.key");

/// The object, its upsert key and the relationship the Case lists it by.
const OBJECT: &str = "BeyondTrust_Session__c";
const EXTERNAL_ID: &str = "LSID__c";
const RELATIONSHIP: &str = "BeyondTrust_Sessions__r";
/// The object's writable fields and their sizes (`None`: not text).
const FIELDS: &[(&str, Option<usize>)] = &[
    ("Case__c", None),
    ("Start_Time__c", None),
    ("End_Time__c", None),
    ("Duration_Seconds__c", None),
    ("Primary_Rep__c", Some(255)),
    ("Primary_Customer__c", Some(255)),
    ("Chat_URL__c", Some(255)),
    ("Recording_URL__c", Some(255)),
    ("Session_Report__c", Some(131_072)),
    ("Chat_Transcript__c", Some(131_072)),
    ("Customer_Survey__c", Some(131_072)),
    ("Rep_Survey__c", Some(131_072)),
];
/// Salesforce allows an assertion's `exp` at most this far ahead.
pub const MAX_ASSERTION_SECONDS: i64 = 180;

#[derive(Clone)]
pub struct SalesforceConfig {
    pub listen: SocketAddr,
    /// The connected app's consumer key: the assertion's `iss`.
    pub client_id: String,
    /// The certificate uploaded to the connected app (PEM).
    pub certificate: String,
    /// Users the connected app is pre-authorized for: the assertion's `sub`.
    pub usernames: Vec<String>,
    /// The assertion's `aud`; `None`: this server's own URL (as a My Domain
    /// login URL would be).
    pub audience: Option<String>,
    /// Case ids (18 characters; the 15-character form is accepted too).
    pub cases: Vec<String>,
}

/// The demo's Case, as the sandbox seeds it.
pub const DEMO_CASE: &str = "5003000000D8cuIAAR";

impl Default for SalesforceConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:0".parse().expect("loopback"),
            client_id: "3MVG9sandbox.connected.app.consumer.key".into(),
            certificate: DEV_CERTIFICATE.into(),
            usernames: vec!["bt-broker@example.com".into()],
            audience: None,
            cases: vec![DEMO_CASE.into(), "500Hn00001XyZbCIAV".into()],
        }
    }
}

/// A stored `BeyondTrust_Session__c` record.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub id: String,
    pub lsid: String,
    pub fields: Map<String, Value>,
}

struct SfState {
    config: SalesforceConfig,
    key: jsonwebtoken::DecodingKey,
    tokens: Mutex<HashSet<String>>,
    records: Mutex<Vec<SessionRecord>>,
    token_requests: std::sync::atomic::AtomicU64,
    faults: Faults,
    url: Mutex<String>,
}

#[derive(Clone)]
pub struct SalesforceHandle(Arc<SfState>);

impl SalesforceHandle {
    /// Every record, in the order they were created.
    pub fn records(&self) -> Vec<SessionRecord> {
        self.0.records.lock().expect("records").clone()
    }
    /// The records whose `LSID__c` is `lsid`.
    pub fn records_for(&self, lsid: &str) -> Vec<SessionRecord> {
        self.records()
            .into_iter()
            .filter(|r| r.lsid == lsid)
            .collect()
    }
    /// Adds a second record with `lsid` (data loaded around the unique
    /// index, as an import can): the next upsert by it answers 300.
    pub fn duplicate(&self, lsid: &str) {
        let mut records = self.0.records.lock().expect("records");
        let n = records.len();
        records.push(SessionRecord {
            id: record_id(n),
            lsid: lsid.to_owned(),
            fields: Map::new(),
        });
    }
    /// The records on Case `id` (15 or 18 characters), as its related list
    /// reads them (`GET …/sobjects/Case/{id}/BeyondTrust_Sessions__r`).
    pub fn case_records(&self, id: &str) -> Vec<Value> {
        case_records(&self.0, id).unwrap_or_default()
    }
    /// Ends every access token's session (Salesforce's session timeout).
    pub fn expire_tokens(&self) {
        self.0.tokens.lock().expect("tokens").clear();
    }
    /// Token requests so far (refused ones included).
    pub fn token_requests(&self) -> u64 {
        self.0
            .token_requests
            .load(std::sync::atomic::Ordering::SeqCst)
    }
    pub fn set_fault(&self, fault: Option<HostFault>, times: Option<u32>) {
        self.0.faults.set(fault, times);
    }
    /// Upsert requests so far.
    pub fn writes(&self) -> u64 {
        self.0.faults.writes()
    }
}

pub struct RunningSalesforce {
    pub host: RunningHost,
    handle: SalesforceHandle,
}

impl RunningSalesforce {
    /// The login URL (`BT_SALESFORCE_LOGIN_URL`); also the instance URL.
    pub fn url(&self) -> String {
        self.host.url()
    }
    pub fn handle(&self) -> SalesforceHandle {
        self.handle.clone()
    }
}

pub async fn start(config: SalesforceConfig) -> std::io::Result<RunningSalesforce> {
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(config.certificate.as_bytes())
        .map_err(|e| std::io::Error::other(format!("connected app certificate: {e}")))?;
    let state = Arc::new(SfState {
        config: config.clone(),
        key,
        tokens: Mutex::new(HashSet::new()),
        records: Mutex::new(Vec::new()),
        token_requests: Default::default(),
        faults: Faults::default(),
        url: Mutex::new(String::new()),
    });
    let handle = SalesforceHandle(state.clone());
    let app = Router::new()
        .route("/services/oauth2/token", post(token))
        .route(
            "/services/data/{version}/sobjects/{object}/{field}/{value}",
            patch(upsert),
        )
        .route(
            "/services/data/{version}/sobjects/Case/{id}/{relationship}",
            get(related),
        )
        .with_state(state.clone());
    let host = serve(config.listen, app).await?;
    *state.url.lock().expect("url") = host.url();
    Ok(RunningSalesforce { host, handle })
}

fn record_id(n: usize) -> String {
    format!("a0BHn0000{:06}AAA", n + 1)
}

fn oauth_error(error: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

fn api_error(status: StatusCode, code: &str, message: &str, fields: &[&str]) -> Response {
    (
        status,
        Json(json!([{"message": message, "errorCode": code, "fields": fields}])),
    )
        .into_response()
}

#[derive(serde::Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    aud: String,
    exp: i64,
}

async fn token(
    State(s): State<Arc<SfState>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    count(&s.token_requests);
    if form.get("grant_type").map(String::as_str)
        != Some("urn:ietf:params:oauth:grant-type:jwt-bearer")
    {
        return oauth_error("unsupported_grant_type", "grant type not supported");
    }
    let Some(assertion) = form.get("assertion") else {
        return oauth_error("invalid_request", "assertion is required");
    };
    // Signature and algorithm first; the claims are checked one by one so
    // each refusal says what Salesforce would say.
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let claims = match jsonwebtoken::decode::<Claims>(assertion, &s.key, &validation) {
        Ok(data) => data.claims,
        Err(e) => return match e.kind() {
            jsonwebtoken::errors::ErrorKind::InvalidSignature => oauth_error(
                "invalid_grant",
                "invalid assertion: the signature does not match the connected app's certificate",
            ),
            _ => oauth_error("invalid_grant", "invalid assertion"),
        },
    };
    if claims.iss != s.config.client_id {
        return oauth_error("invalid_client_id", "client identifier invalid");
    }
    let url = s.url.lock().expect("url").clone();
    let audience = s.config.audience.clone().unwrap_or(url.clone());
    if claims.aud.trim_end_matches('/') != audience.trim_end_matches('/') {
        return oauth_error("invalid_grant", "audience is invalid");
    }
    let now = crate::host_api::now_secs();
    if claims.exp <= now {
        return oauth_error("invalid_grant", "expired authorization code");
    }
    if claims.exp > now + MAX_ASSERTION_SECONDS {
        return oauth_error(
            "invalid_grant",
            "invalid assertion: exp is more than 3 minutes ahead",
        );
    }
    if !s.config.usernames.contains(&claims.sub) {
        return oauth_error("invalid_grant", "user hasn't approved this consumer");
    }
    let access = format!("00DHn0000sandbox!{:016x}", rand::random::<u64>());
    s.tokens.lock().expect("tokens").insert(access.clone());
    Json(json!({
        "access_token": access,
        "instance_url": url,
        "id": format!("{url}/id/00DHn0000sandbox/005Hn00000sandbox"),
        "token_type": "Bearer",
        "scope": "api",
        "issued_at": (now * 1000).to_string(),
    }))
    .into_response()
}

/// The refusal when the request carries no live access token.
fn unauthorized(s: &SfState, headers: &HeaderMap) -> Option<Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if token.is_some_and(|t| s.tokens.lock().expect("tokens").contains(t)) {
        None
    } else {
        count(&s.faults.refused_auth);
        Some(api_error(
            StatusCode::UNAUTHORIZED,
            "INVALID_SESSION_ID",
            "Session expired or invalid",
            &[],
        ))
    }
}

/// The 18-character id of the Case `id` names (15 or 18 characters).
fn case_id(s: &SfState, id: &str) -> Option<String> {
    s.config
        .cases
        .iter()
        .find(|c| c.as_str() == id || (id.len() == 15 && c.starts_with(id)))
        .cloned()
}

async fn upsert(
    State(s): State<Arc<SfState>>,
    Path((_version, object, field, lsid)): Path<(String, String, String, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    count(&s.faults.writes);
    if let Some(r) = unauthorized(&s, &headers) {
        return r;
    }
    if object != OBJECT {
        return api_error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "The requested resource does not exist",
            &[],
        );
    }
    if field != EXTERNAL_ID {
        return api_error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            &format!("Provided external ID field does not exist or is not accessible: {field}"),
            &[],
        );
    }
    let fault = s.faults.take(true);
    if let Err(r) = before(fault).await {
        return r;
    }
    let Ok(Value::Object(mut fields)) = serde_json::from_slice::<Value>(&body) else {
        return api_error(
            StatusCode::BAD_REQUEST,
            "JSON_PARSER_ERROR",
            "The request body is not a JSON object",
            &[],
        );
    };
    if fields.contains_key(EXTERNAL_ID) {
        return api_error(
            StatusCode::BAD_REQUEST,
            "INVALID_FIELD",
            "The external ID field LSID__c can't be set in the request body of an upsert by it",
            &[EXTERNAL_ID],
        );
    }
    let sizes: BTreeMap<&str, Option<usize>> = FIELDS.iter().copied().collect();
    for (name, value) in &fields {
        let Some(size) = sizes.get(name.as_str()) else {
            return api_error(
                StatusCode::BAD_REQUEST,
                "INVALID_FIELD",
                &format!("No such column '{name}' on sobject of type {OBJECT}"),
                &[],
            );
        };
        if let (Some(max), Some(text)) = (size, value.as_str()) {
            if text.chars().count() > *max {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    "STRING_TOO_LONG",
                    &format!("{name}: data value too large (max length={max})"),
                    &[name],
                );
            }
            if text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_FIELD_FOR_INSERT_UPDATE",
                    &format!("{name}: invalid character in value"),
                    &[name],
                );
            }
        }
    }
    if let Some(case) = fields
        .get("Case__c")
        .and_then(Value::as_str)
        .map(str::to_owned)
    {
        match case_id(&s, &case) {
            Some(full) => {
                fields.insert("Case__c".into(), full.into());
            }
            None if case.len() == 15 || case.len() == 18 => {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_CROSS_REFERENCE_KEY",
                    "invalid cross reference id",
                    &["Case__c"],
                );
            }
            None => {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    "MALFORMED_ID",
                    &format!("Case: id value of incorrect type: {case}"),
                    &["Case__c"],
                );
            }
        }
    }
    let (status, id, created) = {
        let mut records = s.records.lock().expect("records");
        let matching: Vec<usize> = (0..records.len())
            .filter(|&i| records[i].lsid == lsid)
            .collect();
        match matching.as_slice() {
            [] => {
                let id = record_id(records.len());
                records.push(SessionRecord {
                    id: id.clone(),
                    lsid: lsid.clone(),
                    fields,
                });
                (StatusCode::CREATED, id, true)
            }
            [one] => {
                let record = &mut records[*one];
                record.fields.extend(fields);
                (StatusCode::OK, record.id.clone(), false)
            }
            several => {
                let ids: Vec<String> = several
                    .iter()
                    .map(|&i| format!("/services/data/v62.0/sobjects/{OBJECT}/{}", records[i].id))
                    .collect();
                return (StatusCode::MULTIPLE_CHOICES, Json(json!(ids))).into_response();
            }
        }
    };
    if fault == Some(HostFault::StoreThenDrop) {
        drop_connection();
    }
    (
        status,
        Json(json!({"id": id, "success": true, "errors": [], "created": created})),
    )
        .into_response()
}

/// The records on Case `id`, `None` when there is no such Case.
fn case_records(s: &SfState, id: &str) -> Option<Vec<Value>> {
    let case = case_id(s, id)?;
    let records = s
        .records
        .lock()
        .expect("records")
        .iter()
        .filter(|r| r.fields.get("Case__c").and_then(Value::as_str) == Some(case.as_str()))
        .map(|r| {
            let mut fields = r.fields.clone();
            fields.insert(
                "attributes".into(),
                json!({"type": OBJECT, "url": format!("/services/data/v62.0/sobjects/{OBJECT}/{}", r.id)}),
            );
            fields.insert("Id".into(), r.id.clone().into());
            fields.insert(EXTERNAL_ID.into(), r.lsid.clone().into());
            Value::Object(fields)
        })
        .collect();
    Some(records)
}

async fn related(
    State(s): State<Arc<SfState>>,
    Path((_version, id, relationship)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    count(&s.faults.reads);
    if let Some(r) = unauthorized(&s, &headers) {
        return r;
    }
    let (Some(records), true) = (case_records(&s, &id), relationship == RELATIONSHIP) else {
        return api_error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "The requested resource does not exist",
            &[],
        );
    };
    Json(json!({"totalSize": records.len(), "done": true, "records": records})).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};

    /// Asks for a token with an assertion of `claims`, signed RS256 with the
    /// sandbox's connected app key (or HS256 with `hs_secret`); the answer's
    /// `error_description`, or "ok".
    async fn ask(sf: &RunningSalesforce, claims: Value, hs_secret: Option<&[u8]>) -> String {
        let assertion = match hs_secret {
            None => encode(
                &Header::new(Algorithm::RS256),
                &claims,
                &EncodingKey::from_rsa_pem(DEV_PRIVATE_KEY.as_bytes()).unwrap(),
            ),
            Some(secret) => encode(
                &Header::new(Algorithm::HS256),
                &claims,
                &EncodingKey::from_secret(secret),
            ),
        }
        .unwrap();
        let resp = reqwest::Client::new()
            .post(format!("{}/services/oauth2/token", sf.url()))
            .form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", &assertion),
            ])
            .send()
            .await
            .unwrap();
        let ok = resp.status().is_success();
        let body: Value = resp.json().await.unwrap();
        if ok {
            assert!(body["access_token"].as_str().is_some_and(|t| !t.is_empty()));
            assert_eq!(body["instance_url"], sf.url());
            "ok".into()
        } else {
            body["error_description"].as_str().unwrap().to_owned()
        }
    }

    #[tokio::test]
    async fn the_token_endpoint_checks_the_assertion_as_salesforce_does() {
        let sf = start(SalesforceConfig::default()).await.unwrap();
        let c = SalesforceConfig::default();
        let now = crate::host_api::now_secs();
        let claims = |iss: &str, sub: &str, aud: &str, exp: i64| json!({"iss": iss, "sub": sub, "aud": aud, "exp": exp});
        let (iss, sub, aud) = (c.client_id.as_str(), c.usernames[0].as_str(), sf.url());
        assert_eq!(
            ask(&sf, claims(iss, sub, &aud, now + 170), None).await,
            "ok"
        );
        assert_eq!(
            ask(&sf, claims("other", sub, &aud, now + 60), None).await,
            "client identifier invalid"
        );
        assert_eq!(
            ask(&sf, claims(iss, "nobody@example.com", &aud, now + 60), None).await,
            "user hasn't approved this consumer"
        );
        assert_eq!(
            ask(
                &sf,
                claims(iss, sub, "https://login.salesforce.com", now + 60),
                None
            )
            .await,
            "audience is invalid"
        );
        assert_eq!(
            ask(&sf, claims(iss, sub, &aud, now - 5), None).await,
            "expired authorization code"
        );
        assert!(ask(&sf, claims(iss, sub, &aud, now + 600), None)
            .await
            .contains("more than 3 minutes ahead"));
        // The certificate's public key used as an HMAC secret: refused.
        assert_eq!(
            ask(
                &sf,
                claims(iss, sub, &aud, now + 60),
                Some(DEV_CERTIFICATE.as_bytes())
            )
            .await,
            "invalid assertion"
        );
        assert_eq!(sf.handle().token_requests(), 7);
    }
}
