//! `cargo xtask test`: setup, then every test suite the project has.
//!
//! Suites are discovered, not listed by hand: native crates, wasm crates
//! marked `[package.metadata.xtask] wasm-tests = true` (run in headless
//! Chromium), the theme contrast check, the LWC jest project and the
//! end-to-end browser tests once they exist. Counts from each runner are
//! summed into one closing line.

use crate::util::{cmd, packages, root, step, Result};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    suites: Vec<String>,
}

impl Tally {
    /// Reads a runner's closing lines: cargo/wasm-bindgen-test
    /// (`test result: ok. N passed; M failed`), node --test (`# pass N`),
    /// jest (`Tests: N passed, M total`).
    fn scan(&mut self, line: &str) {
        let line = line.trim();
        let number_before = |word: &str| -> Option<u64> {
            let words: Vec<&str> = line
                .split(|c: char| c.is_whitespace() || c == ';' || c == ',')
                .filter(|w| !w.is_empty())
                .collect();
            words
                .windows(2)
                .find(|w| w[1] == word)
                .and_then(|w| w[0].parse().ok())
        };
        if line.starts_with("test result:") {
            self.passed += number_before("passed").unwrap_or(0);
            self.failed += number_before("failed").unwrap_or(0);
        } else if let Some(n) = line.strip_prefix("# pass ") {
            self.passed += n.trim().parse().unwrap_or(0);
        } else if let Some(n) = line.strip_prefix("# fail ") {
            self.failed += n.trim().parse().unwrap_or(0);
        } else if line.starts_with("Tests:") {
            self.passed += number_before("passed").unwrap_or(0);
            self.failed += number_before("failed").unwrap_or(0);
        }
    }

    /// Runs a suite, echoing its output while counting its results. Both
    /// streams are read: jest prints its summary on stderr.
    fn run(&mut self, name: &str, c: &mut Command) -> Result {
        step(name);
        c.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = c
            .spawn()
            .map_err(|e| format!("{name}: cannot start: {e}"))?;
        let stderr = child.stderr.take().expect("piped");
        let err_lines = std::thread::spawn(move || {
            BufReader::new(stderr)
                .lines()
                .map_while(std::result::Result::ok)
                .inspect(|line| eprintln!("{line}"))
                .filter(|line| line.trim_start().starts_with("Tests:"))
                .collect::<Vec<_>>()
        });
        let stdout = child.stdout.take().expect("piped");
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::result::Result::ok)
        {
            println!("{line}");
            self.scan(&line);
        }
        for line in err_lines.join().unwrap_or_default() {
            self.scan(&line);
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        self.suites.push(name.to_owned());
        if status.success() {
            Ok(())
        } else {
            Err(format!("test suite '{name}' failed ({status})"))
        }
    }
}

pub fn test() -> Result {
    crate::setup::setup()?;
    let pkgs = packages()?;
    let mut tally = Tally::default();

    let mut native = cmd(env!("CARGO"));
    native.args(["test", "--workspace"]);
    for p in pkgs.iter().filter(|p| p.wasm) {
        native.args(["--exclude", &p.name]);
    }
    tally.run("native tests (unit, property, integration)", &mut native)?;

    // The demo's broker: the same binary tests with the sandbox linked in
    // (`--sandbox`, dev routes), which the production build above lacks.
    tally.run(
        "bt-broker with the sandbox feature (demo mode)",
        cmd(env!("CARGO")).args([
            "test",
            "-p",
            "bt-broker",
            "--features",
            "sandbox",
            "--test",
            "binary",
        ]),
    )?;

    // The core crate must stay usable from the browser.
    step("bt-core builds for wasm32");
    crate::util::run(cmd(env!("CARGO")).args([
        "build",
        "--quiet",
        "-p",
        "bt-core",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;

    for p in pkgs.iter().filter(|p| p.wasm_tests) {
        let mut c = cmd(env!("CARGO"));
        c.args(["test", "-p", &p.name, "--target", "wasm32-unknown-unknown"])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
        tally.run(&format!("{} in headless Chromium", p.name), &mut c)?;
    }

    // Every text/background pair of every skin, light and dark, meets WCAG
    // AA, and the OS-dark copies of the dark palettes match the host-dark ones.
    tally.run(
        "theme contrast (WCAG AA) in every skin, light and dark",
        cmd("python3").arg(root().join("static/check_contrast.py")),
    )?;

    let lwc = root().join("salesforce-lwc-wrapper");
    if lwc.join("package.json").is_file() {
        crate::setup::npm_ci(&lwc)?;
        tally.run(
            "Salesforce LWC jest tests",
            cmd("npx")
                .args(["--no-install", "sfdx-lwc-jest", "--", "--ci"])
                .current_dir(&lwc),
        )?;
    }

    let e2e = root().join("tests/e2e");
    if e2e.is_dir()
        && std::fs::read_dir(&e2e)
            .map_err(|e| e.to_string())?
            .flatten()
            .any(|f| f.file_name().to_string_lossy().ends_with(".test.mjs"))
    {
        // The e2e tests drive the real release bundles, packages and broker.
        crate::build::build()?;
        crate::package::package()?;
        crate::demo::build_broker()?;
        let mut files: Vec<String> = std::fs::read_dir(&e2e)
            .map_err(|e| e.to_string())?
            .flatten()
            .map(|f| f.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".test.mjs"))
            .map(|n| format!("tests/e2e/{n}"))
            .collect();
        files.sort();
        tally.run(
            "end-to-end browser tests",
            cmd("node")
                .args(["--test", "--test-concurrency=1"])
                .args(&files)
                .env("BT_BROKER_BIN", crate::demo::broker_binary()),
        )?;
    }

    // What an admin installs: the bundle built from the production binaries,
    // installed for real (as root) and removed again.
    // The e2e suite above built and packaged the apps.
    crate::dist::from_built_apps()?;
    step("release bundle: checksums, contents, .deb install and removal");
    let (passed, failed) = crate::dist::verify();
    tally.passed += passed;
    tally.failed += failed.len() as u64;
    tally.suites.push("release bundle".into());
    if !failed.is_empty() {
        return Err(format!("release bundle: {}", failed.join("; ")));
    }

    eprintln!(
        "\nxtask test: {} suites green: {}",
        tally.suites.len(),
        tally.suites.join("; ")
    );
    println!("tests: {} passed, {} failed", tally.passed, tally.failed);
    if tally.failed > 0 {
        return Err(format!("{} tests failed", tally.failed));
    }
    Ok(())
}
