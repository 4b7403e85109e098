//! `broker-bench`: throughput and p50/p99 latency of `POST /v1/session-keys`
//! through the broker vs the sandbox's `generate_session_key` called
//! directly, at 1, 64 and 512 concurrent clients; token requests counted;
//! the broker's peak RSS. Appends a dated markdown section to `--out`.
//!
//! Three processes, all on loopback: this one (the load generator), a
//! sandbox appliance child and a broker child (both this binary re-executed
//! in a hidden serve mode; the broker child runs exactly what `bt-broker`
//! runs — `Config::load` from the environment, then `bt_broker::start` — so
//! its peak RSS (`VmHWM`) is the broker's own).
//!
//! Run: `cargo run --profile release-native -p bt-broker --bin broker-bench -- --out BENCHMARKS.md`

use clap::Parser;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser, Debug)]
#[command(name = "broker-bench")]
struct Args {
    /// Markdown file to append the results to.
    #[arg(long, value_name = "FILE")]
    out: Option<std::path::PathBuf>,
    /// Requests per measured scenario (the 1-client scenarios use a tenth).
    #[arg(long, default_value_t = 20_000)]
    requests: usize,
    /// Upper bound on each scenario's duration, in seconds.
    #[arg(long, default_value_t = 20)]
    max_seconds: u64,
    #[arg(long, hide = true)]
    serve_sandbox: bool,
    #[arg(long, hide = true)]
    serve_broker: bool,
}

const HOST_SECRET: &str = "bench-host-secret-0123456789abcdef";

fn main() {
    let args = Args::parse();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    if args.serve_sandbox {
        rt.block_on(serve_sandbox());
    } else if args.serve_broker {
        rt.block_on(serve_broker());
    } else if let Err(e) = rt.block_on(bench(args)) {
        eprintln!("broker-bench: {e}");
        std::process::exit(1);
    }
}

/// Child mode: the sandbox appliance; prints its coordinates as one JSON line.
async fn serve_sandbox() {
    let sb = bt_broker::sandbox::start(bt_broker::sandbox::SandboxConfig::default()).await.expect("sandbox");
    println!("{}", json!({"url": sb.url(), "client_id": sb.client_id(), "client_secret": sb.client_secret()}));
    std::io::stdout().flush().ok();
    bt_broker::server::shutdown_signal().await;
}

/// Child mode: the broker, configured from the environment like `bt-broker`.
async fn serve_broker() {
    bt_broker::server::init_logging("info");
    let config = bt_broker::Config::load(None).expect("broker config");
    let broker = bt_broker::start(config).await.expect("broker");
    println!("{}", json!({"url": broker.url()}));
    std::io::stdout().flush().ok();
    bt_broker::server::shutdown_signal().await;
    broker.shutdown().await;
}

struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_child(flag: &str, env: &[(&str, String)]) -> Result<(ChildGuard, Value), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut cmd = Command::new(exe);
    cmd.arg(flag).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::inherit());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().map_err(|e| format!("cannot start {flag}: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let mut guard = ChildGuard(child);
    let mut lines = BufReader::new(stdout).lines();
    // Both children print their coordinates first (the broker's logs go to a sink).
    let first = loop {
        match lines.next() {
            Some(Ok(l)) if l.starts_with("{\"url\"") || l.starts_with("{\"client_id\"") => break l,
            Some(Ok(_)) => continue,
            _ => {
                let _ = guard.0.kill();
                return Err(format!("{flag}: the child exited before printing its address"));
            }
        }
    };
    // Drain the rest (request logs) so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    let v: Value = serde_json::from_str(&first).map_err(|e| format!("{flag}: {e}"))?;
    Ok((guard, v))
}

#[derive(Clone, Copy)]
enum Target {
    Sandbox,
    Broker,
}

struct Outcome {
    concurrency: usize,
    completed: usize,
    errors: usize,
    elapsed: Duration,
    p50_us: u64,
    p99_us: u64,
}

/// Waits for every client of a run and summarises their latencies (µs).
async fn collect(mut tasks: tokio::task::JoinSet<(Vec<u64>, usize)>, concurrency: usize, total: usize, started: Instant) -> Outcome {
    let (mut all, mut errors) = (Vec::with_capacity(total), 0);
    while let Some(r) = tasks.join_next().await {
        let (lat, e) = r.expect("worker");
        all.extend(lat);
        errors += e;
    }
    let elapsed = started.elapsed();
    all.sort_unstable();
    Outcome { concurrency, completed: all.len(), errors, elapsed, p50_us: percentile(&all, 0.50), p99_us: percentile(&all, 0.99) }
}

impl Outcome {
    fn rps(&self) -> f64 {
        self.completed as f64 / self.elapsed.as_secs_f64()
    }
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let idx = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[idx]
}

async fn one_request(http: &reqwest::Client, target: Target, url: &str, bearer: &str, i: usize) -> bool {
    let key = format!("BENCH-{i}");
    let resp = match target {
        Target::Sandbox => {
            http.post(url)
                .bearer_auth(bearer)
                .form(&[("action", "generate_session_key"), ("type", "support"), ("queue_id", "general"), ("session.custom.external_key", key.as_str())])
                .send()
                .await
        }
        Target::Broker => {
            http.post(url).bearer_auth(bearer).header("content-type", "application/json").body(json!({"external_key": key, "queue": "general"}).to_string()).send().await
        }
    };
    match resp {
        Ok(r) => {
            let ok = r.status().is_success();
            // Read the body so the connection is reused, and check the sandbox
            // really answered with a key (not an <error>).
            match r.bytes().await {
                Ok(b) => ok && b.windows(11).any(|w| w == b"short_key\":" || w == b"<short_key>"),
                Err(_) => false,
            }
        }
        Err(_) => false,
    }
}

async fn run_scenario(target: Target, url: &str, bearer: &str, concurrency: usize, total: usize, max: Duration) -> Outcome {
    let http = reqwest::Client::builder().pool_max_idle_per_host(concurrency.max(1)).timeout(Duration::from_secs(30)).build().expect("client");
    // Warm-up: open connections, fill caches.
    let warm = (concurrency * 2).max(50);
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (http, url, bearer, next) = (http.clone(), url.to_owned(), bearer.to_owned(), next.clone());
        tasks.spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < warm {
                one_request(&http, target, &url, &bearer, 0).await;
            }
        });
    }
    while tasks.join_next().await.is_some() {}

    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + max;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (http, url, bearer, next) = (http.clone(), url.to_owned(), bearer.to_owned(), next.clone());
        tasks.spawn(async move {
            let mut lat = Vec::with_capacity(total / concurrency + 1);
            let mut errors = 0;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total || Instant::now() >= deadline {
                    break;
                }
                let t0 = Instant::now();
                if one_request(&http, target, &url, &bearer, i).await {
                    lat.push(t0.elapsed().as_micros() as u64);
                } else {
                    errors += 1;
                }
            }
            (lat, errors)
        });
    }
    collect(tasks, concurrency, total, started).await
}

/// 64 clients sending at a fixed total rate well below capacity (open loop):
/// a request delayed by a slow previous answer is timed from its scheduled
/// send time, so slow answers cannot hide the requests queued behind them.
async fn run_paced(target: Target, url: &str, bearer: &str, concurrency: usize, rate: f64, total: usize) -> Outcome {
    let http = reqwest::Client::builder().pool_max_idle_per_host(concurrency).timeout(Duration::from_secs(30)).build().expect("client");
    for _ in 0..concurrency {
        one_request(&http, target, url, bearer, 0).await;
    }
    let started = Instant::now() + Duration::from_millis(20);
    let mut tasks = tokio::task::JoinSet::new();
    for k in 0..concurrency {
        let (http, url, bearer) = (http.clone(), url.to_owned(), bearer.to_owned());
        tasks.spawn(async move {
            let (mut lat, mut errors) = (Vec::new(), 0);
            let mut i = k;
            let mut prev_done = Instant::now();
            while i < total {
                let at = started + Duration::from_secs_f64(i as f64 / rate);
                tokio::time::sleep_until(at.into()).await;
                // Late because our previous answer came late: count from the
                // schedule (no coordinated omission). Late only because the
                // timer wheel ticks in milliseconds: count from the send.
                let origin = if prev_done > at { at } else { Instant::now() };
                if one_request(&http, target, &url, &bearer, i).await {
                    lat.push(origin.elapsed().as_micros() as u64);
                } else {
                    errors += 1;
                }
                prev_done = Instant::now();
                i += concurrency;
            }
            (lat, errors)
        });
    }
    collect(tasks, concurrency, total, started).await
}

/// CPU time (user + system) a process has used, assuming 100 clock ticks/s.
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split_once(':')).map(|(_, m)| m.trim().to_owned()))
        .unwrap_or_else(|| "unknown".into())
}

fn ms(us: u64) -> String {
    format!("{:.2}", us as f64 / 1000.0)
}

async fn bench(args: Args) -> Result<(), String> {
    let max = Duration::from_secs(args.max_seconds);
    eprintln!("starting the sandbox and the broker (child processes) ...");
    let (sandbox_child, sb) = spawn_child("--serve-sandbox", &[])?;
    let sandbox_pid = sandbox_child.0.id();
    let sb_url = sb["url"].as_str().ok_or("sandbox url")?.to_owned();
    let env = [
        ("BT_LISTEN", "127.0.0.1:0".to_owned()),
        ("BT_APPLIANCE_URL", sb_url.clone()),
        ("BT_CLIENT_ID", sb["client_id"].as_str().ok_or("client id")?.to_owned()),
        ("BT_CLIENT_SECRET", sb["client_secret"].as_str().ok_or("client secret")?.to_owned()),
        ("BT_HOST_SECRETS", format!("bench={HOST_SECRET}")),
        // One caller identity sends every request: lift the per-identity limit.
        ("BT_RATE_LIMIT", "1000000".to_owned()),
        ("BT_LOG", std::env::var("BT_LOG").unwrap_or_else(|_| "info".into())),
    ];
    let (broker_child, br) = spawn_child("--serve-broker", &env)?;
    let broker_pid = broker_child.0.id();
    let broker_url = br["url"].as_str().ok_or("broker url")?.to_owned();

    // The bench's own token for calling the sandbox directly (counted apart).
    let http = reqwest::Client::new();
    let tok: Value = http
        .post(format!("{sb_url}/oauth2/token"))
        .basic_auth(sb["client_id"].as_str().unwrap(), sb["client_secret"].as_str())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let appliance_token = tok["access_token"].as_str().ok_or("no sandbox token")?.to_owned();
    let now = bt_broker::auth::now_unix();
    // Valid for the whole run (the broker caps host tokens at 15 minutes).
    let host_token = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &json!({"iss": "bench", "aud": "bt-broker", "sub": "bench@example.com", "exp": now + 14 * 60, "iat": now}),
        &jsonwebtoken::EncodingKey::from_secret(HOST_SECRET.as_bytes()),
    )
    .map_err(|e| e.to_string())?;

    let mut rows = Vec::new();
    let mut cpu: Vec<(usize, f64, f64)> = Vec::new();
    let run_started = Instant::now();
    for concurrency in [1usize, 64, 512] {
        let total = if concurrency == 1 { (args.requests / 10).max(100) } else { args.requests };
        for (name, target, url, bearer) in [
            ("sandbox direct", Target::Sandbox, format!("{sb_url}/api/command"), appliance_token.as_str()),
            ("through broker", Target::Broker, format!("{broker_url}/v1/session-keys"), host_token.as_str()),
        ] {
            let pid = if matches!(target, Target::Broker) { broker_pid } else { sandbox_pid };
            let (b0, s0) = (cpu_time(pid).unwrap_or_default(), cpu_time(sandbox_pid).unwrap_or_default());
            let o = run_scenario(target, &url, bearer, concurrency, total, max).await;
            if matches!(target, Target::Broker) && o.completed > 0 {
                let per = |d: Duration| d.as_secs_f64() * 1e6 / o.completed as f64;
                cpu.push((concurrency, per(cpu_time(broker_pid).unwrap_or_default() - b0), per(cpu_time(sandbox_pid).unwrap_or_default() - s0)));
            } else if o.completed > 0 {
                cpu.push((concurrency, 0.0, (cpu_time(sandbox_pid).unwrap_or_default() - s0).as_secs_f64() * 1e6 / o.completed as f64));
            }
            eprintln!(
                "{name:>15} c={concurrency:<4} {:>6} ok {:>4} err {:>9.0} req/s  p50 {} ms  p99 {} ms",
                o.completed,
                o.errors,
                o.rps(),
                ms(o.p50_us),
                ms(o.p99_us)
            );
            rows.push((name, o));
        }
    }
    const PACED_RATE: f64 = 1000.0;
    let paced_total = (args.requests / 4).max(1000);
    let mut paced = Vec::new();
    for (name, target, url, bearer) in [
        ("sandbox direct", Target::Sandbox, format!("{sb_url}/api/command"), appliance_token.as_str()),
        ("through broker", Target::Broker, format!("{broker_url}/v1/session-keys"), host_token.as_str()),
    ] {
        let o = run_paced(target, &url, bearer, 64, PACED_RATE, paced_total).await;
        eprintln!("{name:>15} paced c=64 @{PACED_RATE} req/s: {} ok {} err p50 {} ms p99 {} ms", o.completed, o.errors, ms(o.p50_us), ms(o.p99_us));
        paced.push((name, o));
    }
    let run_time = run_started.elapsed();

    let metrics = http.get(format!("{broker_url}/metrics")).send().await.map_err(|e| e.to_string())?.text().await.map_err(|e| e.to_string())?;
    let broker_tokens: u64 = metrics
        .lines()
        .filter(|l| l.starts_with("bt_broker_token_refreshes_total{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum::<f64>() as u64;
    let stats: Value = http.get(format!("{sb_url}/__sandbox/stats")).send().await.map_err(|e| e.to_string())?.json().await.map_err(|e| e.to_string())?;
    let sandbox_token_requests = stats["token_requests"].as_u64().unwrap_or(0);
    let rss_kib = vm_hwm_kib(broker_pid).ok_or("cannot read the broker's VmHWM")?;
    drop(broker_child);
    drop(sandbox_child);

    // Budgets.
    let find = |name: &str, c: usize| rows.iter().find(|(n, o)| *n == name && o.concurrency == c).map(|(_, o)| o);
    let (d64, b64) = (find("sandbox direct", 64).unwrap(), find("through broker", 64).unwrap());
    let added_p99_us = b64.p99_us as i64 - d64.p99_us as i64;
    let best_broker_rps = rows.iter().filter(|(n, _)| *n == "through broker").map(|(_, o)| o.rps()).fold(0.0, f64::max);
    let errors: usize = rows.iter().chain(paced.iter()).map(|(_, o)| o.errors).sum();
    let paced_added_us = paced[1].1.p99_us as i64 - paced[0].1.p99_us as i64;
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };

    let date = time::OffsetDateTime::now_utc().format(time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC")).unwrap_or_default();
    let nproc = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mut md = String::new();
    md.push_str(&format!("\n## bt-broker — {date}\n\n"));
    md.push_str(&format!(
        "Machine: {nproc} CPUs, {}. Profile: release-native. Load generator, broker and sandbox are three processes on loopback sharing these CPUs; the broker logs one JSON line per request (BT_LOG={}). Run time {:.0} s.\n\n",
        cpu_model(),
        std::env::var("BT_LOG").unwrap_or_else(|_| "info".into()),
        run_time.as_secs_f64()
    ));
    md.push_str("`POST /v1/session-keys` through the broker vs `generate_session_key` on the sandbox directly (closed loop: each client sends its next request when the previous answer arrives):\n\n");
    md.push_str("| path | clients | requests | errors | req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (name, o) in &rows {
        md.push_str(&format!("| {name} | {} | {} | {} | {:.0} | {} | {} |\n", o.concurrency, o.completed, o.errors, o.rps(), ms(o.p50_us), ms(o.p99_us)));
    }
    md.push_str("\nCPU time per request (from /proc/PID/stat), closed loop:\n\n| clients | broker µs/req | sandbox µs/req (through broker) | sandbox µs/req (direct) |\n|---:|---:|---:|---:|\n");
    for c in [1usize, 64, 512] {
        let direct = cpu.iter().find(|(cc, b, _)| *cc == c && *b == 0.0).map_or(0.0, |x| x.2);
        if let Some((_, b, s)) = cpu.iter().find(|(cc, b, _)| *cc == c && *b > 0.0) {
            md.push_str(&format!("| {c} | {b:.0} | {s:.0} | {direct:.0} |\n"));
        }
    }
    md.push_str(&format!("\nPaced (open loop): 64 clients sending {PACED_RATE:.0} req/s in total, a request delayed by a slow previous answer is timed from its scheduled send time:\n\n| path | requests | errors | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|\n"));
    for (name, o) in &paced {
        md.push_str(&format!("| {name} | {} | {} | {} | {} |\n", o.completed, o.errors, ms(o.p50_us), ms(o.p99_us)));
    }
    md.push_str(&format!("\nAdded p99 when paced: {:+.2} ms (for information; the budget below is judged on the closed-loop 64-client run).\n", paced_added_us as f64 / 1000.0));
    md.push_str(&format!(
        "\n| budget | measured | |\n|---|---|---|\n| ≤1 ms p99 added over the sandbox at 64 clients | {:+.2} ms | {} |\n| ≥5,000 key requests/s through the broker | {:.0} req/s (best of 1/64/512 clients) | {} |\n| broker peak RSS ≤50 MB | {:.1} MB (VmHWM) | {} |\n| one appliance token request per run | {broker_tokens} by the broker ({sandbox_token_requests} at the sandbox, one of them the load generator's own for the direct runs) | {} |\n| no failed requests | {errors} | {} |\n",
        added_p99_us as f64 / 1000.0,
        verdict(added_p99_us <= 1000),
        best_broker_rps,
        verdict(best_broker_rps >= 5000.0),
        rss_kib as f64 / 1024.0,
        verdict(rss_kib <= 50 * 1024),
        verdict(broker_tokens == 1),
        verdict(errors == 0),
    ));
    if added_p99_us > 1000 {
        let at64 = |f: fn(&(usize, f64, f64)) -> f64, broker: bool| cpu.iter().find(|x| x.0 == 64 && (x.1 > 0.0) == broker).map_or(0.0, f);
        md.push_str(&format!(
            "\nWhy the 64-client latency budget is missed: a closed loop keeps every client busy, so on these shared CPUs latency ≈ clients ÷ throughput. Through the broker each key costs about {:.0} µs of broker CPU plus {:.0} µs in the sandbox (a new TCP connection per appliance call, as BeyondTrust asks) against {:.0} µs for the sandbox alone with a kept-alive connection, so the 64-client broker run saturates the 2 CPUs at a lower rate and queues. One request alone adds {:+.2} ms at p50 (1 client).\n",
            at64(|x| x.1, true),
            at64(|x| x.2, true),
            at64(|x| x.2, false),
            (find("through broker", 1).map_or(0, |o| o.p50_us) as f64 - find("sandbox direct", 1).map_or(0, |o| o.p50_us) as f64) / 1000.0,
        ));
    }
    print!("{md}");
    if let Some(out) = &args.out {
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(out).map_err(|e| format!("cannot open {}: {e}", out.display()))?;
        f.write_all(md.as_bytes()).map_err(|e| e.to_string())?;
        eprintln!("appended to {}", out.display());
    }
    Ok(())
}
