//! The end of a session, as the appliance shows it to a write-back: the
//! full session report (`SupportSession&lsid=`: customers and reps with
//! their details, the chat transcript with a file transfer and a session
//! note, system information), the exit-survey reports
//! (`SupportCustExitSurvey` / `SupportRepExitSurvey` by lsid), and the
//! outbound events the appliance POSTs to its recipients
//! (`application/x-www-form-urlencoded`; each event is sent until it gets
//! HTTP 200, and no later event is sent before that).
//!
//! Demo sessions carry customer-written text that is hostile on purpose
//! (`<script>`, `<img onerror>`), so the demo and the tests show it escaped
//! wherever it lands.

use crate::markup::escape;
use crate::state::{random_hex, unix_now};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// One `session_details/event`.
#[derive(Debug, Clone)]
pub struct DetailEvent {
    pub at: i64,
    pub event_type: String,
    /// (`type`, gsnumber, name)
    pub performed_by: (String, u32, String),
    pub body: Option<String>,
    pub filename: Option<(String, u64)>,
}

/// One survey question and its answer.
#[derive(Debug, Clone)]
pub struct SurveyItem {
    pub header: String,
    pub answer: String,
}

/// What a session report holds beyond the session list's summary.
#[derive(Debug, Clone)]
pub struct SessionDetail {
    pub customer: String,
    pub company: String,
    pub issue: String,
    pub hostname: String,
    pub os: String,
    pub rep: String,
    pub rep_username: String,
    pub seconds_involved: i64,
    pub events: Vec<DetailEvent>,
    pub system_info: Vec<(String, Vec<(String, String)>)>,
    pub customer_survey: Vec<SurveyItem>,
    pub rep_survey: Vec<SurveyItem>,
}

/// A realistic session from `start` to `end` between `customer` and `rep`.
pub fn demo_detail(
    customer: &str,
    rep: &str,
    rep_username: &str,
    start: i64,
    end: i64,
) -> SessionDetail {
    let cust = || ("customer".to_owned(), 22, customer.to_owned());
    let r = || ("representative".to_owned(), 21, rep.to_owned());
    let ev = |at: i64, t: &str, by: (String, u32, String), body: Option<&str>| DetailEvent {
        at,
        event_type: t.into(),
        performed_by: by,
        body: body.map(Into::into),
        filename: None,
    };
    let mut events = vec![
        ev(
            start,
            "Session Start",
            ("system".into(), 0, "System".into()),
            None,
        ),
        ev(
            start + 5,
            "Chat Message",
            cust(),
            Some("Hi, my printer shows <script>alert('pwned')</script> & won't print"),
        ),
        ev(
            start + 20,
            "Chat Message",
            r(),
            Some("Hello! I'll take a look. Is \"PC-042\" your computer?"),
        ),
        ev(
            start + 40,
            "Chat Message",
            cust(),
            Some("yes <img src=x onerror=alert(document.cookie)> it is"),
        ),
    ];
    events.push(DetailEvent {
        filename: Some(("printer-fix.reg".into(), 2048)),
        ..ev(start + 60, "File Upload", r(), None)
    });
    events.push(ev(
        start + 90,
        "Session Note Added",
        r(),
        Some("Reinstalled the printer driver; spooler restarted."),
    ));
    events.push(ev(
        end,
        "Session End",
        ("system".into(), 0, "System".into()),
        None,
    ));
    SessionDetail {
        customer: customer.into(),
        company: "ACME <Corp>".into(),
        issue: "Printing".into(),
        hostname: "PC-042".into(),
        os: "Windows 11 Pro".into(),
        rep: rep.into(),
        rep_username: rep_username.into(),
        seconds_involved: end - start,
        events,
        system_info: vec![
            (
                "General".into(),
                vec![
                    ("Computer Name".into(), "PC-042".into()),
                    ("Operating System".into(), "Windows 11 Pro 23H2".into()),
                ],
            ),
            (
                "Memory".into(),
                vec![("Total Physical Memory".into(), "16 GB".into())],
            ),
        ],
        customer_survey: vec![
            SurveyItem {
                header: "How satisfied were you?".into(),
                answer: "Very satisfied".into(),
            },
            SurveyItem {
                header: "Comments".into(),
                answer: "Great help <b>thanks</b>!".into(),
            },
        ],
        rep_survey: vec![SurveyItem {
            header: "Was the issue resolved?".into(),
            answer: "Yes".into(),
        }],
    }
}

/// `<customer_list>`, `<rep_list>`, `<session_details>` and
/// `<system_information>` of a session report.
pub fn detail_xml(d: &SessionDetail) -> String {
    let mut x = String::new();
    let _ = write!(
        x,
        "<customer_list><customer gsnumber=\"22\"><username>{c}</username><info><name>{c}</name><company>{co}</company><issue>{i}</issue></info><hostname>{h}</hostname><os>{os}</os><private_ip>10.0.0.42</private_ip><public_ip>203.0.113.42</public_ip><primary_cust>1</primary_cust></customer></customer_list>",
        c = escape(&d.customer),
        co = escape(&d.company),
        i = escape(&d.issue),
        h = escape(&d.hostname),
        os = escape(&d.os)
    );
    let _ = write!(
        x,
        "<rep_list><representative gsnumber=\"21\" id=\"1\"><username>{}</username><display_name>{}</display_name><seconds_involved>{}</seconds_involved><primary_rep>1</primary_rep><session_owner>1</session_owner></representative></rep_list>",
        escape(&d.rep_username),
        escape(&d.rep),
        d.seconds_involved
    );
    x.push_str("<session_details>");
    for e in &d.events {
        let (kind, gs, name) = &e.performed_by;
        let _ = write!(
            x,
            "<event timestamp=\"{}\" event_type=\"{}\"><performed_by type=\"{}\" gsnumber=\"{gs}\">{}</performed_by>",
            e.at,
            escape(&e.event_type),
            escape(kind),
            escape(name)
        );
        if let Some(b) = &e.body {
            let _ = write!(x, "<body>{}</body>", escape(b));
        }
        if let Some((f, size)) = &e.filename {
            let _ = write!(
                x,
                "<filename>{}</filename><filesize>{size}</filesize>",
                escape(f)
            );
        }
        x.push_str("</event>");
    }
    x.push_str("</session_details><system_information>");
    for (cat, items) in &d.system_info {
        let _ = write!(x, "<category name=\"{}\">", escape(cat));
        for (k, v) in items {
            let _ = write!(
                x,
                "<field><description>{}</description><data>{}</data></field>",
                escape(k),
                escape(v)
            );
        }
        x.push_str("</category>");
    }
    x.push_str("</system_information>");
    x
}

/// `SupportCustExitSurvey` (`customer`) / `SupportRepExitSurvey` for `lsid`.
pub fn survey_xml(ns: &str, lsid: &str, detail: Option<&SessionDetail>, customer: bool) -> String {
    let mut x =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<exit_survey_list xmlns=\"{ns}\">");
    if let Some(d) = detail {
        let (items, by_type, by) = if customer {
            (&d.customer_survey, "customer", &d.customer)
        } else {
            (&d.rep_survey, "representative", &d.rep)
        };
        if !items.is_empty() {
            let _ = write!(x, "<exit_survey lsid=\"{}\"><submitted_by type=\"{by_type}\">{}</submitted_by><question_list>", escape(lsid), escape(by));
            for (i, q) in items.iter().enumerate() {
                let _ = write!(
                    x,
                    "<question id=\"{}\" type=\"text\"><label>{h}</label><name>q{}</name><report_header>{h}</report_header><answer_list><answer>{}</answer></answer_list></question>",
                    i + 1,
                    i + 1,
                    escape(&q.answer),
                    h = escape(&q.header)
                );
            }
            x.push_str("</question_list></exit_survey>");
        }
    }
    x.push_str("</exit_survey_list>\n");
    x
}

/// Form fields of outbound events, to the task that sends them.
type EventSender = tokio::sync::mpsc::UnboundedSender<Vec<(String, String)>>;

/// Session details by lsid, and the outbound event queue.
#[derive(Default)]
pub struct WritebackState {
    pub(crate) details: Mutex<HashMap<String, SessionDetail>>,
    pub(crate) outbound: Mutex<Option<EventSender>>,
    pub(crate) delivered: std::sync::atomic::AtomicU64,
    pub(crate) attempts: std::sync::atomic::AtomicU64,
}

/// An outbound event's form fields.
pub fn event_fields(event: &str, lsid: &str, external_key: Option<&str>) -> Vec<(String, String)> {
    let mut f = vec![
        ("event".to_owned(), event.to_owned()),
        ("version".to_owned(), "3".to_owned()),
        ("timestamp".to_owned(), unix_now().to_string()),
        ("appliance_id".to_owned(), "sandbox-appliance".to_owned()),
        ("lsid".to_owned(), lsid.to_owned()),
    ];
    if let Some(k) = external_key {
        f.push(("external_key".to_owned(), k.to_owned()));
    }
    f
}

impl WritebackState {
    /// Sends every queued event to `url` in order, each until it gets 200.
    pub(crate) fn set_recipient(self: &std::sync::Arc<Self>, url: String) {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<(String, String)>>();
        *self.outbound.lock().expect("outbound") = Some(tx);
        let me = self.clone();
        tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("http client");
            while let Some(fields) = rx.recv().await {
                let body = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(fields.iter())
                    .finish();
                let mut wait = Duration::from_millis(200);
                loop {
                    me.attempts
                        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let sent = http
                        .post(&url)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .body(body.clone())
                        .send()
                        .await;
                    if sent.is_ok_and(|r| r.status() == reqwest::StatusCode::OK) {
                        me.delivered
                            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        break;
                    }
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(10));
                }
            }
        });
    }

    /// Queues an event for the recipient; false when none is set.
    pub(crate) fn send(&self, fields: Vec<(String, String)>) -> bool {
        self.outbound
            .lock()
            .expect("outbound")
            .as_ref()
            .is_some_and(|tx| tx.send(fields).is_ok())
    }
}

/// A fresh lsid in the appliance's style.
pub fn new_lsid() -> String {
    random_hex(16)
}

impl crate::state::SandboxHandle {
    /// Sets how long the rep of demo session `lsid` was involved (what an
    /// Autotask time entry is made from): 0 s and more than a day are
    /// cases the write-back must handle. False when there is no such session.
    pub fn set_seconds_involved(&self, lsid: &str, seconds: i64) -> bool {
        self.0
            .writeback
            .details
            .lock()
            .expect("details")
            .get_mut(lsid)
            .map(|d| d.seconds_involved = seconds)
            .is_some()
    }
}
