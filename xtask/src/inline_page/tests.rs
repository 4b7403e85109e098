use std::collections::BTreeMap;

use super::*;
use crate::package::html::reference_problems;
use crate::package::testkit::{Scratch, GLUE, REAL_CSS, REAL_JS, REAL_TRUNK_HTML, REAL_WASM};

/// A bundle as `cargo xtask build` leaves it before this step: trunk's real
/// page, two stylesheets that say which is which, the glue and the wasm.
fn bundle(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("index.html"), REAL_TRUNK_HTML).unwrap();
    fs::write(dir.join(REAL_JS), GLUE).unwrap();
    fs::write(dir.join(REAL_WASM), b"\0asm\x01\0\0\0").unwrap();
    fs::write(dir.join(REAL_CSS[0]), ":root{--theme:1}").unwrap();
    fs::write(dir.join(REAL_CSS[1]), ":root{--skin:2}").unwrap();
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_page_carries_its_glue_and_stylesheets_and_fetches_only_the_wasm() {
    let dist = Scratch::new("inline-page");
    bundle(&dist.0);
    inline_page(&dist.0).unwrap();
    let html = fs::read_to_string(dist.0.join("index.html")).unwrap();

    // The stylesheets, in the order the page linked them (the skin after
    // the theme it overrides), and no link to them.
    let theme = html.find("<style>:root{--theme:1}</style>").expect(&html);
    let skin = html.find("<style>:root{--skin:2}</style>").expect(&html);
    assert!(theme < skin, "{html}");
    assert!(
        !html.contains("rel=stylesheet") && !html.contains(".css"),
        "{html}"
    );

    // The glue opens the module script, after the compile hint; trunk's
    // loader runs on as before, with the wasm it names.
    let script = html.split("<script type=module>").nth(1).expect(&html);
    assert!(script.starts_with(&format!("{COMPILE_HINT}\n")), "{script}");
    assert!(
        script.contains("async function __wbg_init(module_or_path)"),
        "{script}"
    );
    assert!(
        script.contains("const init = __wbg_init, bindings = { default: __wbg_init };"),
        "{script}"
    );
    assert!(
        script.contains(&format!(
            "await init({{ module_or_path: './{REAL_WASM}' }})"
        )),
        "{script}"
    );
    assert!(
        !script.contains("import ") && !script.contains("export "),
        "{script}"
    );
    assert!(
        !html.contains("modulepreload") && !html.contains(REAL_JS),
        "{html}"
    );
    // The wasm is still preloaded (with its integrity), the only file left to fetch.
    assert!(
        html.contains(&format!("href=./{REAL_WASM} integrity=sha384-")),
        "{html}"
    );

    let left = files(&dist.0);
    assert_eq!(
        left.keys().collect::<Vec<_>>(),
        ["index.html", REAL_WASM],
        "the inlined files are removed"
    );
    // Every reference still names a file the bundle holds (the ZAF SDK is the host's).
    let problems = reference_problems(&left, "", &[]);
    assert!(
        problems.iter().all(|p| p.contains("zaf_sdk.js")),
        "{problems:?}"
    );

    // Again: nothing to do, nothing changed.
    inline_page(&dist.0).unwrap();
    assert_eq!(fs::read_to_string(dist.0.join("index.html")).unwrap(), html);
}

#[test]
fn what_would_break_the_page_is_refused_and_named() {
    let read = |_: &str| Some(".a{}</style><script>alert(1)</script>".to_owned());
    let err = inline(REAL_TRUNK_HTML, REAL_JS, GLUE, read).unwrap_err();
    assert!(
        REAL_CSS
            .iter()
            .all(|css| err.contains(&format!("{css}: contains `</style`"))),
        "{err}"
    );

    let glue = GLUE.replace("return module;", "return '</script>';");
    let err = inline(REAL_TRUNK_HTML, REAL_JS, &glue, |_| None).unwrap_err();
    assert!(err.contains(REAL_JS) && err.contains("</script"), "{err}");

    let other_loader = REAL_TRUNK_HTML.replace("import init, * as bindings", "import start");
    let err = inline(&other_loader, REAL_JS, GLUE, |_| None).unwrap_err();
    assert!(err.contains("trunk's loader"), "{err}");

    let dist = Scratch::new("inline-page-no-glue");
    bundle(&dist.0);
    fs::remove_file(dist.0.join(REAL_JS)).unwrap();
    let err = inline_page(&dist.0).unwrap_err();
    assert!(err.contains("expected one wasm-bindgen glue"), "{err}");
}
