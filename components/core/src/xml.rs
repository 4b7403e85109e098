//! Command API and Reporting API responses (docs/appliance-api.md §3, §5).
//!
//! Parsing is namespace-agnostic: elements are matched by local name, because
//! appliances answer in `http://www.bomgar.com/namespaces/API/...` or in a
//! newer beyondtrust.com namespace, and we must accept both.

use roxmltree::{Document, Node};
use std::fmt;

/// What kind of appliance error this is, from the messages the guides quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// "Error validating parameter 'queue_id': The representative could not be found"
    RepNotFound,
    /// "Requested support representative is not available at this time"
    RepNotAvailable,
    Other,
}

impl ApiErrorKind {
    /// Classifies an appliance `<error>` message. Wording is matched loosely
    /// (case, punctuation) because the exact text is unconfirmed.
    pub fn classify(message: &str) -> Self {
        let m = message.to_ascii_lowercase();
        if m.contains("could not be found")
            && (m.contains("representative") || m.contains("queue_id"))
        {
            ApiErrorKind::RepNotFound
        } else if m.contains("not available at this time")
            || (m.contains("representative") && m.contains("not available"))
        {
            ApiErrorKind::RepNotAvailable
        } else {
            ApiErrorKind::Other
        }
    }
}

/// Why a response could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseError {
    /// The appliance answered with an `<error>` element.
    Api { kind: ApiErrorKind, message: String },
    /// Not XML, or not the expected document.
    Malformed(String),
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::Api { message, .. } => write!(f, "appliance error: {message}"),
            ResponseError::Malformed(why) => write!(f, "unexpected appliance response: {why}"),
        }
    }
}

impl std::error::Error for ResponseError {}

pub(crate) fn malformed(why: impl Into<String>) -> ResponseError {
    ResponseError::Malformed(why.into())
}

/// Parses `xml` and returns the root element, turning an `<error>` root (or
/// an `<error>` child of the expected root) into `ResponseError::Api`.
pub(crate) fn root_expecting<'a>(
    doc: &'a Document<'a>,
    expected: &str,
) -> Result<Node<'a, 'a>, ResponseError> {
    let root = doc.root_element();
    let error = if root.tag_name().name() == "error" {
        Some(root)
    } else {
        child(root, "error")
    };
    if let Some(e) = error {
        let message = text_of(e).trim().to_owned();
        return Err(ResponseError::Api {
            kind: ApiErrorKind::classify(&message),
            message,
        });
    }
    if root.tag_name().name() != expected {
        return Err(malformed(format!(
            "expected <{expected}>, got <{}>",
            root.tag_name().name()
        )));
    }
    Ok(root)
}

pub(crate) fn parse_doc(xml: &str) -> Result<Document<'_>, ResponseError> {
    Document::parse(xml).map_err(|e| malformed(format!("not XML: {e}")))
}

pub(crate) fn child<'a>(node: Node<'a, 'a>, name: &str) -> Option<Node<'a, 'a>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// All text inside a node (CDATA and entity-decoded), concatenated.
pub(crate) fn text_of(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

pub(crate) fn child_text(node: Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name)
        .map(|c| text_of(c).trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn required_text(node: Node<'_, '_>, name: &str) -> Result<String, ResponseError> {
    child_text(node, name).ok_or_else(|| malformed(format!("missing <{name}>")))
}

/// `<session_key>` from `action=generate_session_key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionKeyXml {
    /// The 7-character key a customer types.
    pub short_key: String,
    pub key_url: String,
    /// UNIX seconds.
    pub expires: i64,
    /// `general`, `rep`, `team`, `issue`... as the appliance names it.
    pub queue: String,
    pub queue_id: Option<String>,
    pub external_key: Option<String>,
    pub mail_subject: String,
    /// Multi-line invitation text, kept as sent.
    pub mail_body: String,
    /// Echoed `ttl` when the appliance knows it (unconfirmed in the docs).
    pub ttl: Option<u64>,
}

pub fn parse_session_key(xml: &str) -> Result<SessionKeyXml, ResponseError> {
    let doc = parse_doc(xml)?;
    let root = root_expecting(&doc, "session_key")?;
    let expires = required_text(root, "expires")?;
    let expires = expires
        .parse::<i64>()
        .map_err(|_| malformed(format!("<expires> is not UNIX seconds: {expires}")))?;
    Ok(SessionKeyXml {
        short_key: required_text(root, "short_key")?,
        key_url: required_text(root, "key_url")?,
        expires,
        queue: child_text(root, "queue").unwrap_or_default(),
        queue_id: child_text(root, "queue_id"),
        external_key: child_text(root, "external_key"),
        mail_subject: child_text(root, "mail_subject").unwrap_or_default(),
        // The body is multi-line: keep inner line breaks, trim only the ends.
        mail_body: child(root, "mail_body")
            .map(|n| text_of(n).trim().to_owned())
            .unwrap_or_default(),
        ttl: child_text(root, "ttl").and_then(|t| t.parse().ok()),
    })
}

/// One `<rep>` of `action=get_logged_in_reps`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedInRep {
    pub id: u64,
    pub public_display_name: String,
    pub private_display_name: String,
    pub rep_type: Option<String>,
    pub support_session_count: u32,
    pub showing_on_rep_list: bool,
}

pub fn parse_logged_in_reps(xml: &str) -> Result<Vec<LoggedInRep>, ResponseError> {
    let doc = parse_doc(xml)?;
    let root = root_expecting(&doc, "logged_in_reps")?;
    root.children()
        .filter(|n| n.is_element() && n.tag_name().name() == "rep")
        .map(|rep| {
            let id = rep
                .attribute("id")
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| malformed("<rep> without a numeric id"))?;
            Ok(LoggedInRep {
                id,
                public_display_name: child_text(rep, "public_display_name").unwrap_or_default(),
                private_display_name: child_text(rep, "private_display_name").unwrap_or_default(),
                rep_type: child_text(rep, "type"),
                support_session_count: child_text(rep, "support_session_count")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0),
                showing_on_rep_list: child_text(rep, "showing_on_rep_list")
                    .is_some_and(|v| v == "1"),
            })
        })
        .collect()
}

/// One support team of `action=get_support_teams`. The shape is
/// unconfirmed, so id and name are read from attributes or child elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportTeam {
    pub id: String,
    pub name: String,
    pub code_name: Option<String>,
}

pub fn parse_support_teams(xml: &str) -> Result<Vec<SupportTeam>, ResponseError> {
    let doc = parse_doc(xml)?;
    let root = root_expecting(&doc, "support_teams")?;
    Ok(root
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "support_team")
        .filter_map(|t| {
            let id = t
                .attribute("id")
                .map(str::to_owned)
                .or_else(|| child_text(t, "id"))?;
            let name = child_text(t, "name")
                .or_else(|| t.attribute("name").map(str::to_owned))
                .unwrap_or_else(|| id.clone());
            Some(SupportTeam {
                id,
                name,
                code_name: child_text(t, "code_name"),
            })
        })
        .collect())
}

/// One `<session>` of a Reporting API `SupportSession` report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportSession {
    pub lsid: String,
    /// UNIX seconds.
    pub start: i64,
    /// UNIX seconds; `None` while running.
    pub end: Option<i64>,
    pub duration_seconds: u64,
    pub external_key: Option<String>,
    pub primary_customer: Option<String>,
    pub primary_rep: Option<String>,
    pub chat_view_url: Option<String>,
    pub chat_download_url: Option<String>,
}

/// `HH:MM:SS` (hours may exceed 24) → seconds.
pub(crate) fn parse_duration(text: &str) -> Option<u64> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.len() != 3 {
        return None;
    }
    let mut total = 0u64;
    for p in parts {
        total = total.checked_mul(60)?.checked_add(p.parse::<u64>().ok()?)?;
    }
    Some(total)
}

pub(crate) fn timestamp(node: Option<Node<'_, '_>>) -> Option<i64> {
    node?.attribute("timestamp")?.trim().parse().ok()
}

pub fn parse_session_list(xml: &str) -> Result<Vec<SupportSession>, ResponseError> {
    let doc = parse_doc(xml)?;
    let root = root_expecting(&doc, "session_list")?;
    root.children()
        .filter(|n| n.is_element() && n.tag_name().name() == "session")
        .map(|s| {
            let lsid = s
                .attribute("lsid")
                .ok_or_else(|| malformed("<session> without lsid"))?
                .to_owned();
            let start = timestamp(child(s, "start_time"))
                .ok_or_else(|| malformed(format!("session {lsid}: no start_time timestamp")))?;
            let end = timestamp(child(s, "end_time"));
            let duration_seconds = child_text(s, "duration")
                .and_then(|d| parse_duration(&d))
                .or_else(|| end.map(|e| (e - start).max(0) as u64))
                .unwrap_or(0);
            Ok(SupportSession {
                lsid,
                start,
                end,
                duration_seconds,
                external_key: child_text(s, "external_key"),
                primary_customer: child_text(s, "primary_customer"),
                primary_rep: child_text(s, "primary_rep"),
                chat_view_url: child_text(s, "session_chat_view_url"),
                chat_download_url: child_text(s, "session_chat_download_url"),
            })
        })
        .collect()
}

/// `SupportSessionListing`: lsid → has a recording.
pub fn parse_session_listing(xml: &str) -> Result<Vec<(String, bool)>, ResponseError> {
    let doc = parse_doc(xml)?;
    let root = doc.root_element();
    if root.tag_name().name() == "error" {
        root_expecting(&doc, "session_summary_list")?;
    }
    Ok(root
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "session_summary")
        .filter_map(|n| {
            Some((
                n.attribute("lsid")?.to_owned(),
                n.attribute("has_recording") == Some("1"),
            ))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recorded from a real appliance (docs/appliance-api.md §3), values shortened.
    const RECORDED_SESSION_KEY: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<session_key xmlns="http://www.bomgar.com/namespaces/API/command">
  <type>support</type>
  <expires>1575045322</expires>
  <queue available="0">general</queue>
  <external_key>1234</external_key>
  <short_key>6187161</short_key>
  <key_url>https://support.example.com/?ak=f3c7150968a4cfb0e1585963fa1d2ba8</key_url>
  <mail_subject>Remote Support Invitation</mail_subject>
  <mail_body>Click on the link below and follow the directions.

https://support.example.com/?ak=f3c7150968a4cfb0e1585963fa1d2ba8</mail_body>
</session_key>"#;

    #[test]
    fn recorded_session_key_parses() {
        let k = parse_session_key(RECORDED_SESSION_KEY).unwrap();
        assert_eq!(k.short_key, "6187161");
        assert_eq!(k.expires, 1575045322);
        assert_eq!(k.queue, "general");
        assert_eq!(k.external_key.as_deref(), Some("1234"));
        assert_eq!(
            k.key_url,
            "https://support.example.com/?ak=f3c7150968a4cfb0e1585963fa1d2ba8"
        );
        assert!(
            k.mail_body.contains("directions.\n\nhttps://"),
            "{:?}",
            k.mail_body
        );
    }

    #[test]
    fn any_namespace_or_none_is_accepted() {
        let other = RECORDED_SESSION_KEY.replace(
            "http://www.bomgar.com/namespaces/API/command",
            "http://www.beyondtrust.com/namespaces/API/command",
        );
        assert_eq!(parse_session_key(&other).unwrap().short_key, "6187161");
        let prefixed = "<c:session_key xmlns:c=\"urn:x\"><c:short_key>1</c:short_key><c:key_url>u</c:key_url><c:expires>5</c:expires><c:queue>rep</c:queue><c:queue_id>1</c:queue_id></c:session_key>";
        let k = parse_session_key(prefixed).unwrap();
        assert_eq!(
            (k.queue.as_str(), k.queue_id.as_deref()),
            ("rep", Some("1"))
        );
    }

    #[test]
    fn quoted_errors_are_classified() {
        let e = parse_session_key(r#"<error xmlns="http://www.bomgar.com/namespaces/API/command">Error validating parameter 'queue_id': The representative could not be found</error>"#).unwrap_err();
        assert!(
            matches!(
                e,
                ResponseError::Api {
                    kind: ApiErrorKind::RepNotFound,
                    ..
                }
            ),
            "{e:?}"
        );
        let e = parse_session_key(
            "<error>Requested support representative is not available at this time</error>",
        )
        .unwrap_err();
        assert!(matches!(
            e,
            ResponseError::Api {
                kind: ApiErrorKind::RepNotAvailable,
                ..
            }
        ));
        let e = parse_session_key("<error>Invalid action</error>").unwrap_err();
        assert_eq!(
            e,
            ResponseError::Api {
                kind: ApiErrorKind::Other,
                message: "Invalid action".into()
            }
        );
    }

    #[test]
    fn malformed_responses_say_what_is_missing() {
        assert!(matches!(
            parse_session_key("not xml"),
            Err(ResponseError::Malformed(_))
        ));
        let e =
            parse_session_key("<session_key><short_key>1</short_key></session_key>").unwrap_err();
        assert_eq!(e, ResponseError::Malformed("missing <expires>".into()));
        let e = parse_session_key("<session_key><short_key>1</short_key><key_url>u</key_url><expires>soon</expires></session_key>").unwrap_err();
        assert!(e.to_string().contains("UNIX seconds"));
    }

    #[test]
    fn logged_in_reps_parse() {
        let xml = r#"<logged_in_reps xmlns="http://www.bomgar.com/namespaces/API/command">
          <rep id="1"><public_display_name>Alice</public_display_name><private_display_name>Alice A.</private_display_name><type>Normal</type><logged_in_since>1575045322</logged_in_since><support_session_count>2</support_session_count><showing_on_rep_list>1</showing_on_rep_list></rep>
          <rep id="7"><public_display_name>Bob</public_display_name><private_display_name>Bob</private_display_name><showing_on_rep_list>0</showing_on_rep_list></rep>
        </logged_in_reps>"#;
        let reps = parse_logged_in_reps(xml).unwrap();
        assert_eq!(reps.len(), 2);
        assert_eq!(
            (
                reps[0].id,
                reps[0].support_session_count,
                reps[0].showing_on_rep_list
            ),
            (1, 2, true)
        );
        assert_eq!(
            (
                reps[1].public_display_name.as_str(),
                reps[1].showing_on_rep_list
            ),
            ("Bob", false)
        );
        assert!(parse_logged_in_reps("<logged_in_reps/>")
            .unwrap()
            .is_empty());
    }

    #[test]
    fn support_teams_tolerate_attribute_or_element_ids() {
        let xml = r#"<support_teams xmlns="x"><support_team id="3"><name>Tier 1</name><code_name>tier1</code_name></support_team><support_team><id>4</id><name>Tier 2</name></support_team></support_teams>"#;
        let teams = parse_support_teams(xml).unwrap();
        assert_eq!(
            teams
                .iter()
                .map(|t| (t.id.as_str(), t.name.as_str()))
                .collect::<Vec<_>>(),
            [("3", "Tier 1"), ("4", "Tier 2")]
        );
    }

    #[test]
    fn session_list_parses_the_recorded_shape() {
        let xml = r#"<session_list xmlns="http://www.bomgar.com/namespaces/API/reporting"><session lsid="c69a8e10"><start_time timestamp="1733239565">2024-12-03T15:26:05+00:00</start_time><end_time timestamp="1733240467">2024-12-03T15:41:07+00:00</end_time><duration>00:15:02</duration><external_key>4711</external_key><primary_customer gsnumber="22">Jane Doe</primary_customer><primary_rep gsnumber="21" id="1">Alice</primary_rep><session_chat_view_url>https://support.example.com/session_download.ns?lsid=c69a8e10&amp;view=1</session_chat_view_url><session_chat_download_url>https://support.example.com/session_download.ns?lsid=c69a8e10</session_chat_download_url><file_transfer_count>0</file_transfer_count><customer_list/><rep_list/><session_details><event timestamp="1733239565" event_type="Session Start">x</event></session_details></session>
        <session lsid="open1"><start_time timestamp="1733300000">x</start_time><end_time timestamp=""></end_time><duration></duration></session></session_list>"#;
        let list = parse_session_list(xml).unwrap();
        assert_eq!(list.len(), 2);
        let s = &list[0];
        assert_eq!(
            (s.start, s.end, s.duration_seconds),
            (1733239565, Some(1733240467), 902)
        );
        assert_eq!(s.external_key.as_deref(), Some("4711"));
        assert_eq!(s.primary_rep.as_deref(), Some("Alice"));
        assert_eq!(
            s.chat_view_url.as_deref(),
            Some("https://support.example.com/session_download.ns?lsid=c69a8e10&view=1")
        );
        assert_eq!((list[1].end, list[1].duration_seconds), (None, 0));
    }

    #[test]
    fn session_listing_reads_recording_flags() {
        let xml = r#"<session_summary_list xmlns="x"><session_summary lsid="a" has_recording="1"/><session_summary lsid="b" has_recording="0"/></session_summary_list>"#;
        assert_eq!(
            parse_session_listing(xml).unwrap(),
            vec![("a".into(), true), ("b".into(), false)]
        );
    }
}
