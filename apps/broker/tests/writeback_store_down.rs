//! The store cannot commit → `POST /v1/outbound-events` answers 503 with
//! the broker's JSON error, and the event is NOT acknowledged: nothing is
//! queued, and the appliance's resend (it sends an event until it gets its
//! 200) is queued as new once the store is back, then written once.
//! SQLite: another writer on the file (a connection of the test, as a
//! second process would) holds the write lock past the busy timeout. PostgreSQL: the database turns read-only (as a failed-over
//! standby is), on a real server.

mod writeback_common;

use sqlx::Connection;
use std::time::Duration;
use writeback_common::*;

const T: Duration = Duration::from_secs(30);

/// POSTs an event; (status, JSON body).
async fn post_json(broker: &str, fields: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let r = reqwest::Client::new()
        .post(format!(
            "{broker}/v1/outbound-events?outbound_event_token={TOKEN}"
        ))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or_default())
}

fn store_failed(metrics: &str) -> u64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix("bt_broker_writeback_events_total{outcome=\"store_failed\"} "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// The refusal while the store is down, then the resend once it is back.
async fn refused_then_queued(
    hosts: &Hosts,
    broker: &bt_broker::RunningBroker,
    state: &str,
    lsid: &str,
    store_back: impl std::future::Future<Output = ()>,
) {
    let (status, body) = post_json(&broker.url(), &end_event(lsid, "4711")).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "internal", "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("cannot store the event"), "{body}");
    let metrics = reqwest::get(format!("{}/metrics", broker.url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(store_failed(&metrics), 1);

    store_back.await;
    let (_, out, err) = writeback_cli(state, &["status"]);
    assert!(
        out.starts_with("write-back: 0 pending, 0 running, 0 done, 0 failed"),
        "nothing was stored for the refused event: {out}{err}"
    );
    let (status, body) = post_json(&broker.url(), &end_event(lsid, "4711")).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("queued")),
        "{body}"
    );
    let zd = hosts.zendesk.handle();
    wait_for("the note", T, || zd.comments(4711).len() == 1).await;
    let (_, out, _) = writeback_cli(state, &["status"]);
    assert!(
        out.starts_with("write-back: 0 pending, 0 running, 1 done, 0 failed"),
        "{out}"
    );
    assert_eq!(zd.comments(4711).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_locked_by_another_writer_is_503_and_the_resend_is_queued() {
    let hosts = Hosts::start(false).await;
    let dir = TempDir::new("locked");
    let state = dir.sqlite();
    let broker = hosts.broker(&state, |_| {}).await;
    let lsid = hosts.sandbox.handle().add_demo_session(Some("4711"));
    // Another writer on the same file (a second broker, a backup tool)
    // holds the write lock for longer than the broker's busy timeout.
    let file = dir.path().join("state.db");
    let mut other = sqlx::SqliteConnection::connect(&format!("sqlite:{}", file.display()))
        .await
        .unwrap();
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut other)
        .await
        .unwrap();
    refused_then_queued(&hosts, &broker, &state, &lsid, async move {
        sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
        other.close().await.unwrap();
    })
    .await;
    broker.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_turned_read_only_is_503_and_the_resend_is_queued() {
    let pg = Postgres::start();
    let hosts = Hosts::start(false).await;
    let broker = hosts.broker(&pg.url, |_| {}).await;
    let lsid = hosts.sandbox.handle().add_demo_session(Some("4711"));
    let mut admin = sqlx::PgConnection::connect(&pg.url).await.unwrap();
    // New sessions are read-only; the broker's open ones are cut, so its
    // pool reconnects into read-only sessions.
    let read_only = |on: bool| match on {
        true => "ALTER DATABASE postgres SET default_transaction_read_only = on",
        false => "ALTER DATABASE postgres RESET default_transaction_read_only",
    };
    const CUT: &str = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'postgres' AND pid <> pg_backend_pid()";
    sqlx::query(read_only(true))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query(CUT).execute(&mut admin).await.unwrap();
    refused_then_queued(&hosts, &broker, &pg.url, &lsid, async move {
        sqlx::query(read_only(false))
            .execute(&mut admin)
            .await
            .unwrap();
        sqlx::query(CUT).execute(&mut admin).await.unwrap();
        admin.close().await.unwrap();
    })
    .await;
    broker.shutdown().await;
}
