//! writeback-bench: the session write-back of the real `bt-broker` binary
//! (`BT_BROKER_BIN`, else the one next to this binary) against the sandbox
//! appliance and the Zendesk stand-in, in this process.
//!
//! - ack latency: outbound events at 200/s (open loop, one connection per
//!   event as the appliance makes them) while every sink hangs;
//! - broker RSS with 10,000 jobs queued (sinks still hanging);
//! - sessions written per second end to end into the Zendesk stand-in, on
//!   SQLite and on PostgreSQL (a real server in a temp dir), and the
//!   appliance calls per session.
//!
//! Appends a dated markdown section to `--out` and exits non-zero when a
//! budget is missed. `cargo xtask bench writeback` runs it.

use bt_sandbox::host_api::HostFault;
use bt_sandbox::zendesk_api::ZendeskConfig;
use clap::Parser;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TOKEN: &str = "bench-outbound-token-0123456789";

#[derive(Parser)]
struct Args {
    /// Append the results to this markdown file.
    #[arg(long)]
    out: Option<std::path::PathBuf>,
    /// Events per second in the ack run.
    #[arg(long, default_value_t = 200)]
    rate: u64,
    /// Seconds of the ack run.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Jobs queued for the RSS figure.
    #[arg(long, default_value_t = 10_000)]
    queued: usize,
    /// Sessions in each throughput run.
    #[arg(long, default_value_t = 1000)]
    sessions: u64,
}

struct Broker(Child, String);

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn broker_binary() -> std::path::PathBuf {
    match std::env::var_os("BT_BROKER_BIN").filter(|v| !v.is_empty()) {
        Some(p) => p.into(),
        None => std::env::current_exe()
            .expect("exe")
            .with_file_name("bt-broker"),
    }
}

async fn start_broker(sb: &bt_sandbox::RunningSandbox, zendesk: &str, state: &str) -> Broker {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let z = ZendeskConfig::default();
    let log = std::env::temp_dir().join(format!("writeback-bench-{}.log", std::process::id()));
    let child = Command::new(broker_binary())
        .envs([
            ("BT_APPLIANCE_URL", sb.url()),
            ("BT_CLIENT_ID", sb.client_id().to_owned()),
            ("BT_CLIENT_SECRET", sb.client_secret().to_owned()),
            ("BT_HOST_SECRETS", "bench=bench-host-secret-0123456789".to_owned()),
            ("BT_LISTEN", format!("127.0.0.1:{port}")),
            ("BT_OUTBOUND_TOKEN", TOKEN.to_owned()),
            ("BT_STATE", state.to_owned()),
            ("BT_ZENDESK_URL", zendesk.to_owned()),
            ("BT_ZENDESK_EMAIL", z.email),
            ("BT_ZENDESK_API_TOKEN", z.api_token),
            ("BT_REQUEST_TIMEOUT_MS", "30000".to_owned()),
            ("BT_LOG", "warn".to_owned()),
        ])
        .stdout(Stdio::from(std::fs::File::create(&log).unwrap()))
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e} (build it: cargo build --profile release-native -p bt-broker)", broker_binary().display()));
    let b = Broker(child, format!("http://127.0.0.1:{port}"));
    for _ in 0..300 {
        if reqwest::get(format!("{}/healthz", b.1))
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return b;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("bt-broker did not come up; see {}", log.display());
}

fn body(lsid: &str, key: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("event", "support_conference_end"),
            ("version", "3"),
            ("timestamp", "1733240467"),
            ("lsid", lsid),
            ("external_key", key),
        ])
        .finish()
}

/// One event on a fresh connection; its latency.
async fn post(
    client: &reqwest::Client,
    broker: &str,
    lsid: &str,
    key: &str,
) -> Result<Duration, String> {
    let started = Instant::now();
    let r = client
        .post(format!(
            "{broker}/v1/outbound-events?outbound_event_token={TOKEN}"
        ))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Connection", "close")
        .body(body(lsid, key))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if r.status() != 200 {
        return Err(format!("HTTP {}", r.status()));
    }
    Ok(started.elapsed())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}

/// Sessions/s into the Zendesk stand-in and appliance calls per session.
async fn throughput(n: u64, state: &str) -> (f64, f64) {
    let sb = bt_sandbox::start(bt_sandbox::SandboxConfig::default())
        .await
        .unwrap();
    let zd = bt_sandbox::zendesk_api::start(ZendeskConfig::default())
        .await
        .unwrap();
    zd.handle().add_tickets(100_000..100_000 + n);
    let sessions: Vec<(String, String)> = (100_000..100_000 + n)
        .map(|t| {
            (
                sb.handle().add_demo_session(Some(&t.to_string())),
                t.to_string(),
            )
        })
        .collect();
    let broker = start_broker(&sb, &zd.url(), state).await;
    let calls_before = sb.handle().api_requests();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(16));
    let mut tasks = Vec::new();
    for (lsid, key) in sessions {
        let (c, url, permit) = (
            client.clone(),
            broker.1.clone(),
            sem.clone().acquire_owned().await.unwrap(),
        );
        tasks.push(tokio::spawn(async move {
            let r = post(&c, &url, &lsid, &key).await;
            drop(permit);
            r
        }));
    }
    for t in tasks {
        t.await.unwrap().expect("event acknowledged");
    }
    let handle = zd.handle();
    while (handle.all_comments().len() as u64) < n {
        if started.elapsed() > Duration::from_secs(600) {
            panic!(
                "only {} of {n} notes after 10 minutes",
                handle.all_comments().len()
            );
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    let calls = (sb.handle().api_requests() - calls_before) as f64 / n as f64;
    drop(broker);
    (rate, calls)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = Args::parse();
    let dir = std::env::temp_dir().join(format!("writeback-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = |name: &str| format!("sqlite:{}", dir.join(name).display());

    // 1 and 2: every sink (and the appliance) hangs.
    let sb = bt_sandbox::start(bt_sandbox::SandboxConfig::default())
        .await
        .unwrap();
    sb.handle().set_latency(Duration::from_secs(3600));
    let zd = bt_sandbox::zendesk_api::start(ZendeskConfig::default())
        .await
        .unwrap();
    zd.handle().set_fault(Some(HostFault::Hang), None);
    let broker = start_broker(&sb, &zd.url(), &sqlite("ack.db")).await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let total = args.rate * args.seconds;
    let gap = Duration::from_secs_f64(1.0 / args.rate as f64);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..total {
        let at = started + gap * i as u32;
        tokio::time::sleep_until(at.into()).await;
        let (c, url) = (client.clone(), broker.1.clone());
        tasks.push(tokio::spawn(async move {
            // Timed from the scheduled arrival, so a stall is not hidden.
            post(&c, &url, &format!("ack-{i}"), "4711")
                .await
                .map(|_| at.elapsed())
        }));
    }
    let mut lat = Vec::new();
    let mut errors = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(d) => lat.push(d),
            Err(_) => errors += 1,
        }
    }
    lat.sort();
    let (p50, p99, max) = (
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        *lat.last().unwrap(),
    );
    // Fill the queue to `queued` jobs.
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(32));
    let mut tasks = Vec::new();
    for i in total as usize..args.queued.max(total as usize) {
        let (c, url, permit) = (
            client.clone(),
            broker.1.clone(),
            sem.clone().acquire_owned().await.unwrap(),
        );
        tasks.push(tokio::spawn(async move {
            let r = post(&c, &url, &format!("ack-{i}"), "4711").await;
            drop(permit);
            r
        }));
    }
    for t in tasks {
        if t.await.unwrap().is_err() {
            errors += 1;
        }
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss = rss_mb(broker.0.id());
    drop(broker);
    drop(zd);
    drop(sb);

    // 3: throughput on SQLite and on PostgreSQL.
    let (sqlite_rate, sqlite_calls) = throughput(args.sessions, &sqlite("throughput.db")).await;
    let pg = bt_sandbox::postgres::TempPostgres::start();
    let (pg_rate, pg_calls) = throughput(args.sessions, &pg.url).await;
    drop(pg);
    let _ = std::fs::remove_dir_all(&dir);

    let ms = |d: Duration| format!("{:.2}", d.as_secs_f64() * 1e3);
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    let checks = [
        (format!("ack p99 ≤ 10 ms at {} events/s with every sink down", args.rate), format!("{} ms (p50 {} ms, max {} ms, {errors} errors)", ms(p99), ms(p50), ms(max)), p99 <= Duration::from_millis(10) && errors == 0),
        ("≥ 50 sessions/s written end to end, SQLite".to_owned(), format!("{sqlite_rate:.0} sessions/s"), sqlite_rate >= 50.0),
        ("≥ 50 sessions/s written end to end, PostgreSQL".to_owned(), format!("{pg_rate:.0} sessions/s"), pg_rate >= 50.0),
        ("one report call per session".to_owned(), format!("{sqlite_calls:.2} (SQLite), {pg_calls:.2} (PostgreSQL) appliance API calls per session"), sqlite_calls <= 1.0 && pg_calls <= 1.0),
        (format!("broker RSS ≤ 80 MB with {} jobs queued", args.queued.max(total as usize)), format!("{rss:.1} MB (VmRSS)"), rss > 0.0 && rss <= 80.0),
    ];
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mut md = format!("\n## Session write-back — {date} — {cores} cores\n\n`writeback-bench`: the release `bt-broker` binary; the sandbox appliance and the Zendesk stand-in in the load generator's process, all on loopback. Events are posted one connection each, as the appliance does; the ack run is open loop ({} events/s for {} s, each timed from its scheduled arrival) while the Zendesk stand-in and the appliance hang. Throughput: {} sessions with full reports, their end events posted 16 at a time, timed until the last note is in the stand-in.\n\n| budget | measured | |\n|---|---|---|\n", args.rate, args.seconds, args.sessions);
    let mut missed = false;
    for (budget, measured, ok) in &checks {
        md.push_str(&format!("| {budget} | {measured} | {} |\n", verdict(*ok)));
        missed |= !ok;
    }
    print!("{md}");
    if let Some(out) = &args.out {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(out)
            .expect("open --out");
        f.write_all(md.as_bytes()).expect("write --out");
        eprintln!("appended to {}", out.display());
    }
    if missed {
        eprintln!("writeback-bench: a budget was missed");
        std::process::exit(1);
    }
}
