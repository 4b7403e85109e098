//! `cargo xtask`: the project's automation. The README's two commands are
//! `cargo xtask demo` and `cargo xtask test`; the rest are their parts.

mod bench;
mod build;
mod demo;
mod dist;
mod inline_page;
mod package;
mod setup;
mod test;
mod util;

use std::process::ExitCode;

const HELP: &str = "\
usage: cargo xtask <command>

  setup            install what is missing (wasm target, trunk, wasm-bindgen-cli,
                   npm tools, Debian chromium/chromedriver/brotli); silent when done
  test             setup, then every test suite (native, wasm in Chromium, jest, e2e)
  build            release bundles of every widget app into target/dist/APP/
  package          host packages into target/packages/
  demo [--port N]  build, then serve the demo at http://127.0.0.1:8080/ until Ctrl-C
  dist             the release bundle an admin installs (tarball, .deb, SHA256SUMS)
                   into target/release-bundle/
  bench [size|load|broker|writeback|all]
                   measured figures appended to BENCHMARKS.md
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::setup(),
        Some("test") => test::test(),
        Some("build") => setup::setup().and_then(|_| build::build()),
        Some("package") => setup::setup()
            .and_then(|_| build::build())
            .and_then(|_| package::package()),
        Some("demo") => demo::demo(&args[1..]),
        Some("dist") => setup::setup().and_then(|_| dist::dist()),
        Some("bench") => setup::setup()
            .and_then(|_| bench::bench(args.get(1).map(String::as_str).unwrap_or("all"))),
        Some("-h" | "--help" | "help") | None => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown command '{other}'\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
