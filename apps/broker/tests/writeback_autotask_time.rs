//! Autotask time entries (`BT_AUTOTASK_TIME_ENTRIES`): one per session,
//! with the primary rep's hours, entered once even when the stand-in stores
//! the entry and drops the answer; sessions with no time or more than a day
//! are handled, never a crash; the stand-in refuses what Autotask refuses.

mod writeback_common;

use bt_sandbox::autotask_api::AutotaskConfig;
use bt_sandbox::host_api::HostFault;
use std::time::Duration;
use writeback_common::*;

const T: Duration = Duration::from_secs(20);
/// alice@example.com in the stand-in (the demo session's rep is `alice`).
const ALICE: i64 = 29_682_885;

fn done(state: &str, n: usize) -> bool {
    let (_, out, _) = writeback_cli(state, &["status"]);
    out.starts_with(&format!(
        "write-back: 0 pending, 0 running, {n} done, 0 failed"
    ))
}

#[tokio::test]
async fn a_session_is_one_time_entry_with_the_reps_hours_even_after_a_lost_answer() {
    let hosts = Hosts::start(true).await;
    let at = hosts.autotask.as_ref().unwrap().handle();
    // The note and the time entry are stored, then the connection dropped:
    // the broker cannot know, tries again and must find both.
    at.set_fault(Some(HostFault::StoreThenDrop), Some(2));
    let dir = TempDir::new("time");
    let broker = hosts.broker(&dir.sqlite(), with_time_entries).await;
    let lsid = hosts.sandbox.handle().add_demo_session(Some("4711"));
    for event in [
        end_event(&lsid, "4711"),
        end_event(&lsid, "4711"),
        survey_event(&lsid, "4711"),
    ] {
        assert_eq!(post_event(&broker.url(), TOKEN, &event).await, 200);
    }
    wait_for("the session and its survey done", T, || {
        done(&dir.sqlite(), 2)
    })
    .await;

    let entries = at.time_entries(4711);
    assert_eq!(entries.len(), 1, "one time entry: {entries:?}");
    let e = &entries[0];
    // 902 s involved = 0.25 h, for the primary rep's resource and the role.
    assert_eq!(
        (e.hours_worked, e.resource_id, e.role_id),
        (0.25, ALICE, 29683)
    );
    assert_eq!(e.summary_notes, "Remote support session");
    assert!(
        e.internal_notes.contains("Alice was involved 0.25 h"),
        "{}",
        e.internal_notes
    );
    assert!(
        e.internal_notes
            .ends_with(&format!("bt-session: {lsid}/time_entry")),
        "{}",
        e.internal_notes
    );
    let (start, end) = (e.start.as_deref().unwrap(), e.end.as_deref().unwrap());
    assert!(
        start.ends_with('Z') && end.ends_with('Z') && start < end,
        "{start} {end}"
    );
    assert!(e.date_worked.ends_with("T00:00:00Z") && start.starts_with(&e.date_worked[..10]));
    assert_eq!(
        at.notes(4711).len(),
        2,
        "the session note and the survey note"
    );
    assert!(
        at.reads() >= 2,
        "both retries looked for their marker first"
    );
    broker.shutdown().await;
}

#[tokio::test]
async fn no_time_is_skipped_and_more_than_a_day_is_entered_as_24_hours() {
    let hosts = Hosts::start(true).await;
    let at = hosts.autotask.as_ref().unwrap().handle();
    let sb = hosts.sandbox.handle();
    let dir = TempDir::new("time-range");
    let broker = hosts.broker(&dir.sqlite(), with_time_entries).await;
    let none = sb.add_demo_session(Some("4711"));
    assert!(sb.set_seconds_involved(&none, 0));
    let long = sb.add_demo_session(Some("4712"));
    assert!(sb.set_seconds_involved(&long, 30 * 3600));
    for (lsid, key) in [(&none, "4711"), (&long, "4712")] {
        assert_eq!(
            post_event(&broker.url(), TOKEN, &end_event(lsid, key)).await,
            200
        );
    }
    wait_for("both sessions done, none failed", T, || {
        done(&dir.sqlite(), 2)
    })
    .await;

    assert!(at.time_entries(4711).is_empty(), "0 s: no time entry");
    assert_eq!(at.notes(4711).len(), 1, "but the note");
    let entries = at.time_entries(4712);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].hours_worked, 24.0);
    assert!(
        entries[0]
            .internal_notes
            .contains("30.00 h; entered as 24 h"),
        "{}",
        entries[0].internal_notes
    );
    // The session's span does not fit one entry: no start and end given.
    assert_eq!(
        (entries[0].start.as_deref(), entries[0].end.as_deref()),
        (None, None)
    );
    broker.shutdown().await;
}

#[tokio::test]
async fn the_stand_in_refuses_time_entries_as_autotask_does() {
    let hosts = Hosts::start(true).await;
    let at = hosts.autotask.as_ref().unwrap();
    let a = AutotaskConfig::default();
    let http = reqwest::Client::new();
    let post = |body: serde_json::Value, secret: &str| {
        http.post(format!("{}/TimeEntries", at.url()))
            .header("ApiIntegrationCode", &a.integration_code)
            .header("UserName", &a.username)
            .header("Secret", secret)
            .json(&body)
            .send()
    };
    let entry = |hours: serde_json::Value| {
        serde_json::json!({
            "ticketID": 4711, "resourceID": ALICE, "roleID": 29683,
            "dateWorked": "2024-12-03T00:00:00Z", "hoursWorked": hours,
            "summaryNotes": "Remote support session",
        })
    };
    let r = post(entry(1.into()), "wrong").await.unwrap();
    assert_eq!(r.status(), 401);
    for (body, field) in [
        (entry(0.into()), "hoursWorked"),
        (entry((-1).into()), "hoursWorked"),
        (entry(24.5.into()), "hoursWorked"),
        (entry(serde_json::Value::Null), "hoursWorked"),
        (
            {
                let mut b = entry(1.into());
                b["summaryNotes"] = "".into();
                b
            },
            "summaryNotes",
        ),
        (
            {
                let mut b = entry(1.into());
                b.as_object_mut().unwrap().remove("roleID");
                b
            },
            "roleID",
        ),
        (
            {
                let mut b = entry(1.into());
                b["resourceID"] = 1.into();
                b
            },
            "resourceID",
        ),
        (
            {
                let mut b = entry(1.into());
                b["startDateTime"] = "2024-12-03T10:00:00+02:00".into();
                b
            },
            "startDateTime",
        ),
    ] {
        let r = post(body.clone(), &a.secret).await.unwrap();
        assert_eq!(r.status(), 500, "{body}");
        let v: serde_json::Value = r.json().await.unwrap();
        let message = v["errors"][0].as_str().unwrap_or_default();
        assert!(message.contains(field), "{body}: {v}");
    }
    assert!(at.handle().time_entries(4711).is_empty(), "nothing stored");
    let r = post(entry(24.into()), &a.secret).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.json::<serde_json::Value>().await.unwrap()["itemId"]
        .as_u64()
        .is_some());
    let mut other = entry(1.into());
    other["ticketID"] = 9999.into();
    assert_eq!(post(other, &a.secret).await.unwrap().status(), 404);
    assert_eq!(at.handle().time_entries(4711).len(), 1);
}
