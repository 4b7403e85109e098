//! `bt-broker`: see the crate docs and README.md.

use bt_broker::config::{parse_origins, Config};
use bt_broker::sandbox::{self, SandboxConfig};
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "bt-broker",
    version,
    about = "Token-brokering backend for BeyondTrust Remote Support widgets"
)]
struct Args {
    /// TOML file with the same keys as the environment (BT_LISTEN, ...).
    #[arg(long, value_name = "FILE")]
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
}

fn random_secret() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..32)
        .map(|_| format!("{:02x}", rng.random::<u8>()))
        .collect()
}

/// What an admin would configure for the demo: every Jump method on, the
/// sandbox's issues, Jumpoints and teams, and the sandbox as the appliance
/// (a loopback hostname, so links use http).
fn demo_settings(sandbox_url: &str) -> serde_json::Value {
    let hostname = sandbox_url
        .trim_start_matches("http://")
        .trim_end_matches('/');
    serde_json::json!({
        "hostname": hostname,
        "issues": "general_tech=General Technical Issues\nbilling=Billing",
        "jumpoints": "Network01\nHead Office",
        "teams": "1=Tier 1\n2=Tier 2",
        "allow_pinned_client": true,
        "allow_push_local": true,
        "allow_push_remote": true,
        "allow_rdp": true,
        "allow_remote_console": true,
        "allow_vpro": true,
        "allow_vnc": true,
        "allow_general_queue": true,
        "console": "desktop",
    })
}

fn env_nonempty(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.trim().is_empty())
}

fn main() -> ExitCode {
    let args = Args::parse();
    bt_broker::server::init_logging("info");
    let runtime = match bt_broker::server::runtime() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bt-broker: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bt-broker: {message}");
            ExitCode::from(2)
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let listen = match (args.listen, args.port) {
        (Some(a), _) => Some(a),
        (None, Some(p)) => Some(SocketAddr::from(([127, 0, 0, 1], p))),
        (None, None) => None,
    };
    let mut _sandbox = None;
    let mut config = if args.sandbox {
        let sb = sandbox::start(SandboxConfig::default())
            .await
            .map_err(|e| format!("cannot start the sandbox appliance: {e}"))?;
        let host_secret = random_secret();
        let mut config = Config::new(&sb.url(), sb.client_id(), sb.client_secret())
            .map_err(|e| e.to_string())?
            .with_host("demo", &host_secret);
        if let Some(l) = env_nonempty("BT_LISTEN") {
            config.listen = l
                .parse()
                .map_err(|_| format!("BT_LISTEN: '{l}' is not an address"))?;
        }
        if let Some(m) = env_nonempty("BT_REP_MAPPING") {
            config.rep_mapping = bt_broker::mapping::RepMapping::parse(&m)
                .map_err(|e| format!("BT_REP_MAPPING: {e}"))?;
        }
        if let Some(o) = env_nonempty("BT_ALLOWED_ORIGINS") {
            config.allowed_origins = parse_origins(&o).map_err(|e| e.to_string())?;
        }
        if let Some(d) = env_nonempty("BT_STATIC_DIR") {
            config.static_files.site_dir = Some(d.into());
        }
        if let Some(d) = env_nonempty("BT_DIST_DIR") {
            config.static_files.dist_dir = Some(d.into());
        }
        config.dev_token_host = Some("demo".into());
        config.demo_settings = Some(demo_settings(&sb.url()));
        if let Some(l) = listen {
            config.listen = l;
        }
        println!("bt-broker sandbox mode");
        println!("  sandbox appliance : {}", sb.url());
        println!(
            "  dev host          : iss=demo, aud={}, HS256 secret {host_secret}",
            config.audience
        );
        println!("  seeded reps       : alice (logged in), bob (logged out), carol (logged in)");
        _sandbox = Some(sb);
        config
    } else {
        Config::load(args.config.as_deref()).map_err(|e| e.to_string())?
    };
    if !args.sandbox {
        if let Some(l) = listen {
            config.listen = l;
        }
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
    for dir in [&config.static_files.site_dir, &config.static_files.dist_dir]
        .into_iter()
        .flatten()
    {
        if !dir.is_dir() {
            tracing::warn!(dir = %dir.display(), "static directory does not exist (yet); requests for it will get 404");
        }
    }
    let broker = bt_broker::start(config).await.map_err(|e| e.to_string())?;
    let url = broker.url();
    tracing::info!(%url, "bt-broker listening");
    if args.sandbox {
        println!("  broker            : {url}");
        println!("  demo host token   : {url}/dev/host-token?sub=alice@example.com");
    }
    bt_broker::server::shutdown_signal().await;
    broker.shutdown().await;
    tracing::info!("bt-broker stopped");
    Ok(())
}
