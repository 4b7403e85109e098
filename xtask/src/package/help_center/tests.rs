use super::*;
use crate::package::testkit::{fake_help_center, Scratch, GLUE};

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
