//! Salesforce: `salesforce/`, the SFDX project from `salesforce-lwc-wrapper/`
//! (without local state) plus the `salesforce-case` bundle as the static
//! resource [`SALESFORCE_RESOURCE`], so an org can also host the widget
//! itself. The resource is in SFDX source format: the expanded folder
//! `force-app/main/default/staticresources/BeyondTrustWidget/` (the bundle's
//! files, `index.html` referring only to files beside it, by relative path)
//! and `BeyondTrustWidget.resource-meta.xml` (`application/zip`); the CLI
//! zips the folder on deploy. The demo and tests load the shipped
//! `…/BeyondTrustWidget/index.html` directly.
//!
//! The component itself frames the broker's `/apps/salesforce-case/index.html`
//! (the broker origin comes from its Broker URL property), not the resource,
//! so moving the resource's files changes no URL the component builds.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::{html, listing, read_bundle, relative_index, shown, walk, write_tree};

/// Name of the static resource that carries the `salesforce-case` bundle.
pub const SALESFORCE_RESOURCE: &str = "BeyondTrustWidget";
/// Where SFDX source format keeps static resources.
pub const STATIC_RESOURCES: &str = "force-app/main/default/staticresources";
/// Salesforce's limit for one static resource, applied to the sum of its
/// files (the zip the CLI makes of them is smaller).
const SALESFORCE_RESOURCE_LIMIT: u64 = 5 * 1024 * 1024;
/// Local state of the SFDX project that must not ship.
const SALESFORCE_SKIP: &[&str] = &["node_modules/", ".sf/", ".sfdx/", "coverage/"];

const RESOURCE_META: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<StaticResource xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <cacheControl>Public</cacheControl>\n    <contentType>application/zip</contentType>\n    <description>BeyondTrust Remote Support widget bundle (salesforce-case)</description>\n</StaticResource>\n";

/// Writes `out/salesforce/`.
pub fn package(root: &Path, dist: &Path, out: &Path) -> Result<(), String> {
    let sf = out.join("salesforce");
    let size = write_salesforce(root, &dist.join("salesforce-case"), &sf)
        .map_err(|e| format!("salesforce: {e}"))?;
    eprintln!(
        "package: {}/ (static resource {SALESFORCE_RESOURCE}: {size} bytes)",
        shown(root, &sf)
    );
    Ok(())
}

/// Copies the SFDX project (without local state) to `out` and adds the
/// `salesforce-case` bundle as the expanded static resource (see the module
/// docs). Returns the resource's size, the sum of its files.
pub fn write_salesforce(root: &Path, bundle: &Path, out: &Path) -> Result<u64, String> {
    let src = root.join("salesforce-lwc-wrapper");
    if !src.join("sfdx-project.json").is_file() {
        return Err(format!("{} has no sfdx-project.json", src.display()));
    }
    let mut bundle = read_bundle(bundle)?;
    relative_index(&mut bundle)?;
    let size: u64 = bundle.values().map(|data| data.len() as u64).sum();
    if size > SALESFORCE_RESOURCE_LIMIT {
        return Err(format!(
            "static resource {SALESFORCE_RESOURCE} is {size} bytes, over Salesforce's 5 MB limit"
        ));
    }
    let resource = format!("{STATIC_RESOURCES}/{SALESFORCE_RESOURCE}/");
    let placed: BTreeMap<String, Vec<u8>> = bundle
        .iter()
        .map(|(rel, data)| (format!("{resource}{rel}"), data.clone()))
        .collect();
    let problems = html::reference_problems(&placed, &resource, &[]);
    if !problems.is_empty() {
        return Err(listing(
            &format!("static resource {SALESFORCE_RESOURCE} refers to files it does not hold"),
            &problems,
        ));
    }

    // The whole output is rewritten, so no earlier `BeyondTrustWidget.resource`
    // zip (the old layout) or removed bundle file survives.
    let mut files = BTreeMap::new();
    for (rel, path) in walk(&src)? {
        let stale = rel.starts_with(&format!("{STATIC_RESOURCES}/{SALESFORCE_RESOURCE}"));
        if stale || SALESFORCE_SKIP.iter().any(|skip| rel.starts_with(skip)) {
            continue;
        }
        let data = fs::read(&path).map_err(|e| format!("cannot read {rel}: {e}"))?;
        files.insert(rel, data);
    }
    let problems = super::sfdx::metadata_problems(&files);
    if !problems.is_empty() {
        return Err(listing(
            "the SFDX metadata would not deploy as shipped",
            &problems,
        ));
    }
    files.extend(placed);
    files.insert(
        format!("{STATIC_RESOURCES}/{SALESFORCE_RESOURCE}.resource-meta.xml"),
        RESOURCE_META.as_bytes().to_vec(),
    );
    write_tree(out, &files)?;
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::package::testkit::{copy_into, repo, Scratch};

    fn project() -> Scratch {
        let root = Scratch::new("sf");
        copy_into(
            &repo().join("salesforce-lwc-wrapper"),
            &root.0.join("salesforce-lwc-wrapper"),
        );
        root
    }

    #[test]
    fn the_bundle_ships_expanded_with_its_meta_and_no_stale_zip() {
        let root = project();
        root.write(
            "salesforce-lwc-wrapper/node_modules/x/index.js",
            "local state",
        );
        let bundle = root.0.join("bundle");
        root.write(
            "bundle/index.html",
            "<html><head><link rel=stylesheet href=/app-1.css><script type=module>import init from '/app-2.js';init({module_or_path:'/app-2_bg.wasm'})</script></head></html>",
        );
        root.write("bundle/app-1.css", "body{margin:0}");
        root.write("bundle/app-2.js", "export default function init() {}");
        root.write("bundle/app-2_bg.wasm", b"\0asm\x01\0\0\0");
        let out = root.0.join("out");
        root.write(
            &format!("out/{STATIC_RESOURCES}/{SALESFORCE_RESOURCE}.resource"),
            b"PK\x03\x04old",
        );
        let size = write_salesforce(&root.0, &bundle, &out).unwrap();

        assert!(out.join("sfdx-project.json").is_file());
        assert!(!out.join("node_modules").exists());
        let resources = out.join(STATIC_RESOURCES);
        assert!(
            !resources.join("BeyondTrustWidget.resource").exists(),
            "the old zip layout is gone"
        );
        let dir = resources.join(SALESFORCE_RESOURCE);
        let names: Vec<String> = walk(&dir).unwrap().into_iter().map(|(r, _)| r).collect();
        assert_eq!(
            names,
            ["app-1.css", "app-2.js", "app-2_bg.wasm", "index.html"]
        );
        let total: u64 = names
            .iter()
            .map(|n| fs::metadata(dir.join(n)).unwrap().len())
            .sum();
        assert_eq!(size, total, "the size is the sum of the files");
        let index = fs::read_to_string(dir.join("index.html")).unwrap();
        assert!(index.contains(r#"href="./app-1.css""#), "{index}");
        assert!(index.contains("from './app-2.js'"), "{index}");
        let meta =
            fs::read_to_string(resources.join("BeyondTrustWidget.resource-meta.xml")).unwrap();
        assert!(
            meta.contains("<contentType>application/zip</contentType>"),
            "{meta}"
        );
        assert!(
            meta.contains("<cacheControl>Public</cacheControl>"),
            "{meta}"
        );
    }

    #[test]
    fn a_resource_that_loads_other_files_is_refused() {
        let root = project();
        root.write(
            "bundle/index.html",
            "<html><head><script src=../vendor/zaf_sdk.js></script><link rel=stylesheet href=app.css><script src=https://cdn.example.com/x.js></script></head></html>",
        );
        let e = write_salesforce(&root.0, &root.0.join("bundle"), &root.0.join("out")).unwrap_err();
        let dir = format!("{STATIC_RESOURCES}/{SALESFORCE_RESOURCE}");
        assert_eq!(
            e,
            format!(
                "static resource {SALESFORCE_RESOURCE} refers to files it does not hold: 3 problem(s)\n  \
                 - {dir}/index.html: ../vendor/zaf_sdk.js: names {STATIC_RESOURCES}/vendor/zaf_sdk.js, outside {dir}/, which is all the host serves\n  \
                 - {dir}/index.html: app.css: names {dir}/app.css, which the package does not contain\n  \
                 - {dir}/index.html: https://cdn.example.com/x.js: loads from another site; the package must carry its files"
            )
        );
    }

    /// Custom metadata outside a managed package is readable by admins and
    /// through the API: a signing secret there lets its reader mint a token
    /// for anyone. The shipped project signs with a certificate instead.
    #[test]
    fn the_shipped_project_keeps_no_secret_in_metadata_and_signs_rs256() {
        let src = repo().join("salesforce-lwc-wrapper/force-app/main/default");
        for (rel, path) in walk(&src.join("objects")).unwrap() {
            let text = fs::read_to_string(&path).unwrap();
            if rel.contains("__mdt/fields/") {
                assert!(
                    !rel.to_ascii_lowercase().contains("secret")
                        && !text.to_ascii_lowercase().contains("<label>broker secret"),
                    "{rel}: a secret in custom metadata"
                );
            }
        }
        let class = fs::read_to_string(src.join("classes/BeyondTrustBrokerToken.cls")).unwrap();
        assert!(
            class.contains("new Auth.JWS("),
            "signs with Auth.JWS and a certificate"
        );
        for gone in ["generateMac", "Broker_Secret__c", "HS256"] {
            assert!(!class.contains(gone), "the Apex class still has {gone}");
        }
        let mdt = "objects/BeyondTrust_Setting__mdt/fields";
        assert!(src
            .join(format!("{mdt}/Certificate_Name__c.field-meta.xml"))
            .is_file());
        assert!(src
            .join(format!("{mdt}/Subject_Field__c.field-meta.xml"))
            .is_file());
    }

    #[test]
    fn a_bundle_over_5_mb_is_refused() {
        let root = project();
        root.write("bundle/index.html", "<html></html>");
        root.write("bundle/app_bg.wasm", vec![0u8; 3 * 1024 * 1024]);
        root.write("bundle/more_bg.wasm", vec![0u8; 3 * 1024 * 1024]);
        let e = write_salesforce(&root.0, &root.0.join("bundle"), &root.0.join("out")).unwrap_err();
        assert!(e.contains("over Salesforce's 5 MB limit"), "{e}");
    }
}
