//! Agiloft: a session record in a configured table (the seed guide's
//! "Bomgar Session Details"), found again by its lsid, so the session and
//! its surveys fill one record and a repeat updates it.
//!
//! - Sign-in: `POST {URL}/ewws/EWLogin` with `$KB`, `$login`, `$password`,
//!   `$lang` in the form body → `{"access_token", "expires_in" (minutes),
//!   "authentication_scheme"}`; the token is kept for its lifetime less a
//!   minute (15 minutes by default) and replaced once when refused.
//! - Find: `POST {URL}/ewws/EWSelect` with `$KB`, `$table`, `$lang` and
//!   `where=LSID_FIELD='LSID'` → `EWREST_id_length = 'N'; EWREST_id_0 = 'ID';`.
//! - None: `POST {URL}/ewws/REST/{KB}/{TABLE}` (form fields) →
//!   `EWREST_id='ID';`. One: `PUT {URL}/ewws/REST/{KB}/{TABLE}/{ID}`.
//!   Several: parked with the ids.
//!
//! Field names are the table's (case-sensitive), mapped in
//! `BT_AGILOFT_FIELDS`; the ticket field gets the session's external key.

use super::record::{rfc3339, SessionFields};
use super::{endpoint, http_client, status_error, transport, BoxFuture, Note, Sink, SinkError};
use crate::config::{ConfigError, Secret};
use crate::writeback::config::{err, required, Lookup};
use reqwest::header::{HeaderValue, AUTHORIZATION};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const HOST: &str = "Agiloft";
/// What a session record holds, by the names `BT_AGILOFT_FIELDS` maps.
pub const RECORD_FIELDS: &[&str] = &[
    "lsid",
    "ticket",
    "start_time",
    "end_time",
    "duration",
    "primary_rep",
    "primary_customer",
    "chat_url",
    "recording_url",
    "report",
    "transcript",
    "customer_survey",
    "rep_survey",
];
/// The seed guide's table, and column names an admin adds to it.
pub const DEFAULT_TABLE: &str = "bomgar_session_details";
/// Characters Agiloft refuses in a password given to its web services
/// (the seed guide: no reserved URL characters).
const RESERVED: &[char] = &[
    ':', '/', '?', '#', '[', ']', '@', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=', '%',
];

#[derive(Debug, Clone)]
pub struct AgiloftSinkConfig {
    /// `https://HOST` (no `/ewws`), no trailing slash.
    pub url: String,
    pub kb: String,
    pub login: String,
    pub password: Secret,
    /// Logical table name (case-sensitive).
    pub table: String,
    /// Record field → the table's column.
    pub fields: BTreeMap<String, String>,
}

/// `BT_AGILOFT_*`, when `BT_AGILOFT_URL` is set.
pub fn config(
    value: Lookup,
    url: &dyn Fn(&'static str, &str) -> Result<String, ConfigError>,
) -> Result<Option<AgiloftSinkConfig>, ConfigError> {
    const ON: &str = "BT_AGILOFT_URL";
    let Some(base) = value(ON)? else {
        return Ok(None);
    };
    let required = |key: &'static str| required(value, key, ON);
    let url = url(ON, base.trim_end_matches("/ewws"))?;
    let kb = required("BT_AGILOFT_KB")?;
    let login = required("BT_AGILOFT_LOGIN")?;
    let password = required("BT_AGILOFT_PASSWORD")?;
    if password.contains(RESERVED) {
        return Err(err(
            "BT_AGILOFT_PASSWORD",
            "contains a character Agiloft's web services refuse in a password (one of : / ? # [ ] @ ! $ & ' ( ) * + , ; = %): give the API user a password without them",
        ));
    }
    let table = value("BT_AGILOFT_TABLE")?.unwrap_or_else(|| DEFAULT_TABLE.to_owned());
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.len() <= 100
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    };
    if !name_ok(&table) {
        return Err(err(
            "BT_AGILOFT_TABLE",
            format!("'{table}' is not a logical table name (letters, digits, _ and .)"),
        ));
    }
    // Defaults: the record's names prefixed bt_ (columns the admin adds).
    let mut fields: BTreeMap<String, String> = RECORD_FIELDS
        .iter()
        .map(|f| (f.to_string(), format!("bt_{f}")))
        .collect();
    if let Some(map) = value("BT_AGILOFT_FIELDS")? {
        for pair in map.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((ours, theirs)) = pair.split_once('=') else {
                return Err(err(
                    "BT_AGILOFT_FIELDS",
                    format!("'{pair}' is not FIELD=COLUMN"),
                ));
            };
            let (ours, theirs) = (ours.trim(), theirs.trim());
            if !RECORD_FIELDS.contains(&ours) {
                return Err(err(
                    "BT_AGILOFT_FIELDS",
                    format!(
                        "'{ours}' is not a session record field; use one of {}",
                        RECORD_FIELDS.join(", ")
                    ),
                ));
            }
            if theirs.is_empty() {
                fields.remove(ours); // FIELD= : not stored
            } else if name_ok(theirs) {
                fields.insert(ours.to_owned(), theirs.to_owned());
            } else {
                return Err(err(
                    "BT_AGILOFT_FIELDS",
                    format!("'{theirs}' is not a column name (letters, digits and _)"),
                ));
            }
        }
    }
    for needed in ["lsid", "ticket"] {
        if !fields.contains_key(needed) {
            return Err(err(
                "BT_AGILOFT_FIELDS",
                format!(
                    "{needed} must be stored: it finds the record again / links it to the ticket"
                ),
            ));
        }
    }
    Ok(Some(AgiloftSinkConfig {
        url,
        kb,
        login,
        password: Secret::new(password),
        table,
        fields,
    }))
}

struct Login {
    bearer: HeaderValue,
    until: Instant,
}

/// Locks a session's writes are striped over (see [`Agiloft::write`]).
const STRIPES: usize = 64;

pub struct Agiloft {
    http: reqwest::Client,
    config: AgiloftSinkConfig,
    login: tokio::sync::Mutex<Option<Login>>,
    /// Find-then-create is not atomic: a session's jobs (the session and
    /// its surveys run in parallel) take the lock of their lsid's stripe,
    /// so one broker never creates a session's record twice.
    stripes: Vec<tokio::sync::Mutex<()>>,
}

impl Agiloft {
    pub fn new(
        config: &AgiloftSinkConfig,
        connect: Duration,
        total: Duration,
    ) -> Result<Self, String> {
        Ok(Self {
            http: http_client(connect, total)?,
            config: config.clone(),
            login: tokio::sync::Mutex::new(None),
            stripes: (0..STRIPES).map(|_| tokio::sync::Mutex::new(())).collect(),
        })
    }

    /// A live token; `stale`: the one Agiloft just refused.
    async fn bearer(&self, stale: Option<&HeaderValue>) -> Result<HeaderValue, SinkError> {
        let mut kept = self.login.lock().await;
        if let Some(k) = kept.as_ref() {
            if Some(&k.bearer) != stale && k.until > Instant::now() {
                return Ok(k.bearer.clone());
            }
        }
        let c = &self.config;
        let resp = self
            .http
            .post(endpoint(HOST, &c.url, &["ewws", "EWLogin"])?)
            .form(&[
                ("$KB", c.kb.as_str()),
                ("$login", c.login.as_str()),
                ("$password", c.password.expose()),
                ("$lang", "en"),
            ])
            .send()
            .await
            .map_err(|e| transport(HOST, &e))?;
        let status = resp.status();
        if status.is_server_error() || status.as_u16() == 429 {
            return Err(status_error(HOST, "the sign-in", status, resp.headers()));
        }
        let body = resp.text().await.unwrap_or_default();
        let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        let token = json["access_token"].as_str().unwrap_or_default();
        if !status.is_success() || token.is_empty() {
            let said: String = body.trim().chars().take(200).collect();
            return Err(SinkError::Permanent(format!(
                "Agiloft refused the broker's sign-in (HTTP {}, {said}): check BT_AGILOFT_KB, BT_AGILOFT_LOGIN, BT_AGILOFT_PASSWORD and that the user's group may use REST",
                status.as_u16()
            )));
        }
        let scheme = json["authentication_scheme"]
            .as_str()
            .unwrap_or("Bearer ")
            .trim();
        let minutes = json["expires_in"].as_u64().unwrap_or(15).clamp(1, 60);
        let mut bearer = HeaderValue::from_str(&format!("{scheme} {token}")).map_err(|_| {
            SinkError::Permanent("Agiloft's sign-in answer has an unusable token".into())
        })?;
        bearer.set_sensitive(true);
        *kept = Some(Login {
            bearer: bearer.clone(),
            until: Instant::now() + Duration::from_secs(minutes * 60 - 60.min(minutes * 30)),
        });
        Ok(bearer)
    }

    /// Sends `form` to `{URL}/ewws/{path…}` with a live token, signing in
    /// again once when Agiloft refuses the token; the answer's body.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &[&str],
        form: &[(String, String)],
        what: &str,
    ) -> Result<String, SinkError> {
        let url = endpoint(HOST, &self.config.url, &[&["ewws"], path].concat())?;
        let mut bearer = self.bearer(None).await?;
        for attempt in 0..2 {
            let resp = self
                .http
                .request(method.clone(), url.clone())
                .header(AUTHORIZATION, bearer.clone())
                .form(form)
                .send()
                .await
                .map_err(|e| transport(HOST, &e))?;
            let status = resp.status();
            let headers = resp.headers().clone();
            let body = resp.text().await.map_err(|e| transport(HOST, &e))?;
            // Agiloft says "Token is expired" with a 400, or 401.
            let token_refused = status.as_u16() == 401
                || (status.as_u16() == 400 && body.contains("Token is expired"));
            match () {
                _ if status.is_success() => return Ok(body),
                _ if token_refused && attempt == 0 => bearer = self.bearer(Some(&bearer)).await?,
                _ if status.as_u16() == 400 || status.as_u16() == 404 => {
                    let said: String = body.trim().chars().take(300).collect();
                    return Err(SinkError::Permanent(format!(
                        "Agiloft refused {what} (HTTP {}, {said})",
                        status.as_u16()
                    )));
                }
                _ => return Err(status_error(HOST, what, status, &headers)),
            }
        }
        Err(SinkError::Permanent(format!(
            "Agiloft refused a fresh token for {what}"
        )))
    }

    fn base(&self) -> Vec<(String, String)> {
        vec![
            ("$KB".into(), self.config.kb.clone()),
            ("$table".into(), self.config.table.clone()),
            ("$lang".into(), "en".into()),
        ]
    }
}

impl Sink for Agiloft {
    fn name(&self) -> &'static str {
        "agiloft"
    }

    /// Signs in (`EWLogin`): the knowledgebase, the user and its password
    /// are checked; nothing is written.
    fn check(&self) -> BoxFuture<'_, Result<String, SinkError>> {
        Box::pin(async move {
            self.bearer(None).await?;
            Ok(format!(
                "{} signs in {} to knowledgebase {}",
                super::origin_of(&self.config.url),
                self.config.login,
                self.config.kb
            ))
        })
    }

    fn has_note<'a>(&'a self, _note: &'a Note) -> BoxFuture<'a, Result<bool, SinkError>> {
        // Found by lsid before every write: writing again updates.
        Box::pin(async { Ok(false) })
    }

    fn write<'a>(&'a self, note: &'a Note) -> BoxFuture<'a, Result<(), SinkError>> {
        Box::pin(async move {
            // The lsid goes into a query: only the appliance's characters.
            if note.lsid.is_empty()
                || !note
                    .lsid
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(SinkError::Permanent(format!(
                    "session id '{}' has characters Agiloft's query cannot hold",
                    note.lsid.chars().take(40).collect::<String>()
                )));
            }
            let stripe = {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                note.lsid.hash(&mut h);
                h.finish() as usize % STRIPES
            };
            let _one_at_a_time = self.stripes[stripe].lock().await;
            let what = format!("the {} record of session {}", self.config.table, note.lsid);
            let mut find = self.base();
            find.push((
                "where".into(),
                format!("{}='{}'", self.config.fields["lsid"], note.lsid),
            ));
            let found = self
                .call(reqwest::Method::POST, &["EWSelect"], &find, &what)
                .await?;
            let ids = ewrest_ids(&found).ok_or_else(|| SinkError::Retry {
                reason: format!(
                    "Agiloft's EWSelect answer is unreadable: {}",
                    found.chars().take(100).collect::<String>()
                ),
                after: None,
            })?;
            let mut form: Vec<(String, String)> = vec![("$lang".into(), "en".into())];
            form.extend(record_form(&self.config.fields, note));
            let (kb, table) = (self.config.kb.as_str(), self.config.table.as_str());
            match ids.as_slice() {
                [] => {
                    let created = self.call(reqwest::Method::POST, &["REST", kb, table], &form, &what).await?;
                    if !created.contains("EWREST_id") {
                        return Err(SinkError::Retry { reason: format!("Agiloft's create answer has no id: {}", created.chars().take(100).collect::<String>()), after: None });
                    }
                    Ok(())
                }
                [id] => self
                    .call(reqwest::Method::PUT, &["REST", kb, table, id], &form, &what)
                    .await
                    .map(drop),
                several => Err(SinkError::Permanent(format!(
                    "several {} records have {} {} (ids {}): remove the extra ones in Agiloft, then run bt-broker writeback retry {}",
                    self.config.table, self.config.fields["lsid"], note.lsid, several.join(", "), note.lsid
                ))),
            }
        })
    }
}

/// The ids of an `EWSelect` answer (`EWREST_id_length = '2'; EWREST_id_0 = '150'; …`).
fn ewrest_ids(answer: &str) -> Option<Vec<String>> {
    let values: BTreeMap<&str, &str> = answer
        .split(';')
        .filter_map(|part| part.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim().trim_matches('\'')))
        .collect();
    let n: usize = values.get("EWREST_id_length")?.parse().ok()?;
    (0..n)
        .map(|i| {
            values
                .get(format!("EWREST_id_{i}").as_str())
                .map(|v| v.to_string())
        })
        .collect()
}

/// The form fields this job sets, by the table's column names.
fn record_form(columns: &BTreeMap<String, String>, note: &Note) -> Vec<(String, String)> {
    let r = SessionFields::of(note);
    let duration = r.duration_seconds.map(|s| {
        format!(
            "{}:{}:{}:{}",
            s / 86_400,
            s / 3600 % 24,
            s / 60 % 60,
            s % 60
        )
    });
    let when = |t: Option<i64>| {
        t.and_then(rfc3339)
            .map(|t| t.replace('T', " ").trim_end_matches('Z').to_owned())
    };
    let values: [(&str, Option<String>); 13] = [
        ("lsid", Some(note.lsid.clone())),
        ("ticket", Some(note.ticket.clone())),
        ("start_time", when(r.start)),
        ("end_time", when(r.end)),
        // Agiloft's elapsed time: days:hours:minutes:seconds.
        ("duration", duration),
        ("primary_rep", r.primary_rep),
        ("primary_customer", r.primary_customer),
        ("chat_url", r.chat_url),
        ("recording_url", r.recording_url),
        ("report", r.report),
        ("transcript", r.transcript),
        ("customer_survey", r.customer_survey),
        ("rep_survey", r.rep_survey),
    ];
    values
        .into_iter()
        .filter_map(|(ours, v)| Some((columns.get(ours)?.clone(), v?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(pairs: &[(&'static str, &str)]) -> Result<Option<AgiloftSinkConfig>, ConfigError> {
        let map: BTreeMap<&str, String> = pairs.iter().map(|(k, v)| (*k, v.to_string())).collect();
        config(&|k| Ok(map.get(k).cloned()), &|_, u| Ok(u.to_owned()))
    }

    #[test]
    fn the_configuration_names_the_rule_it_breaks() {
        let base = [
            ("BT_AGILOFT_URL", "https://kb.example.com/ewws"),
            ("BT_AGILOFT_KB", "Demo"),
            ("BT_AGILOFT_LOGIN", "api"),
        ];
        let with = |extra: &[(&'static str, &str)]| load(&[&base[..], extra].concat());
        let c = with(&[("BT_AGILOFT_PASSWORD", "plainpassword1")])
            .unwrap()
            .unwrap();
        assert_eq!(c.url, "https://kb.example.com");
        assert_eq!(c.table, DEFAULT_TABLE);
        assert_eq!(c.fields["lsid"], "bt_lsid");
        let e = with(&[("BT_AGILOFT_PASSWORD", "pa&ss")]).unwrap_err();
        assert_eq!(e.key, "BT_AGILOFT_PASSWORD");
        assert!(!e.message.contains("pa&ss"), "the password is never shown");
        let e = with(&[("BT_AGILOFT_PASSWORD", "p"), ("BT_AGILOFT_FIELDS", "lsid=")]).unwrap_err();
        assert!(e.message.contains("lsid must be stored"), "{e}");
        let e = with(&[
            ("BT_AGILOFT_PASSWORD", "p"),
            ("BT_AGILOFT_FIELDS", "colour=x"),
        ])
        .unwrap_err();
        assert!(
            e.message.contains("'colour' is not a session record field"),
            "{e}"
        );
        let c = with(&[
            ("BT_AGILOFT_PASSWORD", "p"),
            ("BT_AGILOFT_FIELDS", "ticket=case_id, transcript="),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(c.fields["ticket"], "case_id");
        assert!(!c.fields.contains_key("transcript"));
        assert!(load(&[]).unwrap().is_none());
    }

    #[test]
    fn select_answers_are_read() {
        assert_eq!(ewrest_ids("EWREST_id_length = '0';"), Some(vec![]));
        assert_eq!(
            ewrest_ids("EWREST_id_length = '2'; EWREST_id_0 = '150'; EWREST_id_1 = '151';"),
            Some(vec!["150".into(), "151".into()])
        );
        assert_eq!(ewrest_ids("<html>error</html>"), None);
    }
}
