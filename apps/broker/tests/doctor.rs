//! `bt-broker doctor` as an admin runs it: the real binary, configured by
//! environment variables, against the sandbox appliance and the ticketing
//! stand-ins on loopback, once healthy and once per fault. Each fault gives
//! its FAIL line and exit 1; the healthy setup gives only ok lines and exit
//! 0; a configuration the broker refuses is a FAIL line, not a crash. No
//! secret appears in anything the doctor prints, in any of these runs.

mod writeback_common;

use bt_sandbox::autotask_api::AutotaskConfig;
use bt_sandbox::faults::Api;
use bt_sandbox::zendesk_api::ZendeskConfig;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use writeback_common::{free_port, Hosts, TempDir, BIN, HOST_SECRET, TOKEN};

const WEBHOOK_SECRET: &str = "webhook-secret-0123456789";

/// The checks in the order the doctor runs them.
const ORDER: &[&str] = &[
    "configuration",
    "dns",
    "tcp",
    "tls",
    "oauth",
    "command-api",
    "reporting-api",
    "zendesk",
    "autotask",
    "webhook",
    "outbound-url",
    "outbound-events",
    "queue",
    "rep",
];

/// What one run printed.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The line of check `name` (`ok NAME: …` or `FAIL NAME: …`).
    fn line(&self, name: &str) -> Option<&str> {
        self.stdout.lines().find(|l| {
            l.strip_prefix("ok ")
                .or_else(|| l.strip_prefix("FAIL "))
                .is_some_and(|rest| rest.starts_with(&format!("{name}: ")))
        })
    }

    fn ok(&self, name: &str) -> &str {
        match self.line(name) {
            Some(l) if l.starts_with("ok ") => l,
            _ => panic!("expected `ok {name}:`\n{}", self.stdout),
        }
    }

    /// The FAIL line of `name`, checked for its shape: `what — what to do`.
    fn fail(&self, name: &str) -> &str {
        assert_eq!(self.code, 1, "a failure exits 1\n{}", self.stdout);
        match self.line(name) {
            Some(l) if l.starts_with("FAIL ") => {
                assert!(l.contains(" — "), "a FAIL line says what to do: {l}");
                l
            }
            _ => panic!("expected `FAIL {name}:`\n{}", self.stdout),
        }
    }

    fn names(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .map(|l| {
                let rest = l.strip_prefix("ok ").or_else(|| l.strip_prefix("FAIL "));
                let rest = rest.unwrap_or_else(|| panic!("every line is ok or FAIL: {l}"));
                rest.split(": ").next().unwrap()
            })
            .collect()
    }
}

/// A setup to run the doctor on: the sandbox appliance, the Zendesk
/// stand-in, a webhook receiver, a state directory, and the environment a
/// healthy broker would have.
struct World {
    hosts: Hosts,
    dir: TempDir,
    env: BTreeMap<String, String>,
    _webhook: tokio::task::JoinHandle<()>,
}

/// A webhook receiver: 200 to a POST (a delivery), 405 to anything else.
async fn webhook_receiver() -> (String, tokio::task::JoinHandle<()>) {
    let app = axum::Router::new().route("/hook", axum::routing::post(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, task)
}

impl World {
    async fn start() -> Self {
        let hosts = Hosts::start(true).await;
        let dir = TempDir::new("doctor");
        let (hook, task) = webhook_receiver().await;
        let z = ZendeskConfig::default();
        let a = AutotaskConfig::default();
        let autotask = hosts
            .autotask
            .as_ref()
            .expect("the Autotask stand-in")
            .url();
        let env = [
            ("BT_APPLIANCE_URL", hosts.sandbox.url()),
            ("BT_CLIENT_ID", hosts.sandbox.client_id().to_owned()),
            ("BT_CLIENT_SECRET", hosts.sandbox.client_secret().to_owned()),
            ("BT_HOST_SECRETS", format!("demo={HOST_SECRET}")),
            ("BT_OUTBOUND_TOKEN", TOKEN.to_owned()),
            ("BT_STATE", dir.sqlite()),
            ("BT_ZENDESK_URL", hosts.zendesk.url()),
            ("BT_ZENDESK_EMAIL", z.email),
            ("BT_ZENDESK_API_TOKEN", z.api_token),
            ("BT_AUTOTASK_URL", autotask),
            ("BT_AUTOTASK_USERNAME", a.username),
            ("BT_AUTOTASK_SECRET", a.secret),
            ("BT_AUTOTASK_INTEGRATION_CODE", a.integration_code),
            ("BT_WEBHOOK_URL", hook),
            ("BT_WEBHOOK_SECRET", WEBHOOK_SECRET.to_owned()),
            ("BT_CONNECT_TIMEOUT_MS", "2000".to_owned()),
            ("BT_REQUEST_TIMEOUT_MS", "5000".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        Self {
            hosts,
            dir,
            env,
            _webhook: task,
        }
    }

    fn set(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.insert(key.to_owned(), value.to_owned());
        self
    }

    /// Every secret this world's runs know: none may be printed.
    fn secrets(&self) -> Vec<String> {
        let keys = [
            "BT_CLIENT_SECRET",
            "BT_OUTBOUND_TOKEN",
            "BT_ZENDESK_API_TOKEN",
            "BT_WEBHOOK_SECRET",
            "BT_AUTOTASK_SECRET",
            "BT_AUTOTASK_INTEGRATION_CODE",
            "BT_AGILOFT_PASSWORD",
        ];
        let mut out: Vec<String> = keys
            .iter()
            .filter_map(|k| self.env.get(*k).cloned())
            .collect();
        out.extend([
            HOST_SECRET.to_owned(),
            TOKEN.to_owned(),
            self.hosts.sandbox.client_secret().to_owned(),
            ZendeskConfig::default().api_token,
            AutotaskConfig::default().secret,
            AutotaskConfig::default().integration_code,
            WEBHOOK_SECRET.to_owned(),
        ]);
        out
    }

    /// Runs `bt-broker doctor ARGS` with this environment (and nothing
    /// else of the caller's `BT_*`), in the state directory.
    async fn doctor(&self, args: &[&str]) -> Run {
        let mut cmd = tokio::process::Command::new(BIN);
        cmd.arg("doctor").args(args).current_dir(self.dir.path());
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("BT_") {
                cmd.env_remove(k);
            }
        }
        cmd.envs(&self.env);
        let out = tokio::time::timeout(Duration::from_secs(60), cmd.output())
            .await
            .expect("the doctor finishes")
            .expect("the doctor runs");
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        eprintln!(
            "$ bt-broker doctor {}\n{}{}",
            args.join(" "),
            run.stdout,
            run.stderr
        );
        assert!(
            !run.stderr.contains("panicked"),
            "the doctor never panics:\n{}",
            run.stderr
        );
        let printed = format!("{}{}", run.stdout, run.stderr);
        for secret in self.secrets() {
            assert!(
                !printed.contains(&secret),
                "a secret was printed ({} characters):\n{printed}",
                secret.len()
            );
        }
        run
    }

    /// Runs a broker with this configuration until the appliance's end of
    /// session event for `ticket` has been handled (its job `done`, or
    /// parked as `failed`), then stops it: the state store then holds one
    /// event.
    async fn deliver_one_event(&self, ticket: &str, failed: bool) {
        let env = self.env.clone();
        let mut config = bt_broker::Config::from_sources(|k| env.get(k).cloned(), None).unwrap();
        config.listen = "127.0.0.1:0".parse().unwrap();
        let broker = bt_broker::start(config).await.unwrap();
        let sb = self.hosts.sandbox.handle();
        sb.set_outbound_recipient(&format!(
            "{}/v1/outbound-events?outbound_event_token={TOKEN}",
            broker.url()
        ));
        sb.end_demo_session(Some(ticket), false)
            .expect("a recipient");
        let store = bt_broker::writeback::Store::open(&self.env["BT_STATE"])
            .await
            .unwrap();
        let handled = |c: &bt_broker::writeback::store::Counts| match failed {
            true => c.failed == 1,
            false => c.done == 1,
        };
        for _ in 0..600 {
            if handled(&store.counts().await.unwrap()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let counts = store.counts().await.unwrap();
        assert!(handled(&counts), "the job of ticket {ticket}: {counts:?}");
        broker.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_setup_passes_every_check_in_order() {
    let world = World::start().await;
    world.deliver_one_event("4711", false).await;
    assert!(!world.hosts.zendesk.handle().comments(4711).is_empty());
    let run = world.doctor(&["--rep", "alice@example.com"]).await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.names(),
        ORDER,
        "one line per check, in order:\n{}",
        run.stdout
    );
    assert!(!run.stdout.contains("FAIL"), "{}", run.stdout);
    assert!(run.ok("tls").contains("loopback"), "{}", run.stdout);
    assert!(run.ok("zendesk").contains("accepts the API token"));
    assert!(run.ok("autotask").contains("accepts the API user"));
    assert!(run
        .ok("outbound-url")
        .contains("/v1/outbound-events?outbound_event_token=<BT_OUTBOUND_TOKEN>"));
    assert!(run.ok("outbound-events").contains("arrived at"));
    assert!(run.ok("queue").contains("1 done, 0 failed"));
    assert!(run.ok("rep").contains("alice"));
    assert!(run.ok("rep").contains("maps to it"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configuration_the_broker_refuses_is_reported_not_a_crash() {
    let mut world = World::start().await;
    world.set("BT_HOST_SECRETS", "demo=short");
    let run = world.doctor(&[]).await;
    let line = run.fail("configuration");
    assert!(
        line.contains("BT_HOST_SECRETS") && line.contains("at least 16"),
        "{line}"
    );
    assert_eq!(
        run.stdout.lines().count(),
        1,
        "nothing is checked without a configuration"
    );

    world.set("BT_HOST_SECRETS", &format!("demo={HOST_SECRET}"));
    world.set("BT_WORKER_THREADS", "0");
    let run = world.doctor(&[]).await;
    assert!(
        run.fail("configuration").contains("BT_WORKER_THREADS"),
        "{}",
        run.stdout
    );

    world.env.remove("BT_WORKER_THREADS");
    let run = world
        .doctor(&["--config", "/nonexistent/bt-broker.toml"])
        .await;
    assert!(
        run.fail("configuration").contains("--config"),
        "{}",
        run.stdout
    );

    // The secret in a value the broker refuses is not echoed either.
    world.set("BT_STATE", "mysql://root:not-printed-password@db/bt");
    let run = world.doctor(&[]).await;
    let line = run.fail("configuration");
    assert!(
        line.contains("BT_STATE") && !line.contains("not-printed-password"),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_appliance_fails_tcp_and_nothing_after_it_is_asked() {
    let mut world = World::start().await;
    world.set(
        "BT_APPLIANCE_URL",
        &format!("http://127.0.0.1:{}", free_port()),
    );
    let run = world.doctor(&["--rep", "alice"]).await;
    run.ok("dns");
    let line = run.fail("tcp");
    assert!(
        line.contains("does not accept connections") && line.contains("firewall"),
        "{line}"
    );
    for skipped in ["tls", "oauth", "command-api", "reporting-api", "rep"] {
        assert!(
            run.line(skipped).is_none(),
            "{skipped} needs the appliance:\n{}",
            run.stdout
        );
    }
    run.ok("zendesk");

    world.set(
        "BT_APPLIANCE_URL",
        "https://appliance.bt-doctor-test.invalid",
    );
    let run = world.doctor(&[]).await;
    assert!(
        run.fail("dns").contains("appliance.bt-doctor-test.invalid"),
        "{}",
        run.stdout
    );
    assert!(run.line("tcp").is_none());
}

/// A TLS server on loopback with a self-signed certificate issued for
/// `appliance.example`, as a misconfigured appliance shows one. Counts the
/// handshakes it completed.
async fn self_signed_tls_server() -> (u16, Arc<std::sync::atomic::AtomicU64>) {
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let cert = CertificateDer::from_pem_file(format!("{dir}/doctor_tls_selfsigned.crt")).unwrap();
    let key = PrivateKeyDer::from_pem_file(format!("{dir}/doctor_tls_selfsigned_key.pem")).unwrap();
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![cert], key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let completed = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = completed.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (acceptor, counter) = (acceptor.clone(), counter.clone());
            tokio::spawn(async move {
                if acceptor.accept(stream).await.is_ok() {
                    counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            });
        }
    });
    (port, completed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_the_broker_does_not_trust_fails_tls() {
    let (port, completed) = self_signed_tls_server().await;
    let mut world = World::start().await;
    let url = format!("https://localhost:{port}");
    world.set("BT_APPLIANCE_URL", &url);
    let run = world.doctor(&[]).await;
    run.ok("tcp");
    let line = run.fail("tls");
    assert!(
        line.contains("not signed by an authority the broker trusts"),
        "{line}"
    );
    assert!(
        line.contains("/appliance > Security > Certificates"),
        "{line}"
    );
    assert!(run.line("oauth").is_none(), "{}", run.stdout);

    // The broker's own client refuses the same certificate.
    let config = bt_broker::Config::new(&url, "id", "secret-0123456789").unwrap();
    let client = bt_broker::appliance::ApplianceClient::new(
        &config,
        Arc::new(bt_broker::metrics::Metrics::new()),
    )
    .unwrap();
    assert!(
        client.token().await.is_err(),
        "the broker accepted a self-signed certificate"
    );
    assert_eq!(
        completed.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "no handshake completed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_client_secret_fails_oauth() {
    let mut world = World::start().await;
    world.set("BT_CLIENT_SECRET", "wrong-secret-0123456789");
    let run = world.doctor(&["--rep", "alice"]).await;
    let line = run.fail("oauth");
    assert!(
        line.contains("refused BT_CLIENT_ID / BT_CLIENT_SECRET"),
        "{line}"
    );
    assert!(
        line.contains("/login > Management > API Configuration"),
        "{line}"
    );
    assert!(run.line("command-api").is_none() && run.line("rep").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_without_command_api_access_fails_command_api() {
    let world = World::start().await;
    world
        .hosts
        .sandbox
        .handle()
        .set_api_allowed(Api::Command, false);
    let run = world.doctor(&[]).await;
    run.ok("oauth");
    let line = run.fail("command-api");
    assert!(
        line.contains("may not use the Command API") && line.contains("Command API full access"),
        "{line}"
    );
    run.ok("reporting-api");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_without_report_access_fails_reporting_api() {
    let world = World::start().await;
    world
        .hosts
        .sandbox
        .handle()
        .set_api_allowed(Api::Reporting, false);
    let run = world.doctor(&[]).await;
    run.ok("command-api");
    let line = run.fail("reporting-api");
    assert!(
        line.contains("Allow Access to Support Session Reports and Recordings"),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_or_logged_out_rep_fails_rep_with_the_appliance_s_words() {
    let world = World::start().await;
    let run = world.doctor(&["--rep", "nobody"]).await;
    let line = run.fail("rep");
    assert!(
        line.contains("'nobody'") && line.contains("The representative could not be found"),
        "{line}"
    );

    // bob exists and is logged out (the sandbox's seed).
    let run = world.doctor(&["--rep", "bob"]).await;
    let line = run.fail("rep");
    assert!(
        line.contains("Requested support representative is not available at this time"),
        "{line}"
    );
    assert!(
        line.contains("log in to the representative console as bob"),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_sink_credentials_fail_that_sink() {
    let mut world = World::start().await;
    world.set("BT_ZENDESK_API_TOKEN", "not-the-zendesk-token");
    let run = world.doctor(&[]).await;
    let line = run.fail("zendesk");
    assert!(
        line.contains("refused the broker's credentials (HTTP 401)"),
        "{line}"
    );
    assert!(line.contains("BT_ZENDESK_API_TOKEN"), "{line}");
    run.ok("autotask");
    run.ok("webhook");
    assert!(
        world.hosts.zendesk.handle().refused_auth() > 0,
        "the stand-in was asked"
    );
    assert_eq!(
        world.hosts.zendesk.handle().writes(),
        0,
        "the check writes nothing"
    );

    world.set("BT_ZENDESK_API_TOKEN", &ZendeskConfig::default().api_token);
    world.set("BT_AUTOTASK_SECRET", "not-the-autotask-secret");
    let run = world.doctor(&[]).await;
    run.ok("zendesk");
    let line = run.fail("autotask");
    assert!(
        line.contains("Autotask refused the broker's credentials (HTTP 401)"),
        "{line}"
    );
    assert!(line.contains("BT_AUTOTASK_SECRET"), "{line}");
    let autotask = world.hosts.autotask.as_ref().unwrap().handle();
    assert_eq!(autotask.writes(), 0, "the check writes nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_outbound_event_ever_received_fails_with_the_appliance_side_fix() {
    let world = World::start().await;
    // No broker has run here: there is no state store at all.
    let run = world.doctor(&[]).await;
    assert!(
        run.fail("outbound-events").contains("no state store"),
        "{}",
        run.stdout
    );
    assert!(
        !world.dir.path().join("state.db").exists(),
        "the doctor creates nothing"
    );

    // A broker ran, and the appliance never posted.
    let state = world.env["BT_STATE"].clone();
    drop(bt_broker::writeback::Store::open(&state).await.unwrap());
    let run = world.doctor(&[]).await;
    let line = run.fail("outbound-events");
    assert!(
        line.contains("no outbound event has ever reached this broker"),
        "{line}"
    );
    assert!(
        line.contains("/login > Management > Outbound Events"),
        "{line}"
    );
    run.ok("queue");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn record_sinks_that_refuse_the_sign_in_fail_that_sink() {
    use bt_sandbox::agiloft_api::AgiloftConfig;
    use bt_sandbox::salesforce_api::SalesforceConfig;
    let agiloft = bt_sandbox::agiloft_api::start(AgiloftConfig::default())
        .await
        .unwrap();
    let salesforce = bt_sandbox::salesforce_api::start(SalesforceConfig::default())
        .await
        .unwrap();
    let (a, sf) = (AgiloftConfig::default(), SalesforceConfig::default());
    let key = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../components/sandbox/keys/salesforce-connected-app.key"
    );
    let mut world = World::start().await;
    world
        .set("BT_AGILOFT_URL", &agiloft.url())
        .set("BT_AGILOFT_KB", &a.kb)
        .set("BT_AGILOFT_LOGIN", &a.login)
        .set("BT_AGILOFT_PASSWORD", "not-the-agiloft-password")
        .set("BT_SALESFORCE_LOGIN_URL", &salesforce.url())
        .set("BT_SALESFORCE_CLIENT_ID", &sf.client_id)
        .set("BT_SALESFORCE_USERNAME", "not-pre-authorized@example.com")
        .set("BT_SALESFORCE_PRIVATE_KEY", &format!("file:{key}"));
    let run = world.doctor(&[]).await;
    let line = run.fail("agiloft");
    assert!(
        line.contains("Agiloft refused the broker's sign-in"),
        "{line}"
    );
    assert!(line.contains("— check BT_AGILOFT_KB"), "{line}");
    let line = run.fail("salesforce");
    assert!(
        line.contains("Salesforce refused the broker's sign-in"),
        "{line}"
    );
    assert!(line.contains("— check BT_SALESFORCE_CLIENT_ID"), "{line}");

    world
        .set("BT_AGILOFT_PASSWORD", &a.password)
        .set("BT_SALESFORCE_USERNAME", &sf.usernames[0]);
    let run = world.doctor(&[]).await;
    assert!(run.ok("agiloft").contains("signs in"), "{}", run.stdout);
    assert!(run.ok("salesforce").contains("signs in"), "{}", run.stdout);
    assert!(
        !run.stdout.contains(&a.password),
        "the Agiloft password is a secret"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_job_fails_queue_with_its_reason() {
    let world = World::start().await;
    // Neither Zendesk nor Autotask has ticket 999999: the job is parked.
    world.deliver_one_event("999999", true).await;
    let run = world.doctor(&[]).await;
    run.ok("outbound-events");
    let line = run.fail("queue");
    assert!(
        line.contains("1 failed") && line.contains("ticket 999999"),
        "{line}"
    );
    assert!(
        line.contains("bt-broker writeback retry --failed"),
        "{line}"
    );
}
