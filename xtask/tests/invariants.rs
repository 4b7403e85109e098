//! The invariants ARCHITECTURE.md states, checked against the tree as git
//! tracks it. Each test is one statement of that page; when a test here
//! fails, either the change broke the architecture or the page must change
//! with it (and say why).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root")
        .to_path_buf()
}

/// Files git tracks, plus new ones it does not ignore (so a check also sees
/// the change under way, not only what is committed).
fn tracked_files() -> Vec<PathBuf> {
    let out = Command::new("git")
        .args(["ls-files", "--cached", "--others", "--exclude-standard"])
        .current_dir(root())
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git ls-files failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| root().join(l))
        .filter(|p| p.is_file())
        .collect()
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned()
}

fn rust_sources_under(dirs: &[&str]) -> Vec<PathBuf> {
    tracked_files()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| {
            let r = rel(p);
            dirs.iter().any(|d| r.starts_with(d))
        })
        .collect()
}

/// Lines that are code, not comments: `//`, `///` and `//!` lines are left
/// out, because prose may name what code must not.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .map(|(i, l)| (i + 1, l))
}

/// `cargo tree` of one package's normal dependencies, names only.
fn dependency_names(package: &str, extra: &[&str]) -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree", "--quiet", "-p", package, "-e", "normal", "--prefix", "none", "--format", "{p}",
        ])
        .args(extra)
        .current_dir(root())
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree -p {package} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn no_file_sends_a_reader_outside_the_repository() {
    // Spelled in pieces so this file does not name them itself.
    let outside = [
        format!("../{}", "shared"),
        format!("{}.md", "CONTRACTS"),
        format!("{}.md", "APPLIANCE-API"),
        format!("{}.md", "HOST-APIS"),
        format!("{}.md", "TOOLCHAIN"),
    ];
    let mut found = Vec::new();
    for file in tracked_files() {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue; // binary files (screenshots, logos)
        };
        for (n, line) in text.lines().enumerate() {
            for name in &outside {
                if line.contains(name.as_str()) {
                    found.push(format!("{}:{}: {name}", rel(&file), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the repository must say what it relies on in its own docs/; these point outside it:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_rust_source_outside_tests_is_over_800_lines() {
    let mut long = Vec::new();
    for file in rust_sources_under(&["apps/", "components/", "xtask/"]) {
        let r = rel(&file);
        if r.contains("/tests/") {
            continue;
        }
        let lines = std::fs::read_to_string(&file)
            .unwrap_or_default()
            .lines()
            .count();
        if lines > 800 {
            long.push(format!("{r}: {lines} lines"));
        }
    }
    assert!(
        long.is_empty(),
        "split these by concern:\n{}",
        long.join("\n")
    );
}

#[test]
fn widgets_never_name_a_ticketing_system() {
    let names = ["zendesk", "salesforce", "halo", "autotask", "agiloft"];
    let mut found = Vec::new();
    for file in tracked_files() {
        let r = rel(&file);
        // The catalogues (bt-i18n) are the widgets' words: no host in them either.
        if !r.starts_with("components/widgets/src/") && !r.starts_with("components/i18n/src/") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            let lower = line.to_lowercase();
            for name in names {
                if lower.contains(name) {
                    found.push(format!("{r}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "widgets depend on the Host trait only; host knowledge belongs in apps/<host>/:\n{}",
        found.join("\n")
    );
}

#[test]
fn appliance_links_and_paths_are_built_only_in_bt_core() {
    // The product's code outside bt-core (the sandbox imitates the appliance
    // and may name its paths; tests assert on them).
    let product = [
        "apps/broker/src/",
        "apps/btlink/src/",
        "apps/zendesk-sidebar/src/",
        "apps/salesforce-case/src/",
        "apps/halo/src/",
        "apps/help-center/src/",
        "components/widgets/src/",
    ];
    let markers = [
        "\"/api/",
        "/api/client_script",
        "/api/start_session",
        "/oauth2/",
        "?type=",
        "&action=",
    ];
    let mut found = Vec::new();
    for file in rust_sources_under(&product) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        // Unit tests at the end of a file may quote links they check.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code_lines(code) {
            for m in markers {
                // Salesforce's own token endpoint (`/services/oauth2/token`,
                // the write-back's sign-in) is a ticketing host's path, not
                // the appliance's `/oauth2/token`.
                if m == "/oauth2/" && line.replace("/services/oauth2/", "").find(m).is_none() {
                    continue;
                }
                if line.contains(m) {
                    found.push(format!("{}:{n}: {}", rel(&file), line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "appliance URLs are bt-core's (client_script, start_session, api paths):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_broker_library_never_depends_on_the_sandbox() {
    let deps = dependency_names("bt-broker", &[]);
    assert!(
        deps.iter().any(|d| d == "bt-core"),
        "cargo tree answered something unexpected: {deps:?}"
    );
    assert!(
        !deps.iter().any(|d| d == "bt-sandbox"),
        "the production bt-broker must not link the sandbox: {deps:?}"
    );
    // The sandbox must not need the broker either (no cycle, and the stand-in
    // never borrows the code it stands in for).
    let sandbox = dependency_names("bt-sandbox", &[]);
    assert!(
        !sandbox.iter().any(|d| d == "bt-broker"),
        "bt-sandbox must not depend on bt-broker: {sandbox:?}"
    );
}

#[test]
fn bt_core_stays_pure() {
    let deps = dependency_names("bt-core", &["--no-default-features"]);
    for forbidden in [
        "web-sys",
        "wasm-bindgen",
        "js-sys",
        "tokio",
        "reqwest",
        "leptos",
    ] {
        assert!(
            !deps.iter().any(|d| d == forbidden),
            "bt-core must not depend on {forbidden}: {deps:?}"
        );
    }
}

#[test]
fn the_wasm_apps_carry_no_xml_parser() {
    for app in ["zendesk-sidebar", "salesforce-case", "halo", "help-center"] {
        let deps = dependency_names(app, &["--target", "wasm32-unknown-unknown"]);
        assert!(deps.iter().any(|d| d == "bt-widgets"), "{app}: {deps:?}");
        // bt-core's `xml` feature (the Command/Reporting API parser) is the
        // broker's; the browser never reads appliance XML.
        assert!(
            !deps.iter().any(|d| d == "roxmltree"),
            "{app} must not ship the XML parser in its wasm: {deps:?}"
        );
    }
}
