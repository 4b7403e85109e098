use super::halo;
use super::help_center::HELP_CENTER_JS;
use super::salesforce::{SALESFORCE_RESOURCE, STATIC_RESOURCES};
use super::testkit::{copy_into, fake_help_center, fake_sidebar, repo, Scratch};
use super::zendesk::{validate_zendesk_zip, zendesk_files, ZAF_SDK_URL};
use super::*;

#[test]
fn package_end_to_end_from_fake_bundles() {
    let root = Scratch::new("root");
    copy_into(
        &repo().join("zendesk-manifest"),
        &root.0.join("zendesk-manifest"),
    );
    fake_sidebar(&root.0.join("target/dist/zendesk-sidebar"));
    fake_help_center(&root.0.join("target/dist/help-center"));
    copy_into(
        &repo().join("salesforce-lwc-wrapper"),
        &root.0.join("salesforce-lwc-wrapper"),
    );
    root.write(
        "salesforce-lwc-wrapper/node_modules/x/index.js",
        "local state",
    );
    root.write("target/dist/salesforce-case/index.html", "<html></html>");
    root.write(
        "target/dist/salesforce-case/app_bg.wasm",
        b"\0asm\x01\0\0\0",
    );
    root.write("target/dist/halo/index.html", "<html></html>");
    let out = root.0.join("target/packages");
    package_into(&root.0, &out, &[]).unwrap();
    assert_eq!(validate_zendesk_zip(&out.join("zendesk-app.zip")), Ok(()));
    assert!(out.join("help-center").join(HELP_CENTER_JS).is_file());
    // The SFDX project ships without node_modules, with the bundle as an
    // expanded static resource.
    let sf = out.join("salesforce");
    assert!(sf.join("sfdx-project.json").is_file());
    assert!(!sf.join("node_modules").exists());
    let resource = sf.join(STATIC_RESOURCES).join(SALESFORCE_RESOURCE);
    let names: Vec<String> = walk(&resource)
        .unwrap()
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    assert_eq!(names, ["app_bg.wasm", "index.html"]);
    assert!(sf
        .join(STATIC_RESOURCES)
        .join(format!("{SALESFORCE_RESOURCE}.resource-meta.xml"))
        .is_file());
    assert!(out.join("halo/index.html").is_file());
    assert_eq!(
        fs::read_to_string(out.join("halo/config.example.json")).unwrap(),
        halo::CONFIG_EXAMPLE
    );

    // A broken bundle: the zip is deleted and every problem is named.
    root.write("target/dist/zendesk-sidebar/run.sh", "echo");
    root.write("target/dist/help-center/extra.js", "1");
    let e = package_into(&root.0, &out, &[]).unwrap_err();
    assert!(e.contains("target/packages/zendesk-app.zip breaks Zendesk's rules (deleted): 1 problem(s)\n  - assets/run.sh: blocked file type (.sh)"), "{e}");
    assert!(
        e.contains("help-center: the help-center bundle has scripts besides its glue (extra.js)"),
        "{e}"
    );
    assert!(!out.join("zendesk-app.zip").exists());
}

/// The bundles `cargo xtask build` wrote, when it has run: the zip made of
/// the real sidebar bundle passes every Zendesk rule, the reference check
/// included, and loads the hosted SDK; the Salesforce and Halo pages refer
/// only to their own files.
#[test]
fn the_real_bundles_package_cleanly() {
    let dist = repo().join("target/dist");
    if !dist.join("zendesk-sidebar/index.html").is_file() {
        eprintln!("skipped: no target/dist/zendesk-sidebar (run `cargo xtask build`)");
        return;
    }
    let files = zendesk_files(
        &repo().join("zendesk-manifest"),
        &dist.join("zendesk-sidebar"),
        &[],
    )
    .unwrap();
    let s = Scratch::new("real");
    let zip = s.0.join("app.zip");
    zip::write_zip(&zip, &files).unwrap();
    assert_eq!(validate_zendesk_zip(&zip), Ok(()));
    let iframe = String::from_utf8(files["assets/iframe.html"].clone()).unwrap();
    assert!(!iframe.contains("vendor/"), "{iframe}");
    assert_eq!(iframe.matches(ZAF_SDK_URL).count(), 1, "{iframe}");
    for app in ["salesforce-case", "halo"] {
        if !dist.join(app).join("index.html").is_file() {
            continue;
        }
        let mut bundle = read_bundle(&dist.join(app)).unwrap();
        relative_index(&mut bundle).unwrap();
        let problems = if app == "halo" {
            super::halo::reference_problems(&bundle)
        } else {
            html::reference_problems(&bundle, "", &[])
        };
        assert_eq!(problems, Vec::<String>::new(), "{app}");
    }
}

#[test]
fn listings_count_and_indent_their_items() {
    assert_eq!(
        listing("x", &["a".into(), "b".into()]),
        "x: 2 problem(s)\n  - a\n  - b"
    );
}
