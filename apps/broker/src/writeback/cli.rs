//! `bt-broker writeback status` and `bt-broker writeback retry (LSID |
//! --failed)`: read `BT_STATE` (environment, else the `--config` file) like
//! the server, and print for an admin.

use super::store::Store;
use std::fmt::Write as _;

/// `BT_STATE` from the environment, else the TOML file's `BT_STATE` /
/// `state`, else the default.
pub fn state_setting(config_file: Option<&std::path::Path>) -> Result<String, String> {
    if let Ok(v) = std::env::var("BT_STATE") {
        if !v.trim().is_empty() {
            return Ok(v.trim().to_owned());
        }
    }
    if let Some(path) = config_file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("--config: cannot read {}: {e}", path.display()))?;
        let table: toml::Table = text
            .parse()
            .map_err(|e| format!("--config: not valid TOML: {e}"))?;
        if let Some(v) = table
            .get("BT_STATE")
            .or_else(|| table.get("state"))
            .and_then(|v| v.as_str())
        {
            return Ok(v.trim().to_owned());
        }
    }
    Ok(super::config::DEFAULT_STATE.to_owned())
}

fn when(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| ms.to_string())
}

/// The text `writeback status` prints.
pub async fn status(store: &Store) -> Result<String, String> {
    let c = store.counts().await?;
    let mut out = format!(
        "write-back: {} pending, {} running, {} done, {} failed\n",
        c.pending, c.running, c.done, c.failed
    );
    for f in store.failed().await? {
        let _ = writeln!(
            out,
            "failed {} {} ticket {} ({} attempts, last {}): {}",
            f.lsid,
            f.kind,
            f.external_key,
            f.attempts,
            when(f.updated_at),
            f.reason
        );
    }
    if c.failed > 0 {
        out.push_str(
            "queue them again with: bt-broker writeback retry --failed (or: retry LSID)\n",
        );
    }
    Ok(out)
}

/// `writeback retry`: the text to print.
pub async fn retry(store: &Store, lsid: Option<&str>) -> Result<String, String> {
    let n = store.retry(lsid).await?;
    Ok(match (lsid, n) {
        (Some(l), 0) => {
            return Err(format!(
                "no job for session {l} (or it is running right now)"
            ))
        }
        (Some(l), n) => format!("queued again: {n} job(s) of session {l}\n"),
        (None, n) => format!("queued again: {n} failed job(s)\n"),
    })
}
