//! A real PostgreSQL server for tests and benchmarks: Debian's `postgresql`
//! binaries (`/usr/lib/postgresql/*/bin`, installed by `cargo xtask setup`),
//! a fresh cluster in a temp dir on a free loopback port, trust auth for
//! user `bt`, stopped (`pg_ctl -m immediate`) and removed on drop whatever
//! happened. As root the server runs as the `postgres` user (`runuser`),
//! the temp dir chowned to it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A real PostgreSQL server on a loopback port in a temp dir, stopped (and
/// its directory removed) on drop, whatever the test did.
pub struct TempPostgres {
    pub url: String,
    bin: PathBuf,
    data: PathBuf,
    root: bool,
    dir: PathBuf,
}

impl TempPostgres {
    fn command(&self, bin: &Path, root: bool) -> Command {
        Self::cmd(bin, root)
    }

    fn cmd(bin: &Path, root: bool) -> Command {
        if root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(bin);
            c
        } else {
            Command::new(bin)
        }
    }

    /// Starts one; panics with what to install when PostgreSQL is missing.
    pub fn start() -> Self {
        let mut bins: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .map(|d| {
                d.flatten()
                    .map(|e| e.path().join("bin"))
                    .filter(|b| b.join("initdb").is_file() && b.join("pg_ctl").is_file())
                    .collect()
            })
            .unwrap_or_default();
        bins.sort();
        let Some(bin) = bins.pop() else {
            panic!("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run `cargo xtask setup` as root, or `apt-get install postgresql`, then run the tests again");
        };
        let root = is_root();
        let dir = std::env::temp_dir().join(format!(
            "bt-postgres-{}-{}",
            std::process::id(),
            crate::state::random_hex(6)
        ));
        std::fs::create_dir_all(&dir).expect("create the PostgreSQL temp dir");
        let data = dir.join("data");
        if root {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .status()
                .unwrap();
            assert!(ok.success(), "chown the PostgreSQL temp dir to postgres");
        }
        let out = Self::cmd(&bin.join("initdb"), root)
            .args(["-A", "trust", "-U", "bt", "-E", "UTF8", "--no-sync", "-D"])
            .arg(&data)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let opts = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100",
            dir.display()
        );
        let out = Self::cmd(&bin.join("pg_ctl"), root)
            .args(["-w", "-t", "60", "-D"])
            .arg(&data)
            .args(["-o", &opts, "-l"])
            .arg(dir.join("server.log"))
            .arg("start")
            .output()
            .unwrap();
        let pg = Self {
            url: format!("postgres://bt@127.0.0.1:{port}/postgres"),
            bin,
            data,
            root,
            dir,
        };
        assert!(
            out.status.success(),
            "pg_ctl start failed: {}{}",
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(pg.dir.join("server.log")).unwrap_or_default()
        );
        pg
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        let _ = self
            .command(&self.bin.join("pg_ctl"), self.root)
            .args(["-m", "immediate", "-D"])
            .arg(&self.data)
            .arg("stop")
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
