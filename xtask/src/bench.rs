//! `cargo xtask bench [size|load|broker|writeback|all]`: measured figures, appended to
//! BENCHMARKS.md with the machine and date. Budgets are checked here and a
//! miss fails the command; they are never loosened to pass.

use crate::util::{cmd, output, root, run, step, Result};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// gzip budget per app (html + js + wasm + css), bytes.
const SIZE_BUDGETS: &[(&str, u64)] = &[
    ("zendesk-sidebar", 120 * 1024),
    ("salesforce-case", 120 * 1024),
    ("halo", 100 * 1024),
    ("help-center", 70 * 1024),
];

pub fn bench(what: &str) -> Result {
    match what {
        "size" => size(),
        "broker" => broker(),
        "load" => load(),
        "writeback" => writeback(),
        // Every benchmark runs; misses are reported together at the end.
        "all" => {
            let misses: Vec<String> = [size(), load(), broker(), writeback()]
                .into_iter()
                .filter_map(|r| r.err())
                .collect();
            if misses.is_empty() {
                Ok(())
            } else {
                Err(misses.join("\n"))
            }
        }
        other => Err(format!(
            "unknown benchmark '{other}': use size, load, broker, writeback or all"
        )),
    }
}

/// One markdown header line: date and machine.
pub fn machine_line() -> String {
    let date = output(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"])).unwrap_or_default();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    format!("{} — {cores} cores, {cpu}", date.trim())
}

pub fn append(section: &str) -> Result {
    use std::io::Write;
    let path = root().join("BENCHMARKS.md");
    let fresh = !path.exists();
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| e.to_string())?;
    if fresh {
        writeln!(
            f,
            "# Benchmarks\n\nAppended by `cargo xtask bench`; newest at the bottom.\n"
        )
        .map_err(|e| e.to_string())?;
    }
    writeln!(f, "{section}").map_err(|e| e.to_string())
}

fn compressed(path: &Path, tool: &str) -> Result<u64> {
    let out = Command::new(tool)
        .args(["-c", "-9"])
        .arg(path)
        .output()
        .map_err(|e| format!("{tool}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{tool} failed on {}", path.display()));
    }
    Ok(out.stdout.len() as u64)
}

fn size() -> Result {
    crate::build::build()?;
    step("bundle sizes");
    let mut table = format!("## Bundle sizes — {}\n\n| app | raw | gzip -9 | brotli -9 | gzip budget | |\n|---|---:|---:|---:|---:|---|\n", machine_line());
    let mut over = Vec::new();
    for (app, budget) in SIZE_BUDGETS {
        let dir = root().join("target/dist").join(app);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .flatten()
            .map(|e| e.path())
            .collect();
        files.retain(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("html" | "js" | "wasm" | "css")
            )
        });
        let (mut raw, mut gz, mut br) = (0, 0, 0);
        for f in &files {
            raw += f.metadata().map_err(|e| e.to_string())?.len();
            gz += compressed(f, "gzip")?;
            br += compressed(f, "brotli")?;
        }
        let ok = gz <= *budget;
        if !ok {
            over.push(format!(
                "{app}: {:.1} KB gzip > {} KB",
                gz as f64 / 1024.0,
                budget / 1024
            ));
        }
        let kb = |b: u64| format!("{:.1} KB", b as f64 / 1024.0);
        let _ = writeln!(
            table,
            "| {app} | {} | {} | {} | {} | {} |",
            kb(raw),
            kb(gz),
            kb(br),
            kb(*budget),
            if ok { "ok" } else { "OVER" }
        );
    }
    print!("{table}");
    append(&table)?;
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!("over budget: {}", over.join("; ")))
    }
}

/// broker-bench (in `bt-sandbox`) against the production `bt-broker`
/// binary: release-native, without the `sandbox` feature.
fn broker() -> Result {
    step("broker benchmark (release-native build)");
    sandbox_bench("broker-bench")
}

/// writeback-bench (in `bt-sandbox`): the session write-back of the
/// production `bt-broker` binary, on SQLite and on a real PostgreSQL.
fn writeback() -> Result {
    step("write-back benchmark (release-native build)");
    sandbox_bench("writeback-bench")
}

/// Runs `bin` of `bt-sandbox` (release-native) against the production
/// `bt-broker`, appending its figures to BENCHMARKS.md.
fn sandbox_bench(bin: &str) -> Result {
    let broker = crate::demo::build_production_broker(&[])?;
    run(cmd(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "--profile",
            "release-native",
            "-p",
            "bt-sandbox",
            "--bin",
            bin,
            "--",
            "--out",
        ])
        .arg(root().join("BENCHMARKS.md"))
        .env("BT_BROKER_BIN", broker))
}

/// Time to `bt-ready` of each demo against a plain-JS page of the same layout.
fn load() -> Result {
    crate::build::build()?;
    crate::package::package()?;
    crate::demo::build_broker()?;
    step("load benchmark (20 cold loads per page)");
    let out = cmd("node")
        .arg("tests/bench/load.mjs")
        .env("BT_BROKER_BIN", crate::demo::broker_binary())
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "load benchmark failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let table = String::from_utf8_lossy(&out.stdout);
    print!("{table}");
    append(&format!(
        "## Time to bt-ready — {}\n\n{table}",
        machine_line()
    ))
}
