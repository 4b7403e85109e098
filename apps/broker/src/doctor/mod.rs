//! `bt-broker doctor [--rep USERNAME]`: checks, in order, what the broker
//! needs, with the server's own configuration loading, appliance client and
//! write-back sinks, and prints one line per check:
//! `ok NAME: detail` or `FAIL NAME: what is wrong — what to do`.
//!
//! 1. `configuration` ([`Config::load`], exactly as the server loads it);
//! 2. `dns`, `tcp`, `tls` to the appliance ([`network`]);
//! 3. `oauth`, `command-api`, `reporting-api` ([`appliance`]);
//! 4. each configured sink, the outbound-event recipient, the last event
//!    that arrived and the queue ([`writeback`]);
//! 5. with `--rep`, `rep` ([`appliance::rep`]).
//!
//! A check whose prerequisite failed is left out (no OAuth line when the
//! appliance cannot be reached). Exit 0 when every line is `ok`, 1 otherwise.
//! No line carries a secret: the checks never print one, and every line is
//! scrubbed of each secret the configuration holds before it is printed.
//! docs/doctor.md maps the vendor guides' troubleshooting cases to these lines.

mod appliance;
mod network;
mod writeback;

use bt_broker::config::Config;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// The variables whose values are secrets (BT_HOST_SECRETS holds `id=secret` pairs).
const SECRET_KEYS: &[&str] = &[
    "BT_CLIENT_SECRET",
    "BT_HOST_SECRETS",
    "BT_OUTBOUND_TOKEN",
    "BT_ZENDESK_API_TOKEN",
    "BT_AUTOTASK_SECRET",
    "BT_AUTOTASK_INTEGRATION_CODE",
    "BT_WEBHOOK_SECRET",
    "BT_SALESFORCE_PRIVATE_KEY",
    "BT_AGILOFT_PASSWORD",
    "BT_STATE",
];

/// Shorter values are not scrubbed: they would blank ordinary words. No
/// secret the broker accepts is this short except a client secret an
/// appliance never issues.
const MIN_SCRUBBED: usize = 6;

/// The lines printed so far, and every secret a line must never show.
pub struct Report {
    secrets: Vec<String>,
    failures: usize,
}

impl Report {
    fn new() -> Self {
        Self {
            secrets: Vec::new(),
            failures: 0,
        }
    }

    /// Remembers `value` (and, for `id=secret` lists and URLs with a
    /// password, each secret part) to scrub from every line.
    fn add_secret(&mut self, value: &str) {
        let value = value.trim();
        let mut parts = vec![value.to_owned()];
        for item in value.split(',') {
            if let Some((_, secret)) = item.split_once('=') {
                parts.push(secret.trim().to_owned());
            }
        }
        if let Ok(url) = url::Url::parse(value) {
            if let Some(p) = url.password() {
                parts.push(p.to_owned());
                if let Ok(decoded) = percent_encoding::percent_decode_str(p).decode_utf8() {
                    parts.push(decoded.into_owned());
                }
            }
        }
        for p in parts {
            if p.len() >= MIN_SCRUBBED && !self.secrets.contains(&p) {
                self.secrets.push(p);
            }
        }
        // Longest first, so a secret that contains another is blanked whole.
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    pub fn ok(&mut self, name: &str, detail: impl AsRef<str>) {
        self.print(format!("ok {name}: {}", detail.as_ref()));
    }

    pub fn fail(&mut self, name: &str, what: impl AsRef<str>, fix: impl AsRef<str>) {
        self.failures += 1;
        self.print(format!("FAIL {name}: {} — {}", what.as_ref(), fix.as_ref()));
    }

    /// `line` on one line, every known secret in it blanked.
    fn scrub(&self, line: &str) -> String {
        let mut line = line.replace(['\n', '\r'], " ");
        for s in &self.secrets {
            if line.contains(s.as_str()) {
                line = line.replace(s.as_str(), "[redacted]");
            }
        }
        line
    }

    fn print(&self, line: String) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", self.scrub(&line));
        let _ = out.flush();
    }
}

/// `bt-broker doctor`: runs every check and answers the exit status.
pub fn main(config_file: Option<&Path>, rep: Option<&str>) -> ExitCode {
    let mut report = Report::new();
    for secret in raw_secrets(config_file) {
        report.add_secret(&secret);
    }
    // The server refuses a bad BT_WORKER_THREADS before it reads anything
    // else; the doctor itself needs one thread only.
    let workers = bt_broker::server::runtime().map(drop);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            report.fail(
                "doctor",
                format!("cannot start: {e}"),
                "run it again; if it persists, check this machine's limits (ulimit -n)",
            );
            return ExitCode::from(1);
        }
    };
    runtime.block_on(run(&mut report, config_file, workers, rep));
    match report.failures {
        0 => ExitCode::SUCCESS,
        _ => ExitCode::from(1),
    }
}

async fn run(
    report: &mut Report,
    config_file: Option<&Path>,
    workers: Result<(), String>,
    rep: Option<&str>,
) {
    let Some(config) = configuration(report, config_file, workers) else {
        return;
    };
    let client = match network::check(report, &config).await {
        true => appliance::check(report, &config).await,
        false => None,
    };
    writeback::check(report, &config).await;
    if let (Some(rep), Some(client)) = (rep, client.as_ref()) {
        appliance::rep(report, &config, client, rep).await;
    }
}

/// Where the configuration comes from, for a fix line.
fn source(config_file: Option<&Path>) -> String {
    match config_file {
        Some(f) => format!("the environment or {}", f.display()),
        None => "the environment (for the service: /etc/bt-broker/bt-broker.env)".into(),
    }
}

/// The `configuration` check: the server's own loading, its error as the
/// failure (it names the variable and the rule).
fn configuration(
    report: &mut Report,
    config_file: Option<&Path>,
    workers: Result<(), String>,
) -> Option<Config> {
    let fix = |key: &str| {
        format!(
            "set {key} in {}, then run bt-broker doctor again",
            source(config_file)
        )
    };
    if let Err(e) = workers {
        report.fail("configuration", e, fix("BT_WORKER_THREADS"));
        return None;
    }
    let config = match Config::load(config_file) {
        Ok(c) => c,
        Err(e) if e.key == "--config" => {
            report.fail(
                "configuration",
                e.to_string(),
                "give --config a readable TOML file (KEY = \"value\" lines), or leave it out",
            );
            return None;
        }
        Err(e) => {
            report.fail("configuration", e.to_string(), fix(e.key));
            return None;
        }
    };
    for secret in config_secrets(&config) {
        report.add_secret(&secret);
    }
    let hosts: Vec<&str> = config.host_secrets.keys().map(String::as_str).collect();
    let mut callers = hosts.join(", ");
    if config.zendesk.is_some() {
        callers.push_str(if hosts.is_empty() { "" } else { ", " });
        callers.push_str("Zendesk signed URLs");
    }
    let mapping = match &config.rep_mapping {
        bt_broker::mapping::RepMapping::EmailLocalPart => "email-local-part".to_owned(),
        bt_broker::mapping::RepMapping::AsIs => "as-is".to_owned(),
        bt_broker::mapping::RepMapping::Table { path, entries } => {
            format!("file:{path} ({} entries)", entries.len())
        }
    };
    let wb = &config.writeback;
    let sinks: Vec<&str> = [
        wb.zendesk.as_ref().map(|_| "zendesk"),
        wb.autotask.as_ref().map(|_| "autotask"),
        wb.salesforce.as_ref().map(|_| "salesforce"),
        wb.agiloft.as_ref().map(|_| "agiloft"),
        wb.webhook.as_ref().map(|_| "webhook"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let writeback = match (wb.enabled(), sinks.is_empty()) {
        (false, _) => "off".to_owned(),
        (true, true) => "on, no sink".to_owned(),
        (true, false) => format!("to {}", sinks.join(", ")),
    };
    report.ok(
        "configuration",
        format!(
            "appliance {}, API account {}, callers: {callers}, reps by {mapping}, write-back {writeback}",
            config.appliance_url, config.client_id
        ),
    );
    Some(config)
}

/// Every secret the loaded configuration holds.
fn config_secrets(config: &Config) -> Vec<String> {
    let wb = &config.writeback;
    let mut out = vec![config.client_secret.expose().to_owned(), wb.state.clone()];
    out.extend(config.host_secrets.values().map(|s| s.expose().to_owned()));
    out.extend(wb.outbound_token.iter().map(|s| s.expose().to_owned()));
    if let Some(z) = &wb.zendesk {
        out.push(z.api_token.expose().to_owned());
    }
    if let Some(a) = &wb.autotask {
        out.push(a.secret.expose().to_owned());
        out.push(a.integration_code.expose().to_owned());
    }
    if let Some(s) = &wb.salesforce {
        out.push(s.private_key.expose().to_owned());
    }
    if let Some(a) = &wb.agiloft {
        out.push(a.password.expose().to_owned());
    }
    if let Some(w) = &wb.webhook {
        out.push(w.secret.expose().to_owned());
    }
    out
}

/// The secret variables as set, whether or not the configuration loads:
/// a refused configuration's message must not show one either.
fn raw_secrets(config_file: Option<&Path>) -> Vec<String> {
    let file: Option<toml::Table> = config_file
        .and_then(|f| std::fs::read_to_string(f).ok())
        .and_then(|t| t.parse().ok());
    let mut out = Vec::new();
    for key in SECRET_KEYS {
        if let Ok(v) = std::env::var(key) {
            out.push(v);
        }
        let short = key.trim_start_matches("BT_").to_ascii_lowercase();
        match file
            .as_ref()
            .and_then(|t| t.get(*key).or_else(|| t.get(&short)))
        {
            Some(toml::Value::String(s)) => out.push(s.clone()),
            Some(toml::Value::Table(t)) => {
                out.extend(t.values().filter_map(|v| v.as_str().map(str::to_owned)))
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_their_parts_are_scrubbed_longest_first() {
        let mut r = Report::new();
        r.add_secret("zendesk=host-secret-0123456789,halo=other-secret-abcdef");
        r.add_secret("postgres://bt:pa%24%24word-1@db:5432/bt");
        r.add_secret("abc");
        let line = |text: &str| r.scrub(text);
        assert_eq!(
            line("a host-secret-0123456789 b other-secret-abcdef"),
            "a [redacted] b [redacted]"
        );
        assert!(!line("pa$$word-1 and pa%24%24word-1").contains("word-1"));
        assert_eq!(line("abc"), "abc", "too short to scrub");
        assert_eq!(line("two\nlines"), "two lines");
    }
}
