//! `btlink`: prints one BeyondTrust link (README.md, "btlink").
//!
//! Exit 0 with the URL on stdout; exit 2 with a one-line reason on stderr
//! that names the field and the limit. All building and checking is done by
//! `bt-core`; this file only maps flags onto it.

use bt_core::client_script::{Action, ClientScript, Console, JumpInput, JumpMethod, ScriptPath};
use bt_core::start_session::{Customer, Route, StartSession};
use bt_core::templates::Template;
use bt_core::values::{
    parse_id, ApplianceHost, CustomerCompany, CustomerCompanyCode, CustomerDetails, CustomerName,
    ExternalKey, IssueCode, Locale, SessionKeyText, Target,
};
use bt_core::{Field, InputError};
use clap::{Args, Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "btlink",
    version,
    about = "Prints a BeyondTrust Remote Support link (client_script, start_session or a host template)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Common {
    /// The appliance's hostname, e.g. support.example.com (not a URL).
    #[arg(long)]
    host: String,
    /// Use the legacy `/api/client_script.ns` path.
    #[arg(long)]
    legacy_path: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Open the rep console's (or web console's) session key dialog.
    SessionKey {
        #[command(flatten)]
        common: Common,
        /// Ticket id, sent as session.custom.external_key (≤1024 characters).
        #[arg(long)]
        external_key: Option<String>,
        /// Public portal hostname for the key (≤255 characters).
        #[arg(long)]
        portal: Option<String>,
        /// Use the web console instead of the desktop console.
        #[arg(long)]
        web: bool,
    },
    /// Jump to a system.
    Jump(JumpArgs),
    /// A customer's start_session link (click-to-chat by default).
    Chat(ChatArgs),
    /// A host's placeholder link, e.g. an Autotask LiveLink or a rep-console custom link.
    Template {
        /// One of: autotask-jump, autotask-session-key, halo-asset-jump, custom-link-zendesk,
        /// custom-link-salesforce-classic, custom-link-salesforce-lightning, custom-link-autotask.
        name: String,
        /// The host the link points at (see the template's description).
        #[arg(long)]
        host: String,
        /// Autotask instance number (custom-link-autotask: www.N.autotask.net).
        #[arg(long)]
        instance: Option<u32>,
    },
}

#[derive(Args)]
struct JumpArgs {
    #[command(flatten)]
    common: Common,
    /// pinned, local, remote, rdp, shell, vpro or vnc.
    #[arg(long)]
    method: String,
    /// Pinned client search text (≤255 characters).
    #[arg(long)]
    search: Option<String>,
    /// Hostname or IP address (≤255 characters, not a URL).
    #[arg(long)]
    target: Option<String>,
    #[arg(long)]
    jumpoint: Option<String>,
    #[arg(long)]
    username: Option<String>,
    /// primary_display, all_displays or WIDTHxHEIGHT.
    #[arg(long)]
    display_size: Option<String>,
    /// low, performance, performance_quality or quality.
    #[arg(long)]
    quality: Option<String>,
    /// Alone: RDP console session. `--console web` / `--console desktop`: which rep console runs the jump.
    #[arg(long, num_args = 0..=1, default_missing_value = "yes")]
    console: Option<String>,
    /// Use the web console.
    #[arg(long)]
    web: bool,
    /// ssh or telnet.
    #[arg(long)]
    protocol: Option<String>,
    /// 1–65535.
    #[arg(long)]
    port: Option<String>,
    /// xterm or vt100.
    #[arg(long)]
    terminal: Option<String>,
    #[arg(long)]
    external_key: Option<String>,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("route").required(true).args(["issue", "issue_id", "rep_id", "session_key"])))]
struct ChatArgs {
    #[arg(long)]
    host: String,
    /// Issue code name (issue submission).
    #[arg(long)]
    issue: Option<String>,
    #[arg(long)]
    issue_id: Option<String>,
    #[arg(long)]
    rep_id: Option<String>,
    #[arg(long)]
    session_key: Option<String>,
    /// Customer name (≤100 characters).
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    company: Option<String>,
    #[arg(long)]
    company_code: Option<String>,
    /// Problem description (≤1024 bytes).
    #[arg(long)]
    details: Option<String>,
    #[arg(long)]
    external_key: Option<String>,
    #[arg(long)]
    locale: Option<String>,
    /// Download the customer client instead of starting a chat in the browser.
    #[arg(long)]
    no_click_to_chat: bool,
}

/// Parses an optional flag value with a core parser.
fn opt<T>(
    value: &Option<String>,
    parse: impl Fn(&str) -> Result<T, InputError>,
) -> Result<Option<T>, InputError> {
    value.as_deref().map(parse).transpose()
}

fn script_path(common: &Common) -> ScriptPath {
    if common.legacy_path {
        ScriptPath::ClientScriptNs
    } else {
        ScriptPath::ClientScript
    }
}

fn run(cli: Cli) -> Result<String, Vec<InputError>> {
    match cli.command {
        Command::SessionKey {
            common,
            external_key,
            portal,
            web,
        } => {
            let host = ApplianceHost::parse(&common.host).map_err(|e| vec![e])?;
            let portal = opt(&portal, |p| Target::parse_as(p, Field::PortalHostname))
                .map_err(|e| vec![e])?;
            let mut link = ClientScript::new(host, Action::GenerateSessionKey { portal })
                .path(script_path(&common))
                .console(if web { Console::Web } else { Console::Desktop });
            if let Some(key) = opt(&external_key, ExternalKey::parse).map_err(|e| vec![e])? {
                link = link.external_key(&key);
            }
            Ok(link.to_url())
        }
        Command::Jump(a) => jump(a),
        Command::Chat(a) => chat(a),
        Command::Template {
            name,
            host,
            instance,
        } => {
            let template = Template::parse(&name).ok_or_else(|| {
                vec![InputError::new(
                    Field::Template,
                    bt_core::Problem::NotOneOf {
                        allowed: TEMPLATE_NAMES,
                    },
                )]
            })?;
            let host = ApplianceHost::parse(&host).map_err(|e| vec![e])?;
            template.render(&host, instance).map_err(|e| vec![e])
        }
    }
}

const TEMPLATE_NAMES: &[&str] = &[
    "autotask-jump",
    "autotask-session-key",
    "halo-asset-jump",
    "custom-link-zendesk",
    "custom-link-salesforce-classic",
    "custom-link-salesforce-lightning",
    "custom-link-autotask",
];

fn jump(a: JumpArgs) -> Result<String, Vec<InputError>> {
    let mut errors = Vec::new();
    let host = ApplianceHost::parse(&a.common.host)
        .map_err(|e| errors.push(e))
        .ok();
    let method = JumpMethod::parse(&a.method)
        .map_err(|e| errors.push(e))
        .ok();
    // `--console` alone asks for an RDP console session; with `web`/`desktop`
    // it picks the rep console, as the contract's `--console web` does.
    let (mut console, mut rdp_console) = (
        if a.web {
            Console::Web
        } else {
            Console::Desktop
        },
        false,
    );
    match a.console.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("no") => {}
        Some("yes") => rdp_console = true,
        Some(kind) => match Console::parse(kind) {
            Ok(c) => console = c,
            Err(_) => errors.push(InputError::new(
                Field::Console,
                bt_core::Problem::NotOneOf {
                    allowed: &["yes", "no", "desktop", "web"],
                },
            )),
        },
    }
    let key = opt(&a.external_key, ExternalKey::parse)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let input = JumpInput {
        search: a.search.unwrap_or_default(),
        target: a.target.unwrap_or_default(),
        jumpoint: a.jumpoint.unwrap_or_default(),
        username: a.username.unwrap_or_default(),
        display_size: a.display_size.unwrap_or_default(),
        quality: a.quality.unwrap_or_default(),
        console: rdp_console,
        protocol: a.protocol.unwrap_or_default(),
        port: a.port.unwrap_or_default(),
        terminal: a.terminal.unwrap_or_default(),
    };
    let action = match method {
        Some(m) => input.to_action(m).map_err(|e| errors.extend(e)).ok(),
        None => None,
    };
    match (host, action) {
        (Some(host), Some(action)) if errors.is_empty() => {
            let mut link = ClientScript::new(host, action)
                .console(console)
                .path(script_path(&a.common));
            if let Some(key) = key {
                link = link.external_key(&key);
            }
            Ok(link.to_url())
        }
        _ => Err(errors),
    }
}

fn chat(a: ChatArgs) -> Result<String, Vec<InputError>> {
    let one = |e: InputError| vec![e];
    let host = ApplianceHost::parse(&a.host).map_err(one)?;
    let route = if let Some(code) = &a.issue {
        Route::IssueCode(IssueCode::parse(code).map_err(one)?)
    } else if let Some(id) = &a.issue_id {
        Route::IssueId(parse_id(id, Field::IssueId).map_err(one)?)
    } else if let Some(id) = &a.rep_id {
        Route::RepId(parse_id(id, Field::RepId).map_err(one)?)
    } else {
        Route::SessionKey(
            SessionKeyText::parse(a.session_key.as_deref().unwrap_or_default()).map_err(one)?,
        )
    };
    let mut s = StartSession::new(host, route);
    s.click_to_chat = !a.no_click_to_chat;
    s.customer = Customer {
        name: opt(&a.name, CustomerName::parse).map_err(one)?,
        company: opt(&a.company, CustomerCompany::parse).map_err(one)?,
        company_code: opt(&a.company_code, CustomerCompanyCode::parse).map_err(one)?,
        details: opt(&a.details, CustomerDetails::parse).map_err(one)?,
    };
    s.external_key = opt(&a.external_key, ExternalKey::parse).map_err(one)?;
    s.locale = opt(&a.locale, Locale::parse).map_err(one)?;
    Ok(s.to_url())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(url) => {
            println!("{url}");
            ExitCode::SUCCESS
        }
        Err(errors) => {
            let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
            eprintln!("btlink: {}", reasons.join("; "));
            ExitCode::from(2)
        }
    }
}
