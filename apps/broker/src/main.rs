//! `bt-broker`: see the crate docs and README.md.
//!
//! `--sandbox` exists only in a build with the `sandbox` feature
//! (`sandbox_mode.rs`); the library never knows about it.

use bt_broker::config::Config;
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

mod doctor;
#[cfg(feature = "sandbox")]
mod sandbox_mode;

/// A build without the `sandbox` feature: `--sandbox` is refused with one
/// line saying how to get a build that has it.
#[cfg(not(feature = "sandbox"))]
mod sandbox_mode {
    use bt_broker::config::Config;
    use std::collections::BTreeMap;

    pub enum SandboxMode {}

    impl SandboxMode {
        pub async fn start() -> Result<Self, String> {
            Err("this build has no sandbox: build one with `cargo build -p bt-broker --features sandbox`, or run `cargo xtask demo`".into())
        }
        pub fn config_overrides(&self) -> BTreeMap<&'static str, String> {
            match *self {}
        }
        pub fn announce(&self, _config: &Config) {
            match *self {}
        }
        pub fn routes(&self, _config: &Config) -> Result<axum::Router, String> {
            match *self {}
        }
        pub fn announce_broker(&self, _url: &str) {
            match *self {}
        }
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "bt-broker",
    version,
    about = "Token-brokering backend for BeyondTrust Remote Support widgets"
)]
struct Args {
    /// TOML file with the same keys as the environment (BT_LISTEN, ...);
    /// also after a subcommand (`bt-broker doctor --config FILE`).
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,
    /// Start the embedded sandbox appliance and broker against it, with a
    /// dev host `demo` whose secret is printed at start.
    #[arg(long)]
    sandbox: bool,
    /// Listen address (overrides BT_LISTEN).
    #[arg(long, value_name = "ADDR", conflicts_with = "port")]
    listen: Option<SocketAddr>,
    /// Listen on 127.0.0.1:PORT.
    #[arg(long, value_name = "PORT")]
    port: Option<u16>,
    /// Serve this directory at `/` (demo pages; overrides BT_STATIC_DIR).
    #[arg(long = "static", value_name = "DIR")]
    static_dir: Option<PathBuf>,
    /// Serve this directory at `/apps/` (widget bundles, e.g. target/dist;
    /// overrides BT_DIST_DIR).
    #[arg(long = "dist", value_name = "DIR")]
    dist_dir: Option<PathBuf>,
    /// Serve this directory at `/packages/` (host packages, e.g. target/packages).
    #[arg(long = "packages", value_name = "DIR")]
    packages_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// The session write-back's queue (reads BT_STATE like the server).
    Writeback {
        #[command(subcommand)]
        action: WritebackAction,
    },
    /// Checks the configuration, the appliance (DNS, TCP, TLS, OAuth, Command
    /// and Reporting API), the write-back and, with --rep, a representative;
    /// one `ok`/`FAIL` line each. Exit 0 when all pass, 1 otherwise.
    Doctor {
        /// Also check that this representative (a username, or an agent
        /// identity BT_REP_MAPPING maps) exists and is logged in.
        #[arg(long, value_name = "USERNAME")]
        rep: Option<String>,
    },
}

#[derive(clap::Subcommand, Debug)]
enum WritebackAction {
    /// Pending, running, done and failed jobs; each failed job with its reason.
    Status,
    /// Queue again the jobs of session LSID, or every failed job.
    Retry {
        #[arg(required_unless_present = "failed", conflicts_with = "failed")]
        lsid: Option<String>,
        /// Every job parked as failed.
        #[arg(long)]
        failed: bool,
    },
}

/// `bt-broker writeback status|retry`.
async fn writeback(
    config: Option<&std::path::Path>,
    action: WritebackAction,
) -> Result<String, String> {
    use bt_broker::writeback::{cli, Store};
    let store = Store::open(&cli::state_setting(config)?).await?;
    match action {
        WritebackAction::Status => cli::status(&store).await,
        WritebackAction::Retry { lsid, .. } => cli::retry(&store, lsid.as_deref()).await,
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(Command::Doctor { rep }) = &args.command {
        // Before the server's runtime: a BT_WORKER_THREADS the server
        // refuses is one of the doctor's findings, not a reason to stop.
        return doctor::main(args.config.as_deref(), rep.as_deref());
    }
    let runtime = match bt_broker::server::runtime() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bt-broker: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(Command::Writeback { action }) = args.command {
        return match runtime.block_on(writeback(args.config.as_deref(), action)) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("bt-broker: {message}");
                ExitCode::from(1)
            }
        };
    }
    bt_broker::server::init_logging("info");
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bt-broker: {message}");
            ExitCode::from(2)
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let sandbox = match args.sandbox {
        true => Some(sandbox_mode::SandboxMode::start().await?),
        false => None,
    };
    let overrides = sandbox
        .as_ref()
        .map(|s| s.config_overrides())
        .unwrap_or_default();
    let mut config =
        Config::load_overriding(args.config.as_deref(), &overrides).map_err(|e| e.to_string())?;
    match (args.listen, args.port) {
        (Some(a), _) => config.listen = a,
        (None, Some(p)) => config.listen = SocketAddr::from(([127, 0, 0, 1], p)),
        (None, None) => {}
    }
    if let Some(d) = args.static_dir {
        config.static_files.site_dir = Some(d);
    }
    if let Some(d) = args.dist_dir {
        config.static_files.dist_dir = Some(d);
    }
    if let Some(d) = args.packages_dir {
        config.static_files.packages_dir = Some(d);
    }
    let extra = match &sandbox {
        Some(s) => {
            s.announce(&config);
            s.routes(&config)?
        }
        None => axum::Router::new(),
    };
    for dir in [&config.static_files.site_dir, &config.static_files.dist_dir]
        .into_iter()
        .flatten()
    {
        if !dir.is_dir() {
            tracing::warn!(dir = %dir.display(), "static directory does not exist (yet); requests for it will get 404");
        }
    }
    let broker = bt_broker::start_with(config, extra)
        .await
        .map_err(|e| e.to_string())?;
    // Handlers first: whoever reads the lines below may stop the broker at once.
    let stop = bt_broker::server::shutdown_signal();
    let url = broker.url();
    tracing::info!(%url, "bt-broker listening");
    if let Some(s) = &sandbox {
        s.announce_broker(&url);
    }
    stop.await;
    broker.shutdown().await;
    tracing::info!("bt-broker stopped");
    Ok(())
}
