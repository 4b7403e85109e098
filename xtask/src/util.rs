//! Running commands and finding things, shared by every xtask step.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (xtask lives in `ROOT/xtask`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent")
        .to_path_buf()
}

/// Cargo's target directory (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|d| if d.is_absolute() { d } else { root().join(d) })
        .unwrap_or_else(|| root().join("target"))
}

/// Directory of the project's npm tools (binaryen's wasm-opt, playwright-core...).
pub fn tools_dir() -> PathBuf {
    root().join("tools")
}

/// PATH with cargo's bin dir and the project's npm tools in front, so trunk
/// finds the exact wasm-bindgen and wasm-opt versions we installed.
pub fn tool_path() -> String {
    let mut dirs: Vec<PathBuf> = vec![tools_dir().join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
    {
        dirs.push(home.join("bin"));
    }
    let current = std::env::var_os("PATH").unwrap_or_default();
    dirs.extend(std::env::split_paths(&current));
    std::env::join_paths(dirs)
        .expect("valid PATH")
        .to_string_lossy()
        .into_owned()
}

/// A command with the tool PATH, run from the workspace root.
pub fn cmd(program: impl AsRef<OsStr>) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root()).env("PATH", tool_path());
    c
}

/// Runs a command, streaming its output; fails with what was run.
pub fn run(c: &mut Command) -> Result {
    let status = c
        .status()
        .map_err(|e| format!("cannot start {}: {e}", describe(c)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(c)))
    }
}

/// Runs a command and returns its stdout, or `None` if it cannot run or fails.
pub fn output(c: &mut Command) -> Option<String> {
    let out = c.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn describe(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

pub fn is_root() -> bool {
    output(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0")
}

/// Workspace packages with their `[package.metadata.xtask]` tables.
pub struct Package {
    pub name: String,
    /// The folder of its Cargo.toml.
    pub dir: PathBuf,
    pub wasm: bool,
    pub wasm_tests: bool,
    /// `inline-page`: `cargo xtask build` inlines its page's glue and
    /// stylesheets (`inline_page.rs`).
    pub inline_page: bool,
    /// Its dependencies with the features it turns on in each.
    pub dependencies: Vec<(String, Vec<String>)>,
}

impl Package {
    /// Whether it turns on `feature` of its dependency `dependency`.
    pub fn enables(&self, dependency: &str, feature: &str) -> bool {
        self.dependencies
            .iter()
            .any(|(name, features)| name == dependency && features.iter().any(|f| f == feature))
    }
}

pub fn packages() -> Result<Vec<Package>> {
    let out = output(cmd(env!("CARGO")).args([
        "metadata",
        "--format-version",
        "1",
        "--no-deps",
        "--offline",
    ]))
    .or_else(|| output(cmd(env!("CARGO")).args(["metadata", "--format-version", "1", "--no-deps"])))
    .ok_or("cargo metadata failed")?;
    let meta: serde_json::Value = serde_json::from_str(&out).map_err(|e| e.to_string())?;
    let pkgs = meta["packages"]
        .as_array()
        .ok_or("cargo metadata: no packages")?;
    Ok(pkgs
        .iter()
        .map(|p| {
            let x = &p["metadata"]["xtask"];
            let strings = |v: &serde_json::Value| -> Vec<String> {
                v.as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            };
            Package {
                name: p["name"].as_str().unwrap_or_default().to_owned(),
                dir: PathBuf::from(p["manifest_path"].as_str().unwrap_or_default())
                    .parent()
                    .map(PathBuf::from)
                    .unwrap_or_default(),
                wasm: x["wasm"].as_bool().unwrap_or(false),
                wasm_tests: x["wasm-tests"].as_bool().unwrap_or(false),
                inline_page: x["inline-page"].as_bool().unwrap_or(false),
                dependencies: p["dependencies"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|d| {
                        let name = d["name"].as_str().unwrap_or_default().to_owned();
                        (name, strings(&d["features"]))
                    })
                    .collect(),
            }
        })
        .collect())
}

/// Apps built with trunk: `apps/NAME/index.html`.
pub fn trunk_apps() -> Vec<String> {
    let mut apps: Vec<String> = std::fs::read_dir(root().join("apps"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("index.html").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    apps.sort();
    apps
}

pub fn step(title: &str) {
    eprintln!("\n==> {title}");
}
