//! Several brokers sharing one queue: two broker instances on one real
//! PostgreSQL server (started for this test in a temp dir), 200 sessions,
//! every event delivered to both → each session written once; and a broker
//! killed (`kill -9`) while it holds a job: its claim expires and another
//! instance writes the note, once.

mod writeback_common;

use bt_sandbox::host_api::HostFault;
use std::time::Duration;
use writeback_common::*;

fn done(metrics: &str) -> u64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix("bt_broker_writeback_jobs_total{outcome=\"done\"} "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_brokers_on_one_postgresql_write_200_sessions_once_each() {
    const N: u64 = 200;
    let pg = Postgres::start();
    let hosts = Hosts::start(false).await;
    let zd = hosts.zendesk.handle();
    let sb = hosts.sandbox.handle();
    zd.add_tickets(6000..6000 + N);
    let a = hosts.broker(&pg.url, |_| {}).await;
    let b = hosts.broker(&pg.url, |_| {}).await;
    let sessions: Vec<(String, String)> = (6000..6000 + N)
        .map(|t| (sb.add_demo_session(Some(&t.to_string())), t.to_string()))
        .collect();
    for (i, (lsid, key)) in sessions.iter().enumerate() {
        let (first, second) = if i % 2 == 0 { (&a, &b) } else { (&b, &a) };
        assert_eq!(
            post_event(&first.url(), TOKEN, &end_event(lsid, key)).await,
            200
        );
        // The same event reaches the other instance too (an appliance with
        // two recipients, or a retry through the load balancer).
        assert_eq!(
            post_event(&second.url(), TOKEN, &end_event(lsid, key)).await,
            200
        );
    }
    wait_for("200 notes", Duration::from_secs(120), || {
        zd.all_comments().len() as u64 >= N
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    for ((lsid, _), t) in sessions.iter().zip(6000..) {
        let notes = zd.comments(t);
        assert_eq!(notes.len(), 1, "ticket {t}");
        assert!(notes[0].html_body.contains(lsid));
    }
    let (da, db) = (
        done(
            &reqwest::get(format!("{}/metrics", a.url()))
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        ),
        done(
            &reqwest::get(format!("{}/metrics", b.url()))
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        ),
    );
    assert_eq!(da + db, N, "each job ran once: {da} + {db}");
    assert!(
        da > 0 && db > 0,
        "both instances worked the queue: {da} + {db}"
    );
    let (code, out, err) = writeback_cli(&pg.url, &["status"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!(
            "write-back: 0 pending, 0 running, {N} done, 0 failed"
        )),
        "{out}"
    );
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_brokers_claim_expires_and_another_instance_writes_the_note_once() {
    const LEASE: &str = "6";
    let pg = Postgres::start();
    let hosts = Hosts::start(false).await;
    let zd = hosts.zendesk.handle();
    let dir = TempDir::new("pg-kill");
    let log = dir.path().join("killed.log");
    // Instance A claims the job and is inside the Zendesk write (its
    // delivery committed as attempting) when it is killed.
    zd.set_fault(Some(HostFault::Hang), None);
    let mut a = Broker::start(
        &hosts,
        &pg.url,
        &log,
        &[
            ("BT_WRITEBACK_LEASE_SECONDS", LEASE),
            ("BT_REQUEST_TIMEOUT_MS", "60000"),
        ],
    )
    .await;
    let lsid = hosts.sandbox.handle().add_demo_session(Some("4711"));
    assert_eq!(
        post_event(&a.1, TOKEN, &end_event(&lsid, "4711")).await,
        200
    );
    wait_for("A writing the note", Duration::from_secs(20), || {
        zd.writes() >= 1
    })
    .await;
    a.kill9();
    zd.set_fault(None, None);
    let (_, out, _) = writeback_cli(&pg.url, &["status"]);
    assert!(
        out.starts_with("write-back: 0 pending, 1 running, 0 done, 0 failed"),
        "the dead instance still holds its claim: {out}"
    );

    // Instance B: nothing releases A's claim but its lease running out.
    let b = hosts
        .broker(&pg.url, |c| {
            c.writeback.lease = Duration::from_secs(LEASE.parse().unwrap())
        })
        .await;
    wait_for("the note, written by B", Duration::from_secs(60), || {
        zd.comments(4711).len() == 1
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let notes = zd.comments(4711);
    assert_eq!(notes.len(), 1, "exactly one note");
    assert!(notes[0]
        .html_body
        .contains(&format!("bt-session: {lsid}/session")));
    assert!(
        zd.reads() >= 1,
        "B found A's delivery unfinished and looked for the marker first"
    );
    let metrics = reqwest::get(format!("{}/metrics", b.url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(done(&metrics), 1, "B ran the job");
    let (code, out, err) = writeback_cli(&pg.url, &["status"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("write-back: 0 pending, 0 running, 1 done, 0 failed"),
        "{out}"
    );
    b.shutdown().await;
}
