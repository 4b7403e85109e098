//! The appliance client: OAuth, the Command API and the Reporting API
//! (`docs/appliance-api.md`).
//!
//! - OAuth `client_credentials` with HTTP Basic auth. ONE token is cached and
//!   shared by every request until shortly before it expires. Refreshing is
//!   single-flight: callers that find no valid token queue on one lock, the
//!   first fetches, the rest reuse its token (or its error). An API account
//!   holds at most 30 live tokens and the 31st silently kills the oldest, so
//!   fetching per request would break every other caller.
//! - A 401 from `/api/command` or `/api/reporting` drops the token that was
//!   refused (only if it is still the current one) and retries ONCE.
//! - A failed token request, or a fresh token refused, starts a backoff
//!   (1 s, doubling per failing burst up to 60 s) during which every caller
//!   gets that failure at once: an appliance refusing the account is not
//!   asked for a token per request (nor per `/readyz`).
//! - Answers are read chunk by chunk up to `BT_APPLIANCE_MAX_BYTES`: a huge
//!   or endless answer costs the broker that much memory at most.
//! - Connect / total timeouts; `Connection: close` on every call, as
//!   BeyondTrust asks; no idle connections are kept.
//! - `get_logged_in_reps` and `get_support_teams` answers are reused for a
//!   few seconds (BeyondTrust asks integrations to cache them).

use crate::config::{Config, Secret};
use crate::error::ApiError;
use crate::metrics::Metrics;
use bt_core::encode::component;
use bt_core::xml::{self, LoggedInRep, SupportTeam};
use reqwest::header::{HeaderValue, AUTHORIZATION, CONNECTION, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::Deserialize;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Refresh this long before the appliance says the token expires (or at
/// half its lifetime for very short-lived tokens).
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The first backoff after a failing token request; it doubles with every
/// failing burst up to [`BACKOFF_MAX`].
pub const BACKOFF_FIRST: Duration = Duration::from_secs(1);
pub const BACKOFF_MAX: Duration = Duration::from_secs(60);

/// An appliance access token. Its `Debug` never shows the value.
pub struct AccessToken {
    value: String,
    refresh_at: Instant,
    /// Increments with every fetched token; a 401 only drops the token it saw.
    generation: u64,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &"[redacted]")
            .field("generation", &self.generation)
            .finish()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

#[derive(Deserialize)]
struct OAuthError {
    error: String,
}

/// Which of the appliance's two APIs a call goes to.
#[derive(Clone, Copy)]
enum Api {
    Command,
    Reporting,
}

struct Cached<T> {
    at: Instant,
    value: Arc<T>,
}

/// One appliance call in flight, its answer (or error) shared by everyone
/// who asked while it ran.
type Flight<T> = tokio::sync::OnceCell<Result<Arc<T>, ApiError>>;

/// A reused answer and the call that will replace it. The lock is only
/// held to look: never across the appliance call, so a slow appliance
/// costs each caller one call time, not one per caller ahead of it.
struct CacheSlot<T>(std::sync::Mutex<SlotState<T>>);

struct SlotState<T> {
    cached: Option<Cached<T>>,
    flight: Option<Arc<Flight<T>>>,
}

impl<T> CacheSlot<T> {
    fn new() -> Self {
        Self(std::sync::Mutex::new(SlotState {
            cached: None,
            flight: None,
        }))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SlotState<T>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The failure callers get at once while the broker waits before asking
/// the appliance for a token again.
#[derive(Default)]
struct Backoff {
    error: Option<ApiError>,
    until: Option<Instant>,
    /// Failing bursts in a row: the wait doubles with each.
    streak: u32,
}

pub struct ApplianceClient {
    http: reqwest::Client,
    base: String,
    // Parsed once: each call clones the parsed URL instead of re-parsing text.
    token_url: reqwest::Url,
    command_url: reqwest::Url,
    reporting_url: reqwest::Url,
    client_id: String,
    client_secret: Secret,
    token: RwLock<Option<Arc<AccessToken>>>,
    refresh_lock: Mutex<()>,
    backoff: std::sync::Mutex<Backoff>,
    /// Whether `backoff` holds a failure: read on every call, so a healthy
    /// appliance costs one atomic load, not a lock.
    failing: AtomicBool,
    generation: AtomicU64,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_answer: usize,
    cache_ttl: Duration,
    reps: CacheSlot<Vec<LoggedInRep>>,
    teams: CacheSlot<Vec<SupportTeam>>,
    metrics: Arc<Metrics>,
}

impl ApplianceClient {
    pub fn new(config: &Config, metrics: Arc<Metrics>) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .pool_max_idle_per_host(0)
            // Every connection is closed after its call: TCP keepalive probes
            // would never fire, so skip the four setsockopt calls per connect.
            .tcp_keepalive(None)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("bt-broker/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        let base = config.appliance_url.trim_end_matches('/').to_owned();
        let endpoint = |path: &str| {
            reqwest::Url::parse(&format!("{base}{path}"))
                .map_err(|e| format!("BT_APPLIANCE_URL: cannot form {path}: {e}"))
        };
        Ok(Self {
            http,
            token_url: endpoint(bt_core::api::OAUTH_TOKEN_PATH)?,
            command_url: endpoint(bt_core::api::COMMAND_PATH)?,
            reporting_url: endpoint(bt_core::api::REPORTING_PATH)?,
            base,
            client_id: config.client_id.clone(),
            client_secret: config.client_secret.clone(),
            token: RwLock::new(None),
            refresh_lock: Mutex::new(()),
            backoff: std::sync::Mutex::new(Backoff::default()),
            failing: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            connect_timeout: config.connect_timeout,
            request_timeout: config.request_timeout,
            max_answer: config.appliance_max_bytes,
            cache_ttl: config.reps_cache_ttl,
            reps: CacheSlot::new(),
            teams: CacheSlot::new(),
            metrics,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    fn current_token(&self) -> Option<Arc<AccessToken>> {
        let guard = self.token.read().unwrap_or_else(|p| p.into_inner());
        guard
            .as_ref()
            .filter(|t| Instant::now() < t.refresh_at)
            .cloned()
    }

    /// The shared access token, fetching it (once, for all waiting callers)
    /// when there is none or it is about to expire. During a backoff the
    /// last failure is answered at once, without asking the appliance.
    pub async fn token(&self) -> Result<Arc<AccessToken>, ApiError> {
        if let Some(t) = self.current_token() {
            return Ok(t);
        }
        if let Some(e) = self.backing_off() {
            return Err(e);
        }
        let _refreshing = self.refresh_lock.lock().await;
        if let Some(t) = self.current_token() {
            return Ok(t);
        }
        // Someone fetched while we waited and failed: share their answer
        // instead of hammering the appliance with one request per caller.
        if let Some(e) = self.backing_off() {
            return Err(e);
        }
        match self.fetch_token().await {
            Ok(t) => {
                *self.token.write().unwrap_or_else(|p| p.into_inner()) = Some(t.clone());
                Ok(t)
            }
            Err(e) => {
                self.back_off(&e);
                Err(e)
            }
        }
    }

    /// The failure to answer at once while a backoff runs.
    fn backing_off(&self) -> Option<ApiError> {
        if !self.failing.load(Ordering::Acquire) {
            return None;
        }
        let b = self.backoff.lock().unwrap_or_else(|p| p.into_inner());
        match (&b.error, b.until) {
            (Some(e), Some(until)) if Instant::now() < until => Some(e.clone()),
            _ => None,
        }
    }

    /// Starts (or, inside a running one, keeps) the backoff after `e`. Every
    /// caller of a failing burst reports the same failure: only the first
    /// after the wait lengthens it.
    fn back_off(&self, e: &ApiError) {
        let mut b = self.backoff.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if b.until.is_some_and(|until| now < until) {
            return;
        }
        b.streak = b.streak.saturating_add(1);
        let wait = BACKOFF_FIRST
            .saturating_mul(1 << (b.streak - 1).min(6))
            .min(BACKOFF_MAX);
        b.until = Some(now + wait);
        b.error = Some(e.clone());
        self.failing.store(true, Ordering::Release);
        tracing::warn!(error = %e, backoff_ms = wait.as_millis() as u64, "not asking the appliance for a token again before the backoff ends");
    }

    /// The appliance accepted a token: forget the failures.
    fn recovered(&self) {
        if self.failing.load(Ordering::Acquire) {
            *self.backoff.lock().unwrap_or_else(|p| p.into_inner()) = Backoff::default();
            self.failing.store(false, Ordering::Release);
        }
    }

    /// Drops `refused` if it is still the shared token.
    fn invalidate(&self, refused: &AccessToken) {
        let mut guard = self.token.write().unwrap_or_else(|p| p.into_inner());
        if guard
            .as_ref()
            .is_some_and(|t| t.generation == refused.generation)
        {
            *guard = None;
        }
    }

    async fn fetch_token(&self) -> Result<Arc<AccessToken>, ApiError> {
        use base64::Engine;
        let started = Instant::now();
        let basic = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            self.client_id,
            self.client_secret.expose()
        ));
        let mut auth = HeaderValue::from_str(&format!("Basic {basic}"))
            .map_err(|_| ApiError::ApplianceAuthFailed)?;
        auth.set_sensitive(true);
        let result = self
            .http
            .post(self.token_url.clone())
            .header(AUTHORIZATION, auth)
            .header(CONNECTION, "close")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials")
            .send()
            .await;
        let outcome = async {
            let resp = result.map_err(|e| self.transport_error(e))?;
            let status = resp.status();
            let body = self.read_capped(resp).await?;
            if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
                return Err(ApiError::ApplianceAuthFailed);
            }
            if status == StatusCode::BAD_REQUEST {
                let invalid_client = serde_json::from_slice::<OAuthError>(&body).is_ok_and(|e| e.error == "invalid_client" || e.error == "unauthorized_client");
                return Err(if invalid_client {
                    ApiError::ApplianceAuthFailed
                } else {
                    ApiError::ApplianceError("The appliance refused the broker's OAuth token request (HTTP 400): check that the API account is enabled".into())
                });
            }
            if !status.is_success() {
                return Err(ApiError::ApplianceError(format!("The appliance answered the OAuth token request with HTTP {status}: try again later")));
            }
            let token: TokenResponse = serde_json::from_slice(&body).map_err(|_| ApiError::ApplianceError("The appliance's OAuth answer is not the expected JSON: is BT_APPLIANCE_URL the appliance's public site?".into()))?;
            if token.access_token.is_empty() || token.token_type.as_deref().is_some_and(|t| !t.eq_ignore_ascii_case("bearer")) {
                return Err(ApiError::ApplianceError("The appliance's OAuth answer has no bearer token".into()));
            }
            let lifetime = Duration::from_secs(token.expires_in.unwrap_or(3600).max(1));
            let early = if lifetime > REFRESH_MARGIN * 2 { lifetime - REFRESH_MARGIN } else { lifetime / 2 };
            tracing::info!(expires_in_secs = lifetime.as_secs(), "fetched an appliance access token");
            Ok(Arc::new(AccessToken {
                value: token.access_token,
                refresh_at: started + early,
                generation: self.generation.fetch_add(1, Ordering::AcqRel) + 1,
            }))
        }
        .await;
        let label = match &outcome {
            Ok(_) => "ok",
            Err(e) => e.code().as_str(),
        };
        self.metrics.token_refresh(label);
        self.metrics
            .observe_appliance("oauth_token", label, started.elapsed());
        if let Err(e) = &outcome {
            tracing::warn!(error = %e, "appliance token request failed");
        }
        outcome
    }

    /// The answer's body, refused past `BT_APPLIANCE_MAX_BYTES` (read chunk
    /// by chunk, so the cap bounds what is held, not only what is kept).
    async fn read_capped(&self, mut resp: reqwest::Response) -> Result<Vec<u8>, ApiError> {
        let too_large = || {
            ApiError::ApplianceError(format!(
                "The appliance's answer is larger than {} bytes (BT_APPLIANCE_MAX_BYTES): check that BT_APPLIANCE_URL is the appliance's public site, or raise the limit",
                self.max_answer
            ))
        };
        let announced = resp.content_length().unwrap_or(0);
        if announced > self.max_answer as u64 {
            return Err(too_large());
        }
        let mut body = Vec::with_capacity(announced as usize);
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.transport_error(e))? {
            if body.len() + chunk.len() > self.max_answer {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn transport_error(&self, e: reqwest::Error) -> ApiError {
        // A connect timeout is a timeout and a connect error: name the
        // connect timeout, the one that fired.
        if e.is_timeout() && e.is_connect() {
            ApiError::ApplianceConnectTimeout(self.connect_timeout.as_millis() as u64)
        } else if e.is_timeout() {
            ApiError::ApplianceTimeout(self.request_timeout.as_millis() as u64)
        } else if e.is_connect() {
            ApiError::ApplianceUnreachable(format!("cannot connect to {}", self.base))
        } else {
            ApiError::ApplianceUnreachable(format!("the connection to {} failed", self.base))
        }
    }

    /// A Command API call (`POST /api/command`, form body), recorded in the
    /// metrics as `label`.
    async fn command(
        &self,
        label: &'static str,
        params: &[(&str, &str)],
    ) -> Result<String, ApiError> {
        self.call(label, Api::Command, params).await
    }

    /// A Reporting API call (`GET /api/reporting?...`), recorded in the
    /// metrics as `label`.
    async fn reporting(
        &self,
        label: &'static str,
        params: &[(&str, &str)],
    ) -> Result<String, ApiError> {
        self.call(label, Api::Reporting, params).await
    }

    /// One authenticated call, timed and logged; on a 401 the token is
    /// dropped and the call is made once more with a fresh one.
    async fn call(
        &self,
        label: &'static str,
        api: Api,
        params: &[(&str, &str)],
    ) -> Result<String, ApiError> {
        let started = Instant::now();
        let outcome = self.call_inner(api, params).await;
        let out = match &outcome {
            Ok(_) => "ok",
            Err(e) => e.code().as_str(),
        };
        self.metrics
            .observe_appliance(label, out, started.elapsed());
        tracing::debug!(
            call = label,
            outcome = out,
            elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
            "appliance call"
        );
        outcome
    }

    async fn call_inner(&self, api: Api, params: &[(&str, &str)]) -> Result<String, ApiError> {
        let encoded = params
            .iter()
            .map(|(k, v)| format!("{}={}", component(k), component(v)))
            .collect::<Vec<_>>()
            .join("&");
        for attempt in 0..2 {
            let token = self.token().await?;
            let mut auth = HeaderValue::from_str(&format!("Bearer {}", token.value))
                .map_err(|_| ApiError::ApplianceAuthFailed)?;
            auth.set_sensitive(true);
            let request = match api {
                Api::Reporting => {
                    let mut url = self.reporting_url.clone();
                    url.set_query(Some(&encoded));
                    self.http.get(url)
                }
                Api::Command => self
                    .http
                    .post(self.command_url.clone())
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(encoded.clone()),
            };
            let resp = request
                .header(AUTHORIZATION, auth)
                .header(CONNECTION, "close")
                .send()
                .await
                .map_err(|e| self.transport_error(e))?;
            let status = resp.status();
            if status == StatusCode::UNAUTHORIZED {
                // Drain so the connection closes cleanly, then refetch once.
                let _ = self.read_capped(resp).await;
                self.invalidate(&token);
                if attempt == 0 {
                    tracing::info!("the appliance refused the access token; fetching a new one");
                    continue;
                }
                // A fresh token refused too: back off like a refused token
                // request, or every caller would fetch one more token.
                self.back_off(&ApiError::ApplianceAuthFailed);
                return Err(ApiError::ApplianceAuthFailed);
            }
            self.recovered();
            let body = self.read_capped(resp).await?;
            let body = String::from_utf8(body)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            if status == StatusCode::FORBIDDEN {
                return Err(ApiError::ApplianceError(match api {
                    Api::Reporting => "The appliance refused the report: ask your admin to give the API account \"Allow Access to Support Session Reports and Recordings\"".into(),
                    Api::Command => "The appliance refused the command: ask your admin to give the API account Command API access".into(),
                }));
            }
            if !status.is_success() {
                return Err(ApiError::ApplianceError(format!("The appliance answered with HTTP {status}: try again later; if it persists, ask your admin to check the appliance")));
            }
            return Ok(body);
        }
        unreachable!("the loop returns on its second attempt")
    }

    /// `action=generate_session_key&type=support&queue_id=...`.
    pub async fn generate_session_key(
        &self,
        queue_id: &str,
        external_key: Option<&str>,
        ttl: Option<u32>,
    ) -> Result<Result<xml::SessionKeyXml, xml::ResponseError>, ApiError> {
        let ttl = ttl.map(|t| t.to_string());
        let mut params = vec![
            ("action", "generate_session_key"),
            ("type", "support"),
            ("queue_id", queue_id),
        ];
        if let Some(k) = external_key {
            params.push(("session.custom.external_key", k));
        }
        if let Some(t) = ttl.as_deref() {
            params.push(("ttl", t));
        }
        let body = self.command("generate_session_key", &params).await?;
        Ok(xml::parse_session_key(&body))
    }

    /// Logged-in representatives, reused for the cache lifetime.
    pub async fn logged_in_reps(&self) -> Result<Arc<Vec<LoggedInRep>>, ApiError> {
        self.cached(&self.reps, "get_logged_in_reps", xml::parse_logged_in_reps)
            .await
    }

    /// Support teams, reused for the cache lifetime.
    pub async fn support_teams(&self) -> Result<Arc<Vec<SupportTeam>>, ApiError> {
        self.cached(&self.teams, "get_support_teams", xml::parse_support_teams)
            .await
    }

    /// The answer to `action`, parsed, from `slot` while it is younger than
    /// the cache lifetime, else fetched and stored. Single-flight: callers
    /// that come while a call runs wait for that call (its answer or its
    /// error), not for their turn behind a lock.
    async fn cached<T>(
        &self,
        slot: &CacheSlot<T>,
        action: &'static str,
        parse: fn(&str) -> Result<T, xml::ResponseError>,
    ) -> Result<Arc<T>, ApiError> {
        let fetch = || async {
            let body = self.command(action, &[("action", action)]).await?;
            Ok(Arc::new(parse(&body).map_err(response_error)?))
        };
        if self.cache_ttl.is_zero() {
            // No reuse asked for: every caller makes its own call, side by side.
            return fetch().await;
        }
        let flight = {
            let mut s = slot.lock();
            if let Some(c) = s
                .cached
                .as_ref()
                .filter(|c| c.at.elapsed() < self.cache_ttl)
            {
                return Ok(c.value.clone());
            }
            s.flight.get_or_insert_with(Default::default).clone()
        };
        // If the caller running the call goes away, the next waiter runs it.
        let result = flight.get_or_init(fetch).await.clone();
        let mut s = slot.lock();
        if s.flight.as_ref().is_some_and(|f| Arc::ptr_eq(f, &flight)) {
            s.flight = None;
            if let Ok(value) = &result {
                s.cached = Some(Cached {
                    at: Instant::now(),
                    value: value.clone(),
                });
            }
        }
        result
    }

    /// `generate_report=SupportSession&lsid=LSID`, the write-back's report:
    /// `Ok(Ok(None))` when the appliance has no such session (yet).
    pub async fn session_report(
        &self,
        lsid: &str,
    ) -> Result<Result<Option<bt_core::report::SessionReport>, xml::ResponseError>, ApiError> {
        let body = self
            .reporting(
                "report_session_by_lsid",
                &[("generate_report", "SupportSession"), ("lsid", lsid)],
            )
            .await?;
        Ok(bt_core::report::parse_session_report(&body, lsid))
    }

    /// `generate_report=SupportCustExitSurvey&lsid=` (`customer`) or
    /// `SupportRepExitSurvey&lsid=`: the session's exit surveys.
    pub async fn exit_surveys(
        &self,
        customer: bool,
        lsid: &str,
    ) -> Result<Result<Vec<bt_core::report::ExitSurvey>, xml::ResponseError>, ApiError> {
        let (report, label) = match customer {
            true => ("SupportCustExitSurvey", "report_customer_exit_survey"),
            false => ("SupportRepExitSurvey", "report_rep_exit_survey"),
        };
        let body = self
            .reporting(label, &[("generate_report", report), ("lsid", lsid)])
            .await?;
        Ok(bt_core::report::parse_exit_surveys(&body, lsid))
    }

    /// `generate_report=SupportSession` from `start_time` until now.
    pub async fn support_sessions(
        &self,
        start_time: i64,
    ) -> Result<Vec<xml::SupportSession>, ApiError> {
        let start = start_time.to_string();
        let body = self
            .reporting(
                "report_support_session",
                &[
                    ("generate_report", "SupportSession"),
                    ("start_time", &start),
                    ("duration", "0"),
                ],
            )
            .await?;
        xml::parse_session_list(&body).map_err(response_error)
    }

    /// `generate_report=SupportSessionListing` over the same window: lsid → has_recording.
    pub async fn session_listing(&self, start_time: i64) -> Result<Vec<(String, bool)>, ApiError> {
        let start = start_time.to_string();
        let body = self
            .reporting(
                "report_support_session_listing",
                &[
                    ("generate_report", "SupportSessionListing"),
                    ("start_time", &start),
                    ("duration", "0"),
                ],
            )
            .await?;
        xml::parse_session_listing(&body).map_err(response_error)
    }
}

/// An unexpected `<error>` or malformed answer.
pub fn response_error(e: xml::ResponseError) -> ApiError {
    match e {
        xml::ResponseError::Api { message, .. } => ApiError::ApplianceError(format!("The appliance refused the request: {message}")),
        xml::ResponseError::Malformed(why) => ApiError::ApplianceError(format!("The appliance's answer could not be read ({why}): is BT_APPLIANCE_URL the appliance's public site?")),
    }
}
