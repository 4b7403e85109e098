//! The HaloPSA adapter: the page an Asset custom button opens.
//!
//! The button URL carries only `asset` (and optionally `ticket`); the admin's
//! settings come from `config.json` beside this page, never from the URL, so
//! a crafted link cannot point the agent at another appliance. The ticket is
//! the session's external key; without one, the asset's inventory number is.

use bt_widgets::host::{ColorScheme, InputError, PageConfig, Settings};
use bt_widgets::Host;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Where the admin's settings are, relative to the page.
const CONFIG_FILE: &str = "config.json";

/// Why the page has no settings. The widgets would only list every setting
/// as missing; this names the file to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigProblem {
    /// The server answered 404.
    Missing,
    /// No answer, or another error status (0: no HTTP answer).
    Unreadable(u16),
    /// An answer that is not one JSON object.
    NotJson,
}

impl ConfigProblem {
    /// What the agent sees, naming the file (English, like the other
    /// messages shown before any widget is mounted).
    pub fn message(self) -> String {
        let what = match self {
            ConfigProblem::Missing => "was not found beside this page".to_owned(),
            ConfigProblem::Unreadable(0) => "could not be loaded".to_owned(),
            ConfigProblem::Unreadable(status) => {
                format!("could not be loaded (HTTP {status})")
            }
            ConfigProblem::NotJson => "is not valid JSON: it must be one object of settings".into(),
        };
        format!(
            "The settings file {CONFIG_FILE} {what}. Ask your admin to set it up as \
             config.example.json shows."
        )
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

/// The text of `config.json` beside the page.
async fn config_text() -> Result<String, ConfigProblem> {
    let window = web_sys::window().ok_or(ConfigProblem::Unreadable(0))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(CONFIG_FILE))
        .await
        .ok()
        .and_then(|r| r.dyn_into().ok())
        .ok_or(ConfigProblem::Unreadable(0))?;
    match response.status() {
        404 => return Err(ConfigProblem::Missing),
        _ if !response.ok() => return Err(ConfigProblem::Unreadable(response.status())),
        _ => {}
    }
    let text = response.text().map_err(|_| ConfigProblem::Unreadable(0))?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or(ConfigProblem::Unreadable(0))
}

/// The page a button opened: the asset to prefill and the admin's settings.
pub struct HaloPage {
    /// The asset's inventory number (empty when the button sent none).
    pub asset: String,
    record: Option<String>,
    locale: String,
    scheme: ColorScheme,
    settings: Result<Settings, Vec<InputError>>,
}

impl HaloPage {
    /// Reads the button's parameters and `config.json`.
    pub async fn open() -> Result<Self, ConfigProblem> {
        let (asset, ticket) = button_params();
        let config = PageConfig::from_json(&config_text().await?).ok_or(ConfigProblem::NotJson)?;
        let record = ticket.or_else(|| Some(asset.clone()).filter(|a| !a.is_empty()));
        Ok(Self {
            asset,
            record,
            locale: config.locale(),
            scheme: config.color_scheme(),
            settings: config.settings(),
        })
    }
}

impl Host for HaloPage {
    fn record_id(&self) -> Option<String> {
        self.record.clone()
    }

    fn settings(&self) -> Result<Settings, Vec<InputError>> {
        self.settings.clone()
    }

    fn locale(&self) -> String {
        self.locale.clone()
    }

    fn color_scheme(&self) -> ColorScheme {
        self.scheme
    }
}
