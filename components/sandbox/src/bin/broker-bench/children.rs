//! The child processes: the sandbox (this binary re-executed) and the real
//! `bt-broker`, their logs in files, and what `/proc` says about them.

use serde_json::json;
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Child mode: the sandbox appliance; prints its coordinates as one JSON line.
pub async fn serve_sandbox() {
    let sb = bt_sandbox::start(bt_sandbox::SandboxConfig::default())
        .await
        .expect("sandbox");
    println!(
        "{}",
        json!({"url": sb.url(), "client_id": sb.client_id(), "client_secret": sb.client_secret()})
    );
    std::io::stdout().flush().ok();
    // The bench ends this child by killing it.
    std::future::pending::<()>().await;
}

/// The `bt-broker` binary to measure: `BT_BROKER_BIN`, else the one built
/// next to this binary (same target directory and profile).
pub fn broker_binary() -> Result<std::path::PathBuf, String> {
    let path = match std::env::var_os("BT_BROKER_BIN").filter(|v| !v.is_empty()) {
        Some(p) => std::path::PathBuf::from(p),
        None => std::env::current_exe()
            .map_err(|e| e.to_string())?
            .with_file_name("bt-broker"),
    };
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("no bt-broker binary at {}: build it with `cargo build --profile release-native -p bt-broker` or set BT_BROKER_BIN (`cargo xtask bench broker` does both)", path.display()))
    }
}

/// A loopback address nobody listens on right now, for the broker child:
/// `bt-broker` prints its address only in its logs, which `BT_LOG` may
/// silence, so the bench chooses it.
pub fn free_loopback_addr() -> Result<std::net::SocketAddr, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A child process and its stdout file; both go away on drop.
pub struct ChildGuard(pub Child, std::path::PathBuf);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        let _ = std::fs::remove_file(&self.1);
    }
}

/// Starts `exe args` with `env` added and its stdout going to a file (the
/// broker's JSON logs end up there, as with a file log driver: a pipe would
/// need a reader in this process, waking the load generator once per
/// request), and waits until `ready` finds what it needs in that output.
pub fn spawn_child<T>(
    name: &str,
    exe: &std::path::Path,
    args: &[&str],
    env: &[(&str, String)],
    mut ready: impl FnMut(&str) -> Option<T>,
) -> Result<(ChildGuard, T), String> {
    let log_path =
        std::env::temp_dir().join(format!("broker-bench-{}-{name}.log", std::process::id()));
    let log = std::fs::File::create(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let mut cmd = Command::new(exe);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(Stdio::inherit());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd
        .spawn()
        .map_err(|e| format!("cannot start the {name} ({}): {e}", exe.display()))?;
    let mut guard = ChildGuard(child, log_path.clone());
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        if let Some(found) = ready(&text) {
            return Ok((guard, found));
        }
        if Instant::now() > deadline || guard.0.try_wait().ok().flatten().is_some() {
            let _ = guard.0.kill();
            return Err(format!(
                "the {name} did not come up (see {})",
                log_path.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether something answers `GET url` with a success.
pub fn answers(url: &str) -> bool {
    use std::io::Read;
    let Some(addr) = url
        .strip_prefix("http://")
        .and_then(|r| r.split('/').next())
    else {
        return false;
    };
    let Ok(mut conn) = std::net::TcpStream::connect(addr) else {
        return false;
    };
    let path = url.splitn(4, '/').nth(3).unwrap_or("");
    let request = format!("GET /{path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let mut answer = String::new();
    conn.write_all(request.as_bytes()).is_ok()
        && conn.read_to_string(&mut answer).is_ok()
        && answer.starts_with("HTTP/1.1 200")
}

/// CPU time (user + system) a process has used, assuming 100 clock ticks/s.
pub fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

pub fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}
