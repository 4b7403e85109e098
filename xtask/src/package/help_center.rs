//! The Zendesk Guide (help center) package: `help-center/`, the
//! `help-center` bundle as ONE classic script asset with the wasm inlined
//! (Guide themes cannot host `.wasm`), the `request_page.hbs` snippet and a
//! README, and Guide's asset rules for it ([`validate_help_center`]).

use std::fs;
use std::path::{Path, PathBuf};

use super::{listing, shown, walk};

/// Guide's per-asset limit, read strictly (5 MB as 5,000,000 bytes).
pub const GUIDE_ASSET_LIMIT: u64 = 5_000_000;
/// The help-center asset's file name, as the snippet references it.
pub const HELP_CENTER_JS: &str = "bt-click-to-chat.js";
/// Guide theme assets: js, css, html, json, txt, xml, images and fonts.
const GUIDE_EXTENSIONS: &[&str] = &[
    "js", "css", "html", "json", "txt", "xml", "png", "jpg", "jpeg", "gif", "svg", "webp", "ico",
    "bmp", "woff", "woff2", "ttf", "otf", "eot",
];

/// Writes and checks `out/help-center/`.
pub fn package(root: &Path, dist: &Path, out: &Path) -> Result<(), String> {
    let hc = out.join("help-center");
    write_help_center(&dist.join("help-center"), &hc).map_err(|e| format!("help-center: {e}"))?;
    match validate_help_center(&hc) {
        Ok(()) => {
            let size = fs::metadata(hc.join(HELP_CENTER_JS)).map_or(0, |m| m.len());
            eprintln!(
                "package: {}/ ({HELP_CENTER_JS}: {size} bytes)",
                shown(root, &hc)
            );
            Ok(())
        }
        Err(violations) => Err(listing(
            &format!("{}/ breaks Guide's asset rules", shown(root, &hc)),
            &violations,
        )),
    }
}

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
/// Refuses glue that imports other modules (JS snippets). Also what
/// `inline_page` puts into a page's module script.
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
            return Err(format!("the wasm-bindgen glue imports another module (`{}`); JS snippets cannot go into one script (the help-center asset, an inlined page)", trimmed.trim()));
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
                        "unexpected default export in the wasm-bindgen glue: `{}`",
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
                    "unexpected export in the wasm-bindgen glue: `{}`",
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
            "the wasm-bindgen glue uses import.meta or import(), which a classic script cannot"
                .into(),
        );
    }
    let default =
        default.ok_or("the wasm-bindgen glue has no default export (wasm-bindgen's init)")?;
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
`xtask/src/package/help_center.rs` and the `help-center` app).

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
- `#bt-config` is one JSON object (the keys the app reads):
  - `record` (required): the request id; Guide replaces `{{{{request.id}}}}`
    with it. It becomes the session's external key.
  - `hostname` (required): the appliance hostname, no `https://`.
  - `issues`: `issue_code=Issue Name` lines separated by `\n` (empty: no
    issue menu), the format of the Zendesk app's **Issues** setting.
  - optional: `locale` (e.g. `de`; default: the browser's), `theme`
    (`light` or `dark`).
- The script may sit anywhere after the mount element (or in the document
  head: it waits for `DOMContentLoaded`); including it twice is harmless.

## Content-Security-Policy

If your help center sends a Content-Security-Policy, this is the strictest
one the app works under (the end-to-end tests serve the request page with
exactly this policy and fail on any violation):

```
default-src 'none'; script-src https://ASSET-HOST 'wasm-unsafe-eval'; style-src 'unsafe-inline'
```

- `https://ASSET-HOST` is the origin Guide serves theme assets from (the
  host in the URL of `{HELP_CENTER_JS}`).
- `'wasm-unsafe-eval'` lets the inlined WebAssembly be compiled; without it
  the button never appears. It allows WebAssembly only, not `eval`.
- `style-src 'unsafe-inline'` is for the app's own `<style>` elements
  (its theme and widget CSS). A hash per element would work too, but the
  hashes change with every build.
- The app makes no requests of its own (`connect-src` may stay `'none'`):
  the button opens the appliance's `start_session` page in a new window.
  Your own policy naturally also lists what the rest of your theme needs.
"#
    )
}

#[cfg(test)]
mod tests;
