use super::*;
use crate::package::testkit::{
    fake_sidebar, png, raw_settings_fields, real_sidebar, repo, Scratch, REAL_CSS, REAL_JS,
    REAL_TRUNK_HTML, TRUNK_HTML,
};

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
    for field in raw_settings_fields() {
        assert!(
            names.contains(&field.as_str()),
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
    // Zendesk inserts the secret only where a scope allows it: here as
    // the key that signs the broker JWT, never into a URL or body.
    assert_eq!(secret["scopes"], serde_json::json!(["jwt_secret_key"]));
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
fn the_iframe_gets_the_hosted_zaf_sdk_once() {
    let files = good_files();
    let html = String::from_utf8(files["assets/iframe.html"].clone()).unwrap();
    assert_eq!(html.matches(ZAF_SDK_URL).count(), 1);
    // The demo's local SDK is swapped for Zendesk's hosted one.
    let local =
        ensure_zaf_sdk("<head><script src=\"../vendor/zaf_sdk.js\"></script></head>").unwrap();
    assert_eq!(
        local,
        format!("<head><script src=\"{ZAF_SDK_URL}\"></script></head>")
    );
    // A classic script in <head>: it runs while the page is parsed, before
    // the deferred module that starts the app.
    let tag = format!("<script src=\"{ZAF_SDK_URL}\"></script></head>");
    assert!(html.contains(&tag), "{html}");
    assert!(html.find("<meta charset").unwrap() < html.find(ZAF_SDK_URL).unwrap());
    assert_eq!(ensure_zaf_sdk(&html).unwrap(), html, "not added twice");
}

/// The hosted SDK, as the rewritten `<script>` carries it.
fn hosted_tag() -> String {
    format!("<script src=\"{ZAF_SDK_URL}\"></script>")
}

#[test]
fn the_real_minified_page_loads_the_hosted_sdk_instead_of_the_local_one() {
    assert!(REAL_TRUNK_HTML.contains("<script src=../vendor/zaf_sdk.js></script>"));
    let html = ensure_zaf_sdk(REAL_TRUNK_HTML).unwrap();
    assert!(
        !html.contains("vendor/") && !html.contains("zaf_sdk.js"),
        "{html}"
    );
    assert_eq!(html.matches(ZAF_SDK_URL).count(), 1, "{html}");
    // In place: after the title, before the stylesheets and the module
    // script that starts the app.
    let at = html.find(&hosted_tag()).expect("the hosted SDK tag");
    assert!(html.find("<title>").unwrap() < at, "{html}");
    assert!(at < html.find("<script type=module>").unwrap(), "{html}");
    assert_eq!(
        html,
        REAL_TRUNK_HTML.replace("<script src=../vendor/zaf_sdk.js></script>", &hosted_tag())
    );
    assert_eq!(ensure_zaf_sdk(&html).unwrap(), html, "not added twice");
}

#[test]
fn every_form_of_the_local_sdk_attribute_is_replaced() {
    for local in [
        r#"<script src="../vendor/zaf_sdk.js"></script>"#,
        "<script src='../vendor/zaf_sdk.js'></script>",
        "<script src=../vendor/zaf_sdk.js></script>",
        "<SCRIPT SRC=../vendor/ZAF_SDK.JS></SCRIPT>",
        r#"<script defer type="text/javascript" src = "../vendor/zaf_sdk.js?v=2"></script>"#,
    ] {
        let page = REAL_TRUNK_HTML.replace("<script src=../vendor/zaf_sdk.js></script>", local);
        let html = ensure_zaf_sdk(&page).unwrap();
        assert!(
            !html.to_ascii_lowercase().contains("vendor/"),
            "{local}: {html}"
        );
        assert_eq!(html.matches(ZAF_SDK_URL).count(), 1, "{local}: {html}");
        assert!(
            html.find(ZAF_SDK_URL).unwrap() < html.find("<script type=module>").unwrap(),
            "{local}: {html}"
        );
    }
    // A page without the SDK gets it once, before its first script or link.
    let bare = REAL_TRUNK_HTML.replace("<script src=../vendor/zaf_sdk.js></script>", "");
    let html = ensure_zaf_sdk(&bare).unwrap();
    assert_eq!(html.matches(ZAF_SDK_URL).count(), 1, "{html}");
    assert!(
        html.find(ZAF_SDK_URL).unwrap() < html.find("<link").unwrap(),
        "{html}"
    );
}

/// The zip made of [`real_sidebar`]: the real page and its file names.
fn real_files() -> BTreeMap<String, Vec<u8>> {
    let s = Scratch::new("real-sidebar");
    real_sidebar(&s.0);
    zendesk_files(&repo().join("zendesk-manifest"), &s.0, &[]).unwrap()
}

#[test]
fn the_real_bundle_makes_a_zip_that_passes() {
    let files = real_files();
    assert_eq!(check(&files), Ok(()));
    let html = String::from_utf8(files["assets/iframe.html"].clone()).unwrap();
    assert!(html.contains(&format!("from './{REAL_JS}'")), "{html}");
    assert!(html.contains(&hosted_tag()), "{html}");
}

#[test]
fn a_zip_whose_page_loads_the_local_sdk_is_refused() {
    let mut files = real_files();
    files.insert(
        "assets/iframe.html".into(),
        REAL_TRUNK_HTML.as_bytes().to_vec(),
    );
    assert_eq!(
        violations(&files),
        ["assets/iframe.html: ../vendor/zaf_sdk.js: names vendor/zaf_sdk.js, outside assets/, which is all the host serves"]
    );
}

#[test]
fn a_zip_missing_a_stylesheet_its_page_links_is_refused() {
    let mut files = real_files();
    files.remove(&format!("assets/{}", REAL_CSS[0]));
    let html = String::from_utf8(files["assets/iframe.html"].clone()).unwrap();
    files.insert(
        "assets/iframe.html".into(),
        html.replace("<title>", "<link rel=stylesheet href=app.css><title>")
            .into_bytes(),
    );
    let css = REAL_CSS[0];
    assert_eq!(
        violations(&files),
        [
            "assets/iframe.html: app.css: names assets/app.css, which the package does not contain".to_owned(),
            format!("assets/iframe.html: ./{css}: names assets/{css}, which the package does not contain"),
        ]
    );
    // Stylesheets are scanned too, and other sites are refused.
    let mut files = real_files();
    let css = REAL_CSS[1];
    files.insert(
        format!("assets/{css}"),
        b"@import url(fonts.css);.x{background:url('https://cdn.example.com/x.png')}".to_vec(),
    );
    assert_eq!(
        violations(&files),
        [
            format!("assets/{css}: fonts.css: names assets/fonts.css, which the package does not contain"),
            format!("assets/{css}: https://cdn.example.com/x.png: loads from another site; only {ZAF_SDK_URL} may be loaded"),
        ]
    );
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
    let e = zendesk_files(&repo().join("zendesk-manifest"), &s.0.join("nope"), &[]).unwrap_err();
    assert!(e.contains("build the widget apps first"), "{e}");
}

#[test]
fn the_domain_whitelist_comes_from_the_environment_list() {
    let s = Scratch::new("wl");
    fake_sidebar(&s.0);
    let whitelist = domain_whitelist(
        " bt-broker.example.com, ,other.example.com",
        "https://bt-broker.example.com",
    )
    .unwrap();
    let files = zendesk_files(&repo().join("zendesk-manifest"), &s.0, &whitelist).unwrap();
    let m: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(
        m["domainWhitelist"],
        serde_json::json!(["bt-broker.example.com", "other.example.com"])
    );
    assert_eq!(check(&files), Ok(()));
    let files = zendesk_files(&repo().join("zendesk-manifest"), &s.0, &[]).unwrap();
    let m: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(m.get("domainWhitelist"), None, "none given: none written");
}

#[test]
fn the_broker_url_adds_its_host_to_the_whitelist() {
    assert_eq!(
        domain_whitelist("", "https://bt-broker.example.com"),
        Ok(vec!["bt-broker.example.com".to_owned()])
    );
    assert_eq!(
        domain_whitelist(
            "other.example.com",
            " https://BT-Broker.example.com:8443/base/ "
        ),
        Ok(vec![
            "other.example.com".to_owned(),
            "bt-broker.example.com".to_owned()
        ])
    );
    assert_eq!(domain_whitelist("", "  "), Ok(vec![]));
    assert_eq!(
            domain_whitelist("", "bt-broker.example.com"),
            Err("BT_BROKER_URL='bt-broker.example.com': not a URL (relative URL without a base); give the broker's base URL, e.g. https://bt-broker.example.com".to_owned())
        );
    assert_eq!(
            domain_whitelist("", "http://bt-broker.example.com"),
            Err("BT_BROKER_URL='http://bt-broker.example.com': uses http:, but Zendesk only sends the secure setting over https".to_owned())
        );
    assert_eq!(
            domain_whitelist("", "https://me:pw@bt-broker.example.com"),
            Err("BT_BROKER_URL='https://me:pw@bt-broker.example.com': carries a user name or password; give the base URL only".to_owned())
        );
}

#[test]
fn a_secure_setting_without_scopes_is_caught() {
    let mut files = good_files();
    let unscoped = |files: &mut BTreeMap<String, Vec<u8>>, scopes: Option<serde_json::Value>| {
        edit_json(files, "manifest.json", |m| {
            let secret = m["parameters"]
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .find(|p| p["name"] == "broker_secret")
                .unwrap()
                .as_object_mut()
                .unwrap();
            match scopes {
                Some(s) => secret.insert("scopes".into(), s),
                None => secret.remove("scopes"),
            };
        });
    };
    let want = ["manifest.json: parameter 'broker_secret' is secure but has no scopes (e.g. [\"jwt_secret_key\"]); Zendesk flags an unscoped secure setting as a token-exposure risk"];
    unscoped(&mut files, None);
    assert_eq!(violations(&files), want);
    unscoped(&mut files, Some(serde_json::json!([])));
    assert_eq!(violations(&files), want);
    unscoped(&mut files, Some(serde_json::json!("jwt_secret_key")));
    assert_eq!(violations(&files), want);
    unscoped(&mut files, Some(serde_json::json!(["header"])));
    assert_eq!(check(&files), Ok(()));
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

/// The committed manifest and a fake bundle, packaged in the signed-URL
/// mode for `broker`.
fn signed_files(broker: &str) -> BTreeMap<String, Vec<u8>> {
    let s = Scratch::new("signed");
    fake_sidebar(&s.0);
    let whitelist = domain_whitelist("", broker).unwrap();
    let mut files = zendesk_files(&repo().join("zendesk-manifest"), &s.0, &whitelist).unwrap();
    signed_urls_manifest(&mut files, broker).unwrap();
    files
}

#[test]
fn the_signed_url_package_points_at_the_broker_and_carries_no_secret_setting() {
    let files = signed_files("https://bt-broker.example.com/");
    assert_eq!(check(&files), Ok(()));
    let m: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(m["signedUrls"], true);
    for location in ["ticket_sidebar", "new_ticket_sidebar"] {
        assert_eq!(
            m["location"]["support"][location],
            serde_json::json!({"url": "https://bt-broker.example.com/zendesk/sidebar", "flexible": true}),
            "{location}"
        );
    }
    let names = setting_names(&m);
    for gone in ["broker_secret", "broker_host_id", "broker_url"] {
        assert!(!names.contains(&gone), "{gone} in {names:?}");
    }
    assert!(names.contains(&"hostname"), "{names:?}");
    assert!(
        m["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["secure"] != true),
        "no secure setting: {m}"
    );
    assert_eq!(
        m["domainWhitelist"],
        serde_json::json!(["bt-broker.example.com"])
    );
    // The default package stays proxy-signed.
    let m: serde_json::Value = serde_json::from_slice(&good_files()["manifest.json"]).unwrap();
    assert_eq!(m.get("signedUrls"), None);
    assert!(setting_names(&m).contains(&"broker_secret"));
}

#[test]
fn signed_urls_with_a_location_in_the_zip_are_caught() {
    let mut files = signed_files("https://bt-broker.example.com");
    edit_json(&mut files, "manifest.json", |m| {
        m["location"]["support"]["new_ticket_sidebar"]["url"] = "assets/iframe.html".into();
    });
    assert_eq!(
        violations(&files),
        ["manifest.json: location.support.new_ticket_sidebar url 'assets/iframe.html' is in the zip, but with signedUrls: true Zendesk signs only remote (https) locations: the app would open without a token"]
    );
}

#[test]
fn the_signed_url_mode_needs_an_https_broker_url() {
    assert_eq!(signed_urls_broker("", "https://b.example.com"), Ok(None));
    assert_eq!(signed_urls_broker("0", ""), Ok(None));
    assert_eq!(
        signed_urls_broker(" 1 ", " https://b.example.com/ "),
        Ok(Some("https://b.example.com".to_owned()))
    );
    assert_eq!(
        signed_urls_broker("1", ""),
        Err("BT_ZENDESK_SIGNED_URLS=1 needs BT_BROKER_URL, the broker's https base URL: the app's location becomes BT_BROKER_URL/zendesk/sidebar".to_owned())
    );
    assert!(signed_urls_broker("true", "http://b.example.com")
        .unwrap_err()
        .contains("uses http:"));
    assert_eq!(
        signed_urls_broker("maybe", "https://b.example.com"),
        Err(
            "BT_ZENDESK_SIGNED_URLS='maybe': use 1 for the signed-URL mode or leave it unset"
                .to_owned()
        )
    );
}
