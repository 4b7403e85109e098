//! References between a package's files: making trunk's root-relative ones
//! relative, listing every `src`/`href` (and the module specifiers and wasm
//! path of the scripts), and the check every package passes: each reference
//! names a file the package holds, or a listed https URL.
//!
//! HTML is parsed by `lol_html`, so attribute quoting (`"`, `'`, none),
//! order and case do not matter; CSS by `cssparser`'s tokenizer. JavaScript
//! is scanned for the few shapes wasm-bindgen and trunk write: `import … from
//! '…'`, `import('…')`, `new URL('…', import.meta.url)` and
//! `module_or_path: '…'`.

use std::cell::RefCell;
use std::collections::BTreeMap;

use lol_html::html_content::ContentType;
use lol_html::{element, end_tag, text, RewriteStrSettings};

/// One reference found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// As written (`./app.js`, `../vendor/zaf_sdk.js`, `https://…`).
    pub value: String,
    pub kind: Kind,
}

/// What a reference does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Something the page loads (`src`, `<link href>`, CSS `url()`).
    Load,
    /// A link the user follows (`<a href>`, `<area href>`): other sites
    /// are fine there.
    Link,
    /// A module a script imports.
    Module,
    /// The wasm a page hands wasm-bindgen's init (`module_or_path: '…'`).
    BootWasm,
    /// The wasm wasm-bindgen's glue fetches when its init is given none
    /// (`new URL('app_bg.wasm', import.meta.url)`; wasm-bindgen writes the
    /// unhashed name, trunk's page passes the hashed one instead).
    DefaultWasm,
}

fn rewrite(html: &str, settings: RewriteStrSettings<'_, '_>) -> Result<String, String> {
    lol_html::rewrite_str(html, settings).map_err(|e| format!("cannot parse the HTML: {e}"))
}

/// Makes every root-relative reference that ends in `/NAME` (NAME a bundle
/// file) — `src=/app-1a2b.js`, `href="/public/url/app.css"`, and in inline
/// scripts `'/app_bg.wasm'` — relative (`./NAME`), so the page loads its
/// files from wherever the host serves it. Absolute URLs (`https://...`,
/// `//cdn/...`) and relative references stay.
pub fn relative_refs(html: &str, names: &[String]) -> Result<String, String> {
    let relative = |value: &str| -> Option<String> {
        if !value.starts_with('/') || value.starts_with("//") {
            return None;
        }
        names
            .iter()
            .find(|name| value.ends_with(&format!("/{name}")))
            .map(|name| format!("./{name}"))
    };
    let script = RefCell::new(String::new());
    rewrite(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("[src], [href]", |el| {
                for attr in ["src", "href"] {
                    if let Some(new) = el.get_attribute(attr).as_deref().and_then(relative) {
                        el.set_attribute(attr, &new)?;
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(text!("script", |chunk| {
                // A script's text may arrive in pieces: rewrite it whole.
                script.borrow_mut().push_str(chunk.as_str());
                if chunk.last_in_text_node() {
                    let text = std::mem::take(&mut *script.borrow_mut());
                    chunk.replace(&relative_quoted(&text, names), ContentType::Html);
                } else {
                    chunk.remove();
                }
                Ok(())
            })),
    )
}

/// In script text: quoted strings that start at the site root and end in
/// `/NAME` become `./NAME`.
fn relative_quoted(text: &str, names: &[String]) -> String {
    let mut out = text.to_owned();
    for (start, end, value) in string_literals(text).into_iter().rev() {
        if !value.starts_with('/') || value.starts_with("//") {
            continue;
        }
        if let Some(name) = names.iter().find(|n| value.ends_with(&format!("/{n}"))) {
            out.replace_range(start..end, &format!("./{name}"));
        }
    }
    out
}

/// `(start, end, value)` of every quoted string literal in `js` (the byte
/// range of the value, inside its quotes), skipping comments.
fn string_literals(js: &str) -> Vec<(usize, usize, &str)> {
    let bytes = js.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = js[i..].find('\n').map_or(bytes.len(), |p| i + p);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = js[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |p| i + 2 + p + 2);
            }
            q @ (b'"' | b'\'' | b'`') => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != q {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(bytes.len());
                out.push((start, end, &js[start..end]));
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Makes a `<script src>` that loads a local copy of the ZAF SDK
/// (`…/zaf_sdk.js`, any case) load `hosted` instead; when no script loads
/// `hosted` then, adds `<script src="HOSTED"></script>` at the end of
/// `<head>` (before the first `<body>`, `<script>` or `<link>` when the
/// minifier left `</head>` out; at the start when there is none of them).
pub fn use_hosted_script(html: &str, local_name: &str, hosted: &str) -> Result<String, String> {
    let found = RefCell::new(false);
    let html = rewrite(
        html,
        RewriteStrSettings::new().append_element_content_handler(element!("script[src]", |el| {
            let src = el.get_attribute("src").unwrap_or_default();
            let file = src.split(['?', '#']).next().unwrap_or_default();
            let file = file.rsplit('/').next().unwrap_or_default();
            if src != hosted && file.eq_ignore_ascii_case(local_name) {
                el.set_attribute("src", hosted)?;
            }
            if el.get_attribute("src").as_deref() == Some(hosted) {
                *found.borrow_mut() = true;
            }
            Ok(())
        })),
    )?;
    if found.into_inner() {
        return Ok(html);
    }
    let tag = format!("<script src=\"{hosted}\"></script>");
    let out = rewrite(
        &html,
        RewriteStrSettings::new().append_element_content_handler(element!("head", |el| {
            if el.can_have_content() {
                let tag = tag.clone();
                el.on_end_tag(end_tag!(move |end| {
                    end.before(&tag, ContentType::Html);
                    Ok(())
                }))?;
            }
            Ok(())
        })),
    )?;
    // The end-tag handler runs only for a written `</head>`.
    if out.contains(hosted) {
        return Ok(out);
    }
    // No `</head>`: the first `<body>`, `<script>` or `<link>` decides.
    let placed = RefCell::new(false);
    let out = rewrite(
        &html,
        RewriteStrSettings::new().append_element_content_handler(element!(
            "body, script, link",
            |el| {
                if !*placed.borrow() {
                    el.before(&tag, ContentType::Html);
                    *placed.borrow_mut() = true;
                }
                Ok(())
            }
        )),
    )?;
    Ok(if placed.into_inner() {
        out
    } else {
        format!("{tag}{html}")
    })
}

/// Every reference in an HTML page: `src` and `href` of every element
/// (`<script src>`, `<link rel=stylesheet|modulepreload|preload href>`,
/// `<img src>`, …) and what its inline scripts and styles load.
pub fn html_refs(html: &str) -> Result<Vec<Reference>, String> {
    let found = RefCell::new(Vec::new());
    let script = RefCell::new(String::new());
    let style = RefCell::new(String::new());
    rewrite(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("[src], [href]", |el| {
                let kind = match el.tag_name().to_ascii_lowercase().as_str() {
                    "a" | "area" => Kind::Link,
                    _ => Kind::Load,
                };
                for attr in ["src", "href"] {
                    if let Some(value) = el.get_attribute(attr) {
                        found.borrow_mut().push(Reference {
                            value: value.trim().to_owned(),
                            kind,
                        });
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(text!("script", |chunk| {
                script.borrow_mut().push_str(chunk.as_str());
                if chunk.last_in_text_node() {
                    let text = std::mem::take(&mut *script.borrow_mut());
                    found.borrow_mut().extend(js_refs(&text));
                }
                Ok(())
            }))
            .append_element_content_handler(text!("style", |chunk| {
                style.borrow_mut().push_str(chunk.as_str());
                if chunk.last_in_text_node() {
                    let text = std::mem::take(&mut *style.borrow_mut());
                    found.borrow_mut().extend(loads(css_refs(&text)));
                }
                Ok(())
            })),
    )?;
    Ok(found.into_inner())
}

fn loads(values: Vec<String>) -> impl Iterator<Item = Reference> {
    values.into_iter().map(|value| Reference {
        value,
        kind: Kind::Load,
    })
}

/// `url(…)` (quoted or not) and `@import "…"` in a stylesheet, nested
/// blocks (`@media { … }`) included.
pub fn css_refs(css: &str) -> Vec<String> {
    use cssparser::{ParseError, Parser, ParserInput, Token};
    fn walk(p: &mut Parser<'_, '_>, out: &mut Vec<String>) {
        let mut after_import = false;
        while let Ok(token) = p.next() {
            let token = token.clone();
            let import = std::mem::take(&mut after_import);
            match token {
                Token::UnquotedUrl(url) => out.push(url.to_string()),
                Token::QuotedString(s) if import => out.push(s.to_string()),
                Token::AtKeyword(k) if k.eq_ignore_ascii_case("import") => after_import = true,
                Token::Function(name) if name.eq_ignore_ascii_case("url") => {
                    let _ = p.parse_nested_block(|p| {
                        if let Ok(s) = p.expect_string() {
                            out.push(s.to_string());
                        }
                        Ok::<(), ParseError<'_, ()>>(())
                    });
                }
                Token::Function(_)
                | Token::ParenthesisBlock
                | Token::SquareBracketBlock
                | Token::CurlyBracketBlock => {
                    let _ = p.parse_nested_block(|p| {
                        walk(p, out);
                        Ok::<(), ParseError<'_, ()>>(())
                    });
                }
                _ => {}
            }
        }
    }
    let mut input = ParserInput::new(css);
    let mut out = Vec::new();
    walk(&mut Parser::new(&mut input), &mut out);
    out
}

/// What a script loads: module specifiers that are paths or URLs
/// (`from './x.js'`, `import('./x.js')`, `import './x.js'`), the wasm
/// wasm-bindgen's glue fetches by default (`new URL('app_bg.wasm',
/// import.meta.url)`) and the one trunk's boot script passes
/// (`module_or_path: './app_bg.wasm'`).
pub fn js_refs(js: &str) -> Vec<Reference> {
    let is_path = |v: &str| {
        v.starts_with("./") || v.starts_with("../") || v.starts_with('/') || v.contains("://")
    };
    let mut out = Vec::new();
    for (start, end, value) in string_literals(js) {
        let before = js[..start - 1].trim_end();
        let after = js[(end + 1).min(js.len())..].trim_start();
        let word_before = |w: &str| {
            before.strip_suffix(w).is_some_and(|rest| {
                !rest
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.')
            })
        };
        let module = word_before("from")
            || word_before("import")
            || before.strip_suffix('(').is_some_and(|b| {
                b.trim_end().ends_with("import") && !b.trim_end().ends_with(".import")
            });
        let wasm_url = before.strip_suffix('(').is_some_and(|b| {
            b.trim_end()
                .strip_suffix("URL")
                .is_some_and(|b| b.trim_end().ends_with("new"))
        }) && after
            .strip_prefix(',')
            .is_some_and(|a| a.trim_start().starts_with("import.meta.url"));
        let boot = before
            .strip_suffix(':')
            .is_some_and(|b| b.trim_end().ends_with("module_or_path"));
        let kind = if module && is_path(value) {
            Kind::Module
        } else if wasm_url {
            Kind::DefaultWasm
        } else if boot {
            Kind::BootWasm
        } else {
            continue;
        };
        out.push(Reference {
            value: value.to_owned(),
            kind,
        });
    }
    out
}

/// The references in one file, judged by its extension (html, css, js).
fn refs_of(name: &str, data: &[u8]) -> Result<Vec<Reference>, String> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let text = || String::from_utf8(data.to_vec()).map_err(|_| "not UTF-8".to_owned());
    Ok(match ext.as_deref() {
        Some("html" | "htm") => html_refs(&text()?)?,
        Some("css") => loads(css_refs(&text()?)).collect(),
        Some("js" | "mjs") => js_refs(&text()?),
        _ => Vec::new(),
    })
}

/// The package-wide check: every reference in every html, css and js file
/// under `served` (the folder the host serves, `""` for all) must name a
/// file of `files` inside `served`, relative to the referring file's
/// folder, or be one of the `allowed` URLs. `data:`, `#…`, `about:`,
/// `blob:` and `javascript:` references are fine; links the user follows
/// may go to other sites. A glue's default wasm need not exist when every
/// page that imports the glue hands init its wasm. Returns one line per
/// problem, naming the file and the reference.
pub fn reference_problems(
    files: &BTreeMap<String, Vec<u8>>,
    served: &str,
    allowed: &[&str],
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut found = Vec::new();
    for (name, data) in files.iter().filter(|(n, _)| n.starts_with(served)) {
        match refs_of(name, data) {
            Ok(refs) => found.push((name.as_str(), refs)),
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    // Glues some page imports and boots with a wasm of its own choosing.
    let mut booted = Vec::new();
    for (name, refs) in &found {
        if refs.iter().any(|r| r.kind == Kind::BootWasm) {
            booted.extend(
                refs.iter()
                    .filter(|r| r.kind == Kind::Module)
                    .filter_map(|r| resolve(name, &r.value).ok()),
            );
        }
    }
    for (name, refs) in &found {
        let mut seen = Vec::new();
        for r in refs {
            if seen.contains(&&r.value) {
                continue;
            }
            seen.push(&r.value);
            if r.kind == Kind::DefaultWasm && booted.iter().any(|b| b == name) {
                continue;
            }
            if let Some(problem) = reference_problem(name, r, files, served, allowed) {
                problems.push(format!("{name}: {}: {problem}", r.value));
            }
        }
    }
    problems
}

/// `value` relative to the folder of `from`, as a package path (`a/b.js`),
/// without its query and fragment; `Err` when it climbs out of the package.
fn resolve(from: &str, value: &str) -> Result<String, &'static str> {
    let path = value.split(['?', '#']).next().unwrap_or_default();
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop().ok_or("points outside the package")?;
            }
            part => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

fn reference_problem(
    from: &str,
    r: &Reference,
    files: &BTreeMap<String, Vec<u8>>,
    served: &str,
    allowed: &[&str],
) -> Option<String> {
    let value = r.value.as_str();
    let lower = value.to_ascii_lowercase();
    if value.is_empty()
        || value.starts_with('#')
        || ["data:", "about:", "blob:", "javascript:"]
            .iter()
            .any(|s| lower.starts_with(s))
    {
        return None;
    }
    let scheme = value.split_once(':').is_some_and(|(s, _)| {
        s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if scheme || value.starts_with("//") {
        if r.kind == Kind::Link || allowed.contains(&value) {
            return None;
        }
        return Some(if allowed.is_empty() {
            "loads from another site; the package must carry its files".to_owned()
        } else {
            format!(
                "loads from another site; only {} may be loaded",
                allowed.join(", ")
            )
        });
    }
    if value.starts_with('/') {
        return Some(
            "loads from the site root, which the host does not serve; use a relative path".into(),
        );
    }
    let resolved = match resolve(from, value) {
        Ok(resolved) => resolved,
        Err(problem) => return Some(problem.to_owned()),
    };
    if !resolved.starts_with(served) {
        return Some(format!(
            "names {resolved}, outside {served}, which is all the host serves"
        ));
    }
    if resolved.is_empty() || value.ends_with('/') {
        return None; // the folder itself (a link to the page's directory)
    }
    (!files.contains_key(&resolved))
        .then(|| format!("names {resolved}, which the package does not contain"))
}

#[cfg(test)]
mod tests;
