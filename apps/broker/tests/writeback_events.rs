//! The write-back end to end, in process: outbound events in, notes in the
//! Zendesk and Autotask stand-ins out (docs/writeback.md).

mod writeback_common;

use bt_sandbox::host_api::HostFault;
use std::time::{Duration, Instant};
use writeback_common::*;

const T: Duration = Duration::from_secs(20);

fn counted(metrics: &str, name: &str, outcome: &str) -> u64 {
    let prefix = format!("{name}{{outcome=\"{outcome}\"}} ");
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

async fn metrics(broker: &str) -> String {
    reqwest::get(format!("{broker}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_session_and_its_survey_become_two_internal_notes_with_user_text_escaped() {
    let hosts = Hosts::start(true).await;
    let dir = TempDir::new("notes");
    let broker = hosts.broker(&dir.sqlite(), |_| {}).await;
    let lsid = hosts.sandbox.handle().add_demo_session(Some("4711"));
    assert_eq!(
        post_event(&broker.url(), TOKEN, &end_event(&lsid, "4711")).await,
        200
    );
    assert_eq!(
        post_event(&broker.url(), TOKEN, &survey_event(&lsid, "4711")).await,
        200
    );
    let zd = hosts.zendesk.handle();
    wait_for("two Zendesk notes", T, || zd.comments(4711).len() == 2).await;
    let at = hosts.autotask.as_ref().unwrap().handle();
    wait_for("two Autotask notes", T, || at.notes(4711).len() == 2).await;

    let notes = zd.comments(4711);
    let session = notes
        .iter()
        .find(|c| c.html_body.contains(&format!("bt-session: {lsid}/session")))
        .expect("session note");
    let survey = notes
        .iter()
        .find(|c| {
            c.html_body
                .contains(&format!("bt-session: {lsid}/customer_survey"))
        })
        .expect("survey note");
    assert!(!session.public && !survey.public, "internal notes");
    // The customer's hostile chat text is there, escaped, never as markup.
    for c in [&session.html_body, &survey.html_body] {
        assert!(
            !c.contains("<script") && !c.contains("<img") && !c.contains("<b>thanks"),
            "{c}"
        );
    }
    assert!(
        session.html_body.contains("&lt;script&gt;alert("),
        "{}",
        session.html_body
    );
    assert!(
        session.html_body.contains("&lt;img src"),
        "{}",
        session.html_body
    );
    for needle in [
        "printer-fix.reg",
        "Reinstalled the printer driver",
        "PC-042",
        "Windows 11 Pro",
        "Alice",
        "ACME &lt;Corp&gt;",
    ] {
        assert!(
            session.html_body.contains(needle),
            "{needle} missing: {}",
            session.html_body
        );
    }
    assert!(
        survey.html_body.contains("Very satisfied")
            && survey
                .html_body
                .contains("Great help &lt;b&gt;thanks&lt;/b&gt;!"),
        "{}",
        survey.html_body
    );

    // Autotask: plain text, the user's words as written, note type / publish as configured.
    let at_notes = at.notes(4711);
    let text = at_notes
        .iter()
        .find(|n| n.description.contains("/session"))
        .unwrap();
    assert!(
        text.description
            .contains("<script>alert('pwned')</script> & won't print"),
        "{}",
        text.description
    );
    assert!(
        !text.description.contains("&lt;") && !text.description.contains("<li>"),
        "{}",
        text.description
    );
    assert_eq!((text.note_type, text.publish), (1, 0));
    assert!(text.title.contains(&lsid));

    let m = metrics(&broker.url()).await;
    assert_eq!(
        counted(&m, "bt_broker_writeback_events_total", "queued"),
        2,
        "{m}"
    );
    broker.shutdown().await;
}

#[tokio::test]
async fn wrong_token_bad_bodies_and_ignored_events_store_nothing() {
    let hosts = Hosts::start(false).await;
    let dir = TempDir::new("refuse");
    let broker = hosts.broker(&dir.sqlite(), |_| {}).await;
    let url = broker.url();
    let lsid = hosts.sandbox.handle().add_demo_session(Some("4711"));
    assert_eq!(
        post_event(&url, "wrong-token-0123456789", &end_event(&lsid, "4711")).await,
        401
    );
    assert_eq!(post_event(&url, "", &end_event(&lsid, "4711")).await, 401);
    let no_query = reqwest::Client::new()
        .post(format!("{url}/v1/outbound-events"))
        .body("event=support_conference_end")
        .send()
        .await
        .unwrap();
    assert_eq!(no_query.status().as_u16(), 401);
    let big = "x".repeat(20_000);
    let end = "support_conference_end";
    let cases: [(&[(&str, &str)], u16); 7] = [
        (&[("version", "3")], 400),
        (&[("event", end), ("pad", &big)], 413),
        // Acknowledged, counted, not acted on.
        (
            &[
                ("event", "support_conference_begin"),
                ("lsid", &lsid),
                ("external_key", "4711"),
            ],
            200,
        ),
        (&[("event", end), ("external_key", "4711")], 200),
        (&[("event", end), ("lsid", &lsid)], 200),
        (
            &[
                ("event", end),
                ("lsid", "bad/lsid"),
                ("external_key", "4711"),
            ],
            200,
        ),
        (
            &[("event", end), ("lsid", &lsid), ("external_key", "")],
            200,
        ),
    ];
    for (fields, status) in cases {
        assert_eq!(post_event(&url, TOKEN, fields).await, status, "{fields:?}");
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(hosts.zendesk.handle().comments(4711).is_empty());
    let m = metrics(&url).await;
    for (outcome, n) in [
        ("unauthorized", 3),
        ("invalid", 1),
        ("ignored_event", 1),
        ("ignored_no_lsid", 1),
        ("ignored_no_external_key", 2),
        ("ignored_bad_lsid", 1),
        ("queued", 0),
    ] {
        assert_eq!(
            counted(&m, "bt_broker_writeback_events_total", outcome),
            n,
            "{outcome}: {m}"
        );
    }
    broker.shutdown().await;
    let (code, out, err) = writeback_cli(&dir.sqlite(), &["status"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("write-back: 0 pending, 0 running, 0 done, 0 failed"),
        "{out}"
    );
}

#[tokio::test]
async fn the_same_event_twice_is_one_note() {
    let hosts = Hosts::start(false).await;
    let dir = TempDir::new("dup");
    let broker = hosts.broker(&dir.sqlite(), |_| {}).await;
    let lsid = hosts.sandbox.handle().add_demo_session(Some("4712"));
    for _ in 0..3 {
        assert_eq!(
            post_event(&broker.url(), TOKEN, &end_event(&lsid, "4712")).await,
            200
        );
    }
    let zd = hosts.zendesk.handle();
    wait_for("a note", T, || zd.comments(4712).len() == 1).await;
    assert_eq!(
        post_event(&broker.url(), TOKEN, &end_event(&lsid, "4712")).await,
        200
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(zd.comments(4712).len(), 1);
    assert_eq!(
        counted(
            &metrics(&broker.url()).await,
            "bt_broker_writeback_events_total",
            "duplicate"
        ),
        3
    );
    broker.shutdown().await;
}

#[tokio::test]
async fn events_are_acknowledged_at_once_while_every_sink_hangs() {
    let hosts = Hosts::start(true).await;
    hosts
        .zendesk
        .handle()
        .set_fault(Some(HostFault::Hang), None);
    hosts
        .autotask
        .as_ref()
        .unwrap()
        .handle()
        .set_fault(Some(HostFault::Hang), None);
    hosts.sandbox.handle().set_latency(Duration::from_secs(5));
    let dir = TempDir::new("hang");
    let broker = hosts.broker(&dir.sqlite(), |_| {}).await;
    let mut worst = Duration::ZERO;
    for i in 0..40 {
        let lsid = format!("hang-{i}");
        let started = Instant::now();
        assert_eq!(
            post_event(&broker.url(), TOKEN, &end_event(&lsid, "4711")).await,
            200
        );
        worst = worst.max(started.elapsed());
    }
    assert!(worst < Duration::from_millis(500), "slowest ack {worst:?}");
    broker.shutdown().await;
    let (_, out, _) = writeback_cli(&dir.sqlite(), &["status"]);
    let n: Vec<u64> = out
        .lines()
        .next()
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(
        (n[0] + n[1], n[2], n[3]),
        (40, 0, 0),
        "every event kept, none written: {out}"
    );
}

#[tokio::test]
async fn a_note_stored_whose_answer_was_lost_is_not_written_again() {
    let hosts = Hosts::start(true).await;
    let zd = hosts.zendesk.handle();
    let at = hosts.autotask.as_ref().unwrap().handle();
    zd.set_fault(Some(HostFault::StoreThenDrop), Some(1));
    at.set_fault(Some(HostFault::StoreThenDrop), Some(1));
    let dir = TempDir::new("drop");
    let broker = hosts.broker(&dir.sqlite(), |_| {}).await;
    let lsid = hosts.sandbox.handle().add_demo_session(Some("4711"));
    assert_eq!(
        post_event(&broker.url(), TOKEN, &end_event(&lsid, "4711")).await,
        200
    );
    wait_for("the job done", T, || {
        let (_, out, _) = writeback_cli(&dir.sqlite(), &["status"]);
        out.contains(" 1 done")
    })
    .await;
    assert_eq!(zd.comments(4711).len(), 1, "one Zendesk note");
    assert_eq!(at.notes(4711).len(), 1, "one Autotask note");
    assert!(zd.reads() >= 1, "the retry looked for the marker first");
    assert_eq!(zd.writes(), 1, "and wrote nothing more");
    broker.shutdown().await;
}

#[tokio::test]
async fn throttling_is_retried_after_retry_after_and_a_missing_ticket_is_parked() {
    let hosts = Hosts::start(false).await;
    let zd = hosts.zendesk.handle();
    zd.set_fault(
        Some(HostFault::Status {
            status: 429,
            retry_after: 2,
        }),
        Some(1),
    );
    let dir = TempDir::new("park");
    let broker = hosts.broker(&dir.sqlite(), |_| {}).await;
    let sb = hosts.sandbox.handle();
    let ok = sb.add_demo_session(Some("4711"));
    let missing = sb.add_demo_session(Some("999999"));
    let started = Instant::now();
    assert_eq!(
        post_event(&broker.url(), TOKEN, &end_event(&ok, "4711")).await,
        200
    );
    wait_for("the throttled note", T, || zd.comments(4711).len() == 1).await;
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "Retry-After honoured: {:?}",
        started.elapsed()
    );
    assert_eq!(
        post_event(&broker.url(), TOKEN, &end_event(&missing, "999999")).await,
        200
    );
    wait_for("the 404 parked", T, || {
        writeback_cli(&dir.sqlite(), &["status"])
            .1
            .contains("1 failed")
    })
    .await;
    let (code, out, _) = writeback_cli(&dir.sqlite(), &["status"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(&format!("failed {missing} session ticket 999999")),
        "{out}"
    );
    assert!(
        out.contains("zendesk: Zendesk has no ticket 999999 (HTTP 404)"),
        "{out}"
    );
    // The admin creates the ticket and queues the job again.
    zd.add_ticket(999999);
    let (code, out, err) = writeback_cli(&dir.sqlite(), &["retry", "--failed"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 failed job"), "{out}");
    wait_for("the retried note", T, || zd.comments(999999).len() == 1).await;
    let (code, _, err) = writeback_cli(&dir.sqlite(), &["retry", "no-such-lsid"]);
    assert_eq!(code, 1);
    assert!(err.contains("no job for session no-such-lsid"), "{err}");
    broker.shutdown().await;
}

#[tokio::test]
async fn a_report_the_appliance_cannot_produce_is_retried_then_parked_with_its_message() {
    let hosts = Hosts::start(false).await;
    let dir = TempDir::new("noreport");
    let broker = hosts.broker(&dir.sqlite(), |_| {}).await;
    // No such session on the appliance.
    assert_eq!(
        post_event(&broker.url(), TOKEN, &end_event("ghost-1", "4711")).await,
        200
    );
    wait_for("parked", Duration::from_secs(90), || {
        writeback_cli(&dir.sqlite(), &["status"])
            .1
            .contains("1 failed")
    })
    .await;
    let out = writeback_cli(&dir.sqlite(), &["status"]).1;
    assert!(
        out.contains(
            "the appliance could not produce the session report after 6 tries: no session ghost-1"
        ),
        "{out}"
    );
    assert!(hosts.zendesk.handle().comments(4711).is_empty());
    broker.shutdown().await;
}

#[tokio::test]
async fn the_sandbox_ends_a_demo_session_and_posts_its_events_like_an_appliance() {
    let hosts = Hosts::start(false).await;
    let dir = TempDir::new("demo");
    let broker = hosts.broker(&dir.sqlite(), |_| {}).await;
    let sb = hosts.sandbox.handle();
    sb.set_outbound_recipient(&format!(
        "{}/v1/outbound-events?outbound_event_token={TOKEN}",
        broker.url()
    ));
    let lsid = sb.end_demo_session(Some("4712"), true).unwrap();
    let zd = hosts.zendesk.handle();
    wait_for("session + 2 survey notes", T, || {
        zd.comments(4712).len() == 3
    })
    .await;
    assert_eq!(sb.outbound_delivered().0, 3);
    let page = reqwest::get(format!("{}/agent/tickets/4712", hosts.zendesk.url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("bt-session: {lsid}/rep_survey")) && page.contains("Internal note"),
        "{page}"
    );
    broker.shutdown().await;
}

#[tokio::test]
async fn polling_finds_a_session_no_event_announced() {
    let hosts = Hosts::start(false).await;
    let dir = TempDir::new("poll");
    let broker = hosts
        .broker(&dir.sqlite(), |c| {
            c.writeback.outbound_token = None;
            c.writeback.poll_every = Some(Duration::from_secs(1));
        })
        .await;
    let lsid = hosts.sandbox.handle().add_demo_session(Some("4711"));
    let zd = hosts.zendesk.handle();
    wait_for("the polled note", T, || {
        zd.comments(4711)
            .iter()
            .any(|c| c.html_body.contains(&lsid))
    })
    .await;
    // Without a token the endpoint does not exist.
    assert_eq!(
        post_event(&broker.url(), TOKEN, &end_event(&lsid, "4711")).await,
        404
    );
    broker.shutdown().await;
}

#[tokio::test]
async fn the_webhook_is_signed_and_names_its_delivery() {
    use axum::routing::post;
    let got = std::sync::Arc::new(std::sync::Mutex::new(
        Vec::<(String, String, Vec<u8>)>::new(),
    ));
    let g = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        post(move |h: axum::http::HeaderMap, body: axum::body::Bytes| {
            let g = g.clone();
            async move {
                let v = |n: &str| {
                    h.get(n)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned()
                };
                g.lock()
                    .unwrap()
                    .push((v("x-bt-signature"), v("x-bt-delivery"), body.to_vec()));
                "ok"
            }
        }),
    );
    let hook = bt_sandbox::host_api::serve("127.0.0.1:0".parse().unwrap(), app)
        .await
        .unwrap();
    let hosts = Hosts::start(false).await;
    let dir = TempDir::new("hook");
    let hook_url = format!("{}/hook", hook.url());
    let broker = hosts
        .broker(&dir.sqlite(), |c| {
            c.writeback.webhook = Some(webhook(&hook_url))
        })
        .await;
    let lsid = hosts.sandbox.handle().add_demo_session(Some("AGILOFT-7"));
    assert_eq!(
        post_event(&broker.url(), TOKEN, &end_event(&lsid, "AGILOFT-7")).await,
        200
    );
    wait_for("the delivery", T, || !got.lock().unwrap().is_empty()).await;
    let (sig, delivery, body) = got.lock().unwrap()[0].clone();
    assert_eq!(
        sig,
        bt_broker::writeback::sinks::webhook::signature("webhook-secret-0123456789", &body)
    );
    assert_eq!(delivery, format!("{lsid}:session"));
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["external_key"], "AGILOFT-7");
    assert_eq!(
        json["report"]["chat"][0]["body"],
        "Hi, my printer shows <script>alert('pwned')</script> & won't print"
    );
    // Zendesk cannot hold a non-numeric ticket, the webhook can: the job
    // goes to the webhook only, and is done, not parked for Zendesk.
    wait_for("the job done", T, || {
        writeback_cli(&dir.sqlite(), &["status"])
            .1
            .contains("1 done, 0 failed")
    })
    .await;
    assert!(hosts.zendesk.handle().comments(4711).is_empty());
    assert_eq!(hosts.zendesk.handle().writes(), 0, "Zendesk was not asked");
    broker.shutdown().await;
}
