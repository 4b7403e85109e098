//! The Agiloft sink against the Agiloft stand-in: sign-in, the session
//! record found again by its lsid (created once, then updated), the token
//! replaced when it expires, and a refused sign-in parked with Agiloft's
//! words.

mod writeback_common;

use bt_broker::config::Secret;
use bt_broker::writeback::sinks::agiloft::{AgiloftSinkConfig, RECORD_FIELDS};
use bt_sandbox::agiloft_api::{self, AgiloftConfig, RunningAgiloft};
use std::time::Duration;
use writeback_common::*;

const T: Duration = Duration::from_secs(20);
const TICKET: &str = "CASE-1042";

/// Agiloft as the only sink, signing in with `password`.
fn only_agiloft(ag: &RunningAgiloft, password: &str) -> impl FnOnce(&mut bt_broker::Config) {
    let d = AgiloftConfig::default();
    let config = AgiloftSinkConfig {
        url: ag.url(),
        kb: d.kb,
        login: d.login,
        password: Secret::new(password),
        table: d.table,
        fields: RECORD_FIELDS
            .iter()
            .map(|f| (f.to_string(), format!("bt_{f}")))
            .collect(),
    };
    move |c| {
        c.writeback.zendesk = None;
        c.writeback.agiloft = Some(config);
    }
}

fn status(state: &str) -> String {
    writeback_cli(state, &["status"]).1
}

#[tokio::test]
async fn the_session_record_is_created_once_then_updated_by_its_lsid() {
    let hosts = Hosts::start(false).await;
    let ag = agiloft_api::start(AgiloftConfig::default()).await.unwrap();
    let agh = ag.handle();
    let dir = TempDir::new("ag-record");
    let password = AgiloftConfig::default().password;
    let broker = hosts
        .broker(&dir.sqlite(), only_agiloft(&ag, &password))
        .await;
    let lsid = hosts.sandbox.handle().add_demo_session(Some(TICKET));
    for _ in 0..2 {
        assert_eq!(
            post_event(&broker.url(), TOKEN, &end_event(&lsid, TICKET)).await,
            200
        );
    }
    wait_for("the session record", T, || {
        !agh.records_where("bt_lsid", &lsid).is_empty()
    })
    .await;
    agh.expire_tokens();
    assert_eq!(
        post_event(&broker.url(), TOKEN, &survey_event(&lsid, TICKET)).await,
        200
    );
    wait_for("the survey on it", T, || {
        agh.records_where("bt_lsid", &lsid)
            .iter()
            .any(|(_, r)| r.contains_key("bt_customer_survey"))
    })
    .await;
    wait_for("every job done", T, || {
        status(&dir.sqlite()).contains("0 pending")
    })
    .await;

    let records = agh.records_where("bt_lsid", &lsid);
    assert_eq!(records.len(), 1, "{records:?}");
    let r = &records[0].1;
    assert_eq!(
        r["bt_ticket"], TICKET,
        "the ticket link field holds the external key"
    );
    assert!(r["bt_report"].contains("printer-fix.reg"), "{r:?}");
    assert!(r["bt_customer_survey"].contains("Very satisfied"), "{r:?}");
    // Hostile chat text is stored as text, as the customer wrote it.
    assert!(
        r["bt_transcript"].contains("<script>alert('pwned')</script> & won't print"),
        "{r:?}"
    );
    assert!(
        r["bt_duration"].split(':').count() == 4,
        "days:hours:minutes:seconds: {}",
        r["bt_duration"]
    );
    assert_eq!(agh.logins(), 2, "one sign-in, one after the token expired");
    broker.shutdown().await;
}

#[tokio::test]
async fn a_refused_sign_in_is_parked_with_agiloft_s_words() {
    let hosts = Hosts::start(false).await;
    let ag = agiloft_api::start(AgiloftConfig::default()).await.unwrap();
    let dir = TempDir::new("ag-refused");
    let broker = hosts
        .broker(&dir.sqlite(), only_agiloft(&ag, "not-the-password"))
        .await;
    let lsid = hosts.sandbox.handle().add_demo_session(Some(TICKET));
    assert_eq!(
        post_event(&broker.url(), TOKEN, &end_event(&lsid, TICKET)).await,
        200
    );
    wait_for("parked", T, || status(&dir.sqlite()).contains("1 failed")).await;
    let out = status(&dir.sqlite());
    assert!(
        out.contains(
            "Agiloft refused the broker's sign-in (HTTP 403, Invalid login/password combination)"
        ),
        "{out}"
    );
    assert!(!out.contains("not-the-password"), "{out}");
    assert!(ag.handle().records().is_empty());
    broker.shutdown().await;
}

#[tokio::test]
async fn a_session_and_its_survey_written_at_the_same_time_make_one_record() {
    let hosts = Hosts::start(false).await;
    // Agiloft's pause after each call makes the two jobs' calls overlap.
    let ag = agiloft_api::start(AgiloftConfig {
        ws_delay: Duration::from_millis(300),
        ..AgiloftConfig::default()
    })
    .await
    .unwrap();
    let agh = ag.handle();
    let dir = TempDir::new("ag-race");
    let password = AgiloftConfig::default().password;
    let broker = hosts
        .broker(&dir.sqlite(), only_agiloft(&ag, &password))
        .await;
    let sb = hosts.sandbox.handle();
    let lsid = sb.add_demo_session(Some(TICKET));
    let (url, end, survey) = (
        broker.url(),
        end_event(&lsid, TICKET),
        survey_event(&lsid, TICKET),
    );
    let (a, b) = tokio::join!(
        post_event(&url, TOKEN, &end),
        post_event(&url, TOKEN, &survey)
    );
    assert_eq!((a, b), (200, 200));
    wait_for("both jobs done", T, || {
        let out = status(&dir.sqlite());
        out.contains("0 pending") && out.contains("2 done")
    })
    .await;
    let records = agh.records_where("bt_lsid", &lsid);
    assert_eq!(records.len(), 1, "{records:?}");
    assert!(
        records[0].1.contains_key("bt_report") && records[0].1.contains_key("bt_customer_survey")
    );
    broker.shutdown().await;
}
