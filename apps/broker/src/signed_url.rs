//! Zendesk signed URLs: `POST /zendesk/sidebar`.
//!
//! With `signedUrls: true` and the app's location on the broker, Zendesk
//! POSTs an RS256 token (form field `token`) on the first request of the
//! sidebar. The broker verifies it (the app's public key,
//! `BT_ZENDESK_AUDIENCE`, `BT_ZENDESK_ISSUERS`, the lifetime rules) and
//! answers with the sidebar app (`BT_DIST_DIR/zendesk-sidebar/index.html`)
//! carrying a short-lived broker session bound to that identity. The agent
//! then calls the broker directly with that session: who is calling comes
//! from Zendesk's signature, not from claims the agent's browser wrote.

use crate::auth::{now_unix, SESSION_LIFETIME_SECS};
use crate::error::ApiError;
use crate::server::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use std::collections::HashMap;

/// Where the sidebar bundle is, below `BT_DIST_DIR` (served at `/apps/`).
pub const SIDEBAR_DIR: &str = "zendesk-sidebar";
/// The element the app reads its session from.
pub const SESSION_ELEMENT_ID: &str = "bt-broker-session";

/// `POST /zendesk/sidebar` (form `token`): the sidebar app with a session.
pub async fn sidebar(
    State(state): State<AppState>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Result<Response, ApiError> {
    let Form(form) = form
        .map_err(|r| ApiError::InvalidInput(format!("The form is not valid: {}", r.body_text())))?;
    let token = form.get("token").map(|t| t.trim()).unwrap_or("");
    if token.is_empty() {
        return Err(ApiError::Unauthorized(
            "No 'token' field: set signedUrls: true in the app's manifest so Zendesk signs the request".into(),
        ));
    }
    let now = now_unix();
    let caller = state.verifier.verify_signed_url(token, now)?;
    state.limiter.check(&caller)?;
    // The token names a Zendesk user id: the session names the agent as
    // the rep mapping knows them (zendesk_identity.rs).
    let caller = crate::zendesk_identity::resolve(&state.config, caller).await?;
    let session = state.verifier.mint_session(&caller, now)?;
    let dist = state.config.static_files.dist_dir.as_ref().ok_or_else(|| {
        ApiError::NotFound(
            "The sidebar app is not served here: set BT_DIST_DIR to the built bundles".into(),
        )
    })?;
    let page = tokio::fs::read_to_string(dist.join(SIDEBAR_DIR).join("index.html"))
        .await
        .map_err(|e| {
            ApiError::NotFound(format!(
                "The sidebar app is not in BT_DIST_DIR/{SIDEBAR_DIR}/index.html ({e})"
            ))
        })?;
    tracing::info!(issuer = %caller.issuer, "opened a Zendesk signed-URL session");
    let mut response = Html(with_session(&page, &session)).into_response();
    let h = response.headers_mut();
    // The page carries a credential: no cache keeps it.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        crate::static_files::csp(&state.config.allowed_origins),
    );
    Ok(response)
}

/// `page` with, first thing in it, a `<base>` so its relative URLs load
/// from `/apps/zendesk-sidebar/` and the session as JSON (`<` escaped, so
/// nothing in it can close the script element).
pub fn with_session(page: &str, session: &str) -> String {
    let json = serde_json::json!({"token": session, "expires_in": SESSION_LIFETIME_SECS})
        .to_string()
        .replace('<', "\\u003c");
    let inject = format!(
        "<base href=\"/apps/{SIDEBAR_DIR}/\"><script id=\"{SESSION_ELEMENT_ID}\" type=\"application/json\">{json}</script>"
    );
    // After the `<html …>` start tag (minified pages have no `<head>`).
    let at = page
        .to_ascii_lowercase()
        .find("<html")
        .and_then(|start| page[start..].find('>').map(|end| start + end + 1))
        .unwrap_or(0);
    format!("{}{inject}{}", &page[..at], &page[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_goes_first_and_cannot_close_its_script() {
        let page = "<!doctype html><html lang=en><meta charset=utf-8><link href=./a.css></head>";
        let out = with_session(page, "a</script><b>");
        assert!(out.starts_with(
            "<!doctype html><html lang=en><base href=\"/apps/zendesk-sidebar/\"><script id=\"bt-broker-session\""
        ), "{out}");
        assert!(!out.contains("a</script><b>"), "{out}");
        assert!(with_session("<p>x</p>", "t").starts_with("<base "));
    }
}
