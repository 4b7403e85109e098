//! What a browser sees: `/api/client_script` (a BRCS file for the rep
//! console, or a page for the web console form), `/api/start_session` (the
//! customer's "chat started" page, which also records a running session) and
//! `/?ak=...` (the key URL page). Every echoed value is escaped.

use crate::markup::{escape, page};
use crate::state::{random_hex, unix_now, SandboxState, Session};
use crate::REP_NOT_AVAILABLE;
use axum::extract::{Query, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use bt_core::encode::component;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

const CLIENT_SCRIPT_ACTIONS: &[&str] = &[
    "generate_session_key",
    "start_pinned_client_session",
    "start_jump_item_session",
    "push_and_start_local",
    "push_and_start_remote",
    "start_rdp_session",
    "start_shell_jump_session",
    "start_vpro_session",
    "start_vnc_session",
];

pub(crate) async fn client_script(
    State(s): State<Arc<SandboxState>>,
    RawQuery(query): RawQuery,
) -> Response {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let bad = |m: &str| {
        page(
            StatusCode::BAD_REQUEST,
            "Client script error",
            &format!("<p>{}</p>", escape(m)),
        )
    };
    let Some(action) = get("action").filter(|a| CLIENT_SCRIPT_ACTIONS.contains(a)) else {
        return bad("Error validating parameter 'action': unknown or missing action");
    };
    if let Some((name, _)) = pairs
        .iter()
        .find(|(n, v)| n.starts_with("session.custom.") && v.chars().count() > 1024)
    {
        return bad(&format!(
            "Error validating parameter '{name}': the value may be at most 1024 characters"
        ));
    }
    let command: String = pairs
        .iter()
        .filter(|(n, _)| n != "type" && n != "operation")
        .map(|(n, v)| format!("{}={}", component(n), component(v)))
        .collect::<Vec<_>>()
        .join("&");
    match (get("type"), get("operation")) {
        (Some("rep"), Some("generate")) => {
            let filename = format!("bomgar-{action}.brcs-{}", s.site_name);
            (
                [
                    (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
                ],
                format!("BRCS1.0\n{command}\n"),
            )
                .into_response()
        }
        (Some("web_console"), Some("execute")) => page(
            StatusCode::OK,
            "Web console",
            &format!("<p>The web console would now run <code>{}</code>.</p><pre>{}</pre>", escape(action), escape(&command)),
        ),
        _ => bad("Error validating parameter 'type': use type=rep&operation=generate or type=web_console&operation=execute"),
    }
}

pub(crate) async fn start_session(
    State(s): State<Arc<SandboxState>>,
    Query(p): Query<HashMap<String, String>>,
) -> Response {
    use bt_core::values::{
        CustomerCompany, CustomerCompanyCode, CustomerDetails, CustomerName, ExternalKey,
    };
    let bad = |status, m: &str| {
        page(
            status,
            "Unable to start a session",
            &format!("<p>{}</p>", escape(m)),
        )
    };
    type Check = fn(&str) -> Result<(), bt_core::InputError>;
    let checks: [(&str, Check); 5] = [
        ("customer.name", |v| CustomerName::parse(v).map(drop)),
        ("customer.company", |v| CustomerCompany::parse(v).map(drop)),
        ("customer.company_code", |v| {
            CustomerCompanyCode::parse(v).map(drop)
        }),
        ("customer.details", |v| CustomerDetails::parse(v).map(drop)),
        ("session.custom.external_key", |v| {
            ExternalKey::parse(v).map(drop)
        }),
    ];
    for (name, check) in checks {
        if let Some(v) = p.get(name).filter(|v| !v.is_empty()) {
            if let Err(e) = check(v) {
                return bad(StatusCode::BAD_REQUEST, &e.to_string());
            }
        }
    }
    let mut external_key = p
        .get("session.custom.external_key")
        .filter(|v| !v.is_empty())
        .cloned();
    let mut rep: Option<(u64, String)> = None;
    let queue_text = if let Some(k) = p.get("short_key") {
        let keys = s.keys.lock().expect("keys");
        match keys.0.get(k.trim()) {
            Some(g) if g.expires > unix_now() => {
                external_key = external_key.or_else(|| g.external_key.clone());
                format!("the queue of session key {} ({})", k.trim(), g.queue)
            }
            _ => {
                return bad(
                    StatusCode::NOT_FOUND,
                    "This session key is not valid or has expired",
                )
            }
        }
    } else if p.get("issue_menu").map(String::as_str) == Some("1") {
        let issue = match (p.get("codeName"), p.get("id")) {
            (Some(code), _) => s.issues.iter().find(|i| &i.code_name == code),
            (None, Some(id)) => s.issues.iter().find(|i| i.id.to_string() == *id),
            (None, None) => None,
        };
        match issue {
            Some(i) => format!("the \"{}\" queue", i.description),
            None => {
                return bad(
                    StatusCode::BAD_REQUEST,
                    "The requested issue could not be found",
                )
            }
        }
    } else if p.contains_key("id") || p.contains_key("name") {
        let reps = s.reps.lock().expect("reps");
        let found = match (p.get("id"), p.get("name")) {
            (Some(id), _) => reps.iter().find(|r| r.id.to_string() == *id),
            (None, Some(name)) => reps
                .iter()
                .find(|r| r.public_display_name.eq_ignore_ascii_case(name)),
            _ => None,
        };
        match found {
            Some(r) if r.logged_in => {
                rep = Some((r.id, r.public_display_name.clone()));
                format!("representative {}", r.public_display_name)
            }
            Some(_) => return bad(StatusCode::CONFLICT, REP_NOT_AVAILABLE),
            None => {
                return bad(
                    StatusCode::NOT_FOUND,
                    "The representative could not be found",
                )
            }
        }
    } else {
        return bad(
            StatusCode::BAD_REQUEST,
            "Choose a queue: short_key, issue_menu=1 with codeName or id, id (rep) or name (rep)",
        );
    };
    let customer = p
        .get("customer.name")
        .filter(|v| !v.is_empty())
        .cloned()
        .unwrap_or_else(|| "Customer".into());
    {
        let mut sessions = s.sessions.lock().expect("sessions");
        if sessions.len() < 1000 {
            sessions.push(Session {
                lsid: random_hex(16),
                start: unix_now(),
                end: None,
                external_key: external_key.clone(),
                customer: customer.clone(),
                rep,
                has_recording: false,
            });
        }
    }
    let how = if p.get("c2cjs").map(String::as_str) == Some("1") {
        "A click-to-chat session started in your browser."
    } else {
        "The customer client download would start now (the sandbox has no client to download)."
    };
    let mut body = format!(
        "<p>Chat started with {}.</p><p>{}</p><p>Customer: {}</p>",
        escape(&queue_text),
        escape(how),
        escape(&customer)
    );
    if let Some(k) = &external_key {
        let _ = write!(body, "<p>Ticket: {}</p>", escape(k));
    }
    page(StatusCode::OK, "Chat started", &body)
}

pub(crate) async fn index(
    State(s): State<Arc<SandboxState>>,
    Query(p): Query<HashMap<String, String>>,
) -> Response {
    if let Some(ak) = p.get("ak") {
        let keys = s.keys.lock().expect("keys");
        let found = keys
            .0
            .iter()
            .find(|(_, g)| &g.ak == ak && g.expires > unix_now());
        return match found {
            Some((short, g)) => page(
                StatusCode::OK,
                "Support session starting",
                &format!(
                    "<p>Session key {} accepted: joining {}.</p>",
                    escape(short),
                    escape(&g.queue)
                ),
            ),
            None => page(
                StatusCode::NOT_FOUND,
                "Unable to start a session",
                "<p>This session key is not valid or has expired</p>",
            ),
        };
    }
    page(
        StatusCode::OK,
        "BeyondTrust sandbox appliance",
        "<p>Enter a session key on the support portal, or use the API.</p>",
    )
}
