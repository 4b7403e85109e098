//! `cargo xtask build`: each trunk app's release bundle into `target/dist/APP/`.

use crate::util::{cmd, output, packages, root, run, step, trunk_apps, Result};
use bt_i18n::Lang;
use std::path::{Path, PathBuf};
use std::process::Command;

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
    let std = SizeStd::find();
    if let SizeStd::Unavailable(why) = &std {
        eprintln!(
            "warning: {why}; the release wasm is built with the stable std \
             (about 14-19 KB gzip larger per app, docs/toolchain.md)"
        );
    }
    let bundling = apps_bundling_languages()?;
    let inlining = apps_inlining_their_page()?;
    for app in apps {
        step(&format!("building {app} (release)"));
        let dist = root().join("target/dist").join(&app);
        let mut trunk = cmd("trunk");
        trunk
            .args(["build", "--release", "--offline", "--dist"])
            .arg(&dist)
            .arg(root().join("apps").join(&app).join("index.html"));
        std.apply(&mut trunk);
        run(&mut trunk)?;
        if !bundling.contains(&app) {
            write_language_files(&dist)?;
        }
        // Trunk's JS minifier cannot parse wasm-bindgen's glue and leaves it
        // as written (~40 KB): terser minifies it; the wasm-streams adapters
        // Leptos links (server_fn) but nothing can call are dropped; the
        // page's integrity hashes follow (tools/slim-bundle.mjs says why).
        run(cmd("node").arg("tools/slim-bundle.mjs").arg(&dist))?;
        // The page then carries the glue and its stylesheets, and fetches only
        // the wasm to start (inline_page.rs says why).
        if inlining.contains(&app) {
            crate::inline_page::inline_page(&dist)?;
        }
    }
    Ok(())
}

/// The std the release wasm links.
///
/// The prebuilt wasm32 std is compiled for speed and carries panic messages,
/// their source locations and the `fmt` code that prints them: 14-19 KB of
/// every bundle's gzip (BENCHMARKS.md). Rebuilt from source with
/// `optimize_for_size`, `panic=immediate-abort` (a panic traps at once, as
/// `panic = "abort"` already ends the program, but without formatting a
/// message first), no location details and no `Debug` output (nothing on the
/// widgets' wasm paths shows `{:?}` to a user), it is gone. Rebuilding std is
/// a nightly feature: the machines' nightly toolchain with its `rust-src`
/// component does it; tests of wasm code keep the stable toolchain.
enum SizeStd {
    Nightly,
    Unavailable(String),
}

/// The toolchain name, as rustup knows it.
const NIGHTLY: &str = "nightly";

impl SizeStd {
    fn find() -> SizeStd {
        if std::env::var_os("BT_WASM_STABLE_STD").is_some() {
            return SizeStd::Unavailable("BT_WASM_STABLE_STD is set".into());
        }
        let Some(sysroot) =
            output(Command::new("rustc").args([&format!("+{NIGHTLY}"), "--print", "sysroot"]))
        else {
            return SizeStd::Unavailable(format!("no `{NIGHTLY}` Rust toolchain on this machine"));
        };
        let library = PathBuf::from(sysroot.trim()).join("lib/rustlib/src/rust/library");
        if !library.join("std/Cargo.toml").is_file() {
            return SizeStd::Unavailable(format!(
                "the `{NIGHTLY}` toolchain has no rust-src component"
            ));
        }
        SizeStd::Nightly
    }

    fn apply(&self, trunk: &mut Command) {
        if let SizeStd::Nightly = self {
            trunk
                .env("RUSTUP_TOOLCHAIN", NIGHTLY)
                // Its own target dir: a different compiler would otherwise
                // rebuild the stable artifacts the tests use, and back.
                .env("CARGO_TARGET_DIR", root().join("target/wasm-size"))
                .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
                .env("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size")
                .env(
                    "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                    "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none",
                );
        }
    }
}

/// The apps whose wasm has every language (bt-widgets' `all-languages`
/// feature); the others get their language files from [`write_language_files`].
fn apps_bundling_languages() -> Result<Vec<String>> {
    apps_where(|p| p.enables("bt-widgets", "all-languages"))
}

/// The apps with `inline-page = true` (their page is served as built).
fn apps_inlining_their_page() -> Result<Vec<String>> {
    apps_where(|p| p.inline_page)
}

/// The names of the packages in `apps/` that `pick` keeps.
fn apps_where(pick: impl Fn(&crate::util::Package) -> bool) -> Result<Vec<String>> {
    let apps = root().join("apps");
    Ok(packages()?
        .into_iter()
        .filter(|p| p.dir.parent() == Some(apps.as_path()) && pick(p))
        .filter_map(|p| Some(p.dir.file_name()?.to_string_lossy().into_owned()))
        .collect())
}

/// `dist/i18n/LANG.json` for every language but English (always in the
/// wasm): what `bt_widgets::i18n::prepare` fetches and `bt_i18n::install`
/// checks. Written after trunk, which replaces the whole folder.
fn write_language_files(dist: &Path) -> Result {
    std::fs::create_dir_all(dist.join("i18n")).map_err(|e| format!("{}: {e}", dist.display()))?;
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
        let file = serde_json::json!({
            "format": bt_i18n::FILE_FORMAT,
            "lang": lang.tag(),
            "shape": format!("{:016x}", bt_i18n::SHAPE),
            "strings": bt_i18n::strings(lang),
        });
        let path = dist.join(bt_i18n::file(lang));
        std::fs::write(&path, file.to_string()).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}
