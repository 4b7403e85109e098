//! What the package tests share: scratch directories, the repository, and
//! bundles shaped like the ones trunk and wasm-bindgen write.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::walk;

/// A scratch directory removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Self {
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
    pub fn write(&self, rel: &str, data: impl AsRef<[u8]>) -> PathBuf {
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

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A PNG header of the given size (the validator reads only the IHDR).
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let mut d = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    d.extend(w.to_be_bytes());
    d.extend(h.to_be_bytes());
    d.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    d
}

/// What trunk 0.21 writes for an app called zendesk-sidebar.
pub const TRUNK_HTML: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>BeyondTrust</title>
<link rel="stylesheet" href="/zendesk-sidebar-9c87.css" integrity="sha384-abc"/>
<script type="module">
import init, * as bindings from '/zendesk-sidebar-e093.js';
const wasm = await init({ module_or_path: '/zendesk-sidebar-e093_bg.wasm' });
window.wasmBindings = bindings;
</script>
<link rel="modulepreload" href="/zendesk-sidebar-e093.js" crossorigin="anonymous" integrity="sha384-def"><link rel="preload" href="/zendesk-sidebar-e093_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm"></head><body><a href="https://example.com/zendesk-sidebar-e093.js">x</a></body></html>"#;

pub fn fake_sidebar(dir: &Path) {
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

/// The shape wasm-bindgen 0.2.130 `--target web` writes (abridged).
pub const GLUE: &str = r#"/**
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

pub fn fake_help_center(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("index.html"), "<html><head><link rel=\"stylesheet\" href=\"/help-center-2.css\"><link rel=\"stylesheet\" href=\"/help-center-1.css\"><style>.x{top:0}</style></head><body></body></html>").unwrap();
    fs::write(dir.join("help-center-abc.js"), GLUE).unwrap();
    fs::write(dir.join("help-center-abc_bg.wasm"), b"\0asm\x01\0\0\0\xff").unwrap();
    fs::write(dir.join("help-center-1.css"), ".one{}").unwrap();
    fs::write(dir.join("help-center-2.css"), ".two{}").unwrap();
}

/// The `index.html` trunk 0.21.14 wrote for `zendesk-sidebar` (`cargo xtask
/// build`, copied verbatim): minified, so attributes are unquoted
/// (`src=../vendor/zaf_sdk.js`), `<head>` has no start tag, and the module
/// script hands init the hashed wasm.
pub const REAL_TRUNK_HTML: &str = r#"<!doctype html><html lang=en><meta charset=utf-8><meta content="width=device-width,initial-scale=1" name=viewport><title>BeyondTrust Remote Support</title><script src=../vendor/zaf_sdk.js></script><link href=./theme-fd4f75d38e32d9ba.css integrity=sha384-S3B6gVtrb063nv6mYjIIlXc61qkF8oddC0xgLtr76iT9EhwZxBS5JALVomPUhMr8 rel=stylesheet><link href=./skin-garden-d8feb16cfd0071c5.css integrity=sha384-gXtBtp89E99HtxMUl/SCADvG5XVlHxEWz6kd7dKQ+ipZGpMUFUMaUEvmxIhHVWSL rel=stylesheet><script type=module>import init, * as bindings from './zendesk-sidebar-1902a811191a156c.js';
const wasm = await init({ module_or_path: './zendesk-sidebar-1902a811191a156c_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));</script><link crossorigin href=./zendesk-sidebar-1902a811191a156c.js integrity=sha384-b0Q3Ud96SsitRl8WBYOW8VQx1Q13ODHGZM25DVu9XPpzjpd3DdeHhDFg21k7gghZ rel=modulepreload><link as=fetch crossorigin href=./zendesk-sidebar-1902a811191a156c_bg.wasm integrity=sha384-PfNrXLgVRzfQzUqUblFooEaly07E3h9WvrBI3Rxnt875gneHWBCMD7JLfLlek6q5 rel=preload type=application/wasm></head><body><main id=bt-app></main></body></html>"#;

/// The real bundle's file names.
pub const REAL_JS: &str = "zendesk-sidebar-1902a811191a156c.js";
pub const REAL_WASM: &str = "zendesk-sidebar-1902a811191a156c_bg.wasm";
pub const REAL_CSS: [&str; 2] = [
    "theme-fd4f75d38e32d9ba.css",
    "skin-garden-d8feb16cfd0071c5.css",
];

/// A sidebar bundle shaped like the real one: [`REAL_TRUNK_HTML`], its two
/// stylesheets, the glue (which names the unhashed wasm as its default, as
/// wasm-bindgen writes it) and the hashed wasm.
pub fn real_sidebar(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("index.html"), REAL_TRUNK_HTML).unwrap();
    fs::write(
        dir.join(REAL_JS),
        "export default async function __wbg_init(m){if(m===undefined){m=new URL('zendesk-sidebar_bg.wasm', import.meta.url)}}\n",
    )
    .unwrap();
    fs::write(dir.join(REAL_WASM), b"\0asm\x01\0\0\0").unwrap();
    for css in REAL_CSS {
        fs::write(dir.join(css), ":root{--bt:0}\n").unwrap();
    }
}

/// Copies every file under `from` (but `node_modules/`) to `to`.
pub fn copy_into(from: &Path, to: &Path) {
    for (rel, path) in walk(from).unwrap() {
        if !rel.starts_with("node_modules/") {
            let dest = to.join(&rel);
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::copy(&path, &dest).unwrap();
        }
    }
}

/// The field names of `bt_core::settings::RawSettings`, read from its source.
pub fn raw_settings_fields() -> Vec<String> {
    let core = fs::read_to_string(repo().join("components/core/src/settings.rs")).unwrap();
    let raw = core
        .split("pub struct RawSettings")
        .nth(1)
        .unwrap()
        .split("\n}")
        .next()
        .unwrap();
    raw.lines()
        .filter_map(|l| l.trim().strip_prefix("pub "))
        .map(|l| l.split(':').next().unwrap().to_owned())
        .collect()
}
