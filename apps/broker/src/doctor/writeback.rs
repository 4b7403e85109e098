//! The write-back: each configured sink's credentials (an authenticated read
//! through the sink's own client, [`Sink::check`]), the URL the appliance
//! must post its events to, when the last one arrived, and the queue.

use super::Report;
use bt_broker::config::Config;
use bt_broker::writeback::sinks::SinkError;
use bt_broker::writeback::store::StateUrl;
use bt_broker::writeback::Store;

/// Where the appliance's HTTP recipient is set up.
const OUTBOUND_EVENTS: &str = "/login > Management > Outbound Events";

pub async fn check(report: &mut Report, config: &Config) {
    let wb = &config.writeback;
    let sinks =
        match bt_broker::writeback::build_sinks(wb, config.connect_timeout, config.request_timeout)
        {
            Ok(s) => s,
            Err(e) => {
                report.fail(
                    "write-back",
                    e,
                    "correct that variable, then run bt-broker doctor again",
                );
                Vec::new()
            }
        };
    for sink in sinks {
        let name = sink.name();
        match sink.check().await {
            Ok(detail) => report.ok(name, detail),
            Err(e) => match e.reason().split_once(": check ") {
                // The sink's own message already says what to check.
                Some((what, check)) => report.fail(name, what, format!("check {check}")),
                None => report.fail(name, e.reason(), fix(name, &e)),
            },
        }
    }
    if !wb.enabled() {
        report.ok(
            "write-back",
            "off (set BT_OUTBOUND_TOKEN to receive the appliance's events, or BT_POLL_SECONDS to poll)",
        );
        return;
    }
    match wb.outbound_token.is_some() {
        true => report.ok(
            "outbound-url",
            format!("in {OUTBOUND_EVENTS}, add an HTTP recipient https://BROKER/v1/outbound-events?outbound_event_token=<BT_OUTBOUND_TOKEN> (BROKER: this broker's public HTTPS name; <BT_OUTBOUND_TOKEN>: that variable's value) with the events Support Session End, Customer Exit Survey is Completed and Representative Survey is Completed, and Send Custom Fields ticked"),
        ),
        false => report.ok(
            "outbound-url",
            "not used (BT_OUTBOUND_TOKEN unset): sessions that ended are found by polling (BT_POLL_SECONDS)",
        ),
    }
    let Some(store) = open_store(report, config).await else {
        return;
    };
    last_event(report, config, &store).await;
    queue(report, &store).await;
}

/// What to do when sink `name`'s check failed with `e`.
fn fix(name: &str, e: &SinkError) -> String {
    let retry = matches!(e, SinkError::Retry { .. });
    match (name, retry) {
        ("zendesk", false) => "check BT_ZENDESK_EMAIL and BT_ZENDESK_API_TOKEN (Zendesk Admin Center > Apps and integrations > Zendesk API: token access on, the token active)".into(),
        ("zendesk", true) => "check BT_ZENDESK_URL (https://SUBDOMAIN.zendesk.com) and that this machine can reach it (firewall, proxy)".into(),
        ("autotask", false) => "check BT_AUTOTASK_USERNAME, BT_AUTOTASK_SECRET and BT_AUTOTASK_INTEGRATION_CODE (the API-only user's, with its tracking identifier)".into(),
        ("autotask", true) => "check BT_AUTOTASK_URL (your zone's …/ATServicesRest/V1.0) and that this machine can reach it (firewall, proxy)".into(),
        ("salesforce", _) => "check BT_SALESFORCE_LOGIN_URL and that this machine can reach it (firewall, proxy)".into(),
        ("agiloft", _) => "check BT_AGILOFT_URL and that this machine can reach it (firewall, proxy)".into(),
        ("webhook", _) => "check BT_WEBHOOK_URL and that the receiver is up and reachable from this machine".into(),
        (other, _) => format!("check the BT_{}_* variables", other.to_ascii_uppercase()),
    }
}

/// The state store, opened as the server opens it, except that a missing
/// SQLite file is reported rather than created.
async fn open_store(report: &mut Report, config: &Config) -> Option<Store> {
    let state = &config.writeback.state;
    let shown = bt_broker::writeback::config::redacted_state(state);
    if let Ok(StateUrl::Sqlite(path)) = StateUrl::parse(state) {
        if !std::path::Path::new(&path).exists() {
            let cwd = match std::path::Path::new(&path).is_relative() {
                true => std::env::current_dir()
                    .map(|d| format!(" (relative to {})", d.display()))
                    .unwrap_or_default(),
                false => String::new(),
            };
            let what = format!(
                "no state store at {path}{cwd}: the broker has not run here with the write-back on, so no event ever arrived"
            );
            match config.writeback.outbound_token.is_some() {
                true => report.fail(
                    "outbound-events",
                    what,
                    "start the broker (systemctl start bt-broker), run bt-broker doctor in its working directory (/var/lib/bt-broker for the service), or give BT_STATE an absolute path",
                ),
                false => report.ok("state", format!("{shown} does not exist yet; the broker creates it at start")),
            }
            return None;
        }
    }
    match Store::open(state).await {
        Ok(s) => Some(s),
        Err(e) => {
            report.fail(
                "state",
                e,
                format!("check BT_STATE ({shown}) and that this user may read and write it"),
            );
            None
        }
    }
}

/// `outbound-events`: when the appliance last reached the broker.
async fn last_event(report: &mut Report, config: &Config, store: &Store) {
    let token_set = config.writeback.outbound_token.is_some();
    match store.last_event_at().await {
        Ok(Some(ms)) => {
            let ago = (bt_broker::writeback::store::now_ms() - ms).max(0) / 60_000;
            let when = bt_broker::writeback::sinks::record::rfc3339(ms / 1000)
                .unwrap_or_else(|| format!("{ms} ms after 1970"));
            report.ok(
                "outbound-events",
                format!("the last event that queued a session arrived at {} ({ago} min ago)", when),
            );
        }
        Ok(None) if token_set => report.fail(
            "outbound-events",
            "no outbound event has ever reached this broker",
            format!("in {OUTBOUND_EVENTS}, add the HTTP recipient above (or correct its URL and token), tick Support Session End and Send Custom Fields, then end a session; the recipient's Status column shows the appliance's error"),
        ),
        Ok(None) => report.ok("outbound-events", "none (polling only)"),
        Err(e) => report.fail("outbound-events", e, "check BT_STATE and that this user may read it"),
    }
}

/// `queue`: pending and failed jobs.
async fn queue(report: &mut Report, store: &Store) {
    let counts = match store.counts().await {
        Ok(c) => c,
        Err(e) => {
            report.fail("queue", e, "check BT_STATE and that this user may read it");
            return;
        }
    };
    let summary = format!(
        "{} pending, {} running, {} done, {} failed",
        counts.pending, counts.running, counts.done, counts.failed
    );
    if counts.failed == 0 {
        report.ok("queue", summary);
        return;
    }
    let last = match store.failed().await {
        Ok(failed) => failed
            .last()
            .map(|f| {
                format!(
                    "; the last: session {} ticket {}: {}",
                    f.lsid, f.external_key, f.reason
                )
            })
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    report.fail(
        "queue",
        format!("{summary}{last}"),
        "see bt-broker writeback status, fix the cause, then bt-broker writeback retry --failed",
    );
}
