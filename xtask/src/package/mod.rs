//! `cargo xtask package`: the upload-ready host packages in `target/packages/`,
//! made from the release bundles `cargo xtask build` wrote to
//! `target/dist/APP/`. One module per host, its rules and tests beside it:
//!
//! - [`zendesk`] — `zendesk-app.zip`: `zendesk-manifest/` (manifest,
//!   translations, logos) plus the `zendesk-sidebar` bundle under `assets/`,
//!   its `index.html` becoming `assets/iframe.html`, loading Zendesk's hosted
//!   ZAF SDK instead of the demo's local copy. `domainWhitelist` lists the
//!   broker's host from [`BROKER_URL_ENV`] and the hosts of
//!   [`WHITELIST_ENV`].
//! - [`help_center`] — `help-center/`: `bt-click-to-chat.js`, ONE classic
//!   script holding the `help-center` wasm (base64), its wasm-bindgen glue and
//!   its CSS, because Guide themes cannot host `.wasm`; plus the
//!   `request_page.hbs` snippet and a README with the install steps.
//! - [`salesforce`] — `salesforce/`: the SFDX project from
//!   `salesforce-lwc-wrapper/` (without local state) and the
//!   `salesforce-case` bundle as the static resource `BeyondTrustWidget`, in
//!   source format: the expanded folder
//!   `force-app/main/default/staticresources/BeyondTrustWidget/` and its
//!   `.resource-meta.xml` (the CLI zips it on deploy).
//! - [`halo`] — `halo/`: the `halo` bundle (the page a HaloPSA button
//!   opens), `config.example.json` with every setting the page reads, and a
//!   `README.txt` with the hosting steps.
//!
//! Shared: [`html`] (making references relative, listing them, and the check
//! that every reference in a package names a file it holds) and [`zip`].
//! Every package is checked offline against its host's rules before
//! `package()` reports success; a failing zip is deleted so nobody uploads it.

pub mod halo;
pub mod help_center;
pub mod html;
pub mod salesforce;
pub mod sfdx;
pub mod zendesk;
pub mod zip;

#[cfg(test)]
pub(crate) mod testkit;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Extra domains for the Zendesk manifest's `domainWhitelist` (comma list),
/// so Zendesk only ever sends the secure setting there.
pub const WHITELIST_ENV: &str = "BT_ZENDESK_DOMAIN_WHITELIST";
/// The broker's base URL (`https://bt-broker.example.com`); its host joins
/// the Zendesk manifest's `domainWhitelist`.
pub const BROKER_URL_ENV: &str = "BT_BROKER_URL";

/// Builds and checks every host package (see the module docs); fails with
/// every violation found, naming the file and the rule.
pub fn package() -> Result<(), String> {
    let root = crate::util::root();
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let whitelist = zendesk::domain_whitelist(&var(WHITELIST_ENV), &var(BROKER_URL_ENV))?;
    package_into(&root, &root.join("target/packages"), &whitelist)
}

/// [`package`] with explicit paths: reads `ROOT/zendesk-manifest`,
/// `ROOT/salesforce-lwc-wrapper` and `ROOT/target/dist/APP`, writes into `out`.
pub fn package_into(root: &Path, out: &Path, whitelist: &[String]) -> Result<(), String> {
    let dist = root.join("target/dist");
    let failures: Vec<String> = [
        zendesk::package(root, &dist, out, whitelist),
        help_center::package(root, &dist, out),
        salesforce::package(root, &dist, out),
        halo::package(root, &dist, out),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// `path` relative to the repository root, for messages.
fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// `TITLE: N problem(s)` and one `  - item` line per problem.
fn listing(title: &str, items: &[String]) -> String {
    let mut s = format!("{title}: {} problem(s)", items.len());
    for item in items {
        s.push_str("\n  - ");
        s.push_str(item);
    }
    s
}

/// Files under `dir` (recursively, sorted) as (`a/b.ext` relative path, full path).
fn walk(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    fn go(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) -> Result<(), String> {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            let path = entry.path();
            if path.is_dir() {
                go(&path, &rel, out)?;
            } else {
                out.push((rel, path));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    if dir.is_dir() {
        go(dir, "", &mut out)?;
    }
    Ok(out)
}

/// Every file under `dir` with its bytes, by relative path.
fn read_tree(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    walk(dir)?
        .into_iter()
        .map(|(rel, path)| {
            fs::read(&path)
                .map(|bytes| (rel, bytes))
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
        })
        .collect()
}

/// Writes `files` under `dir`, which is emptied first.
fn write_tree(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), String> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    for (rel, data) in files {
        let dest = dir.join(rel);
        fs::create_dir_all(dest.parent().expect("file has a parent"))
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        fs::write(&dest, data).map_err(|e| format!("cannot write {}: {e}", dest.display()))?;
    }
    Ok(())
}

/// A bundle `cargo xtask build` wrote, by relative path; names the command
/// when it is missing.
fn read_bundle(bundle: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let files = read_tree(bundle)?;
    if !files.contains_key("index.html") {
        return Err(format!(
            "{} not found: build the widget apps first (`cargo xtask build`)",
            bundle.join("index.html").display()
        ));
    }
    Ok(files)
}

/// A trunk bundle's `index.html` with every reference to its own files made
/// relative, so it loads them from wherever the host serves the folder.
fn relative_index(files: &mut BTreeMap<String, Vec<u8>>) -> Result<(), String> {
    let names: Vec<String> = files
        .keys()
        .filter(|rel| *rel != "index.html")
        .cloned()
        .collect();
    let Some(index) = files.get_mut("index.html") else {
        return Err("the bundle has no index.html".into());
    };
    let html = std::str::from_utf8(index).map_err(|_| "index.html: not UTF-8".to_owned())?;
    *index = html::relative_refs(html, &names)?.into_bytes();
    Ok(())
}

#[cfg(test)]
mod tests;
