//! `cargo xtask demo [--port N]`: builds and packages every app, then runs
//! `bt-broker --sandbox` serving the demo pages, the bundles and the packages
//! until Ctrl-C.

use crate::util::{cmd, run, step, target_dir, Result};

pub const DEMO_PAGES: &[(&str, &str)] = &[
    (
        "/demo/zendesk/",
        "Zendesk ticket sidebar (ZAF app in an iframe)",
    ),
    (
        "/demo/help-center/",
        "Zendesk Help Center click-to-chat (single js asset)",
    ),
    (
        "/demo/salesforce/",
        "Salesforce Case page (LWC iframe + postMessage bridge)",
    ),
    ("/demo/halo/", "HaloPSA asset with the custom button"),
];

/// The broker binary the demo and the end-to-end tests run: built with the
/// `sandbox` feature, which `--sandbox` needs and a production build lacks.
///
/// Cargo writes every build of `bt-broker` to the same `target/debug/bt-broker`,
/// and `cargo test` rebuilds it without the feature; so the sandbox build is
/// copied to its own path, which no other build overwrites.
pub fn build_broker() -> Result {
    run(cmd(env!("CARGO")).args([
        "build",
        "--quiet",
        "-p",
        "bt-broker",
        "--bin",
        "bt-broker",
        "--features",
        "sandbox",
    ]))?;
    let built = target_dir().join("debug/bt-broker");
    let dest = broker_binary();
    let partial = dest.with_extension("partial");
    std::fs::create_dir_all(dest.parent().expect("a directory"))
        .and_then(|()| std::fs::copy(&built, &partial))
        // A rename replaces the file even while a previous demo still runs it.
        .and_then(|_| std::fs::rename(&partial, &dest))
        .map_err(|e| format!("cannot copy {} to {}: {e}", built.display(), dest.display()))
}

/// Where [`build_broker`] puts the binary.
pub fn broker_binary() -> std::path::PathBuf {
    target_dir().join("sandbox/bt-broker")
}

/// The sandbox broker serving the demo: pages, bundles, packages.
pub fn broker_command(port: u16) -> std::process::Command {
    let mut c = cmd(broker_binary());
    c.args([
        "--sandbox",
        "--port",
        &port.to_string(),
        "--static",
        "static",
        "--dist",
        "target/dist",
        "--packages",
        "target/packages",
    ]);
    c
}

pub fn demo(args: &[String]) -> Result {
    let port = match args.iter().position(|a| a == "--port") {
        Some(i) => args
            .get(i + 1)
            .and_then(|p| p.parse::<u16>().ok())
            .filter(|p| *p > 0)
            .ok_or("--port: must be between 1 and 65535")?,
        None => 8080,
    };
    // Before the setup and the builds (minutes), and before any URL is
    // printed: a demo that cannot listen would print addresses of whatever
    // else holds the port.
    port_is_free(port)?;
    crate::setup::setup()?;
    crate::build::build()?;
    crate::package::package()?;
    step("starting the broker with its sandbox appliance");
    build_broker()?;
    // Again: the builds took minutes, something else may have taken it since.
    port_is_free(port)?;
    let base = format!("http://127.0.0.1:{port}");
    eprintln!("\nDemo at {base}/ (Ctrl-C to stop):");
    for (path, what) in DEMO_PAGES {
        eprintln!("  {base}{path:<20} {what}");
    }
    eprintln!();
    // The broker handles Ctrl-C itself and shuts down gracefully.
    run(&mut broker_command(port))
}

/// Whether the demo can listen on 127.0.0.1:`port`; if not, one line
/// naming the port and how to choose another.
pub fn port_is_free(port: u16) -> Result {
    match std::net::TcpListener::bind(("127.0.0.1", port)) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => Err(format!(
            "port {port} is already in use on 127.0.0.1: stop what listens there, or choose another port with `cargo xtask demo --port N`"
        )),
        Err(e) => Err(format!(
            "cannot listen on 127.0.0.1:{port} ({e}): choose another port with `cargo xtask demo --port N`"
        )),
    }
}

/// The production broker (release-native, without the `sandbox` feature),
/// then any other packages (all their binaries); returns its path. What
/// `cargo xtask dist` ships and `bench broker` measures.
pub fn build_production_broker(also: &[&str]) -> Result<std::path::PathBuf> {
    let mut c = cmd(env!("CARGO"));
    c.args([
        "build",
        "--quiet",
        "--profile",
        "release-native",
        "-p",
        "bt-broker",
        "--bin",
        "bt-broker",
    ]);
    run(&mut c)?;
    // A separate build: `--bin bt-broker` above would also filter their binaries out.
    if !also.is_empty() {
        let mut c = cmd(env!("CARGO"));
        c.args(["build", "--quiet", "--profile", "release-native"]);
        for p in also {
            c.args(["-p", p]);
        }
        run(&mut c)?;
    }
    Ok(target_dir().join("release-native/bt-broker"))
}

#[cfg(test)]
mod tests {
    use super::port_is_free;

    #[test]
    fn a_taken_port_is_named_with_how_to_choose_another() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let message = port_is_free(port).unwrap_err();
        assert!(
            message.contains(&format!("port {port} is already in use"))
                && message.contains("--port N"),
            "{message}"
        );
        drop(taken);
        assert!(port_is_free(port).is_ok(), "free once released");
    }
}
