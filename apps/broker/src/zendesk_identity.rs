//! Who a Zendesk signed-URL token names: its `sub` is the agent's Zendesk
//! user id, which says nothing to `BT_REP_MAPPING` on its own.
//!
//! In this order:
//! 1. a `BT_REP_MAPPING=file:PATH` entry for the user id maps it directly;
//! 2. else, with the write-back's Zendesk API user configured
//!    (`BT_ZENDESK_URL`, `BT_ZENDESK_EMAIL`, `BT_ZENDESK_API_TOKEN`), the
//!    broker asks Zendesk (`GET /api/v2/users/{id}.json`) and the session
//!    names the user's e-mail, mapped as any other `sub`; an end-user, a
//!    suspended or an unknown user gets no session;
//! 3. else the id stays the identity (a mapping file entry may name it).
//!
//! The identity comes from Zendesk's signature and Zendesk's own API, never
//! from the agent's browser.

use crate::auth::Caller;
use crate::config::Config;
use crate::error::ApiError;
use crate::mapping::RepMapping;
use crate::writeback::config::ZendeskSinkConfig;
use reqwest::header::AUTHORIZATION;
use serde::Deserialize;

#[derive(Deserialize)]
struct ShowUser {
    user: ZendeskUser,
}

#[derive(Deserialize)]
struct ZendeskUser {
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    suspended: bool,
    #[serde(default = "yes")]
    active: bool,
}

fn yes() -> bool {
    true
}

/// `caller` (a verified Zendesk token) with the identity its rep is found by.
pub async fn resolve(config: &Config, caller: Caller) -> Result<Caller, ApiError> {
    let id = caller.subject.trim();
    if let RepMapping::Table { entries, .. } = &config.rep_mapping {
        if entries.contains_key(id) {
            return Ok(caller);
        }
    }
    let Some(api) = &config.writeback.zendesk else {
        return Ok(caller);
    };
    // Zendesk user ids are numbers; anything else is not looked up.
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(caller);
    }
    let email = agent_email(config, api, id).await?;
    Ok(Caller {
        subject: email,
        ..caller
    })
}

/// The e-mail of Zendesk user `id`, who must be an active agent or admin.
async fn agent_email(
    config: &Config,
    api: &ZendeskSinkConfig,
    id: &str,
) -> Result<String, ApiError> {
    use base64::Engine;
    let unavailable = |why: String| {
        ApiError::ApplianceError(format!(
            "The broker could not ask Zendesk who user {id} is ({why}): check BT_ZENDESK_URL, BT_ZENDESK_EMAIL and BT_ZENDESK_API_TOKEN"
        ))
    };
    let http = crate::writeback::sinks::http_client(config.connect_timeout, config.request_timeout)
        .map_err(ApiError::Internal)?;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}/token:{}",
        api.email,
        api.api_token.expose()
    ));
    let response = http
        .get(format!("{}/api/v2/users/{id}.json", api.url))
        .header(AUTHORIZATION, format!("Basic {basic}"))
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|e| {
            unavailable(if e.is_timeout() {
                "no answer in time".into()
            } else {
                "cannot connect".into()
            })
        })?;
    let status = response.status();
    if status == reqwest::StatusCode::NOT_FOUND {
        return Err(ApiError::Unauthorized(format!(
            "Zendesk has no user {id}: the signed token names no one this broker's Zendesk account knows (BT_ZENDESK_URL must be the same Zendesk account)"
        )));
    }
    if !status.is_success() {
        return Err(unavailable(format!("Zendesk answered {}", status.as_u16())));
    }
    let body = response
        .bytes()
        .await
        .map_err(|_| unavailable("the answer broke off".into()))?;
    let user = serde_json::from_slice::<ShowUser>(&body)
        .map_err(|_| unavailable("the answer is not a Zendesk user".into()))?
        .user;
    match user.role.as_deref() {
        Some("agent" | "admin") => {}
        other => {
            return Err(ApiError::Unauthorized(format!(
                "Zendesk user {id} is not an agent (role {}): only agents open the sidebar",
                other.unwrap_or("unknown")
            )))
        }
    }
    if user.suspended || !user.active {
        return Err(ApiError::Unauthorized(format!(
            "Zendesk user {id} is suspended or inactive"
        )));
    }
    user.email
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty())
        .ok_or_else(|| {
            ApiError::RepNotMapped(format!("{id} (Zendesk has no e-mail for this user)"))
        })
}
