//! The HaloPSA adapter: the page an Asset custom button opens.
//!
//! The button URL carries only `asset` (and optionally `ticket`); the admin's
//! settings come from `config.json` beside this page, never from the URL, so
//! a crafted link cannot point the agent at another appliance. The ticket is
//! the session's external key; without one, the asset's inventory number is.

use bt_widgets::host::{ConfiguredPage, PageConfig};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why the page has no settings. The widgets would only list every setting
/// as missing; these name the file to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigProblem {
    /// The server answered 404.
    Missing,
    /// No answer, or another error status.
    Unreadable,
    /// An answer that is not one JSON object.
    NotJson,
}

impl ConfigProblem {
    /// What the agent sees (English, like the other messages shown before
    /// any widget is mounted; whole sentences, so no formatting code).
    pub fn message(self) -> &'static str {
        match self {
            ConfigProblem::Missing => {
                "The settings file config.json was not found beside this page. Ask your \
                 admin to copy config.example.json to config.json and set the appliance's \
                 hostname."
            }
            ConfigProblem::Unreadable => {
                "The settings file config.json beside this page could not be loaded. \
                 Reload the page; if this persists, ask your admin to check the web server."
            }
            ConfigProblem::NotJson => {
                "The settings file config.json beside this page is not valid JSON: it \
                 must be one object of settings, as in config.example.json. Ask your \
                 admin to fix it."
            }
        }
    }
}

/// `asset` and `ticket` from the button's query string (nothing else in the
/// URL is read).
fn button_params() -> (String, Option<String>) {
    let params = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok());
    let get = |k: &str| {
        params
            .as_ref()
            .and_then(|p| p.get(k))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    (get("asset").unwrap_or_default(), get("ticket"))
}

/// What index.html leaves on `window`: the promise of `[status, text]` of
/// its request for `config.json` beside the page, made while the wasm
/// loads (status 0 when nothing answered, text null when none was read).
const EARLY: &str = "btHaloConfig";

/// The text of `config.json` beside the page, from index.html's request.
async fn config_text() -> Result<String, ConfigProblem> {
    let early = js_sys::Reflect::get(&js_sys::global(), &EARLY.into())
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
        .ok_or(ConfigProblem::Unreadable)?;
    let answer: js_sys::Array = JsFuture::from(early)
        .await
        .ok()
        .and_then(|a| a.dyn_into().ok())
        .ok_or(ConfigProblem::Unreadable)?;
    match (answer.get(0).as_f64(), answer.get(1).as_string()) {
        (Some(status), _) if status == 404.0 => Err(ConfigProblem::Missing),
        (_, Some(text)) => Ok(text),
        _ => Err(ConfigProblem::Unreadable),
    }
}

/// Reads the button's parameters and `config.json`: the asset to prefill,
/// and the host with the admin's settings.
pub async fn open() -> Result<(String, ConfiguredPage), ConfigProblem> {
    let (asset, ticket) = button_params();
    let config = PageConfig::from_json(&config_text().await?).ok_or(ConfigProblem::NotJson)?;
    let record = ticket.or_else(|| Some(asset.clone()).filter(|a| !a.is_empty()));
    Ok((asset, ConfiguredPage::new(&config, record)))
}
