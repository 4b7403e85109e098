//! The last step of `cargo xtask build` for the apps whose `index.html` the
//! host serves as built (`inline-page = true` in their
//! `[package.metadata.xtask]`): the page carries its wasm-bindgen glue and
//! its stylesheets inline, so the only file it fetches to start is the wasm.
//!
//! Why: trunk's page fetches two stylesheets and the glue beside the wasm.
//! Every request a new page makes waits its turn for a connection, and the
//! glue must arrive, compile and run before the wasm can start. Measured on
//! the Halo page (BENCHMARKS.md, "Load steps (issue 16, fourth round)"):
//! `bt-ready` 7-10 ms sooner with the stylesheets inline, 17 ms sooner again
//! with the glue. The glue also opens with V8's compile hint
//! `//# allFunctionsCalledOnLoad`: the page calls nearly every glue function
//! while it starts, and without the hint each one was compiled on first call
//! on the main thread (89 compiles in a trace; 4 with it). Other engines
//! read it as a comment.
//!
//! The help-center app is not inlined: its package turns the glue file into
//! one classic script of its own (`package::help_center`).

use std::cell::RefCell;
use std::fs;
use std::path::Path;

use lol_html::html_content::ContentType;
use lol_html::{element, text, RewriteStrSettings};

use crate::package::help_center::glue_to_classic;

/// V8's hint that every function of the script is called while the page
/// loads, so it compiles them all with the script, in one go, instead of
/// each at its first call.
pub const COMPILE_HINT: &str = "//# allFunctionsCalledOnLoad";

/// Inlines `dist/index.html`'s local stylesheets and its wasm-bindgen glue
/// (see the module docs), then removes the inlined files. A page already
/// inlined is left as it is.
pub fn inline_page(dist: &Path) -> Result<(), String> {
    let index = dist.join("index.html");
    let html = fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let names: Vec<String> = fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let glues: Vec<&String> = names
        .iter()
        .filter(|n| {
            n.strip_suffix(".js")
                .is_some_and(|stem| names.contains(&format!("{stem}_bg.wasm")))
        })
        .collect();
    let glue_name = match glues.as_slice() {
        [glue] => glue.as_str(),
        [] if html.contains(COMPILE_HINT) => return Ok(()),
        _ => {
            return Err(format!(
                "{}: expected one wasm-bindgen glue beside its _bg.wasm, found {}",
                dist.display(),
                glues.len()
            ))
        }
    };
    let glue = fs::read_to_string(dist.join(glue_name))
        .map_err(|e| format!("{}: {e}", dist.join(glue_name).display()))?;
    let (page, inlined) = inline(&html, glue_name, &glue, |name| {
        fs::read_to_string(dist.join(name)).ok()
    })?;
    fs::write(&index, page).map_err(|e| format!("{}: {e}", index.display()))?;
    for name in inlined {
        fs::remove_file(dist.join(&name)).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

/// The page with its local stylesheets (read by `read`, by file name) and
/// the glue `glue_name` inline, and the names of the files now inside it.
/// Fails when trunk's loader does not import the glue as expected, or when
/// a file would end the element it goes into.
pub fn inline(
    html: &str,
    glue_name: &str,
    glue: &str,
    read: impl Fn(&str) -> Option<String>,
) -> Result<(String, Vec<String>), String> {
    let (body, init) = glue_to_classic(glue)?;
    if body.to_ascii_lowercase().contains("</script") {
        return Err(format!(
            "{glue_name}: contains `</script`, which would end the page's script"
        ));
    }
    // Trunk's loader, as trunk 0.21 writes it.
    let import = format!("import init, * as bindings from './{glue_name}';");
    let loader = format!(
        "{COMPILE_HINT}\n{body}\n// The wasm-bindgen glue ends: inlined by `cargo xtask build`; the page uses no other export.\n\
         const init = {init}, bindings = {{ default: {init} }};"
    );
    let inlined = RefCell::new(Vec::<String>::new());
    let problems = RefCell::new(Vec::<String>::new());
    let local = |href: &str| {
        let name = href.strip_prefix("./").unwrap_or(href);
        (!name.contains('/') && !name.contains(':')).then(|| name.to_owned())
    };
    let script = RefCell::new(String::new());
    let imported = RefCell::new(false);
    let out = lol_html::rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("link[rel=stylesheet][href]", |el| {
                let Some(name) = el.get_attribute("href").as_deref().and_then(local) else {
                    return Ok(());
                };
                let Some(css) = read(&name) else {
                    return Ok(());
                };
                if css.to_ascii_lowercase().contains("</style") {
                    problems.borrow_mut().push(format!(
                        "{name}: contains `</style`, which would end its <style>"
                    ));
                    return Ok(());
                }
                el.replace(&format!("<style>{css}</style>"), ContentType::Html);
                inlined.borrow_mut().push(name);
                Ok(())
            }))
            .append_element_content_handler(element!("link[rel=modulepreload][href]", |el| {
                if el
                    .get_attribute("href")
                    .as_deref()
                    .and_then(local)
                    .as_deref()
                    == Some(glue_name)
                {
                    el.remove();
                }
                Ok(())
            }))
            .append_element_content_handler(text!("script[type=module]", |chunk| {
                // A script's text may arrive in pieces: rewrite it whole.
                script.borrow_mut().push_str(chunk.as_str());
                if !chunk.last_in_text_node() {
                    chunk.remove();
                    return Ok(());
                }
                let text = std::mem::take(&mut *script.borrow_mut());
                if text.contains(&import) {
                    *imported.borrow_mut() = true;
                    chunk.replace(&text.replacen(&import, &loader, 1), ContentType::Html);
                } else {
                    chunk.replace(&text, ContentType::Html);
                }
                Ok(())
            })),
    )
    .map_err(|e| format!("index.html: cannot parse the HTML: {e}"))?;
    let problems = problems.into_inner();
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    if !imported.into_inner() {
        return Err(format!(
            "index.html: no module script starting with `{import}` (trunk's loader): \
             trunk changed how it loads the glue; update xtask/src/inline_page.rs"
        ));
    }
    let mut inlined = inlined.into_inner();
    inlined.push(glue_name.to_owned());
    Ok((out, inlined))
}

#[cfg(test)]
mod tests;
