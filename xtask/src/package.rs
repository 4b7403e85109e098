//! `cargo xtask package`: the upload-ready host packages in `target/packages/`
//! (CONTRACTS.md §4), made from the release bundles `cargo xtask build` wrote
//! to `target/dist/APP/`.
//!
//! - `zendesk-app.zip`: `zendesk-manifest/` (manifest, translations, logos)
//!   plus the `zendesk-sidebar` bundle under `assets/`, its `index.html`
//!   becoming `assets/iframe.html` with every reference made relative (trunk
//!   writes `/app-HASH.js`; Zendesk serves the app from a sub-path).
//! - `help-center/`: `bt-click-to-chat.js`, ONE classic script holding the
//!   `help-center` wasm (base64), its wasm-bindgen glue and its CSS, because
//!   Guide themes cannot host `.wasm`; plus the `request_page.hbs` snippet and
//!   a README with the install steps.
//!
//! Both are checked offline against the hosts' rules before `package()`
//! reports success ([`validate_zendesk_zip`], [`validate_help_center`]); a
//! failing zip is deleted so nobody uploads it.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Zendesk's reported per-file limit, read strictly (2 MB as 2,000,000 bytes).
pub const ZENDESK_FILE_LIMIT: u64 = 2_000_000;
/// Guide's per-asset limit, read strictly (5 MB as 5,000,000 bytes).
pub const GUIDE_ASSET_LIMIT: u64 = 5_000_000;
/// The hosted ZAF SDK the packaged sidebar loads (`window.ZAFClient`).
/// Where the sidebar page loads the demo's local bundle of the ZAF SDK
/// (`tools/bundle-zaf-sdk.mjs`, written to `target/dist/vendor/`).
pub const LOCAL_ZAF_SDK: &str = "../vendor/zaf_sdk.js";
pub const ZAF_SDK_URL: &str =
    "https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js";
/// The help-center asset's file name, as the snippet references it.
pub const HELP_CENTER_JS: &str = "bt-click-to-chat.js";
/// Extra domains for the manifest's `domainWhitelist` (comma list), e.g. the
/// broker's host, so Zendesk only ever sends the secure setting there.
pub const WHITELIST_ENV: &str = "BT_ZENDESK_DOMAIN_WHITELIST";

/// File types Zendesk refuses in an app package (extension or content).
const BLOCKED_EXTENSIONS: &[&str] = &[
    "zip", "gz", "gzip", "tgz", "tar", "bz", "bz2", "7z", "rar", "xz", "pdf", "doc", "docx", "xls",
    "xlsx", "ppt", "pptx", "odt", "avi", "mp3", "mpeg", "mpg", "bin", "exe", "dll", "so", "dylib",
    "msi", "sh", "bash", "csh", "ksh", "zsh", "bat", "cmd", "ps1", "jar", "class", "apk", "dmg",
    "iso",
];
/// Guide theme assets: js, css, html, json, txt, xml, images and fonts.
const GUIDE_EXTENSIONS: &[&str] = &[
    "js", "css", "html", "json", "txt", "xml", "png", "jpg", "jpeg", "gif", "svg", "webp", "ico",
    "bmp", "woff", "woff2", "ttf", "otf", "eot",
];
/// Locations a Zendesk Support app may declare.
const SUPPORT_LOCATIONS: &[&str] = &[
    "ticket_sidebar",
    "new_ticket_sidebar",
    "user_sidebar",
    "organization_sidebar",
    "top_bar",
    "nav_bar",
    "background",
    "modal",
    "ticket_editor",
];
const PARAMETER_TYPES: &[&str] = &[
    "text",
    "password",
    "checkbox",
    "url",
    "number",
    "multiline",
    "hidden",
    "oauth",
];

/// Builds and checks every host package this module owns (see the module
/// docs); fails with every violation found, naming the file and the rule.
pub fn package() -> Result<(), String> {
    let root = crate::util::root();
    let whitelist = std::env::var(WHITELIST_ENV).unwrap_or_default();
    package_into(
        &root,
        &root.join("target/packages"),
        &split_list(&whitelist),
    )
}

/// [`package`] with explicit paths: reads `ROOT/zendesk-manifest` and
/// `ROOT/target/dist/{zendesk-sidebar,help-center}`, writes into `out`.
pub fn package_into(root: &Path, out: &Path, whitelist: &[String]) -> Result<(), String> {
    let dist = root.join("target/dist");
    let mut failures = Vec::new();

    let zip = out.join("zendesk-app.zip");
    match zendesk_files(
        &root.join("zendesk-manifest"),
        &dist.join("zendesk-sidebar"),
        whitelist,
    )
    .and_then(|files| write_zip(&zip, &files))
    {
        Ok(()) => match validate_zendesk_zip(&zip) {
            Ok(()) => eprintln!(
                "package: {} ({} bytes)",
                shown(root, &zip),
                fs::metadata(&zip).map_or(0, |m| m.len())
            ),
            Err(violations) => {
                let _ = fs::remove_file(&zip);
                failures.push(listing(
                    &format!("{} breaks Zendesk's rules (deleted)", shown(root, &zip)),
                    &violations,
                ));
            }
        },
        Err(e) => failures.push(format!("zendesk-app.zip: {e}")),
    }

    let hc = out.join("help-center");
    match write_help_center(&dist.join("help-center"), &hc) {
        Ok(()) => match validate_help_center(&hc) {
            Ok(()) => {
                let size = fs::metadata(hc.join(HELP_CENTER_JS)).map_or(0, |m| m.len());
                eprintln!(
                    "package: {}/ ({HELP_CENTER_JS}: {size} bytes)",
                    shown(root, &hc)
                );
            }
            Err(violations) => failures.push(listing(
                &format!("{}/ breaks Guide's asset rules", shown(root, &hc)),
                &violations,
            )),
        },
        Err(e) => failures.push(format!("help-center: {e}")),
    }

    match write_salesforce(root, &dist.join("salesforce-case"), &out.join("salesforce")) {
        Ok(size) => eprintln!(
            "package: {}/ (static resource {SALESFORCE_RESOURCE}: {size} bytes)",
            shown(root, &out.join("salesforce"))
        ),
        Err(e) => failures.push(format!("salesforce: {e}")),
    }

    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// Name of the static resource that carries the `salesforce-case` bundle.
const SALESFORCE_RESOURCE: &str = "BeyondTrustWidget";
/// Salesforce's limit for one static resource.
const SALESFORCE_RESOURCE_LIMIT: u64 = 5 * 1024 * 1024;
/// Local state of the SFDX project that must not ship.
const SALESFORCE_SKIP: &[&str] = &["node_modules/", ".sf/", ".sfdx/", "coverage/"];

/// Copies the SFDX project (without local state) to `out` and adds the
/// `salesforce-case` bundle as a static resource zip, so an org can also
/// host the widget itself. Returns the resource's size.
pub fn write_salesforce(root: &Path, bundle: &Path, out: &Path) -> Result<u64, String> {
    let src = root.join("salesforce-lwc-wrapper");
    if !src.join("sfdx-project.json").is_file() {
        return Err(format!("{} has no sfdx-project.json", src.display()));
    }
    if out.exists() {
        fs::remove_dir_all(out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    for (rel, path) in walk(&src)? {
        if SALESFORCE_SKIP.iter().any(|skip| rel.starts_with(skip)) {
            continue;
        }
        let dest = out.join(&rel);
        fs::create_dir_all(dest.parent().expect("file has a parent")).map_err(|e| e.to_string())?;
        fs::copy(&path, &dest).map_err(|e| format!("cannot copy {rel}: {e}"))?;
    }
    let files: BTreeMap<String, Vec<u8>> = walk(bundle)?
        .into_iter()
        .map(|(rel, path)| {
            fs::read(&path)
                .map(|bytes| (rel, bytes))
                .map_err(|e| e.to_string())
        })
        .collect::<Result<_, _>>()?;
    if !files.contains_key("index.html") {
        return Err(format!(
            "{} has no index.html: run `cargo xtask build`",
            bundle.display()
        ));
    }
    let resources = out.join("force-app/main/default/staticresources");
    let resource = resources.join(format!("{SALESFORCE_RESOURCE}.resource"));
    write_zip(&resource, &files)?;
    fs::write(
        resources.join(format!("{SALESFORCE_RESOURCE}.resource-meta.xml")),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<StaticResource xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <cacheControl>Public</cacheControl>\n    <contentType>application/zip</contentType>\n    <description>BeyondTrust Remote Support widget bundle (salesforce-case)</description>\n</StaticResource>\n",
    )
    .map_err(|e| e.to_string())?;
    let size = fs::metadata(&resource).map_err(|e| e.to_string())?.len();
    if size > SALESFORCE_RESOURCE_LIMIT {
        return Err(format!(
            "static resource {SALESFORCE_RESOURCE} is {size} bytes, over Salesforce's 5 MB limit"
        ));
    }
    Ok(size)
}

fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn listing(title: &str, items: &[String]) -> String {
    let mut s = format!("{title}: {} problem(s)", items.len());
    for item in items {
        s.push_str("\n  - ");
        s.push_str(item);
    }
    s
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
        .collect()
}

// ---------------------------------------------------------------------------
// Zendesk app zip
// ---------------------------------------------------------------------------

/// Every file of the app zip, by its path inside the zip.
pub fn zendesk_files(
    manifest_dir: &Path,
    sidebar_dist: &Path,
    whitelist: &[String],
) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut files = BTreeMap::new();

    let manifest_path = manifest_dir.join("manifest.json");
    let mut manifest = fs::read(&manifest_path)
        .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
    if !whitelist.is_empty() {
        let mut value: serde_json::Value = serde_json::from_slice(&manifest)
            .map_err(|e| format!("{}: not JSON: {e}", manifest_path.display()))?;
        let object = value
            .as_object_mut()
            .ok_or_else(|| format!("{}: not a JSON object", manifest_path.display()))?;
        object.insert(
            "domainWhitelist".into(),
            whitelist
                .iter()
                .cloned()
                .map(serde_json::Value::String)
                .collect(),
        );
        manifest = serde_json::to_vec_pretty(&value).map_err(|e| e.to_string())?;
    }
    files.insert("manifest.json".to_owned(), manifest);
    // Only what Zendesk reads; README.md and make_logos.py stay in the repo.
    for sub in ["translations", "assets"] {
        for (rel, path) in walk(&manifest_dir.join(sub))? {
            files.insert(
                format!("{sub}/{rel}"),
                fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?,
            );
        }
    }
    let requirements = manifest_dir.join("requirements.json");
    if requirements.is_file() {
        files.insert(
            "requirements.json".into(),
            fs::read(&requirements).map_err(|e| e.to_string())?,
        );
    }

    if !sidebar_dist.join("index.html").is_file() {
        return Err(format!(
            "{} not found: build the widget apps first (`cargo xtask build`)",
            sidebar_dist.join("index.html").display()
        ));
    }
    let bundle = walk(sidebar_dist)?;
    let names: Vec<String> = bundle
        .iter()
        .map(|(rel, _)| rel.clone())
        .filter(|rel| rel != "index.html")
        .collect();
    for (rel, path) in &bundle {
        let data = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let (target, data) = if rel == "index.html" {
            let html =
                String::from_utf8(data).map_err(|_| format!("{}: not UTF-8", path.display()))?;
            let html = ensure_zaf_sdk(&relative_refs(&html, &names));
            let root_refs = root_relative_refs(&html);
            if !root_refs.is_empty() {
                return Err(format!(
                    "iframe.html still loads {} from the site root, which Zendesk does not serve",
                    root_refs.join(", ")
                ));
            }
            let missing: Vec<String> = local_refs(&html)
                .into_iter()
                .filter(|r| !names.contains(r))
                .collect();
            if !missing.is_empty() {
                return Err(format!(
                    "iframe.html refers to {} which the bundle does not contain",
                    missing.join(", ")
                ));
            }
            ("assets/iframe.html".to_owned(), html.into_bytes())
        } else {
            (format!("assets/{rel}"), data)
        };
        if files.insert(target.clone(), data).is_some() {
            return Err(format!(
                "{target} exists both in zendesk-manifest/ and in the sidebar bundle"
            ));
        }
    }
    Ok(files)
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

/// Makes every quoted reference that ends in `/NAME` (NAME a bundle file) and
/// starts at the site root — `"/app-1a2b.js"`, `'/public/url/app_bg.wasm'` —
/// relative (`"./app-1a2b.js"`), so the page loads its files from wherever
/// Zendesk serves `assets/`. Absolute URLs (`https://...`, `//cdn/...`) stay.
pub fn relative_refs(html: &str, names: &[String]) -> String {
    let bytes = html.as_bytes();
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for name in names {
        let needle = format!("/{name}");
        let mut from = 0;
        while let Some(pos) = html[from..].find(&needle).map(|p| p + from) {
            from = pos + needle.len();
            let Some(&close) = bytes.get(from) else { break };
            if !matches!(close, b'"' | b'\'' | b'`') {
                continue;
            }
            // Walk back to the opening quote; the reference has no spaces.
            let Some(open) = html[..pos]
                .rfind(|c: char| c == close as char || c.is_whitespace() || c == '<' || c == '>')
            else {
                continue;
            };
            if bytes[open] != close {
                continue;
            }
            let value = &html[open + 1..from];
            if !value.starts_with('/') || value.starts_with("//") || value.contains("://") {
                continue;
            }
            if edits.iter().any(|(s, e, _)| open + 1 < *e && *s < from) {
                continue;
            }
            edits.push((open + 1, from, format!("./{name}")));
        }
    }
    edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = html.to_owned();
    for (start, end, replacement) in edits {
        out.replace_range(start..end, &replacement);
    }
    out
}

/// Root-relative references left in `src`/`href` attributes or module
/// specifiers (`/x.js`): Zendesk would resolve them against its own origin.
fn root_relative_refs(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for lead in ["src=", "href=", "from ", "import(", "module_or_path: "] {
        let mut from = 0;
        while let Some(pos) = html[from..].find(lead).map(|p| p + from) {
            from = pos + lead.len();
            let rest = &html[from..];
            let Some(q) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
                continue;
            };
            let value = rest[1..].split(q).next().unwrap_or_default();
            if value.starts_with('/') && !value.starts_with("//") {
                found.push(value.to_owned());
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// `./NAME` references in quoted strings (attribute values, imports).
fn local_refs(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for q in ['"', '\''] {
        let needle = format!("{q}./");
        let mut from = 0;
        while let Some(pos) = html[from..].find(&needle).map(|p| p + from) {
            from = pos + needle.len();
            let value: String = html[from..]
                .chars()
                .take_while(|c| *c != q && !c.is_whitespace())
                .collect();
            if !value.is_empty() {
                found.push(
                    value
                        .split(['?', '#'])
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                );
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The packaged sidebar needs `window.ZAFClient`: when the page does not load
/// the SDK itself, load Zendesk's hosted one at the end of `<head>`. It is a
/// classic (parser-blocking) script, so it runs before trunk's module script,
/// which is deferred until the document is parsed.
pub fn ensure_zaf_sdk(html: &str) -> String {
    let hosted = format!("src=\"{ZAF_SDK_URL}\"");
    // The demo's local SDK is swapped for Zendesk's hosted one.
    let html = html.replace(&format!("src=\"{LOCAL_ZAF_SDK}\""), &hosted);
    let html = html.as_str();
    let lower = html.to_ascii_lowercase();
    if lower.contains("zaf_sdk") {
        return html.to_owned();
    }
    let tag = format!("<script src=\"{ZAF_SDK_URL}\"></script>");
    let at = lower
        .find("</head>")
        .or_else(|| lower.find("<body"))
        .or_else(|| {
            lower
                .find("<head")
                .and_then(|h| lower[h..].find('>').map(|e| h + e + 1))
        })
        .unwrap_or(0);
    let mut out = html.to_owned();
    out.insert_str(at, &tag);
    out
}

/// Writes `files` as a deflated zip with fixed timestamps (same input, same bytes).
pub fn write_zip(path: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), String> {
    use zip::write::SimpleFileOptions;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let file =
        fs::File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, data) in files {
        zip.start_file(name.as_str(), options)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        zip.write_all(data)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    zip.finish()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(())
}

/// One entry of a zip as the validator sees it.
struct Entry {
    name: String,
    size: u64,
    is_dir: bool,
    is_symlink: bool,
    data: Vec<u8>,
}

fn read_zip(path: &Path) -> Result<Vec<Entry>, String> {
    let file = fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| format!("{}: not a readable zip: {e}", path.display()))?;
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive
            .by_index(i)
            .map_err(|e| format!("{}: entry {i}: {e}", path.display()))?;
        let mut data = Vec::new();
        // Enough to judge any rule; a zip bomb stops here.
        let read = f
            .by_ref()
            .take(ZENDESK_FILE_LIMIT * 8)
            .read_to_end(&mut data);
        read.map_err(|e| format!("{}: {}: {e}", path.display(), f.name()))?;
        entries.push(Entry {
            name: f.name().to_owned(),
            size: f.size(),
            is_dir: f.is_dir(),
            is_symlink: f.is_symlink(),
            data,
        });
    }
    Ok(entries)
}

/// Zendesk's offline rules for an app zip; `Err` lists every violation.
///
/// - `manifest.json` at the root, valid JSON, with `author.name`,
///   `author.email`, `defaultLocale`, `location` (with `support.ticket_sidebar`;
///   known Support locations only) and `frameworkVersion` "2.0"; parameters
///   with unique names (not `name`), known types, boolean `required`/`secure`,
///   no required hidden or secure oauth parameter; `domainWhitelist` an array
///   of strings;
/// - every location URL either `assets/...` naming a file in the zip, or https;
/// - `translations/<defaultLocale>.json` with `app.name` (and the public-app
///   descriptions when not private) and a `label` and `helpText` for every
///   parameter; every `translations/*.json` a JSON object named by a locale;
/// - `assets/logo.png` a PNG of exactly 320x320, `assets/logo-small.png` a
///   PNG of 128x128 (read from the IHDR);
/// - no blocked file types (by extension or content: archives, pdf, office
///   documents, executables, scripts, ...), no symlinks, no paths escaping
///   the zip, every file under [`ZENDESK_FILE_LIMIT`].
pub fn validate_zendesk_zip(path: &Path) -> Result<(), Vec<String>> {
    let entries = read_zip(path).map_err(|e| vec![e])?;
    let errors = zendesk_rules(&entries);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn zendesk_rules(entries: &[Entry]) -> Vec<String> {
    let mut errors = Vec::new();
    let files: BTreeMap<&str, &Entry> = entries
        .iter()
        .filter(|e| !e.is_dir)
        .map(|e| (e.name.as_str(), e))
        .collect();

    for e in entries {
        if e.is_symlink {
            errors.push(format!(
                "{}: symlinks are not allowed in an app zip",
                e.name
            ));
        }
        if e.name.starts_with('/') || e.name.split(['/', '\\']).any(|part| part == "..") {
            errors.push(format!("{}: path leaves the zip root", e.name));
        }
        if e.is_dir {
            continue;
        }
        if e.size >= ZENDESK_FILE_LIMIT {
            errors.push(format!(
                "{}: {} bytes; every file must be under 2 MB ({ZENDESK_FILE_LIMIT} bytes)",
                e.name, e.size
            ));
        }
        if let Some(kind) = blocked_kind(&e.name, &e.data) {
            errors.push(format!(
                "{}: blocked file type ({kind}); Zendesk refuses it in an app package",
                e.name
            ));
        }
    }

    let Some(manifest_entry) = files.get("manifest.json") else {
        match files.keys().find(|n| n.ends_with("/manifest.json")) {
            Some(nested) => errors.push(format!("manifest.json: not at the zip root (found {nested}); zip the app folder's contents")),
            None => errors.push("manifest.json: missing".into()),
        }
        return errors;
    };
    let manifest: serde_json::Value = match serde_json::from_slice(&manifest_entry.data) {
        Ok(serde_json::Value::Object(m)) => serde_json::Value::Object(m),
        Ok(_) => {
            errors.push("manifest.json: not a JSON object".into());
            return errors;
        }
        Err(e) => {
            errors.push(format!("manifest.json: not valid JSON: {e}"));
            return errors;
        }
    };
    manifest_rules(&manifest, &files, &mut errors);

    let parameters: Vec<String> = manifest["parameters"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let private = manifest["private"].as_bool().unwrap_or(true);
    if let Some(locale) = manifest["defaultLocale"].as_str() {
        let path = format!("translations/{locale}.json");
        match files.get(path.as_str()) {
            None => errors.push(format!(
                "{path}: missing (the translation file for defaultLocale '{locale}')"
            )),
            Some(entry) => {
                default_translation_rules(&path, &entry.data, &parameters, private, &mut errors)
            }
        }
    }
    for (name, entry) in &files {
        let Some(locale) = name
            .strip_prefix("translations/")
            .and_then(|n| n.strip_suffix(".json"))
        else {
            continue;
        };
        if !valid_locale(locale) {
            errors.push(format!(
                "{name}: '{locale}' is not a locale name (like en, de or pt-br)"
            ));
        }
        match serde_json::from_slice::<serde_json::Value>(&entry.data) {
            Ok(v) if v.is_object() => {}
            Ok(_) => errors.push(format!("{name}: not a JSON object")),
            Err(e) => errors.push(format!("{name}: not valid JSON: {e}")),
        }
    }

    for (name, want) in [
        ("assets/logo.png", Some((320, 320))),
        ("assets/logo-small.png", Some((128, 128))),
    ] {
        match files.get(name) {
            None => errors.push(format!("{name}: missing")),
            Some(entry) => match png_size(&entry.data) {
                None => errors.push(format!("{name}: not a PNG")),
                Some(size) if Some(size) != want => {
                    let (w, h) = want.unwrap_or_default();
                    errors.push(format!(
                        "{name}: {}x{} pixels; it must be exactly {w}x{h}",
                        size.0, size.1
                    ));
                }
                Some(_) => {}
            },
        }
    }
    errors
}

fn manifest_rules(m: &serde_json::Value, files: &BTreeMap<&str, &Entry>, errors: &mut Vec<String>) {
    let mut err = |s: String| errors.push(format!("manifest.json: {s}"));
    match m.get("author") {
        Some(a) if a.is_object() => {
            for key in ["name", "email"] {
                if !filled(&a[key]) {
                    err(format!("author.{key} is required"));
                }
            }
            if filled(&a["email"]) && !a["email"].as_str().unwrap_or_default().contains('@') {
                err("author.email is not an email address".into());
            }
            if a.get("url").is_some_and(|u| !u.is_string()) {
                err("author.url must be a string".into());
            }
        }
        _ => err("author is required (an object with name and email)".into()),
    }
    match m["defaultLocale"].as_str() {
        None => err("defaultLocale is required".into()),
        Some(l) if !valid_locale(l) => err(format!("defaultLocale '{l}' is not a locale name")),
        Some(_) => {}
    }
    match m.get("frameworkVersion") {
        None => err("frameworkVersion is required".into()),
        Some(v) if v.as_str() != Some("2.0") => {
            err(format!("frameworkVersion must be \"2.0\", got {v}"))
        }
        Some(_) => {}
    }
    for key in ["private", "singleInstall", "signedUrls"] {
        if m.get(key).is_some_and(|v| !v.is_boolean()) {
            err(format!("{key} must be true or false"));
        }
    }
    if let Some(list) = m.get("domainWhitelist") {
        if !list
            .as_array()
            .is_some_and(|a| a.iter().all(serde_json::Value::is_string))
        {
            err("domainWhitelist must be an array of strings".into());
        }
    }

    match m.get("location").and_then(|l| l.as_object()) {
        None => err("location is required".into()),
        Some(hosts) => {
            match hosts.get("support").and_then(|s| s.as_object()) {
                Some(support) if support.contains_key("ticket_sidebar") => {
                    for name in support
                        .keys()
                        .filter(|k| !SUPPORT_LOCATIONS.contains(&k.as_str()))
                    {
                        err(format!(
                            "location.support.{name} is not a Zendesk Support location"
                        ));
                    }
                }
                _ => err("location.support.ticket_sidebar is required".into()),
            }
            for (host, locations) in hosts {
                let Some(locations) = locations.as_object() else {
                    err(format!("location.{host} must be an object of locations"));
                    continue;
                };
                for (name, spec) in locations {
                    let url = spec.as_str().or_else(|| spec["url"].as_str());
                    let Some(url) = url.filter(|u| !u.is_empty()) else {
                        err(format!("location.{host}.{name} has no url"));
                        continue;
                    };
                    if let Some(problem) = location_url_problem(url, files) {
                        err(format!("location.{host}.{name} url '{url}' {problem}"));
                    }
                }
            }
        }
    }

    match m.get("parameters") {
        None => {}
        Some(serde_json::Value::Array(params)) => {
            let mut seen = Vec::new();
            for (i, p) in params.iter().enumerate() {
                let Some(name) = p["name"].as_str().filter(|n| !n.is_empty()) else {
                    err(format!("parameters[{i}] has no name"));
                    continue;
                };
                if name == "name" {
                    err("a parameter may not be called 'name'".into());
                }
                if seen.contains(&name) {
                    err(format!("parameter '{name}' is defined twice"));
                }
                seen.push(name);
                let kind = p["type"].as_str().unwrap_or("text");
                if !PARAMETER_TYPES.contains(&kind) {
                    err(format!(
                        "parameter '{name}' has unknown type '{kind}' (one of {})",
                        PARAMETER_TYPES.join(", ")
                    ));
                }
                for flag in ["required", "secure"] {
                    if p.get(flag).is_some_and(|v| !v.is_boolean()) {
                        err(format!("parameter '{name}': {flag} must be true or false"));
                    }
                }
                if kind == "hidden" && p["required"] == true {
                    err(format!(
                        "parameter '{name}' is hidden and cannot be required"
                    ));
                }
                if kind == "oauth" && p["secure"] == true {
                    err(format!(
                        "parameter '{name}': an oauth parameter cannot be secure"
                    ));
                }
            }
        }
        Some(_) => err("parameters must be an array".into()),
    }
}

/// Zendesk accepts `assets/FILE` present in the zip, https, or localhost.
fn location_url_problem(url: &str, files: &BTreeMap<&str, &Entry>) -> Option<&'static str> {
    if url.contains("{{setting.") {
        return None;
    }
    if let Some((scheme, rest)) = url.split_once("://") {
        let host = rest.split(['/', ':', '?', '#']).next().unwrap_or_default();
        return (scheme != "https" && host != "localhost").then_some("must use https");
    }
    let path = url.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with("assets/") {
        return Some("must point into assets/");
    }
    (!files.contains_key(path)).then_some("names a file the zip does not contain")
}

fn default_translation_rules(
    path: &str,
    data: &[u8],
    parameters: &[String],
    private: bool,
    errors: &mut Vec<String>,
) {
    let json: serde_json::Value = match serde_json::from_slice(data) {
        Ok(v) => v,
        Err(_) => return, // reported by the per-file check
    };
    let app = &json["app"];
    let mut required = vec!["name"];
    if !private {
        required.extend([
            "short_description",
            "long_description",
            "installation_instructions",
        ]);
    }
    for key in required {
        let present =
            filled(&app[key]) || (key == "short_description" && filled(&app["description"]));
        if !present {
            errors.push(format!("{path}: app.{key} is required"));
        }
    }
    for name in parameters {
        for key in ["label", "helpText"] {
            if !filled(&app["parameters"][name][key]) {
                errors.push(format!("{path}: app.parameters.{name}.{key} is missing (every setting needs a label and help text)"));
            }
        }
    }
}

/// A non-blank JSON string.
fn filled(v: &serde_json::Value) -> bool {
    v.as_str().is_some_and(|s| !s.trim().is_empty())
}

/// `en`, `de`, `pt-br`, `zh-cn`: Zendesk's locale file names.
fn valid_locale(locale: &str) -> bool {
    let (lang, region) = match locale.split_once('-') {
        Some((l, r)) => (l, Some(r)),
        None => (locale, None),
    };
    lang.len() == 2
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && region.is_none_or(|r| {
            (2..=3).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

/// Width and height from a PNG's IHDR, or `None` when it is not a PNG.
pub fn png_size(data: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if data.len() < 24
        || &data[..8] != SIGNATURE
        || data[8..12] != [0, 0, 0, 13]
        || &data[12..16] != b"IHDR"
    {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Some((be(&data[16..20]), be(&data[20..24])))
}

/// Why Zendesk would refuse this file, judged by extension and magic bytes.
fn blocked_kind(name: &str, data: &[u8]) -> Option<String> {
    let file = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    // The last extension decides: `x.tar.gz` is blocked for `gz`.
    if let Some((_, ext)) = file
        .rsplit_once('.')
        .filter(|(_, e)| BLOCKED_EXTENSIONS.contains(e))
    {
        return Some(format!(".{ext}"));
    }
    let magic: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "zip archive"),
        (b"PK\x05\x06", "zip archive"),
        (b"\x1f\x8b", "gzip archive"),
        (b"%PDF-", "pdf"),
        (b"BZh", "bzip2 archive"),
        (b"7z\xbc\xaf\x27\x1c", "7z archive"),
        (b"Rar!\x1a\x07", "rar archive"),
        (b"\xfd7zXZ\x00", "xz archive"),
        (b"\x7fELF", "executable (ELF)"),
        (b"MZ", "executable (Windows)"),
        (b"\xca\xfe\xba\xbe", "java class / executable"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "office document"),
    ];
    if let Some((_, kind)) = magic.iter().find(|(m, _)| data.starts_with(m)) {
        return Some((*kind).to_owned());
    }
    if data.starts_with(b"#!") {
        let first = data.split(|b| *b == b'\n').next().unwrap_or_default();
        if String::from_utf8_lossy(first).contains("sh") {
            return Some("shell script".into());
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Help Center (Guide) asset
// ---------------------------------------------------------------------------

/// Writes `out/`: [`HELP_CENTER_JS`], `request_page.hbs.snippet`, `README.md`.
pub fn write_help_center(dist: &Path, out: &Path) -> Result<(), String> {
    let js = help_center_js(dist)?;
    if out.exists() {
        fs::remove_dir_all(out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let write = |name: &str, data: &[u8]| {
        fs::write(out.join(name), data)
            .map_err(|e| format!("cannot write {}: {e}", out.join(name).display()))
    };
    write(HELP_CENTER_JS, js.as_bytes())?;
    write("request_page.hbs.snippet", HELP_CENTER_SNIPPET.as_bytes())?;
    write("README.md", help_center_readme(js.len()).as_bytes())?;
    Ok(())
}

/// The help-center bundle as one classic script (see the module docs).
pub fn help_center_js(dist: &Path) -> Result<String, String> {
    let index = dist.join("index.html");
    let html = fs::read_to_string(&index).map_err(|e| {
        format!(
            "{} not readable ({e}): build the widget apps first (`cargo xtask build`)",
            index.display()
        )
    })?;
    let files = walk(dist)?;
    if files.iter().any(|(rel, _)| rel.starts_with("snippets/")) {
        return Err("the help-center bundle has wasm-bindgen JS snippets (snippets/); the single-file asset cannot carry them".into());
    }
    let wasm: Vec<&(String, PathBuf)> = files
        .iter()
        .filter(|(rel, _)| rel.ends_with(".wasm"))
        .collect();
    let [(wasm_name, wasm_path)] = wasm.as_slice() else {
        return Err(format!(
            "expected exactly one .wasm in {}, found {}",
            dist.display(),
            wasm.len()
        ));
    };
    let glue_name = format!(
        "{}.js",
        wasm_name
            .strip_suffix("_bg.wasm")
            .unwrap_or(wasm_name.trim_end_matches(".wasm"))
    );
    let extra_js: Vec<&str> = files
        .iter()
        .map(|(rel, _)| rel.as_str())
        .filter(|rel| rel.ends_with(".js") && *rel != glue_name)
        .collect();
    if !extra_js.is_empty() {
        return Err(format!("the help-center bundle has scripts besides its glue ({}); the single-file asset only carries {glue_name}", extra_js.join(", ")));
    }
    let glue_path = dist.join(&glue_name);
    let glue = fs::read_to_string(&glue_path).map_err(|e| {
        format!(
            "cannot read the wasm-bindgen glue {}: {e}",
            glue_path.display()
        )
    })?;
    let wasm_bytes =
        fs::read(wasm_path).map_err(|e| format!("cannot read {}: {e}", wasm_path.display()))?;

    // Stylesheets in the order the page links them, then inline <style>s.
    let mut css_files: Vec<&(String, PathBuf)> = files
        .iter()
        .filter(|(rel, _)| rel.ends_with(".css"))
        .collect();
    css_files.sort_by_key(|(rel, _)| html.find(rel.as_str()).unwrap_or(usize::MAX));
    let mut css = String::new();
    for (rel, path) in css_files {
        css.push_str(&format!("/* {rel} */\n"));
        css.push_str(
            &fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        );
        css.push('\n');
    }
    for block in inline_styles(&html) {
        css.push_str(&block);
        css.push('\n');
    }
    let ignored: Vec<&str> = files
        .iter()
        .map(|(rel, _)| rel.as_str())
        .filter(|rel| {
            !(rel.ends_with(".css")
                || rel.ends_with(".wasm")
                || rel.ends_with(".js")
                || *rel == "index.html")
        })
        .collect();
    if !ignored.is_empty() {
        eprintln!(
            "package: help-center: not carried into {HELP_CENTER_JS}: {}",
            ignored.join(", ")
        );
    }

    let (body, init) = glue_to_classic(&glue)?;
    Ok(format!(
        "/* {HELP_CENTER_JS}: BeyondTrust click-to-chat (\"Get Support Now\") for Zendesk Guide.\n \
         * Generated by `cargo xtask package` from target/dist/help-center/ ({glue_name}, {wasm_name}); do not edit.\n \
         * The wasm is inlined below (Guide themes cannot host .wasm); nothing else is fetched to start. */\n\
         (function () {{\n\
         \"use strict\";\n\
         if (window.__btClickToChat) return;\n\
         window.__btClickToChat = true;\n\
         var BT_CSS = {css};\n\
         var BT_WASM = \"{wasm}\";\n\
         {body}\n\
         function btWasmBytes() {{\n  var s = atob(BT_WASM), b = new Uint8Array(s.length);\n  for (var i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);\n  return b;\n}}\n\
         function btStart() {{\n  \
           if (BT_CSS && !document.getElementById(\"bt-click-to-chat-style\")) {{\n    \
             var style = document.createElement(\"style\");\n    style.id = \"bt-click-to-chat-style\";\n    \
             style.textContent = BT_CSS;\n    document.head.appendChild(style);\n  }}\n  \
           {init}({{ module_or_path: btWasmBytes() }}).catch(function (e) {{ console.error(\"bt-click-to-chat: could not start\", e); }});\n\
         }}\n\
         if (document.readyState === \"loading\") document.addEventListener(\"DOMContentLoaded\", btStart); else btStart();\n\
         }})();\n",
        css = serde_json::to_string(&css).map_err(|e| e.to_string())?,
        wasm = base64(&wasm_bytes),
    ))
}

/// Contents of `<style>` blocks in the page (trunk's inlined CSS).
fn inline_styles(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = lower[from..].find("<style").map(|p| p + from) {
        let Some(body) = lower[open..].find('>').map(|p| open + p + 1) else {
            break;
        };
        let Some(close) = lower[body..].find("</style>").map(|p| body + p) else {
            break;
        };
        out.push(html[body..close].to_owned());
        from = close + "</style>".len();
    }
    out
}

/// Turns wasm-bindgen's ES-module glue (`--target web`) into statements for
/// a classic script: `export function f` → `function f`, the export list
/// dropped, `import.meta.url` (only used when no bytes are given) replaced.
/// Returns the body and the name of the default export (the async init).
/// Refuses glue that imports other modules (JS snippets).
pub fn glue_to_classic(glue: &str) -> Result<(String, String), String> {
    let mut out = String::with_capacity(glue.len());
    let mut default = None;
    let mut export_list: Option<String> = None;
    for line in glue.lines() {
        if let Some(list) = export_list.as_mut() {
            list.push_str(line);
            if line.contains('}') {
                let list = export_list.take().unwrap_or_default();
                default = default.or(default_in_export_list(&list));
            }
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("import ")
            || trimmed.starts_with("import{")
            || trimmed.starts_with("import*")
        {
            return Err(format!("the help-center glue imports another module (`{}`); wasm-bindgen JS snippets cannot go into the single-file asset", trimmed.trim()));
        }
        if let Some(rest) = line.strip_prefix("export ") {
            let rest = rest.trim_start();
            if rest.starts_with('{') {
                if rest.contains('}') {
                    default = default.or(default_in_export_list(rest));
                } else {
                    export_list = Some(rest.to_owned());
                }
                continue;
            }
            if let Some(name) = rest.strip_prefix("default ") {
                let name = name.trim().trim_end_matches(';').trim();
                if !name
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
                    || name.is_empty()
                {
                    return Err(format!(
                        "unexpected default export in the help-center glue: `{}`",
                        line.trim()
                    ));
                }
                default = Some(name.to_owned());
                continue;
            }
            let declaration = [
                "function ",
                "async function ",
                "class ",
                "const ",
                "let ",
                "var ",
            ]
            .iter()
            .any(|k| rest.starts_with(k));
            if !declaration {
                return Err(format!(
                    "unexpected export in the help-center glue: `{}`",
                    line.trim()
                ));
            }
            out.push_str(rest);
            out.push('\n');
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    let out = out.replace("import.meta.url", "document.baseURI");
    if out.contains("import.meta") || out.contains("import(") {
        return Err(
            "the help-center glue uses import.meta or import(), which a classic script cannot"
                .into(),
        );
    }
    let default =
        default.ok_or("the help-center glue has no default export (wasm-bindgen's init)")?;
    Ok((out, default))
}

/// `{ initSync, __wbg_init as default }` → `__wbg_init`.
fn default_in_export_list(list: &str) -> Option<String> {
    let inner = list.split('{').nth(1)?.split('}').next()?;
    inner.split(',').find_map(|item| {
        let mut words = item.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some(local), Some("as"), Some("default")) => Some(local.to_owned()),
            _ => None,
        }
    })
}

/// Standard base64 with padding (the `base64` crate).
pub fn base64(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Guide's rules for the files an admin uploads as theme assets; `Err` lists
/// every violation. `README.md` and `*.snippet` are instructions, not assets.
///
/// - only js, css, html, json, txt, xml, images and fonts;
/// - explicitly no `.wasm` (Guide cannot host it: it must be inlined);
/// - every asset at most [`GUIDE_ASSET_LIMIT`];
/// - at least one `.js` asset.
pub fn validate_help_center(dir: &Path) -> Result<(), Vec<String>> {
    let files = walk(dir).map_err(|e| vec![e])?;
    if !dir.is_dir() {
        return Err(vec![format!("{}: missing", dir.display())]);
    }
    let mut errors = Vec::new();
    let mut scripts = 0;
    for (rel, path) in &files {
        if rel == "README.md" || rel.ends_with(".snippet") {
            continue;
        }
        let ext = rel
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if ext == "wasm" {
            errors.push(format!(
                "{rel}: Guide themes cannot host .wasm; inline it into the js asset"
            ));
        } else if !GUIDE_EXTENSIONS.contains(&ext.as_str()) {
            errors.push(format!("{rel}: not a Guide asset type (only js, css, html, json, txt, xml, images and fonts)"));
        }
        scripts += usize::from(ext == "js");
        let size = fs::metadata(path).map_or(0, |m| m.len());
        if size > GUIDE_ASSET_LIMIT {
            errors.push(format!("{rel}: {size} bytes; a Guide asset may be at most 5 MB ({GUIDE_ASSET_LIMIT} bytes)"));
        }
    }
    if scripts == 0 {
        errors.push(format!("{}: no .js asset", dir.display()));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// What an admin pastes into `request_page.hbs`: the mount element, the
/// configuration (`record` is the request id Guide substitutes; `hostname`
/// and `issues` as in the Zendesk app's settings) and the asset.
pub const HELP_CENTER_SNIPPET: &str = r#"<!-- BeyondTrust click-to-chat: a "Get Support Now" button for this request.
     Paste into templates/request_page.hbs where the button should appear
     (for example inside the request sidebar), then set hostname and issues:
     issues are "issue_code=Issue Name" lines joined with \n, as in the
     Zendesk app's Issues setting. -->
<div id="bt-click-to-chat"></div>
<script type="application/json" id="bt-config">
{
  "record": "{{request.id}}",
  "hostname": "support.example.com",
  "issues": "general_tech=General Technical Issues\nprinters=Printers"
}
</script>
<script src="{{asset 'bt-click-to-chat.js'}}" defer></script>
"#;

fn help_center_readme(js_size: usize) -> String {
    format!(
        r#"# BeyondTrust click-to-chat for Zendesk Guide

Generated by `cargo xtask package`; do not edit (the source is
`xtask/src/package.rs` and the `help-center` app).

| file | what it is |
|---|---|
| `{HELP_CENTER_JS}` | the whole app ({js_size} bytes): wasm inlined as base64, its wasm-bindgen glue and CSS; starts itself, fetches nothing to start |
| `request_page.hbs.snippet` | the markup to paste into the request page template |

## Install (Guide admin, about five minutes)

1. **Knowledge (Guide) admin > Customize design > Customize** on the live theme, then
   **Edit code** (on a copy of the theme if you want to try it first).
2. **Assets > Add asset**: upload `{HELP_CENTER_JS}`. Guide assets may be
   js, css, html, json, txt, xml, images and fonts of at most 5 MB each; this
   file is all the app needs (no `.wasm` to host).
3. Open `templates/request_page.hbs` and paste `request_page.hbs.snippet`
   where the button should appear, e.g. inside the request sidebar.
4. In the pasted `bt-config` block set `hostname` to your appliance's
   hostname and `issues` to the same list as the Zendesk app's **Issues**
   setting (`issue_code=Issue Name` lines joined with `\n`).
5. **Publish**. A signed-in user opening one of their requests now sees
   "Get Support Now"; the chat session starts with the request id as its
   external key.

## The configuration the app reads

```html
<div id="bt-click-to-chat"></div>
<script type="application/json" id="bt-config">
{{ "record": "{{{{request.id}}}}", "hostname": "support.example.com", "issues": "general_tech=General Technical Issues\nprinters=Printers" }}
</script>
```

- `#bt-click-to-chat` (empty) is where the app renders.
- `#bt-config` is one JSON object (the keys `StandaloneHost` reads):
  - `record` (required): the request id; Guide replaces `{{{{request.id}}}}`
    with it. It becomes the session's external key.
  - `hostname` (required): the appliance hostname, no `https://`.
  - `issues`: `issue_code=Issue Name` lines separated by `\n` (empty: no
    issue menu), the format of the Zendesk app's **Issues** setting.
  - optional: `locale` (e.g. `de`; default: the browser's), `theme`
    (`light` or `dark`).
- The script may sit anywhere after the mount element (or in the document
  head: it waits for `DOMContentLoaded`); including it twice is harmless.
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A scratch directory removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Self {
            static N: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "xtask-package-{}-{}-{name}",
                std::process::id(),
                N.fetch_add(1, Ordering::SeqCst)
            ));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }
        fn write(&self, rel: &str, data: impl AsRef<[u8]>) -> PathBuf {
            let path = self.0.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, data).unwrap();
            path
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn repo() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .to_path_buf()
    }

    /// A PNG header of the given size (the validator reads only the IHDR).
    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut d = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        d.extend(w.to_be_bytes());
        d.extend(h.to_be_bytes());
        d.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        d
    }

    /// What trunk 0.21 writes for an app called zendesk-sidebar.
    const TRUNK_HTML: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>BeyondTrust</title>
<link rel="stylesheet" href="/zendesk-sidebar-9c87.css" integrity="sha384-abc"/>
<script type="module">
import init, * as bindings from '/zendesk-sidebar-e093.js';
const wasm = await init({ module_or_path: '/zendesk-sidebar-e093_bg.wasm' });
window.wasmBindings = bindings;
</script>
<link rel="modulepreload" href="/zendesk-sidebar-e093.js" crossorigin="anonymous" integrity="sha384-def"><link rel="preload" href="/zendesk-sidebar-e093_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm"></head><body><a href="https://example.com/zendesk-sidebar-e093.js">x</a></body></html>"#;

    fn fake_sidebar(dir: &Path) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("index.html"), TRUNK_HTML).unwrap();
        fs::write(
            dir.join("zendesk-sidebar-e093.js"),
            "export default function init() {}\n",
        )
        .unwrap();
        fs::write(dir.join("zendesk-sidebar-e093_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        fs::write(dir.join("zendesk-sidebar-9c87.css"), "body{margin:0}\n").unwrap();
    }

    /// The committed zendesk-manifest/ plus a fake sidebar bundle.
    fn good_files() -> BTreeMap<String, Vec<u8>> {
        let s = Scratch::new("sidebar");
        fake_sidebar(&s.0);
        zendesk_files(&repo().join("zendesk-manifest"), &s.0, &[]).unwrap()
    }

    fn check(files: &BTreeMap<String, Vec<u8>>) -> Result<(), Vec<String>> {
        let s = Scratch::new("zip");
        let path = s.0.join("app.zip");
        write_zip(&path, files).unwrap();
        validate_zendesk_zip(&path)
    }

    fn violations(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
        check(files).expect_err("the package should break a rule")
    }

    fn edit_json(
        files: &mut BTreeMap<String, Vec<u8>>,
        name: &str,
        f: impl FnOnce(&mut serde_json::Value),
    ) {
        let mut v: serde_json::Value = serde_json::from_slice(&files[name]).unwrap();
        f(&mut v);
        files.insert(name.into(), serde_json::to_vec(&v).unwrap());
    }

    #[test]
    fn the_committed_manifest_with_a_bundle_passes() {
        let files = good_files();
        assert_eq!(check(&files), Ok(()));
        for name in [
            "manifest.json",
            "translations/en.json",
            "translations/ja.json",
            "assets/logo.png",
            "assets/iframe.html",
            "assets/zendesk-sidebar-e093_bg.wasm",
        ] {
            assert!(
                files.contains_key(name),
                "{name} missing from {:?}",
                files.keys()
            );
        }
        assert!(
            !files
                .keys()
                .any(|k| k.ends_with("README.md") || k.ends_with(".py")),
            "repo-only files are not packaged"
        );
    }

    /// `zendesk-manifest/manifest.json`, parsed.
    fn manifest() -> serde_json::Value {
        serde_json::from_slice(&fs::read(repo().join("zendesk-manifest/manifest.json")).unwrap())
            .unwrap()
    }

    /// The names of the settings a manifest declares.
    fn setting_names(manifest: &serde_json::Value) -> Vec<&str> {
        manifest["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect()
    }

    #[test]
    fn every_translation_labels_every_setting() {
        let manifest = manifest();
        let names = setting_names(&manifest);
        for locale in ["en", "de", "fr", "es", "ja"] {
            let path = repo().join(format!("zendesk-manifest/translations/{locale}.json"));
            let t: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
            for name in &names {
                for key in ["label", "helpText"] {
                    assert!(
                        t["app"]["parameters"][name][key]
                            .as_str()
                            .is_some_and(|s| !s.is_empty()),
                        "{locale}: {name}.{key}"
                    );
                }
            }
            for key in [
                "name",
                "short_description",
                "long_description",
                "installation_instructions",
            ] {
                assert!(t["app"][key].is_string(), "{locale}: app.{key}");
            }
        }
    }

    #[test]
    fn settings_match_what_bt_core_reads_and_the_seed_labels() {
        let manifest = manifest();
        let names = setting_names(&manifest);
        let core = fs::read_to_string(repo().join("components/core/src/settings.rs")).unwrap();
        let raw = core
            .split("pub struct RawSettings")
            .nth(1)
            .unwrap()
            .split("\n}")
            .next()
            .unwrap();
        for field in raw
            .lines()
            .filter_map(|l| l.trim().strip_prefix("pub "))
            .map(|l| l.split(':').next().unwrap())
        {
            assert!(
                names.contains(&field),
                "RawSettings.{field} has no app setting"
            );
        }
        let en: serde_json::Value = serde_json::from_slice(
            &fs::read(repo().join("zendesk-manifest/translations/en.json")).unwrap(),
        )
        .unwrap();
        let label = |n: &str| {
            en["app"]["parameters"][n]["label"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(
            label("allow_pinned_client"),
            "Allow Jump-To Pinned Client Session"
        );
        assert_eq!(
            label("allow_push_local"),
            "Allow Push and Start Local Jump Session"
        );
        assert_eq!(
            label("allow_push_remote"),
            "Allow Push and Start Remote Jump Session"
        );
        assert_eq!(label("allow_rdp"), "Allow Remote Desktop (RDP) Session");
        assert_eq!(
            label("allow_remote_console"),
            "Allow Remote Console Session"
        );
        for n in [
            "allow_push_remote",
            "allow_rdp",
            "allow_remote_console",
            "allow_vpro",
        ] {
            assert!(
                en["app"]["parameters"][n]["helpText"]
                    .as_str()
                    .unwrap()
                    .contains("Requires at least one Jumpoint"),
                "{n}"
            );
        }
        let secret = manifest["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "broker_secret")
            .unwrap();
        assert_eq!(
            (
                secret["secure"].as_bool(),
                secret["required"].as_bool(),
                secret.get("default")
            ),
            (Some(true), Some(true), None)
        );
    }

    #[test]
    fn missing_help_text_is_caught() {
        let mut files = good_files();
        edit_json(&mut files, "translations/en.json", |t| {
            t["app"]["parameters"]["broker_secret"]
                .as_object_mut()
                .unwrap()
                .remove("helpText");
        });
        assert_eq!(violations(&files), ["translations/en.json: app.parameters.broker_secret.helpText is missing (every setting needs a label and help text)"]);
    }

    #[test]
    fn a_321_by_320_logo_is_caught() {
        let mut files = good_files();
        files.insert("assets/logo.png".into(), png(321, 320));
        assert_eq!(
            violations(&files),
            ["assets/logo.png: 321x320 pixels; it must be exactly 320x320"]
        );
        files.insert("assets/logo.png".into(), b"GIF89a".to_vec());
        assert_eq!(violations(&files), ["assets/logo.png: not a PNG"]);
    }

    #[test]
    fn the_committed_logos_have_zendesk_sizes() {
        let size =
            |n: &str| png_size(&fs::read(repo().join("zendesk-manifest/assets").join(n)).unwrap());
        assert_eq!(size("logo.png"), Some((320, 320)));
        assert_eq!(size("logo-small.png"), Some((128, 128)));
    }

    #[test]
    fn a_shell_script_is_caught_by_name_and_by_content() {
        let mut files = good_files();
        files.insert("assets/install.sh".into(), b"echo hi\n".to_vec());
        files.insert(
            "assets/setup.txt".into(),
            b"#!/bin/bash\necho hi\n".to_vec(),
        );
        assert_eq!(violations(&files), [
            "assets/install.sh: blocked file type (.sh); Zendesk refuses it in an app package",
            "assets/setup.txt: blocked file type (shell script); Zendesk refuses it in an app package",
        ]);
    }

    #[test]
    fn archives_and_binaries_are_caught_even_when_renamed() {
        let mut files = good_files();
        files.insert("assets/vendor.zip".into(), b"PK\x03\x04rest".to_vec());
        files.insert("assets/data.json".into(), b"PK\x03\x04rest".to_vec());
        files.insert("assets/manual.pdf".into(), b"%PDF-1.7".to_vec());
        files.insert("assets/tool.jar".into(), b"x".to_vec());
        files.insert("assets/firmware.bin".into(), b"x".to_vec());
        files.insert("assets/logs.tar.gz".into(), b"\x1f\x8b\x08".to_vec());
        let v = violations(&files);
        assert_eq!(v.len(), 6, "{v:#?}");
        assert!(
            v.iter()
                .any(|e| e.starts_with("assets/data.json: blocked file type (zip archive)")),
            "{v:#?}"
        );
        assert!(
            v.iter()
                .any(|e| e.starts_with("assets/logs.tar.gz: blocked file type (.gz)")),
            "{v:#?}"
        );
        // .wasm is allowed.
        assert!(!v.iter().any(|e| e.contains(".wasm")));
    }

    #[test]
    fn a_3_mb_file_is_caught() {
        let mut files = good_files();
        files.insert("assets/big.js".into(), vec![b' '; 3 * 1024 * 1024]);
        assert_eq!(
            violations(&files),
            ["assets/big.js: 3145728 bytes; every file must be under 2 MB (2000000 bytes)"]
        );
        files.insert(
            "assets/big.js".into(),
            vec![b' '; ZENDESK_FILE_LIMIT as usize - 1],
        );
        assert_eq!(check(&files), Ok(()));
    }

    #[test]
    fn a_bad_location_url_is_caught() {
        let mut files = good_files();
        edit_json(&mut files, "manifest.json", |m| {
            m["location"]["support"]["ticket_sidebar"]["url"] = "assets/missing.html".into();
            m["location"]["support"]["new_ticket_sidebar"]["url"] =
                "http://app.example.com/sidebar".into();
            m["location"]["support"]["top_bar"] = serde_json::json!({ "url": "iframe.html" });
        });
        assert_eq!(violations(&files), [
            "manifest.json: location.support.new_ticket_sidebar url 'http://app.example.com/sidebar' must use https",
            "manifest.json: location.support.ticket_sidebar url 'assets/missing.html' names a file the zip does not contain",
            "manifest.json: location.support.top_bar url 'iframe.html' must point into assets/",
        ]);
    }

    #[test]
    fn required_manifest_fields_are_checked() {
        let mut files = good_files();
        edit_json(&mut files, "manifest.json", |m| {
            m["author"].as_object_mut().unwrap().remove("email");
            m["frameworkVersion"] = "1.0".into();
            m["location"]["support"]
                .as_object_mut()
                .unwrap()
                .remove("ticket_sidebar");
            m["parameters"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!({ "name": "hostname", "type": "dropdown" }));
        });
        assert_eq!(violations(&files), [
            "manifest.json: author.email is required",
            "manifest.json: frameworkVersion must be \"2.0\", got \"1.0\"",
            "manifest.json: location.support.ticket_sidebar is required",
            "manifest.json: parameter 'hostname' is defined twice",
            "manifest.json: parameter 'hostname' has unknown type 'dropdown' (one of text, password, checkbox, url, number, multiline, hidden, oauth)",
        ]);
    }

    #[test]
    fn missing_files_are_reported_together() {
        let mut files = good_files();
        files.remove("translations/en.json");
        files.remove("assets/logo-small.png");
        files.insert("translations/english.json".into(), b"{}".to_vec());
        assert_eq!(
            violations(&files),
            [
                "translations/en.json: missing (the translation file for defaultLocale 'en')",
                "translations/english.json: 'english' is not a locale name (like en, de or pt-br)",
                "assets/logo-small.png: missing",
            ]
        );
        let mut nested = BTreeMap::new();
        nested.insert("app/manifest.json".to_owned(), b"{}".to_vec());
        assert_eq!(violations(&nested), ["manifest.json: not at the zip root (found app/manifest.json); zip the app folder's contents"]);
    }

    #[test]
    fn public_apps_need_the_marketplace_texts() {
        let mut files = good_files();
        edit_json(&mut files, "manifest.json", |m| m["private"] = false.into());
        assert_eq!(check(&files), Ok(()), "en.json has all four texts");
        edit_json(&mut files, "translations/en.json", |t| {
            t["app"].as_object_mut().unwrap().remove("long_description");
        });
        assert_eq!(
            violations(&files),
            ["translations/en.json: app.long_description is required"]
        );
    }

    #[test]
    fn iframe_references_become_relative() {
        let names: Vec<String> = [
            "zendesk-sidebar-e093.js",
            "zendesk-sidebar-e093_bg.wasm",
            "zendesk-sidebar-9c87.css",
        ]
        .map(String::from)
        .to_vec();
        let html = relative_refs(TRUNK_HTML, &names);
        assert!(
            html.contains(r#"href="./zendesk-sidebar-9c87.css" integrity="sha384-abc""#),
            "{html}"
        );
        assert!(html.contains("from './zendesk-sidebar-e093.js'"), "{html}");
        assert!(
            html.contains("module_or_path: './zendesk-sidebar-e093_bg.wasm'"),
            "{html}"
        );
        assert!(
            html.contains(r#"rel="modulepreload" href="./zendesk-sidebar-e093.js""#),
            "{html}"
        );
        assert!(
            html.contains(r#"href="https://example.com/zendesk-sidebar-e093.js""#),
            "absolute URLs stay: {html}"
        );
        assert!(root_relative_refs(&html).is_empty());
        // A public URL prefix (`trunk --public-url /apps/zendesk-sidebar/`) goes too.
        let prefixed = TRUNK_HTML
            .replace("'/zendesk", "'/apps/zendesk-sidebar/zendesk")
            .replace("\"/zendesk", "\"/apps/zendesk-sidebar/zendesk");
        assert_eq!(relative_refs(&prefixed, &names), html);
        // Already relative: unchanged.
        assert_eq!(relative_refs(&html, &names), html);
    }

    #[test]
    fn the_iframe_gets_the_hosted_zaf_sdk_once() {
        let files = good_files();
        let html = String::from_utf8(files["assets/iframe.html"].clone()).unwrap();
        assert_eq!(html.matches(ZAF_SDK_URL).count(), 1);
        // The demo's local SDK is swapped for Zendesk's hosted one.
        let local = ensure_zaf_sdk("<head><script src=\"../vendor/zaf_sdk.js\"></script></head>");
        assert_eq!(
            local,
            format!("<head><script src=\"{ZAF_SDK_URL}\"></script></head>")
        );
        // A classic script in <head>: it runs while the page is parsed, before
        // the deferred module that starts the app.
        let tag = format!("<script src=\"{ZAF_SDK_URL}\"></script></head>");
        assert!(html.contains(&tag), "{html}");
        assert!(html.find("<meta charset").unwrap() < html.find(ZAF_SDK_URL).unwrap());
        assert_eq!(ensure_zaf_sdk(&html), html, "not added twice");
    }

    #[test]
    fn a_bundle_that_loads_from_the_site_root_is_refused() {
        let s = Scratch::new("rootref");
        fake_sidebar(&s.0);
        s.write(
            "index.html",
            TRUNK_HTML.replace(
                "</head>",
                "<script src=\"/elsewhere/app.js\"></script></head>",
            ),
        );
        let e = zendesk_files(&repo().join("zendesk-manifest"), &s.0, &[]).unwrap_err();
        assert_eq!(e, "iframe.html still loads /elsewhere/app.js from the site root, which Zendesk does not serve");
        let e =
            zendesk_files(&repo().join("zendesk-manifest"), &s.0.join("nope"), &[]).unwrap_err();
        assert!(e.contains("build the widget apps first"), "{e}");
    }

    #[test]
    fn the_domain_whitelist_comes_from_the_environment_list() {
        let s = Scratch::new("wl");
        fake_sidebar(&s.0);
        let files = zendesk_files(
            &repo().join("zendesk-manifest"),
            &s.0,
            &split_list(" bt-broker.example.com, ,other.example.com"),
        )
        .unwrap();
        let m: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
        assert_eq!(
            m["domainWhitelist"],
            serde_json::json!(["bt-broker.example.com", "other.example.com"])
        );
        assert_eq!(check(&files), Ok(()));
    }

    /// The shape wasm-bindgen 0.2.130 `--target web` writes (abridged).
    const GLUE: &str = r#"/**
 * @param {number} n
 */
export function greet(n) {
    return wasm.greet(n);
}
export class Widget {
    free() {}
}
export const Mode = Object.freeze({ A: 0 });
let wasmModule, wasmInstance, wasm;
function initSync(module) { return module; }
async function __wbg_init_once(module_or_path) {
    if (module_or_path === undefined) {
        module_or_path = new URL('help-center_bg.wasm', import.meta.url);
    }
    return module_or_path;
}
async function __wbg_init(module_or_path) { return __wbg_init_once(module_or_path); }
export { initSync, __wbg_init as default };
"#;

    #[test]
    fn glue_becomes_a_classic_script() {
        let (body, init) = glue_to_classic(GLUE).unwrap();
        assert_eq!(init, "__wbg_init");
        assert!(!body.contains("export"), "{body}");
        assert!(!body.contains("import.meta"), "{body}");
        assert!(
            body.contains("function greet(n)")
                && body.contains("class Widget")
                && body.contains("const Mode ="),
            "{body}"
        );
        let multi = GLUE.replace(
            "export { initSync, __wbg_init as default };",
            "export {\n    initSync,\n    __wbg_init as default\n};",
        );
        assert_eq!(glue_to_classic(&multi).unwrap().1, "__wbg_init");
        let plain = GLUE.replace(
            "export { initSync, __wbg_init as default };",
            "export { initSync };\nexport default __wbg_init;",
        );
        assert_eq!(glue_to_classic(&plain).unwrap().1, "__wbg_init");
    }

    #[test]
    fn glue_with_snippets_or_odd_exports_is_refused() {
        let snippet =
            format!("import {{ helper }} from './snippets/help-center-1/inline0.js';\n{GLUE}");
        assert!(glue_to_classic(&snippet)
            .unwrap_err()
            .contains("imports another module"));
        assert!(
            glue_to_classic(&GLUE.replace("export { initSync, __wbg_init as default };", ""))
                .unwrap_err()
                .contains("no default export")
        );
        assert!(glue_to_classic(&format!("{GLUE}export * from './x.js';\n"))
            .unwrap_err()
            .contains("unexpected export"));
    }

    fn fake_help_center(dir: &Path) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("index.html"), "<html><head><link rel=\"stylesheet\" href=\"/help-center-2.css\"><link rel=\"stylesheet\" href=\"/help-center-1.css\"><style>.x{top:0}</style></head><body></body></html>").unwrap();
        fs::write(dir.join("help-center-abc.js"), GLUE).unwrap();
        fs::write(dir.join("help-center-abc_bg.wasm"), b"\0asm\x01\0\0\0\xff").unwrap();
        fs::write(dir.join("help-center-1.css"), ".one{}").unwrap();
        fs::write(dir.join("help-center-2.css"), ".two{}").unwrap();
    }

    #[test]
    fn the_help_center_package_is_one_script_with_the_wasm_inside() {
        let dist = Scratch::new("hc-dist");
        fake_help_center(&dist.0);
        let out = Scratch::new("hc-out");
        write_help_center(&dist.0, &out.0).unwrap();
        let mut names: Vec<String> = walk(&out.0)
            .unwrap()
            .into_iter()
            .map(|(rel, _)| rel)
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["README.md", HELP_CENTER_JS, "request_page.hbs.snippet"]
        );
        assert_eq!(validate_help_center(&out.0), Ok(()));
        let js = fs::read_to_string(out.0.join(HELP_CENTER_JS)).unwrap();
        assert!(
            js.contains(&format!(
                "var BT_WASM = \"{}\";",
                base64(b"\0asm\x01\0\0\0\xff")
            )),
            "{js}"
        );
        assert!(
            js.contains("__wbg_init({ module_or_path: btWasmBytes() })"),
            "{js}"
        );
        assert!(
            !js.contains("import.meta") && !js.contains("export "),
            "{js}"
        );
        let css_at = |s: &str| js.find(s).unwrap();
        assert!(
            css_at(".two{}") < css_at(".one{}") && css_at(".one{}") < css_at(".x{top:0}"),
            "stylesheets keep the page's order"
        );
        let snippet = fs::read_to_string(out.0.join("request_page.hbs.snippet")).unwrap();
        assert!(snippet.contains(r#"<div id="bt-click-to-chat"></div>"#));
        assert!(snippet.contains("{{asset 'bt-click-to-chat.js'}}"));
        let config_of = |text: &str| -> serde_json::Value {
            let json = text
                .split("<script type=\"application/json\" id=\"bt-config\">")
                .nth(1)
                .unwrap()
                .split("</script>")
                .next()
                .unwrap();
            serde_json::from_str(json).unwrap()
        };
        let config = config_of(&snippet);
        assert_eq!(config["record"], "{{request.id}}");
        assert_eq!(config["hostname"], "support.example.com");
        assert_eq!(
            config["issues"],
            "general_tech=General Technical Issues\nprinters=Printers"
        );
        let readme = fs::read_to_string(out.0.join("README.md")).unwrap();
        assert_eq!(
            config_of(&readme),
            config,
            "the README shows the snippet's shape"
        );
    }

    #[test]
    fn help_center_rules_catch_wasm_big_and_foreign_files() {
        let s = Scratch::new("hc-rules");
        s.write("README.md", "notes");
        s.write("request_page.hbs.snippet", "<div></div>");
        s.write("app_bg.wasm", b"\0asm");
        s.write("big.js", vec![b' '; 6_000_000]);
        s.write("tool.exe", b"MZ");
        s.write("font.woff2", b"wOF2");
        s.write("logo.svg", b"<svg/>");
        assert_eq!(validate_help_center(&s.0), Err(vec![
            "app_bg.wasm: Guide themes cannot host .wasm; inline it into the js asset".to_owned(),
            "big.js: 6000000 bytes; a Guide asset may be at most 5 MB (5000000 bytes)".to_owned(),
            "tool.exe: not a Guide asset type (only js, css, html, json, txt, xml, images and fonts)".to_owned(),
        ]));
        let empty = Scratch::new("hc-empty");
        assert_eq!(validate_help_center(&empty.0).unwrap_err().len(), 1);
    }

    #[test]
    fn help_center_bundles_it_cannot_carry_are_refused() {
        let s = Scratch::new("hc-bad");
        fake_help_center(&s.0);
        s.write(
            "snippets/help-center-1/inline0.js",
            "export function f() {}",
        );
        assert!(help_center_js(&s.0).unwrap_err().contains("snippets"));
        let t = Scratch::new("hc-two");
        fake_help_center(&t.0);
        t.write("other_bg.wasm", b"\0asm");
        assert!(help_center_js(&t.0)
            .unwrap_err()
            .contains("exactly one .wasm"));
    }

    #[test]
    fn package_end_to_end_from_fake_bundles() {
        let root = Scratch::new("root");
        for (rel, path) in walk(&repo().join("zendesk-manifest")).unwrap() {
            root.write(&format!("zendesk-manifest/{rel}"), fs::read(path).unwrap());
        }
        fake_sidebar(&root.0.join("target/dist/zendesk-sidebar"));
        fake_help_center(&root.0.join("target/dist/help-center"));
        for (rel, path) in walk(&repo().join("salesforce-lwc-wrapper")).unwrap() {
            if !rel.starts_with("node_modules/") {
                root.write(
                    &format!("salesforce-lwc-wrapper/{rel}"),
                    fs::read(path).unwrap(),
                );
            }
        }
        root.write(
            "salesforce-lwc-wrapper/node_modules/x/index.js",
            "local state",
        );
        root.write("target/dist/salesforce-case/index.html", "<html></html>");
        root.write(
            "target/dist/salesforce-case/app_bg.wasm",
            b"\0asm\x01\0\0\0",
        );
        let out = root.0.join("target/packages");
        package_into(&root.0, &out, &[]).unwrap();
        assert_eq!(validate_zendesk_zip(&out.join("zendesk-app.zip")), Ok(()));
        assert!(out.join("help-center").join(HELP_CENTER_JS).is_file());
        // The SFDX project ships without node_modules, with the bundle as a static resource.
        let sf = out.join("salesforce");
        assert!(sf.join("sfdx-project.json").is_file());
        assert!(!sf.join("node_modules").exists());
        let resource =
            read_zip(&sf.join("force-app/main/default/staticresources/BeyondTrustWidget.resource"))
                .unwrap();
        let mut names: Vec<&str> = resource.iter().map(|e| e.name.as_str()).collect();
        names.sort();
        assert_eq!(names, ["app_bg.wasm", "index.html"]);
        assert!(sf
            .join("force-app/main/default/staticresources/BeyondTrustWidget.resource-meta.xml")
            .is_file());

        // A broken bundle: the zip is deleted and every problem is named.
        root.write("target/dist/zendesk-sidebar/run.sh", "echo");
        root.write("target/dist/help-center/extra.js", "1");
        let e = package_into(&root.0, &out, &[]).unwrap_err();
        assert!(e.contains("target/packages/zendesk-app.zip breaks Zendesk's rules (deleted): 1 problem(s)\n  - assets/run.sh: blocked file type (.sh)"), "{e}");
        assert!(
            e.contains(
                "help-center: the help-center bundle has scripts besides its glue (extra.js)"
            ),
            "{e}"
        );
        assert!(!out.join("zendesk-app.zip").exists());
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
    }

    #[test]
    fn locales_follow_zendesk_names() {
        for ok in ["en", "de", "ja", "pt-br", "zh-cn", "es-419"] {
            assert!(valid_locale(ok), "{ok}");
        }
        for bad in ["EN", "english", "e", "en-", "en-abcd"] {
            assert!(!valid_locale(bad), "{bad}");
        }
    }
}
