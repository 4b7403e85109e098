//! The reports the session write-back renders into tickets
//! (docs/appliance-api.md §5, §6): `SupportSession` by lsid (transcript,
//! files, notes, system information, customers and reps involved, recording
//! links) and the exit-survey reports `SupportCustExitSurvey` /
//! `SupportRepExitSurvey`.
//!
//! Parsing is tolerant: every element but the session's `lsid` may be
//! missing, unknown elements are ignored, names are matched by local name
//! (any namespace), and a value may be given as an attribute or as a child
//! element where public code shows both. `encoded_body` (base64, used when
//! the text has characters XML cannot carry) is decoded into `body`.
//!
//! The structures are `Serialize`: the broker hands them to its Handlebars
//! templates as they are, so a field name here is a template variable.

use crate::xml::{
    child, child_text, malformed, parse_doc, parse_duration, root_expecting, text_of, timestamp,
    ResponseError,
};
use roxmltree::Node;
use serde::Serialize;

/// A time as the report gives it: UNIX seconds and the appliance's text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReportTime {
    pub timestamp: Option<i64>,
    /// As the appliance wrote it, e.g. `2024-12-03T15:26:05+00:00`.
    pub text: String,
}

/// Someone named in an event (`performed_by`, `destination`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Party {
    /// `customer`, `representative`, `system`, ...
    #[serde(rename = "type")]
    pub kind: String,
    pub gsnumber: Option<String>,
    pub name: String,
}

/// One `session_details/event`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SessionEvent {
    pub timestamp: Option<i64>,
    /// `Session Start`, `Chat Message`, `Session Note Added`, `File Download`, ...
    pub event_type: String,
    pub performed_by: Option<Party>,
    pub destination: Option<Party>,
    /// The chat text or note, decoded from `encoded_body` when needed.
    pub body: Option<String>,
    pub filename: Option<String>,
    pub filesize: Option<String>,
    /// `data/value name= value=` pairs.
    pub data: Vec<NameValue>,
    /// Convenience flags for templates.
    pub is_chat: bool,
    pub is_note: bool,
    pub is_file: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NameValue {
    pub name: String,
    pub value: String,
}

/// A customer in `customer_list`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Customer {
    pub gsnumber: Option<String>,
    pub name: String,
    pub company: Option<String>,
    pub issue: Option<String>,
    pub hostname: Option<String>,
    pub os: Option<String>,
    pub private_ip: Option<String>,
    pub public_ip: Option<String>,
    pub primary: bool,
}

/// A representative in `rep_list`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Representative {
    pub gsnumber: Option<String>,
    pub id: Option<String>,
    pub username: Option<String>,
    pub display_name: String,
    pub seconds_involved: Option<u64>,
    pub primary: bool,
    pub owner: bool,
}

/// One `system_information/category`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SystemCategory {
    pub name: String,
    pub items: Vec<NameValue>,
}

/// A `SupportSession` report for one session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SessionReport {
    pub lsid: String,
    pub start_time: ReportTime,
    pub end_time: ReportTime,
    pub duration: String,
    pub duration_seconds: u64,
    pub public_site: Option<String>,
    pub external_key: Option<String>,
    pub primary_customer: Option<String>,
    pub primary_rep: Option<String>,
    pub chat_view_url: Option<String>,
    pub chat_download_url: Option<String>,
    pub recording_view_url: Option<String>,
    pub recording_download_url: Option<String>,
    pub file_transfer_count: u64,
    pub customers: Vec<Customer>,
    pub reps: Vec<Representative>,
    pub events: Vec<SessionEvent>,
    pub chat: Vec<SessionEvent>,
    pub notes: Vec<SessionEvent>,
    pub files: Vec<SessionEvent>,
    pub system_information: Vec<SystemCategory>,
}

/// One question and its answers in an exit survey.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SurveyAnswer {
    pub id: Option<String>,
    /// `report_header`, else `label`, else `name`.
    pub question: String,
    pub answers: Vec<String>,
}

/// One `exit_survey` of `SupportCustExitSurvey` / `SupportRepExitSurvey`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExitSurvey {
    pub lsid: String,
    pub submitted_by: Option<Party>,
    pub questions: Vec<SurveyAnswer>,
}

fn elements<'a>(node: Node<'a, 'a>, name: &'a str) -> impl Iterator<Item = Node<'a, 'a>> + 'a {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// An attribute, else a child element's text.
fn attr_or_child(node: Node<'_, '_>, name: &str) -> Option<String> {
    node.attribute(name)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .or_else(|| child_text(node, name))
}

fn flag(node: Node<'_, '_>, name: &str) -> bool {
    attr_or_child(node, name).is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

fn party(node: Option<Node<'_, '_>>) -> Option<Party> {
    let n = node?;
    Some(Party {
        kind: n.attribute("type").unwrap_or_default().to_owned(),
        gsnumber: n.attribute("gsnumber").map(str::to_owned),
        name: text_of(n).trim().to_owned(),
    })
}

fn report_time(node: Option<Node<'_, '_>>) -> ReportTime {
    ReportTime {
        timestamp: timestamp(node),
        text: node
            .map(|n| text_of(n).trim().to_owned())
            .unwrap_or_default(),
    }
}

/// Standard base64 (padding optional, whitespace ignored); `None` when it
/// is not base64 or not UTF-8.
pub fn decode_base64(text: &str) -> Option<String> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    String::from_utf8(out).ok()
}

fn event(n: Node<'_, '_>) -> SessionEvent {
    let event_type = n.attribute("event_type").unwrap_or_default().to_owned();
    let body = child(n, "encoded_body")
        .and_then(|b| decode_base64(&text_of(b)))
        .or_else(|| child(n, "body").map(text_of))
        .filter(|b| !b.trim().is_empty());
    let data = child(n, "data")
        .map(|d| {
            elements(d, "value")
                .map(|v| NameValue {
                    name: v.attribute("name").unwrap_or_default().to_owned(),
                    value: v
                        .attribute("value")
                        .map(str::to_owned)
                        .unwrap_or_else(|| text_of(v).trim().to_owned()),
                })
                .collect()
        })
        .unwrap_or_default();
    let lower = event_type.to_ascii_lowercase();
    let filename = child_text(n, "filename");
    SessionEvent {
        timestamp: n.attribute("timestamp").and_then(|t| t.trim().parse().ok()),
        is_chat: lower.contains("chat message"),
        is_note: lower.contains("note"),
        is_file: lower.starts_with("file") && filename.is_some(),
        performed_by: party(child(n, "performed_by")),
        destination: party(child(n, "destination")),
        body,
        filename,
        filesize: child_text(n, "filesize"),
        data,
        event_type,
    }
}

fn customer(n: Node<'_, '_>) -> Customer {
    let info = child(n, "info");
    let from_info = |name: &str| info.and_then(|i| child_text(i, name));
    Customer {
        gsnumber: n.attribute("gsnumber").map(str::to_owned),
        name: from_info("name")
            .or_else(|| child_text(n, "username"))
            .or_else(|| child_text(n, "name"))
            .unwrap_or_default(),
        company: from_info("company"),
        issue: from_info("issue"),
        hostname: child_text(n, "hostname"),
        os: child_text(n, "os"),
        private_ip: child_text(n, "private_ip"),
        public_ip: child_text(n, "public_ip"),
        primary: flag(n, "primary_cust"),
    }
}

fn representative(n: Node<'_, '_>) -> Representative {
    Representative {
        gsnumber: n.attribute("gsnumber").map(str::to_owned),
        id: attr_or_child(n, "id"),
        username: child_text(n, "username"),
        display_name: child_text(n, "display_name")
            .or_else(|| child_text(n, "public_display_name"))
            .or_else(|| child_text(n, "username"))
            .unwrap_or_default(),
        seconds_involved: child_text(n, "seconds_involved").and_then(|s| s.parse().ok()),
        primary: flag(n, "primary_rep"),
        owner: flag(n, "session_owner"),
    }
}

/// A category's rows: `description`/`data` pairs in document order,
/// whether they are direct children or wrapped one level deeper.
fn category(n: Node<'_, '_>) -> SystemCategory {
    let mut items = Vec::new();
    let mut pending: Option<String> = None;
    for d in n.descendants().filter(|d| d.is_element()) {
        match d.tag_name().name() {
            "description" => pending = Some(text_of(d).trim().to_owned()),
            "data" => items.push(NameValue {
                name: pending.take().unwrap_or_default(),
                value: text_of(d).trim().to_owned(),
            }),
            _ => {}
        }
    }
    SystemCategory {
        name: n.attribute("name").unwrap_or_default().to_owned(),
        items,
    }
}

/// One `<session>` element.
pub fn session_report(s: Node<'_, '_>) -> Result<SessionReport, ResponseError> {
    let lsid = s
        .attribute("lsid")
        .map(str::to_owned)
        .or_else(|| child_text(s, "lsid"))
        .ok_or_else(|| malformed("<session> without lsid"))?;
    let start_time = report_time(child(s, "start_time"));
    let end_time = report_time(child(s, "end_time"));
    let duration = child_text(s, "duration").unwrap_or_default();
    let duration_seconds = parse_duration(&duration)
        .or_else(|| Some((end_time.timestamp? - start_time.timestamp?).max(0) as u64))
        .unwrap_or(0);
    let events: Vec<SessionEvent> = child(s, "session_details")
        .map(|d| elements(d, "event").map(event).collect())
        .unwrap_or_default();
    let pick = |f: fn(&SessionEvent) -> bool| events.iter().filter(|e| f(e)).cloned().collect();
    Ok(SessionReport {
        chat: pick(|e| e.is_chat),
        notes: pick(|e| e.is_note),
        files: pick(|e| e.is_file),
        lsid,
        duration,
        duration_seconds,
        start_time,
        end_time,
        public_site: child_text(s, "public_site"),
        external_key: child_text(s, "external_key"),
        primary_customer: child_text(s, "primary_customer"),
        primary_rep: child_text(s, "primary_rep"),
        chat_view_url: child_text(s, "session_chat_view_url"),
        chat_download_url: child_text(s, "session_chat_download_url"),
        recording_view_url: child_text(s, "session_recording_view_url"),
        recording_download_url: child_text(s, "session_recording_download_url"),
        file_transfer_count: child_text(s, "file_transfer_count")
            .and_then(|c| c.parse().ok())
            .unwrap_or(0),
        customers: child(s, "customer_list")
            .map(|l| elements(l, "customer").map(customer).collect())
            .unwrap_or_default(),
        reps: child(s, "rep_list")
            .map(|l| elements(l, "representative").map(representative).collect())
            .unwrap_or_default(),
        system_information: child(s, "system_information")
            .map(|l| elements(l, "category").map(category).collect())
            .unwrap_or_default(),
        events,
    })
}

/// `SupportSession&lsid=ID`: the session with that lsid. `Ok(None)` when
/// the report has no such session (not yet, or no longer, on the
/// appliance); `Err` for an `<error>` or an unreadable answer.
pub fn parse_session_report(xml: &str, lsid: &str) -> Result<Option<SessionReport>, ResponseError> {
    let doc = parse_doc(xml)?;
    let root = root_expecting(&doc, "session_list")?;
    for s in elements(root, "session") {
        if s.attribute("lsid") == Some(lsid) {
            return session_report(s).map(Some);
        }
    }
    Ok(None)
}

fn question_text(q: Node<'_, '_>) -> String {
    attr_or_child(q, "report_header")
        .or_else(|| attr_or_child(q, "label"))
        .or_else(|| attr_or_child(q, "name"))
        .unwrap_or_default()
}

fn answers_of(list: Option<Node<'_, '_>>) -> Vec<(Option<String>, String)> {
    list.map(|l| {
        elements(l, "answer")
            .map(|a| {
                let id = a
                    .attribute("question_id")
                    .or_else(|| a.attribute("id"))
                    .map(str::to_owned);
                let text = a
                    .attribute("value")
                    .map(str::to_owned)
                    .or_else(|| child(a, "encoded_value").and_then(|v| decode_base64(&text_of(v))))
                    .unwrap_or_else(|| text_of(a).trim().to_owned());
                (id, text)
            })
            .collect()
    })
    .unwrap_or_default()
}

fn exit_survey(n: Node<'_, '_>, lsid: &str) -> ExitSurvey {
    // Answers inside each question, or one answer list for the survey whose
    // answers name their question (else follow the questions in order).
    let loose = answers_of(child(n, "answer_list"));
    let questions = child(n, "question_list")
        .map(|l| {
            elements(l, "question")
                .enumerate()
                .map(|(i, q)| {
                    let id = attr_or_child(q, "id");
                    let own: Vec<String> = answers_of(child(q, "answer_list"))
                        .into_iter()
                        .map(|(_, t)| t)
                        .collect();
                    let answers = if !own.is_empty() {
                        own
                    } else if loose.iter().any(|(qid, _)| qid.is_some()) {
                        loose
                            .iter()
                            .filter(|(qid, _)| qid.is_some() && qid == &id)
                            .map(|(_, t)| t.clone())
                            .collect()
                    } else {
                        loose.get(i).map(|(_, t)| t.clone()).into_iter().collect()
                    };
                    SurveyAnswer {
                        id,
                        question: question_text(q),
                        answers,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    ExitSurvey {
        lsid: n.attribute("lsid").unwrap_or(lsid).to_owned(),
        submitted_by: party(child(n, "submitted_by")),
        questions,
    }
}

/// `SupportCustExitSurvey` / `SupportRepExitSurvey` by lsid: the surveys of
/// that session (usually one). An empty list when none was submitted.
pub fn parse_exit_surveys(xml: &str, lsid: &str) -> Result<Vec<ExitSurvey>, ResponseError> {
    let doc = parse_doc(xml)?;
    let root = root_expecting(&doc, "exit_survey_list")?;
    Ok(root
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "exit_survey")
        .filter(|n| n.attribute("lsid").is_none_or(|l| l == lsid))
        .map(|n| exit_survey(n, lsid))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<session_list xmlns="http://www.bomgar.com/namespaces/API/reporting">
<session lsid="c69a8e10">
  <start_time timestamp="1733239565">2024-12-03T15:26:05+00:00</start_time>
  <end_time timestamp="1733240467">2024-12-03T15:41:07+00:00</end_time>
  <duration>00:15:02</duration>
  <public_site id="1">Default</public_site>
  <external_key>4711</external_key>
  <primary_customer gsnumber="22">Jane Doe</primary_customer>
  <primary_rep gsnumber="21" id="1">Alice</primary_rep>
  <session_chat_view_url>https://s.example.com/v?lsid=c69a8e10&amp;view=1</session_chat_view_url>
  <session_recording_view_url>https://s.example.com/rec?lsid=c69a8e10</session_recording_view_url>
  <file_transfer_count>1</file_transfer_count>
  <customer_list><customer gsnumber="22"><username>Jane Doe</username><info><name>Jane Doe</name><company>ACME</company><issue>Printing</issue></info><hostname>PC-042</hostname><os>Windows 11</os><private_ip>10.0.0.5</private_ip><public_ip>203.0.113.9</public_ip><primary_cust>1</primary_cust></customer></customer_list>
  <rep_list><representative gsnumber="21" id="1"><username>alice</username><display_name>Alice</display_name><seconds_involved>902</seconds_involved><primary_rep>1</primary_rep><session_owner>1</session_owner></representative></rep_list>
  <session_details>
    <event timestamp="1733239565" event_type="Session Start"><performed_by type="system">System</performed_by></event>
    <event timestamp="1733239600" event_type="Chat Message"><performed_by type="customer" gsnumber="22">Jane Doe</performed_by><body>&lt;script&gt;alert(1)&lt;/script&gt;</body></event>
    <event timestamp="1733239610" event_type="Chat Message"><performed_by type="representative" gsnumber="21">Alice</performed_by><encoded_body>SGVsbG8g8J+Riw==</encoded_body></event>
    <event timestamp="1733239700" event_type="File Upload"><performed_by type="representative">Alice</performed_by><filename>fix.reg</filename><filesize>1024</filesize></event>
    <event timestamp="1733239800" event_type="Session Note Added"><performed_by type="representative">Alice</performed_by><body>Driver reinstalled</body><data><value name="note_id" value="7"/></data></event>
  </session_details>
  <system_information><category name="General"><field><description>Computer Name</description><data>PC-042</data></field><description>OS</description><data>Windows 11</data></category></system_information>
</session>
</session_list>"#;

    #[test]
    fn the_full_report_parses() {
        let r = parse_session_report(REPORT, "c69a8e10").unwrap().unwrap();
        assert_eq!(r.duration_seconds, 902);
        assert_eq!(r.start_time.timestamp, Some(1733239565));
        assert_eq!(r.external_key.as_deref(), Some("4711"));
        assert_eq!(r.customers[0].company.as_deref(), Some("ACME"));
        assert!(r.customers[0].primary);
        assert_eq!(r.reps[0].seconds_involved, Some(902));
        assert!(r.reps[0].owner);
        assert_eq!(r.events.len(), 5);
        assert_eq!(r.chat.len(), 2);
        assert_eq!(r.chat[0].body.as_deref(), Some("<script>alert(1)</script>"));
        assert_eq!(r.chat[0].performed_by.as_ref().unwrap().kind, "customer");
        assert!(r.chat[1].body.as_deref().unwrap().starts_with("Hello "));
        assert_eq!(r.files[0].filename.as_deref(), Some("fix.reg"));
        assert_eq!(r.notes[0].data[0].value, "7");
        assert_eq!(
            r.system_information[0].items,
            vec![
                NameValue {
                    name: "Computer Name".into(),
                    value: "PC-042".into()
                },
                NameValue {
                    name: "OS".into(),
                    value: "Windows 11".into()
                }
            ]
        );
        assert_eq!(
            r.recording_view_url.as_deref(),
            Some("https://s.example.com/rec?lsid=c69a8e10")
        );
    }

    #[test]
    fn missing_elements_are_tolerated() {
        let r = parse_session_report(r#"<session_list><session lsid="x"/></session_list>"#, "x")
            .unwrap()
            .unwrap();
        assert_eq!((r.duration_seconds, r.events.len()), (0, 0));
        assert_eq!(parse_session_report("<session_list/>", "x").unwrap(), None);
        assert!(matches!(
            parse_session_report("<error>Invalid lsid</error>", "x"),
            Err(ResponseError::Api { .. })
        ));
    }

    #[test]
    fn base64_decodes() {
        assert_eq!(decode_base64("aGk8Yj4=").as_deref(), Some("hi<b>"));
        assert_eq!(decode_base64("aGk").as_deref(), Some("hi"));
        assert_eq!(decode_base64("!!"), None);
    }

    #[test]
    fn surveys_parse_in_either_shape() {
        let nested = r#"<exit_survey_list xmlns="x"><exit_survey lsid="a"><submitted_by type="customer">Jane</submitted_by><question_list><question id="1" type="radio"><report_header>Satisfied?</report_header><answer_list><answer>Yes &lt;b&gt;</answer></answer_list></question></question_list></exit_survey></exit_survey_list>"#;
        let s = parse_exit_surveys(nested, "a").unwrap();
        assert_eq!(s[0].questions[0].question, "Satisfied?");
        assert_eq!(s[0].questions[0].answers, ["Yes <b>"]);
        assert_eq!(s[0].submitted_by.as_ref().unwrap().name, "Jane");
        let loose = r#"<exit_survey_list><exit_survey lsid="a"><question_list><question id="1" label="Q1"/><question id="2" label="Q2"/></question_list><answer_list><answer question_id="2">two</answer></answer_list></exit_survey><exit_survey lsid="b"/></exit_survey_list>"#;
        let s = parse_exit_surveys(loose, "a").unwrap();
        assert_eq!(s.len(), 1);
        assert!(s[0].questions[0].answers.is_empty());
        assert_eq!(s[0].questions[1].answers, ["two"]);
        assert!(parse_exit_surveys("<exit_survey_list/>", "a")
            .unwrap()
            .is_empty());
    }
}
