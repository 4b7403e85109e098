//! The Salesforce sink against the Salesforce stand-in: the JWT bearer
//! sign-in (the stand-in verifies the assertion's signature against the
//! connected app's certificate and its claims), the upsert by lsid, and
//! what is parked with which reason.

mod writeback_common;

use bt_broker::config::Secret;
use bt_broker::writeback::sinks::salesforce::SalesforceSinkConfig;
use bt_sandbox::salesforce_api::{self, RunningSalesforce, SalesforceConfig, DEMO_CASE};
use std::time::Duration;
use writeback_common::*;

const T: Duration = Duration::from_secs(20);
/// A key the connected app's certificate does not belong to.
const OTHER_KEY: &str = include_str!("fixtures/other_test_private.pem");

async fn salesforce() -> RunningSalesforce {
    salesforce_api::start(SalesforceConfig::default())
        .await
        .unwrap()
}

/// Salesforce as the only sink, signing with `key`.
fn only_salesforce(sf: &RunningSalesforce, key: &str) -> impl FnOnce(&mut bt_broker::Config) {
    let config = SalesforceSinkConfig {
        login_url: sf.url(),
        client_id: SalesforceConfig::default().client_id,
        username: SalesforceConfig::default().usernames[0].clone(),
        private_key: Secret::new(key),
    };
    move |c| {
        c.writeback.zendesk = None;
        c.writeback.salesforce = Some(config);
    }
}

fn status(state: &str) -> String {
    writeback_cli(state, &["status"]).1
}

#[tokio::test]
async fn a_session_and_its_survey_fill_one_record_on_the_case_even_when_delivered_twice() {
    let hosts = Hosts::start(false).await;
    let sf = salesforce().await;
    let dir = TempDir::new("sf-record");
    let broker = hosts
        .broker(
            &dir.sqlite(),
            only_salesforce(&sf, salesforce_api::DEV_PRIVATE_KEY),
        )
        .await;
    let lsid = hosts.sandbox.handle().add_demo_session(Some(DEMO_CASE));
    let sfh = sf.handle();
    for _ in 0..2 {
        assert_eq!(
            post_event(&broker.url(), TOKEN, &end_event(&lsid, DEMO_CASE)).await,
            200
        );
    }
    wait_for("the session's record", T, || {
        sfh.records_for(&lsid)
            .iter()
            .any(|r| r.fields.contains_key("Session_Report__c"))
    })
    .await;
    assert_eq!(
        post_event(&broker.url(), TOKEN, &survey_event(&lsid, DEMO_CASE)).await,
        200
    );
    wait_for("the survey on the same record", T, || {
        sfh.records_for(&lsid)
            .iter()
            .any(|r| r.fields.contains_key("Customer_Survey__c"))
    })
    .await;
    wait_for("every job done", T, || {
        status(&dir.sqlite()).contains("0 pending")
    })
    .await;

    let records = sfh.records_for(&lsid);
    assert_eq!(
        records.len(),
        1,
        "one record per session, whatever was delivered: {records:?}"
    );
    let f = &records[0].fields;
    assert_eq!(f["Case__c"], DEMO_CASE);
    assert!(
        f["Session_Report__c"]
            .as_str()
            .unwrap()
            .contains("printer-fix.reg"),
        "{f:?}"
    );
    assert!(
        f["Customer_Survey__c"]
            .as_str()
            .unwrap()
            .contains("Very satisfied"),
        "{f:?}"
    );
    // The customer's hostile chat text is stored as the text it is.
    let transcript = f["Chat_Transcript__c"].as_str().unwrap();
    assert!(
        transcript.contains("<script>alert('pwned')</script> & won't print"),
        "{transcript}"
    );
    assert!(!transcript.contains("&lt;"), "{transcript}");
    for field in [
        "Start_Time__c",
        "End_Time__c",
        "Duration_Seconds__c",
        "Primary_Rep__c",
        "Primary_Customer__c",
        "Chat_URL__c",
    ] {
        assert!(f.contains_key(field), "{field} missing: {f:?}");
    }
    // One sign-in for all three writes.
    assert_eq!(sfh.token_requests(), 1);
    broker.shutdown().await;
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_once() {
    let hosts = Hosts::start(false).await;
    let sf = salesforce().await;
    let dir = TempDir::new("sf-refresh");
    let broker = hosts
        .broker(
            &dir.sqlite(),
            only_salesforce(&sf, salesforce_api::DEV_PRIVATE_KEY),
        )
        .await;
    let sb = hosts.sandbox.handle();
    let sfh = sf.handle();
    let first = sb.add_demo_session(Some(DEMO_CASE));
    assert_eq!(
        post_event(&broker.url(), TOKEN, &end_event(&first, DEMO_CASE)).await,
        200
    );
    wait_for("the first record", T, || sfh.records_for(&first).len() == 1).await;
    sfh.expire_tokens();
    let second = sb.add_demo_session(Some(DEMO_CASE));
    assert_eq!(
        post_event(&broker.url(), TOKEN, &end_event(&second, DEMO_CASE)).await,
        200
    );
    wait_for("the second record", T, || {
        sfh.records_for(&second).len() == 1
    })
    .await;
    assert_eq!(sfh.token_requests(), 2, "one sign-in, one refresh");
    assert_eq!(sfh.writes(), 3, "the refused upsert, then one more");
    broker.shutdown().await;
}

#[tokio::test]
async fn a_refused_assertion_several_matches_and_a_non_case_key_are_parked_with_their_reasons() {
    let hosts = Hosts::start(false).await;
    let sb = hosts.sandbox.handle();

    // Signed with a key the connected app does not know: Salesforce's words.
    let sf = salesforce().await;
    let dir = TempDir::new("sf-refused");
    let broker = hosts
        .broker(&dir.sqlite(), only_salesforce(&sf, OTHER_KEY))
        .await;
    let lsid = sb.add_demo_session(Some(DEMO_CASE));
    assert_eq!(
        post_event(&broker.url(), TOKEN, &end_event(&lsid, DEMO_CASE)).await,
        200
    );
    wait_for("the refused sign-in parked", T, || {
        status(&dir.sqlite()).contains("1 failed")
    })
    .await;
    let out = status(&dir.sqlite());
    assert!(
        out.contains("Salesforce refused the broker's sign-in (HTTP 400, invalid_grant: invalid assertion: the signature does not match"),
        "{out}"
    );
    assert!(sf.handle().records().is_empty());
    broker.shutdown().await;

    // Two records with one lsid (300), and a ticket id that is not a Case's.
    let sf = salesforce().await;
    let dir = TempDir::new("sf-park");
    let broker = hosts
        .broker(
            &dir.sqlite(),
            only_salesforce(&sf, salesforce_api::DEV_PRIVATE_KEY),
        )
        .await;
    let twice = sb.add_demo_session(Some(DEMO_CASE));
    sf.handle().duplicate(&twice);
    sf.handle().duplicate(&twice);
    let zendesk_key = sb.add_demo_session(Some("4711"));
    assert_eq!(
        post_event(&broker.url(), TOKEN, &end_event(&twice, DEMO_CASE)).await,
        200
    );
    assert_eq!(
        post_event(&broker.url(), TOKEN, &end_event(&zendesk_key, "4711")).await,
        200
    );
    wait_for("both parked", T, || {
        status(&dir.sqlite()).contains("2 failed")
    })
    .await;
    let out = status(&dir.sqlite());
    assert!(
        out.contains(&format!(
            "several BeyondTrust_Session__c records have LSID__c {twice}"
        )),
        "{out}"
    );
    assert!(
        out.contains("the session's external key '4711' is not a Salesforce Case id"),
        "{out}"
    );
    assert_eq!(sf.handle().records_for(&twice).len(), 2, "nothing added");
    assert!(sf.handle().records_for(&zendesk_key).is_empty());
    broker.shutdown().await;
}

#[test]
fn the_private_key_is_checked_at_start_and_never_printed() {
    let hosts_env = [
        ("BT_APPLIANCE_URL", "http://127.0.0.1:9"),
        ("BT_CLIENT_ID", "id"),
        ("BT_CLIENT_SECRET", "secret"),
        ("BT_HOST_SECRETS", "demo=host-secret-0123456789abcdef"),
        ("BT_OUTBOUND_TOKEN", TOKEN),
        ("BT_SALESFORCE_LOGIN_URL", "https://login.salesforce.com"),
        ("BT_SALESFORCE_CLIENT_ID", "3MVG9"),
        ("BT_SALESFORCE_USERNAME", "bt-broker@example.com"),
        (
            "BT_SALESFORCE_PRIVATE_KEY",
            "-----BEGIN PRIVATE KEY-----\\nnot-a-key-but-secret\\n-----END PRIVATE KEY-----",
        ),
    ];
    let dir = TempDir::new("sf-config");
    let out = std::process::Command::new(BIN)
        .env_clear()
        .envs(hosts_env)
        .env("BT_STATE", dir.sqlite())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("BT_SALESFORCE_PRIVATE_KEY: is not an RSA private key in PEM"),
        "{err}"
    );
    assert!(!err.contains("not-a-key-but-secret"), "{err}");
}

#[tokio::test]
async fn with_zendesk_and_salesforce_each_session_goes_where_its_key_fits() {
    let hosts = Hosts::start(false).await;
    let sf = salesforce().await;
    let dir = TempDir::new("sf-routes");
    let with_salesforce = only_salesforce(&sf, salesforce_api::DEV_PRIVATE_KEY);
    // Zendesk stays configured next to Salesforce.
    let zendesk = hosts.writeback(&dir.sqlite()).zendesk;
    let broker = hosts
        .broker(&dir.sqlite(), |c| {
            with_salesforce(c);
            c.writeback.zendesk = zendesk;
        })
        .await;
    let sb = hosts.sandbox.handle();
    let (case, ticket, neither) = (
        sb.add_demo_session(Some(DEMO_CASE)),
        sb.add_demo_session(Some("4711")),
        sb.add_demo_session(Some("INC-7")),
    );
    for (lsid, key) in [(&case, DEMO_CASE), (&ticket, "4711"), (&neither, "INC-7")] {
        assert_eq!(
            post_event(&broker.url(), TOKEN, &end_event(lsid, key)).await,
            200
        );
    }
    wait_for("two done, one parked", T, || {
        let out = status(&dir.sqlite());
        out.contains("2 done") && out.contains("1 failed")
    })
    .await;
    assert_eq!(
        sf.handle().records().len(),
        1,
        "only the Case's session is a record"
    );
    assert_eq!(sf.handle().records_for(&case).len(), 1);
    let zd = hosts.zendesk.handle();
    assert_eq!(
        zd.comments(4711).len(),
        1,
        "only the ticket's session is a note"
    );
    let out = status(&dir.sqlite());
    assert!(
        out.contains("zendesk: the session's external key 'INC-7' is not a Zendesk ticket id")
            && out.contains(
                "salesforce: the session's external key 'INC-7' is not a Salesforce Case id"
            ),
        "{out}"
    );
    broker.shutdown().await;
}
