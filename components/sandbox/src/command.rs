//! The Command API (`/api/command`): `generate_session_key`,
//! `get_logged_in_reps`, `get_support_teams`.

use crate::markup::{escape, iso, xml_error, xml_response};
use crate::oauth::api_params;
use crate::state::{random_hex, unix_now, GeneratedKey, Rep, SandboxState};
use crate::{COMMAND_NS, REP_NOT_AVAILABLE, REP_NOT_FOUND};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use rand::Rng;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

pub(crate) async fn command(
    State(s): State<Arc<SandboxState>>,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let p = match api_params(&s, &method, &headers, query.as_deref(), &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if let Some(r) = crate::faults::refusal(&s, crate::faults::Api::Command) {
        return r;
    }
    match p.get("action").map(String::as_str) {
        Some("generate_session_key") => generate_session_key(&s, &p),
        Some("get_logged_in_reps") => logged_in_reps(&s),
        Some("get_support_teams") => support_teams(&s),
        Some(other) => xml_error(
            COMMAND_NS,
            &format!("Error validating parameter 'action': Invalid action '{other}'"),
        ),
        None => xml_error(
            COMMAND_NS,
            "Error validating parameter 'action': A value is required",
        ),
    }
}

fn generate_session_key(s: &SandboxState, p: &HashMap<String, String>) -> Response {
    if p.get("type").map(String::as_str) != Some("support") {
        return xml_error(
            COMMAND_NS,
            "Error validating parameter 'type': The value must be 'support'",
        );
    }
    let Some(queue_id) = p.get("queue_id") else {
        return xml_error(
            COMMAND_NS,
            "Error validating parameter 'queue_id': A value is required",
        );
    };
    // (queue element text, queue_id element, available)
    let (queue, queue_ref, available) = if queue_id == "general" {
        ("general", None, true)
    } else if let Some(name) = queue_id.strip_prefix("rep_username:") {
        let reps = s.reps.lock().expect("reps");
        let matches: Vec<&Rep> = reps.iter().filter(|r| r.username == name).collect();
        match matches.as_slice() {
            [rep] if rep.logged_in => ("rep", Some(rep.id.to_string()), true),
            [_] => return xml_error(COMMAND_NS, REP_NOT_AVAILABLE),
            _ => return xml_error(COMMAND_NS, REP_NOT_FOUND),
        }
    } else if let Some(id) = queue_id.strip_prefix("rep:") {
        let reps = s.reps.lock().expect("reps");
        match reps.iter().find(|r| r.id.to_string() == id) {
            Some(rep) if rep.logged_in => ("rep", Some(rep.id.to_string()), true),
            Some(_) => return xml_error(COMMAND_NS, REP_NOT_AVAILABLE),
            None => return xml_error(COMMAND_NS, REP_NOT_FOUND),
        }
    } else if let Some(id) = queue_id.strip_prefix("team:") {
        match s.teams.iter().find(|t| t.id.to_string() == id) {
            Some(t) => ("team", Some(t.id.to_string()), true),
            None => {
                return xml_error(
                    COMMAND_NS,
                    "Error validating parameter 'queue_id': The team could not be found",
                )
            }
        }
    } else if let Some(code) = queue_id.strip_prefix("issue:") {
        match s.issues.iter().find(|i| i.code_name == code) {
            Some(i) => ("issue", Some(i.code_name.clone()), true),
            None => {
                return xml_error(
                    COMMAND_NS,
                    "Error validating parameter 'queue_id': The issue could not be found",
                )
            }
        }
    } else {
        return xml_error(
            COMMAND_NS,
            "Error validating parameter 'queue_id': Invalid queue id",
        );
    };
    let external_key = p
        .get("session.custom.external_key")
        .filter(|k| !k.is_empty());
    if external_key.is_some_and(|k| k.chars().count() > 1024) {
        return xml_error(COMMAND_NS, "Error validating parameter 'session.custom.external_key': The value may be at most 1024 characters");
    }
    let ttl = match p.get("ttl") {
        None => None,
        Some(t) => match t.parse::<u64>() {
            Ok(n) if n > 0 => Some(n),
            _ => return xml_error(
                COMMAND_NS,
                "Error validating parameter 'ttl': The value must be a positive number of seconds",
            ),
        },
    };
    let expires = unix_now() + ttl.unwrap_or(86_400) as i64;
    let ak = random_hex(16);
    let short_key = {
        let mut keys = s.keys.lock().expect("keys");
        let mut rng = rand::rng();
        let short_key = loop {
            let k = format!("{:07}", rng.random_range(0..10_000_000u32));
            if !keys.0.contains_key(&k) {
                break k;
            }
        };
        keys.0.insert(
            short_key.clone(),
            GeneratedKey {
                queue: queue_id.clone(),
                external_key: external_key.cloned(),
                expires,
                ak: ak.clone(),
            },
        );
        keys.1.push_back(short_key.clone());
        while keys.1.len() > 10_000 {
            if let Some(old) = keys.1.pop_front() {
                keys.0.remove(&old);
            }
        }
        short_key
    };
    let key_url = format!("{}/?ak={ak}", s.base_url);
    let mail_body = format!(
        "Click on the link below and follow the directions.\n\n{key_url}\n\nIf you are unable to click the link, go to {}/ and enter the session key {short_key}.\n\nThis session key expires at {} UTC.",
        s.base_url,
        iso(expires).trim_end_matches("+00:00")
    );
    let mut x = String::with_capacity(1024);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(x, "<session_key xmlns=\"{COMMAND_NS}\">");
    x.push_str("  <type>support</type>\n");
    let _ = writeln!(x, "  <expires>{expires}</expires>");
    let _ = writeln!(
        x,
        "  <queue available=\"{}\">{queue}</queue>",
        u8::from(available)
    );
    if let Some(r) = &queue_ref {
        let _ = writeln!(x, "  <queue_id>{}</queue_id>", escape(r));
    }
    if let Some(k) = external_key {
        let _ = writeln!(x, "  <external_key>{}</external_key>", escape(k));
    }
    let _ = writeln!(x, "  <short_key>{short_key}</short_key>");
    let _ = writeln!(x, "  <key_url>{}</key_url>", escape(&key_url));
    x.push_str("  <mail_subject>Remote Support Invitation</mail_subject>\n");
    let _ = writeln!(x, "  <mail_body>{}</mail_body>", escape(&mail_body));
    if let Some(t) = ttl {
        let _ = writeln!(x, "  <ttl>{t}</ttl>");
    }
    x.push_str("</session_key>\n");
    xml_response(x)
}

fn logged_in_reps(s: &SandboxState) -> Response {
    let reps = s.reps.lock().expect("reps");
    let since = unix_now() - 3600;
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<logged_in_reps xmlns=\"{COMMAND_NS}\">\n"
    );
    for r in reps.iter().filter(|r| r.logged_in) {
        let _ = writeln!(
            x,
            "  <rep id=\"{}\"><public_display_name>{}</public_display_name><private_display_name>{}</private_display_name><type>Normal</type><logged_in_since>{since}</logged_in_since><support_session_count>0</support_session_count><showing_on_rep_list>1</showing_on_rep_list></rep>",
            r.id,
            escape(&r.public_display_name),
            escape(&r.private_display_name)
        );
    }
    x.push_str("</logged_in_reps>\n");
    xml_response(x)
}

fn support_teams(s: &SandboxState) -> Response {
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<support_teams xmlns=\"{COMMAND_NS}\">\n"
    );
    for t in &s.teams {
        let _ = writeln!(
            x,
            "  <support_team id=\"{}\"><name>{}</name><code_name>{}</code_name></support_team>",
            t.id,
            escape(&t.name),
            escape(&t.code_name)
        );
    }
    x.push_str("</support_teams>\n");
    xml_response(x)
}
