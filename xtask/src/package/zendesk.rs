//! The Zendesk Support app: `zendesk-app.zip`, made from `zendesk-manifest/`
//! and the `zendesk-sidebar` bundle, and Zendesk's offline rules for it
//! ([`validate_zendesk_zip`]): manifest, translations, locations, logos,
//! file types and sizes, and every reference inside the zip.
//!
//! Two modes. By default the sidebar is `assets/iframe.html` and calls the
//! broker through Zendesk's proxy, which signs a token with the secure
//! setting `broker_secret` (proxy-signed: the claims are written in the
//! agent's browser). With [`SIGNED_URLS_ENV`]`=1` and [`BROKER_URL_ENV`] the
//! manifest's locations are the broker's `POST /zendesk/sidebar` with
//! `signedUrls: true` ([`signed_urls_manifest`]): Zendesk signs who the agent
//! is, the broker serves the sidebar with a session bound to that, and no
//! secret setting is needed.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::html;
use super::zip::{read_zip, write_zip, Entry};
use super::{listing, shown, walk, BROKER_URL_ENV};

/// Zendesk's reported per-file limit, read strictly (2 MB as 2,000,000 bytes).
pub const ZENDESK_FILE_LIMIT: u64 = 2_000_000;
/// The file name of the demo's local bundle of the ZAF SDK
/// (`tools/bundle-zaf-sdk.mjs`, written to `target/dist/vendor/`), which the
/// sidebar page loads as `../vendor/zaf_sdk.js`: outside the bundle, so
/// never in the zip.
pub const LOCAL_ZAF_SDK: &str = "zaf_sdk.js";
/// The hosted ZAF SDK the packaged sidebar loads (`window.ZAFClient`): the
/// only URL outside the zip that the app may load.
pub const ZAF_SDK_URL: &str =
    "https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js";
/// Where the bundle goes inside the zip: the only folder Zendesk serves.
const SERVED: &str = "assets/";
/// `1` (or `true`, `yes`, `on`): package the signed-URL mode (module docs).
pub const SIGNED_URLS_ENV: &str = "BT_ZENDESK_SIGNED_URLS";
/// Where the broker answers Zendesk's signed POST with the sidebar.
pub const SIGNED_SIDEBAR_PATH: &str = "/zendesk/sidebar";
/// Settings only the proxy-signed mode reads: in the signed-URL mode the
/// sidebar calls the broker that served it, with the session it was given.
const PROXY_ONLY_SETTINGS: &[&str] = &["broker_url", "broker_host_id", "broker_secret"];

/// File types Zendesk refuses in an app package (extension or content).
const BLOCKED_EXTENSIONS: &[&str] = &[
    "zip", "gz", "gzip", "tgz", "tar", "bz", "bz2", "7z", "rar", "xz", "pdf", "doc", "docx", "xls",
    "xlsx", "ppt", "pptx", "odt", "avi", "mp3", "mpeg", "mpg", "bin", "exe", "dll", "so", "dylib",
    "msi", "sh", "bash", "csh", "ksh", "zsh", "bat", "cmd", "ps1", "jar", "class", "apk", "dmg",
    "iso",
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

/// Writes and checks `out/zendesk-app.zip`; a zip that breaks a rule is
/// deleted.
pub fn package(root: &Path, dist: &Path, out: &Path, whitelist: &[String]) -> Result<(), String> {
    let zip = out.join("zendesk-app.zip");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let signed = signed_urls_broker(&var(SIGNED_URLS_ENV), &var(BROKER_URL_ENV))
        .map_err(|e| format!("zendesk-app.zip: {e}"))?;
    zendesk_files(
        &root.join("zendesk-manifest"),
        &dist.join("zendesk-sidebar"),
        whitelist,
    )
    .and_then(|mut files| {
        if let Some(broker) = &signed {
            signed_urls_manifest(&mut files, broker)?;
        }
        write_zip(&zip, &files)
    })
    .map_err(|e| format!("zendesk-app.zip: {e}"))?;
    match validate_zendesk_zip(&zip) {
        Ok(()) => {
            eprintln!(
                "package: {} ({} bytes{})",
                shown(root, &zip),
                fs::metadata(&zip).map_or(0, |m| m.len()),
                match &signed {
                    Some(broker) => format!(", signed URLs: {broker}{SIGNED_SIDEBAR_PATH}"),
                    None => String::new(),
                }
            );
            Ok(())
        }
        Err(violations) => {
            let _ = fs::remove_file(&zip);
            Err(listing(
                &format!("{} breaks Zendesk's rules (deleted)", shown(root, &zip)),
                &violations,
            ))
        }
    }
}

/// The manifest's `domainWhitelist`: the hosts in `list` (the comma list of
/// [`super::WHITELIST_ENV`]) and the host of `broker_url` ([`BROKER_URL_ENV`]),
/// each once. Either may be empty. A broker URL that is not an https URL
/// with a host is an error naming the variable.
pub fn domain_whitelist(list: &str, broker_url: &str) -> Result<Vec<String>, String> {
    let mut hosts: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
        .collect();
    let broker_url = broker_url.trim();
    if !broker_url.is_empty() {
        let bad = |what: &str| format!("{BROKER_URL_ENV}='{broker_url}': {what}");
        let url = url::Url::parse(broker_url).map_err(|e| {
            bad(&format!(
                "not a URL ({e}); give the broker's base URL, e.g. https://bt-broker.example.com"
            ))
        })?;
        if url.scheme() != "https" {
            return Err(bad(&format!(
                "uses {}:, but Zendesk only sends the secure setting over https",
                url.scheme()
            )));
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("has no host"))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad(
                "carries a user name or password; give the base URL only",
            ));
        }
        if !hosts.iter().any(|h| h == host) {
            hosts.push(host.to_owned());
        }
    }
    Ok(hosts)
}

/// The broker URL the signed-URL mode points at, or `None` for the default
/// (proxy-signed) mode. `flag` is [`SIGNED_URLS_ENV`]'s value, `broker_url`
/// [`BROKER_URL_ENV`]'s (already checked by [`domain_whitelist`]).
pub fn signed_urls_broker(flag: &str, broker_url: &str) -> Result<Option<String>, String> {
    match flag.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "false" | "no" | "off" => Ok(None),
        "1" | "true" | "yes" | "on" => {
            let broker = broker_url.trim().trim_end_matches('/');
            if broker.is_empty() {
                return Err(format!("{SIGNED_URLS_ENV}=1 needs {BROKER_URL_ENV}, the broker's https base URL: the app's location becomes {BROKER_URL_ENV}{SIGNED_SIDEBAR_PATH}"));
            }
            domain_whitelist("", broker)?;
            Ok(Some(broker.to_owned()))
        }
        other => Err(format!(
            "{SIGNED_URLS_ENV}='{other}': use 1 for the signed-URL mode or leave it unset"
        )),
    }
}

/// Turns the packaged manifest into the signed-URL mode: every location is
/// `broker` + [`SIGNED_SIDEBAR_PATH`] (keeping its other keys, e.g.
/// `flexible`), `signedUrls: true`, and the settings only the proxy mode
/// reads ([`PROXY_ONLY_SETTINGS`], the secret among them) are gone.
pub fn signed_urls_manifest(
    files: &mut BTreeMap<String, Vec<u8>>,
    broker: &str,
) -> Result<(), String> {
    let mut manifest: serde_json::Value =
        serde_json::from_slice(files.get("manifest.json").ok_or("manifest.json: missing")?)
            .map_err(|e| format!("manifest.json: not JSON: {e}"))?;
    let url = format!("{}{SIGNED_SIDEBAR_PATH}", broker.trim_end_matches('/'));
    let hosts = manifest["location"]
        .as_object_mut()
        .ok_or("manifest.json: location is not an object")?;
    for locations in hosts.values_mut().filter_map(|l| l.as_object_mut()) {
        for spec in locations.values_mut() {
            match spec {
                serde_json::Value::Object(o) => {
                    o.insert("url".into(), url.clone().into());
                }
                other => *other = url.clone().into(),
            }
        }
    }
    manifest["signedUrls"] = true.into();
    if let Some(params) = manifest["parameters"].as_array_mut() {
        params.retain(|p| {
            !p["name"]
                .as_str()
                .is_some_and(|n| PROXY_ONLY_SETTINGS.contains(&n))
        });
    }
    files.insert(
        "manifest.json".into(),
        serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string())?,
    );
    Ok(())
}

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

    let mut bundle = super::read_bundle(sidebar_dist)?;
    super::relative_index(&mut bundle)?;
    for (rel, data) in bundle {
        let (target, data) = if rel == "index.html" {
            let html = String::from_utf8(data).map_err(|_| "index.html: not UTF-8".to_owned())?;
            let html = ensure_zaf_sdk(&html)?;
            let mut root_refs: Vec<String> = html::html_refs(&html)?
                .into_iter()
                .map(|r| r.value)
                .filter(|v| v.starts_with('/') && !v.starts_with("//"))
                .collect();
            root_refs.sort();
            root_refs.dedup();
            if !root_refs.is_empty() {
                return Err(format!(
                    "iframe.html still loads {} from the site root, which Zendesk does not serve",
                    root_refs.join(", ")
                ));
            }
            (format!("{SERVED}iframe.html"), html.into_bytes())
        } else {
            (format!("{SERVED}{rel}"), data)
        };
        if files.insert(target.clone(), data).is_some() {
            return Err(format!(
                "{target} exists both in zendesk-manifest/ and in the sidebar bundle"
            ));
        }
    }
    Ok(files)
}

/// The packaged sidebar needs `window.ZAFClient`: a `<script src>` loading
/// the demo's local SDK (`../vendor/zaf_sdk.js`, however the attribute is
/// written) loads Zendesk's hosted one instead; when the page loads no SDK,
/// the hosted one is added at the end of `<head>`. It is a classic
/// (parser-blocking) script, so it runs before trunk's module script, which
/// is deferred until the document is parsed.
pub fn ensure_zaf_sdk(html: &str) -> Result<String, String> {
    html::use_hosted_script(html, LOCAL_ZAF_SDK, ZAF_SDK_URL)
}

/// Zendesk's offline rules for an app zip; `Err` lists every violation.
///
/// - `manifest.json` at the root, valid JSON, with `author.name`,
///   `author.email`, `defaultLocale`, `location` (with `support.ticket_sidebar`;
///   known Support locations only) and `frameworkVersion` "2.0"; parameters
///   with unique names (not `name`), known types, boolean `required`/`secure`,
///   no required hidden or secure oauth parameter, `scopes` (a non-empty
///   list, e.g. `["jwt_secret_key"]`) on every secure one; `domainWhitelist`
///   an array of strings;
/// - every location URL either `assets/...` naming a file in the zip, or https;
///   with `signedUrls: true` every one remote (Zendesk signs only those);
/// - `translations/<defaultLocale>.json` with `app.name` (and the public-app
///   descriptions when not private) and a `label` and `helpText` for every
///   parameter; every `translations/*.json` a JSON object named by a locale;
/// - `assets/logo.png` a PNG of exactly 320x320, `assets/logo-small.png` a
///   PNG of 128x128 (read from the IHDR);
/// - no blocked file types (by extension or content: archives, pdf, office
///   documents, executables, scripts, ...), no symlinks, no paths escaping
///   the zip, every file under [`ZENDESK_FILE_LIMIT`];
/// - every reference in the html, css and js under `assets/` names a file
///   of the zip under `assets/` (relative to the referring file), or is
///   [`ZAF_SDK_URL`] ([`html::reference_problems`]).
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

    let contents: BTreeMap<String, Vec<u8>> = files
        .iter()
        .map(|(name, e)| ((*name).to_owned(), e.data.clone()))
        .collect();
    errors.extend(html::reference_problems(&contents, SERVED, &[ZAF_SDK_URL]));

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

    let signed_urls = m.get("signedUrls").and_then(|v| v.as_bool()) == Some(true);
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
                    if signed_urls && !url.contains("://") {
                        err(format!("location.{host}.{name} url '{url}' is in the zip, but with signedUrls: true Zendesk signs only remote (https) locations: the app would open without a token"));
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
                if p["secure"] == true && !scoped(p) {
                    err(format!("parameter '{name}' is secure but has no scopes (e.g. [\"jwt_secret_key\"]); Zendesk flags an unscoped secure setting as a token-exposure risk"));
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

/// `scopes`: a non-empty list of non-empty strings (where Zendesk may put
/// the secure value: `header`, `body`, `url`, `jwt_secret_key`).
fn scoped(p: &serde_json::Value) -> bool {
    p["scopes"].as_array().is_some_and(|scopes| {
        !scopes.is_empty()
            && scopes
                .iter()
                .all(|s| s.as_str().is_some_and(|s| !s.trim().is_empty()))
    })
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

#[cfg(test)]
mod tests;
