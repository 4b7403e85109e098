//! `cargo xtask setup`: installs what the build and tests need, once.
//!
//! Each step checks first and prints nothing when its tool is already there,
//! so a second run is silent. Versions follow docs/toolchain.md: trunk 0.21.14
//! (0.22 needs a newer rustc), wasm-bindgen-cli equal to Cargo.lock's
//! wasm-bindgen, wasm-opt from npm binaryen 132 (Debian's 108 produces wasm
//! that fails at run time), Debian's Chromium and ChromeDriver, and Debian's PostgreSQL for the
//! write-back tests.

use crate::util::{cmd, is_root, output, root, run, tools_dir, Result};
use std::path::Path;
use std::process::Command;

pub const TRUNK_VERSION: &str = "0.21.14";
/// Used only when Cargo.lock has no wasm-bindgen yet; the workspace pins it.
const WASM_BINDGEN_FALLBACK: &str = "0.2.130";
const APT_PACKAGES: &[(&str, &str)] = &[
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    ("brotli", "/usr/bin/brotli"),
    // The write-back tests start a real PostgreSQL server (initdb, postgres)
    // from /usr/lib/postgresql/*/bin; the package puts no server in PATH.
    ("postgresql", "/usr/lib/postgresql"),
];

pub fn setup() -> Result {
    wasm_target()?;
    system_packages()?;
    cargo_tool("trunk", TRUNK_VERSION, &["--locked"])?;
    // No --locked: wasm-bindgen-cli's lockfile names a crate version the
    // registry here lacks (docs/toolchain.md).
    cargo_tool("wasm-bindgen-cli", &wasm_bindgen_version(), &[])?;
    npm_tools()?;
    Ok(())
}

fn wasm_target() -> Result {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    eprintln!("setup: installing the wasm32-unknown-unknown target");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The wasm-bindgen version in Cargo.lock; the CLI must match it exactly.
pub fn wasm_bindgen_version() -> String {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap_or_default();
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
            {
                return v.trim_end_matches('"').to_owned();
            }
        }
    }
    WASM_BINDGEN_FALLBACK.to_owned()
}

/// `cargo install CRATE --version V` unless the binary already reports V.
fn cargo_tool(krate: &str, version: &str, extra: &[&str]) -> Result {
    let (bin, bins) = match krate {
        "wasm-bindgen-cli" => (
            "wasm-bindgen",
            vec!["wasm-bindgen", "wasm-bindgen-test-runner"],
        ),
        other => (other, vec![other]),
    };
    let have = output(cmd(bin).arg("--version")).unwrap_or_default();
    let all_there = bins.iter().all(|b| {
        output(cmd(b).arg("--version")).is_some()
            || *b == "wasm-bindgen-test-runner" && has_binary(b)
    });
    if have.split_whitespace().nth(1) == Some(version) && all_there {
        return Ok(());
    }
    eprintln!("setup: installing {krate} {version} (takes a few minutes once)");
    let mut c = cmd(env!("CARGO"));
    c.args(["install", krate, "--version", version]).args(extra);
    run(&mut c)
}

fn has_binary(name: &str) -> bool {
    std::env::split_paths(&crate::util::tool_path()).any(|d| d.join(name).is_file())
}

fn system_packages() -> Result {
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .filter(|(_, path)| !Path::new(path).exists())
        .map(|(p, _)| *p)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !is_root() {
        return Err(format!(
            "setup needs Debian packages that are not installed: {list}.\n\
             Install them as root, then run this again:\n    sudo apt-get update && sudo apt-get install -y {list}",
            list = missing.join(" ")
        ));
    }
    eprintln!("setup: installing {} with apt-get", missing.join(", "));
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn npm_tools() -> Result {
    npm_ci(&tools_dir())
}

/// `npm ci` in `dir` unless node_modules was installed from this very lockfile.
pub fn npm_ci(dir: &Path) -> Result {
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules/.xtask-installed");
    let lock_text =
        std::fs::read_to_string(&lock).map_err(|e| format!("{}: {e}", lock.display()))?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(lock_text.as_str()) {
        return Ok(());
    }
    if output(Command::new("npm").arg("--version")).is_none() {
        return Err("setup needs Node.js and npm (Debian: apt-get install -y nodejs npm)".into());
    }
    eprintln!(
        "setup: installing npm packages in {}",
        dir.strip_prefix(root()).unwrap_or(dir).display()
    );
    run(cmd("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir))?;
    std::fs::write(&stamp, lock_text).map_err(|e| e.to_string())
}
