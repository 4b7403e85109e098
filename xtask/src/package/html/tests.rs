use super::*;
use crate::package::testkit::TRUNK_HTML;

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn values(refs: Vec<Reference>) -> Vec<String> {
    refs.into_iter().map(|r| r.value).collect()
}

#[test]
fn iframe_references_become_relative() {
    let names = names(&[
        "zendesk-sidebar-e093.js",
        "zendesk-sidebar-e093_bg.wasm",
        "zendesk-sidebar-9c87.css",
    ]);
    let html = relative_refs(TRUNK_HTML, &names).unwrap();
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
    let root_relative: Vec<String> = values(html_refs(&html).unwrap())
        .into_iter()
        .filter(|v| v.starts_with('/'))
        .collect();
    assert_eq!(root_relative, Vec::<String>::new());
    // A public URL prefix (`trunk --public-url /apps/zendesk-sidebar/`) goes too.
    let prefixed = TRUNK_HTML
        .replace("'/zendesk", "'/apps/zendesk-sidebar/zendesk")
        .replace("\"/zendesk", "\"/apps/zendesk-sidebar/zendesk");
    assert_eq!(relative_refs(&prefixed, &names).unwrap(), html);
    // Already relative: unchanged.
    assert_eq!(relative_refs(&html, &names).unwrap(), html);
}

#[test]
fn unquoted_and_single_quoted_attributes_become_relative_too() {
    let names = names(&["app.js", "app.css"]);
    let html = "<HEAD><LINK REL=stylesheet HREF=/app.css><script SRC='/app.js'></script></HEAD>";
    assert_eq!(
        relative_refs(html, &names).unwrap(),
        "<HEAD><LINK REL=stylesheet HREF=\"./app.css\"><script SRC=\"./app.js\"></script></HEAD>"
    );
}

#[test]
fn every_src_href_and_script_load_is_listed() {
    let html = "<!doctype html><html><head>\
        <link rel=modulepreload href=./a.js crossorigin>\
        <link rel='preload' href='./a_bg.wasm' as=fetch>\
        <LINK REL=\"stylesheet\" HREF=\"css/site.css\">\
        <script src=../vendor/zaf_sdk.js></script>\
        <style>@import 'extra.css'; body{background:url(img/bg.png)}</style>\
        <script type=module>import init, * as b from './a.js';\
        const w = await init({ module_or_path: './a_bg.wasm' });</script>\
        </head><body><img src=logo.png><a href=https://example.com/>x</a></body></html>";
    let refs = html_refs(html).unwrap();
    assert_eq!(
        values(refs.clone()),
        [
            "./a.js",
            "./a_bg.wasm",
            "css/site.css",
            "../vendor/zaf_sdk.js",
            "extra.css",
            "img/bg.png",
            "./a.js",
            "./a_bg.wasm",
            "logo.png",
            "https://example.com/",
        ]
    );
    let kinds: Vec<Kind> = refs.iter().map(|r| r.kind).collect();
    use Kind::*;
    assert_eq!(
        kinds,
        [Load, Load, Load, Load, Load, Load, Module, BootWasm, Load, Link]
    );
}

#[test]
fn css_urls_and_imports_are_listed_in_nested_blocks() {
    let css = r#"/* url(commented.png) */
@import "a.css";
@import url(b.css) screen;
@media (min-width: 1px) { .x { background: URL( 'c.png' ) no-repeat, url(d.svg#i); } }
@font-face { src: url("f.woff2") format("woff2"); }
.y::before { content: "url(not-a-ref.png)"; }"#;
    assert_eq!(
        css_refs(css),
        ["a.css", "b.css", "c.png", "d.svg#i", "f.woff2"]
    );
}

#[test]
fn js_module_specifiers_and_wasm_paths_are_listed() {
    // wasm-bindgen's glue, minified by trunk, and its boot script.
    let js = r#"import{helper as h}from"./snippets/app-1/inline0.js";import './side.js';
const m = await import("./lazy.js");
// import './commented.js'
if(a===undefined){a=new URL("app-e093_bg.wasm",import.meta.url)}
init({module_or_path:'./app-e093_bg.wasm'});
const s = "import from here"; x.import('nope.js'); from('bare');
import init from 'bare-package';"#;
    assert_eq!(
        values(js_refs(js)),
        [
            "./snippets/app-1/inline0.js",
            "./side.js",
            "./lazy.js",
            "app-e093_bg.wasm",
            "./app-e093_bg.wasm",
        ]
    );
}

fn package(files: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|(n, d)| ((*n).to_owned(), d.as_bytes().to_vec()))
        .collect()
}

#[test]
fn references_resolve_against_the_referring_files_folder() {
    let files = package(&[
        ("assets/iframe.html", "<link rel=stylesheet href=css/app.css><script src=https://cdn.example.com/sdk.js></script><script src=https://ok.example.com/sdk.js></script><img src=data:image/png;base64,AA><a href=#top>t</a><iframe src=about:blank></iframe>"),
        ("assets/css/app.css", "@import '../fonts.css'; .a{background:url(../img/missing.png)} .b{background:url(../../manifest.json)} .c{background:url(../../../x.png)}"),
        ("assets/fonts.css", "@font-face{src:url(/fonts/f.woff2)}"),
        ("manifest.json", "{}"),
    ]);
    assert_eq!(
        reference_problems(&files, "assets/", &["https://ok.example.com/sdk.js"]),
        [
            "assets/css/app.css: ../img/missing.png: names assets/img/missing.png, which the package does not contain",
            "assets/css/app.css: ../../manifest.json: names manifest.json, outside assets/, which is all the host serves",
            "assets/css/app.css: ../../../x.png: points outside the package",
            "assets/fonts.css: /fonts/f.woff2: loads from the site root, which the host does not serve; use a relative path",
            "assets/iframe.html: https://cdn.example.com/sdk.js: loads from another site; only https://ok.example.com/sdk.js may be loaded",
        ]
    );
    let fixed = package(&[
        (
            "index.html",
            "<script type=module src='./app.js?v=1#x'></script>",
        ),
        ("app.js", "new URL('app_bg.wasm', import.meta.url)"),
        ("app_bg.wasm", ""),
    ]);
    assert_eq!(reference_problems(&fixed, "", &[]), Vec::<String>::new());
}

/// wasm-bindgen's glue names the unhashed wasm as its default; trunk's page
/// passes the hashed one. The default only counts when no page boots the
/// glue with a wasm of its own.
#[test]
fn a_glues_default_wasm_counts_only_when_no_page_passes_one() {
    let glue = "export default async function init(m){if(m===undefined){m=new URL('app_bg.wasm',import.meta.url)}}";
    let booted = package(&[
        ("index.html", "<script type=module>import init from './app-1a.js';await init({ module_or_path: './app-1a_bg.wasm' });</script>"),
        ("app-1a.js", glue),
        ("app-1a_bg.wasm", ""),
    ]);
    assert_eq!(reference_problems(&booted, "", &[]), Vec::<String>::new());
    let mut unbooted = booted.clone();
    unbooted.insert(
        "index.html".into(),
        b"<script type=module>import init from './app-1a.js';await init();</script>".to_vec(),
    );
    assert_eq!(
        reference_problems(&unbooted, "", &[]),
        ["app-1a.js: app_bg.wasm: names app_bg.wasm, which the package does not contain"]
    );
    let mut wrong = booted.clone();
    wrong.remove("app-1a_bg.wasm");
    assert_eq!(
        reference_problems(&wrong, "", &[]),
        ["index.html: ./app-1a_bg.wasm: names app-1a_bg.wasm, which the package does not contain"]
    );
}
