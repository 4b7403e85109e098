//! `cargo xtask build`: each trunk app's release bundle into `target/dist/APP/`.

use crate::util::{cmd, root, run, step, trunk_apps, Result};

pub fn build() -> Result {
    let apps = trunk_apps();
    if apps.is_empty() {
        return Err("no widget apps yet (apps/*/index.html)".into());
    }
    // Trunk runs offline so it never downloads its own wasm-bindgen or
    // wasm-opt; fetch crates first so the offline build has them.
    run(cmd(env!("CARGO")).args(["fetch", "--quiet"]))?;
    // The Zendesk sidebar's page loads the ZAF SDK; locally (demo, tests) that
    // is the npm SDK bundled into one script.
    run(cmd("node").args(["tools/bundle-zaf-sdk.mjs", "target/dist/vendor/zaf_sdk.js"]))?;
    for app in apps {
        step(&format!("building {app} (release)"));
        let dist = root().join("target/dist").join(&app);
        run(cmd("trunk")
            .args(["build", "--release", "--offline", "--dist"])
            .arg(&dist)
            .arg(root().join("apps").join(&app).join("index.html")))?;
        // Trunk's JS minifier cannot parse wasm-bindgen's glue and leaves it
        // as written (~40 KB): terser minifies it; the wasm-streams adapters
        // Leptos links (server_fn) but nothing can call are dropped; the
        // page's integrity hashes follow (tools/slim-bundle.mjs says why).
        run(cmd("node").arg("tools/slim-bundle.mjs").arg(&dist))?;
    }
    Ok(())
}
