//! `cargo xtask dist`: what an admin installs, with no Rust toolchain, trunk
//! or browser, in `target/release-bundle/`:
//!
//! - `bt-remote-support-VERSION-x86_64-linux.tar.gz`: `bin/` (bt-broker,
//!   btlink), `apps/` (the built widget apps), `packages/` (every host
//!   package), `docs/`, `systemd/bt-broker.service`, `bt-broker.env.example`;
//! - `bt-broker_VERSION_amd64.deb`: `/usr/bin/bt-broker` and `btlink`, the
//!   unit `bt-broker.service` running as its own user, the config in
//!   `/etc/bt-broker/bt-broker.env`, state in `/var/lib/bt-broker/`, and the
//!   apps and packages in `/usr/share/bt-broker/`, which the broker serves so
//!   an admin downloads the Zendesk zip from their own broker;
//! - `SHA256SUMS` of both.
//!
//! The binaries are the production build: no sandbox, no dev routes.
//! [`verify`] installs the `.deb` for real and checks what an admin would.

use crate::util::{cmd, is_root, output, root, run, step, target_dir, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// The files under `apps/broker/packaging/` that go into both artifacts.
const UNIT: &str = "apps/broker/packaging/bt-broker.service";
const ENV_EXAMPLE: &str = "apps/broker/packaging/bt-broker.env";
const DEB_SCRIPTS: &[&str] = &["postinst", "prerm", "postrm"];

pub fn version() -> String {
    // The workspace version, as every crate inherits it.
    let manifest = fs::read_to_string(root().join("Cargo.toml")).unwrap_or_default();
    manifest
        .lines()
        .skip_while(|l| l.trim() != "[workspace.package]")
        .find_map(|l| l.trim().strip_prefix("version = "))
        .map(|v| v.trim_matches('"').to_owned())
        .unwrap_or_else(|| "0.0.0".into())
}

pub fn bundle_dir() -> PathBuf {
    target_dir().join("release-bundle")
}

fn tarball_name(version: &str) -> String {
    format!("bt-remote-support-{version}-x86_64-linux.tar.gz")
}

fn deb_name(version: &str) -> String {
    format!("bt-broker_{version}_amd64.deb")
}

/// Builds the production binaries (no `sandbox` feature), the apps and the
/// packages, then writes the bundle.
pub fn dist() -> Result {
    crate::build::build()?;
    crate::package::package()?;
    from_built_apps()
}

/// [`dist`] for when the apps and packages are already built (the test run
/// built them for the end-to-end tests): the binaries, then the bundle.
pub fn from_built_apps() -> Result {
    step("release binaries (bt-broker without the sandbox, btlink)");
    crate::demo::build_production_broker(&["btlink"])?;
    write_bundle()
}

/// Writes `target/release-bundle/` from what is already built.
pub fn write_bundle() -> Result {
    let version = version();
    let bins = target_dir().join("release-native");
    let out = bundle_dir();
    if out.exists() {
        fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let staging = target_dir().join("release-staging");
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| format!("{}: {e}", staging.display()))?;
    }
    fs::create_dir_all(&out).map_err(|e| e.to_string())?;

    step("tarball");
    let top = format!("bt-remote-support-{version}");
    let tree = staging.join(&top);
    copy(&bins.join("bt-broker"), &tree.join("bin/bt-broker"))?;
    copy(&bins.join("btlink"), &tree.join("bin/btlink"))?;
    copy_tree(&target_dir().join("dist"), &tree.join("apps"))?;
    copy_tree(&target_dir().join("packages"), &tree.join("packages"))?;
    copy_docs(&tree.join("docs"))?;
    copy(&root().join(UNIT), &tree.join("systemd/bt-broker.service"))?;
    copy(
        &root().join(ENV_EXAMPLE),
        &tree.join("bt-broker.env.example"),
    )?;
    run(cmd("tar")
        .args([
            "--sort=name",
            "--owner=0",
            "--group=0",
            "--numeric-owner",
            "-czf",
        ])
        .arg(out.join(tarball_name(&version)))
        .arg("-C")
        .arg(&staging)
        .arg(&top))?;

    step(".deb");
    let deb = staging.join("deb");
    copy(&bins.join("bt-broker"), &deb.join("usr/bin/bt-broker"))?;
    copy(&bins.join("btlink"), &deb.join("usr/bin/btlink"))?;
    copy(
        &root().join(UNIT),
        &deb.join("lib/systemd/system/bt-broker.service"),
    )?;
    copy(
        &root().join(ENV_EXAMPLE),
        &deb.join("etc/bt-broker/bt-broker.env"),
    )?;
    copy_tree(
        &target_dir().join("dist"),
        &deb.join("usr/share/bt-broker/apps"),
    )?;
    copy_tree(
        &target_dir().join("packages"),
        &deb.join("usr/share/bt-broker/packages"),
    )?;
    copy_docs(&deb.join("usr/share/doc/bt-broker"))?;
    let control = deb.join("DEBIAN");
    fs::create_dir_all(&control).map_err(|e| e.to_string())?;
    write(&control.join("control"), &control_file(&version, &deb)?)?;
    write(&control.join("conffiles"), "/etc/bt-broker/bt-broker.env\n")?;
    for script in DEB_SCRIPTS {
        let to = control.join(script);
        copy(
            &root().join("apps/broker/packaging/debian").join(script),
            &to,
        )?;
        set_mode(&to, 0o755)?;
    }
    // The config holds the appliance's client secret: root and the service's
    // group only (postinst sets the group once the user exists).
    set_mode(&deb.join("etc/bt-broker/bt-broker.env"), 0o640)?;
    run(cmd("dpkg-deb")
        .args(["--root-owner-group", "-Zxz", "--build"])
        .arg(&deb)
        .arg(out.join(deb_name(&version)))
        .stdout(std::process::Stdio::null()))?;

    step("SHA256SUMS");
    let sums = output(
        cmd("sha256sum")
            .current_dir(&out)
            .args([tarball_name(&version), deb_name(&version)]),
    )
    .ok_or("sha256sum failed")?;
    write(&out.join("SHA256SUMS"), &sums)?;
    fs::remove_dir_all(&staging).map_err(|e| e.to_string())?;
    eprintln!("dist: {}", out.display());
    for line in sums.lines() {
        eprintln!("  {line}");
    }
    Ok(())
}

fn control_file(version: &str, tree: &Path) -> Result<String> {
    let kib = du_kib(tree);
    Ok(format!(
        "Package: bt-broker\n\
         Version: {version}\n\
         Architecture: amd64\n\
         Maintainer: BeyondTrust Remote Support widgets maintainers <maintainers@example.invalid>\n\
         Installed-Size: {kib}\n\
         Depends: libc6, passwd\n\
         Section: net\n\
         Priority: optional\n\
         Homepage: https://example.invalid/bt-remote-support\n\
         Description: BeyondTrust Remote Support from inside the ticket\n \
         bt-broker holds the appliance's API credentials, hands session keys and\n \
         session history to the ticket widgets of verified hosts (Zendesk,\n \
         Salesforce, HaloPSA, help centers), and serves the host packages.\n"
    ))
}

fn du_kib(dir: &Path) -> u64 {
    fn walk(d: &Path) -> u64 {
        fs::read_dir(d)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| {
                let p = e.path();
                if p.is_dir() {
                    walk(&p)
                } else {
                    e.metadata().map_or(0, |m| m.len())
                }
            })
            .sum()
    }
    walk(dir).div_ceil(1024)
}

/// The docs an admin needs next to the binaries.
fn copy_docs(to: &Path) -> Result {
    copy(&root().join("README.md"), &to.join("README.md"))?;
    copy(&root().join("CHANGELOG.md"), &to.join("CHANGELOG.md"))?;
    copy(&root().join("apps/broker/README.md"), &to.join("broker.md"))?;
    for entry in fs::read_dir(root().join("docs"))
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "md") {
            copy(&p, &to.join(entry.file_name()))?;
        }
    }
    copy_tree(&root().join("docs/hosts"), &to.join("hosts"))
}

fn write(path: &Path, text: &str) -> Result {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::copy(from, to).map(drop).map_err(|e| {
        format!(
            "{} → {}: {e} (run `cargo xtask dist`, which builds it first)",
            from.display(),
            to.display()
        )
    })
}

fn copy_tree(from: &Path, to: &Path) -> Result {
    let entries = fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let p = entry.path();
        let target = to.join(entry.file_name());
        if p.is_dir() {
            copy_tree(&p, &target)?;
        } else {
            copy(&p, &target)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// One check an admin would make, reported as `ok`/`FAIL`.
struct Checks {
    passed: u64,
    failed: Vec<String>,
}

impl Checks {
    fn check(&mut self, name: &str, result: Result) {
        match result {
            Ok(()) => {
                println!("ok {name}");
                self.passed += 1;
            }
            Err(e) => {
                println!("FAIL {name}: {e}");
                self.failed.push(format!("{name}: {e}"));
            }
        }
    }
}

/// Runs `c`, returning its stdout, or an error with its stderr.
fn succeeds(c: &mut std::process::Command) -> Result<String> {
    let out = c.output().map_err(|e| format!("cannot start {c:?}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{c:?} exited {}: {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Verifies the bundle as an admin would use it: checksums, the tarball's
/// contents, and (as root) the `.deb` installed for real with `dpkg -i`,
/// its unit checked by `systemd-analyze verify`, `bt-broker --version` from
/// `/usr/bin`, then removed with `dpkg -r`. Prints one line per check;
/// returns how many passed and what failed.
pub fn verify() -> (u64, Vec<String>) {
    let version = version();
    let out = bundle_dir();
    let mut checks = Checks {
        passed: 0,
        failed: Vec::new(),
    };
    checks.check(
        "SHA256SUMS verify",
        succeeds(
            cmd("sha256sum")
                .current_dir(&out)
                .args(["--check", "--strict", "SHA256SUMS"]),
        )
        .map(drop),
    );
    let listing = succeeds(cmd("tar").arg("-tzf").arg(out.join(tarball_name(&version))));
    let top = format!("bt-remote-support-{version}/");
    for want in [
        "bin/bt-broker",
        "bin/btlink",
        "apps/zendesk-sidebar/index.html",
        "packages/zendesk-app.zip",
        "packages/help-center/bt-click-to-chat.js",
        "packages/salesforce/sfdx-project.json",
        "docs/install.md",
        "systemd/bt-broker.service",
        "bt-broker.env.example",
    ] {
        let path = format!("{top}{want}");
        checks.check(
            &format!("tarball holds {want}"),
            match &listing {
                Ok(l) if l.lines().any(|x| x == path) => Ok(()),
                Ok(_) => Err(format!("{path} is missing")),
                Err(e) => Err(e.clone()),
            },
        );
    }
    if is_root() {
        install_checks(&mut checks, &out.join(deb_name(&version)));
    } else {
        println!("skipped: installing the .deb needs root (dpkg -i); run as root to check it");
    }
    (checks.passed, checks.failed)
}

fn install_checks(checks: &mut Checks, deb: &Path) {
    let installed = succeeds(cmd("dpkg").arg("-i").arg(deb)).map(drop);
    let ok = installed.is_ok();
    checks.check("dpkg -i installs the .deb", installed);
    if !ok {
        return;
    }
    checks.check(
        "bt-broker --version runs from /usr/bin",
        succeeds(std::process::Command::new("/usr/bin/bt-broker").arg("--version")).and_then(|v| {
            if v.contains(&version()) {
                Ok(())
            } else {
                Err(format!("printed '{}'", v.trim()))
            }
        }),
    );
    checks.check(
        "btlink runs from /usr/bin",
        succeeds(std::process::Command::new("/usr/bin/btlink").args([
            "session-key",
            "--host",
            "support.example.com",
        ]))
        .map(drop),
    );
    checks.check(
        "systemd-analyze verify bt-broker.service",
        succeeds(cmd("systemd-analyze").args(["verify", "/lib/systemd/system/bt-broker.service"]))
            .map(drop),
    );
    checks.check(
        "the service user and its state directory exist",
        succeeds(cmd("id").arg("bt-broker")).and_then(|_| {
            let state = Path::new("/var/lib/bt-broker");
            if state.is_dir() {
                Ok(())
            } else {
                Err("/var/lib/bt-broker is missing".into())
            }
        }),
    );
    checks.check(
        "the config is not world-readable",
        fs::metadata("/etc/bt-broker/bt-broker.env")
            .map_err(|e| e.to_string())
            .and_then(|m| {
                use std::os::unix::fs::PermissionsExt;
                let mode = m.permissions().mode() & 0o777;
                if mode & 0o007 == 0 {
                    Ok(())
                } else {
                    Err(format!("mode {mode:o}"))
                }
            }),
    );
    checks.check(
        "the Zendesk package is installed for the broker to serve",
        if Path::new("/usr/share/bt-broker/packages/zendesk-app.zip").is_file() {
            Ok(())
        } else {
            Err("/usr/share/bt-broker/packages/zendesk-app.zip is missing".into())
        },
    );
    let removed = succeeds(cmd("dpkg").args(["-r", "bt-broker"])).map(drop);
    checks.check(
        "dpkg -r removes it",
        removed.and_then(|_| {
            if Path::new("/usr/bin/bt-broker").exists() {
                Err("/usr/bin/bt-broker is still there".into())
            } else {
                Ok(())
            }
        }),
    );
    // Leave the machine as it was: purge the conffile too.
    let _ = succeeds(cmd("dpkg").args(["--purge", "bt-broker"]));
}
