//! `kill -9` at any point: the real `bt-broker` binary, killed mid-flight
//! several times and restarted on the same SQLite file, writes every
//! session it acknowledged exactly once (while the Zendesk stand-in also
//! drops answers after storing notes).

mod writeback_common;

use bt_sandbox::host_api::HostFault;
use std::time::Duration;
use writeback_common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_flight_then_restart_writes_every_session_exactly_once() {
    const N: usize = 60;
    let hosts = Hosts::start(false).await;
    let zd = hosts.zendesk.handle();
    let sb = hosts.sandbox.handle();
    // Reports take a moment, so kills land while jobs are in flight.
    sb.set_latency(Duration::from_millis(40));
    let tickets: Vec<u64> = (5000..5000 + N as u64).collect();
    zd.add_tickets(tickets.iter().copied());
    let sessions: Vec<(String, String)> = tickets
        .iter()
        .map(|t| (sb.add_demo_session(Some(&t.to_string())), t.to_string()))
        .collect();
    let dir = TempDir::new("kill");
    let state = dir.sqlite();
    let log = dir.path().join("broker.log");
    let mut acked = [false; N];

    for round in 0..4 {
        let mut broker = Broker::start(&hosts, &state, &log, &[]).await;
        zd.set_fault(Some(HostFault::StoreThenDrop), Some(2));
        for i in (round * N / 4)..((round + 1) * N / 4) {
            let (lsid, key) = &sessions[i];
            acked[i] = post_event(&broker.1, TOKEN, &end_event(lsid, key)).await == 200;
        }
        tokio::time::sleep(Duration::from_millis(150 + 200 * round as u64)).await;
        broker.kill9();
    }
    assert!(acked.iter().any(|a| *a), "no event was acknowledged");

    // The appliance sends again whatever got no 200; the restarted broker
    // finishes the rest.
    let broker = Broker::start(&hosts, &state, &log, &[]).await;
    for (i, (lsid, key)) in sessions.iter().enumerate() {
        if !acked[i] {
            assert_eq!(
                post_event(&broker.1, TOKEN, &end_event(lsid, key)).await,
                200
            );
        }
    }
    wait_for(
        "every session in its ticket",
        Duration::from_secs(90),
        || tickets.iter().all(|t| !zd.comments(*t).is_empty()),
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    for ((lsid, _), t) in sessions.iter().zip(&tickets) {
        let notes = zd.comments(*t);
        assert_eq!(notes.len(), 1, "ticket {t}: {} notes", notes.len());
        assert!(notes[0]
            .html_body
            .contains(&format!("bt-session: {lsid}/session")));
    }
    let (code, out, err) = writeback_cli(&state, &["status"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!(
            "write-back: 0 pending, 0 running, {N} done, 0 failed"
        )),
        "{out}"
    );
    drop(broker);

    // One JSON line per job outcome; no transcript text, no secret.
    let log = std::fs::read_to_string(&log).unwrap();
    eprintln!(
        "kills left claimed jobs behind {} times; {} marker lookups",
        log.matches("are pending again").count(),
        zd.reads()
    );
    assert!(
        log.lines()
            .filter(|l| l.contains("\"write-back job\"") && l.contains("\"outcome\":\"done\""))
            .count()
            >= N,
        "{log}"
    );
    for secret in [
        "pwned",
        "Reinstalled the printer",
        "onerror",
        TOKEN,
        &bt_sandbox::zendesk_api::ZendeskConfig::default().api_token,
        hosts.sandbox.client_secret(),
    ] {
        assert!(!log.contains(secret), "the log holds {secret:?}");
    }
}
