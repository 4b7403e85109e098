//! `oauth`, `command-api`, `reporting-api` and `rep`, through the broker's
//! own [`ApplianceClient`] (the same requests, timeouts and answer limits).

use super::Report;
use bt_broker::appliance::ApplianceClient;
use bt_broker::config::Config;
use bt_broker::error::ApiError;
use bt_broker::metrics::Metrics;
use bt_core::xml::{ApiErrorKind, ResponseError};
use std::sync::Arc;

/// Where an admin gives the API account what it lacks.
const API_CONFIGURATION: &str = "/login > Management > API Configuration";

/// How long the session key `--rep` makes is valid: nobody receives it.
const PROBE_KEY_TTL: u32 = 60;

/// `what — fix` for a failure the broker's client reports.
fn describe(e: &ApiError) -> (String, String) {
    match e {
        ApiError::ApplianceAuthFailed => (
            "the appliance refused BT_CLIENT_ID / BT_CLIENT_SECRET (invalid_client)".into(),
            format!("copy both from {API_CONFIGURATION}; after regenerating the secret, save the API account before copying it"),
        ),
        ApiError::ApplianceTimeout(_)
        | ApiError::ApplianceConnectTimeout(_)
        | ApiError::ApplianceUnreachable(_) => (
            e.to_string(),
            "run bt-broker doctor again; if it persists, check the appliance's load and the network path".into(),
        ),
        other => {
            // The client's messages read "what happened: what to do".
            let text = other.to_string();
            match text.split_once(": ") {
                Some((what, fix)) => (what.to_owned(), fix.to_owned()),
                None => (text, "check the appliance's status page, then run bt-broker doctor again".into()),
            }
        }
    }
}

/// The API account's permission a 403 names, as the client words it.
fn refused(e: &ApiError, message_start: &str) -> bool {
    matches!(e, ApiError::ApplianceError(m) if m.starts_with(message_start))
}

/// Reports `e` as the failure of check `name`; a 403 names the permission
/// the API account lacks and where to give it.
fn fail(report: &mut Report, name: &str, e: &ApiError) {
    let (what, fix) = if refused(e, "The appliance refused the command") {
        (
            "the API account may not use the Command API (HTTP 403)".to_owned(),
            format!(
                "in {API_CONFIGURATION}, give the API account Command API full access and save it"
            ),
        )
    } else if refused(e, "The appliance refused the report") {
        (
            "the API account may not read session reports (HTTP 403)".to_owned(),
            format!("in {API_CONFIGURATION}, tick \"Allow Access to Support Session Reports and Recordings\" for the API account and save it"),
        )
    } else {
        describe(e)
    };
    report.fail(name, what, fix);
}

/// `oauth`, `command-api`, `reporting-api`; the client when OAuth works.
pub async fn check(report: &mut Report, config: &Config) -> Option<ApplianceClient> {
    let client = match ApplianceClient::new(config, Arc::new(Metrics::new())) {
        Ok(c) => c,
        Err(e) => {
            report.fail("oauth", e, "check BT_APPLIANCE_URL");
            return None;
        }
    };
    if let Err(e) = client.token().await {
        fail(report, "oauth", &e);
        return None;
    }
    report.ok(
        "oauth",
        format!(
            "the appliance issued a token to API account {}",
            config.client_id
        ),
    );

    match client.logged_in_reps().await {
        Ok(reps) => report.ok(
            "command-api",
            format!(
                "get_logged_in_reps answered: {} representative(s) logged in",
                reps.len()
            ),
        ),
        Err(e) => fail(report, "command-api", &e),
    }

    let hour_ago = bt_broker::auth::now_unix() as i64 - 3600;
    match client.support_sessions(hour_ago).await {
        Ok(sessions) => report.ok(
            "reporting-api",
            format!(
                "the SupportSession report answered: {} session(s) in the last hour",
                sessions.len()
            ),
        ),
        Err(e) => fail(report, "reporting-api", &e),
    }
    Some(client)
}

/// `rep`: the representative `identity` maps to (BT_REP_MAPPING) exists and
/// is logged in. The Command API lists logged-in reps by display name only,
/// so the doctor asks for a session key in the rep's queue, as the widget
/// does; the key lives a minute and is handed to no one.
pub async fn rep(report: &mut Report, config: &Config, client: &ApplianceClient, identity: &str) {
    let Some(username) = config.rep_mapping.username_for(identity) else {
        let file = match &config.rep_mapping {
            bt_broker::mapping::RepMapping::Table { path, .. } => path.clone(),
            _ => "the mapping file".into(),
        };
        report.fail(
            "rep",
            format!("'{identity}' is not in the rep mapping {file} (BT_REP_MAPPING)"),
            format!("add \"{identity}\" = \"USERNAME\" to {file}"),
        );
        return;
    };
    let mapped = match username == identity {
        true => String::new(),
        false => format!(" ('{identity}' maps to it by BT_REP_MAPPING)"),
    };
    let queue = format!("rep_username:{username}");
    match client
        .generate_session_key(&queue, None, Some(PROBE_KEY_TTL))
        .await
    {
        Ok(Ok(_)) => report.ok(
            "rep",
            format!("{username}{mapped} exists and is logged in to the representative console"),
        ),
        Ok(Err(ResponseError::Api { kind: ApiErrorKind::RepNotFound, .. })) => report.fail(
            "rep",
            format!("the appliance has no representative with username '{username}'{mapped} (\"The representative could not be found\")"),
            "use the rep's username from /login > Users & Security > Users, or map agents to it with BT_REP_MAPPING (file:PATH for names that differ)",
        ),
        Ok(Err(ResponseError::Api { kind: ApiErrorKind::RepNotAvailable, .. })) => report.fail(
            "rep",
            format!("{username}{mapped} is not logged in to the representative console (\"Requested support representative is not available at this time\")"),
            format!("log in to the representative console as {username}, then try again"),
        ),
        Ok(Err(other)) => fail(report, "rep", &bt_broker::appliance::response_error(other)),
        Err(e) => fail(report, "rep", &e),
    }
}
