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
    for app in apps {
        step(&format!("building {app} (release)"));
        let dist = root().join("target/dist").join(&app);
        run(cmd("trunk")
            .args(["build", "--release", "--offline", "--dist"])
            .arg(&dist)
            .arg(root().join("apps").join(&app).join("index.html")))?;
    }
    Ok(())
}
