//! `PageConfig`: the flat key → value configuration a host adapter reads
//! from wherever its host keeps it (an app framework's settings object, a
//! message from the embedding page, a JSON file or element, a query string)
//! and turns into the widgets' settings.
//!
//! Keys (all optional): `record` (or `ticket`), `locale`, `theme` (or
//! `scheme`: `light`|`dark`), `agent`, `agent_email`, `customer_email`,
//! `broker` (base URL), `token` (bearer), and the settings' own names:
//! `hostname`, `issues`, `jumpoints`, `teams`, `allow_pinned_client`,
//! `allow_push_local`, `allow_push_remote`, `allow_rdp`,
//! `allow_remote_console`, `allow_vpro`, `allow_vnc`, `allow_general_queue`,
//! `console`. Multi-line settings take `\n` in JSON or `|`-separated lines in
//! a query string.
//!
//! JSON is read with the browser's `JSON.parse`, so no JSON parser is added
//! to apps that do not talk to the broker.

use bt_core::settings::{AllowedMethods, RawSettings, Settings};
use bt_core::{InputError, Problem};
use wasm_bindgen::{JsCast, JsValue};

use super::ColorScheme;

/// The settings that hold one entry per line.
const MULTI_LINE: [&str; 3] = ["issues", "jumpoints", "teams"];

/// A key → value configuration (later values win).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageConfig(Vec<(String, String)>);

impl PageConfig {
    /// The keys of a JSON object; `None` when `json` is not valid JSON or
    /// not an object, so the adapter can say which.
    pub fn from_json(json: &str) -> Option<Self> {
        let value = js_sys::JSON::parse(json).ok()?;
        let is_object = value.is_object() && !js_sys::Array::is_array(&value);
        is_object.then(|| Self::from_object(&value))
    }

    /// The keys of a plain object a host hands over (strings, numbers and
    /// booleans; other values are skipped).
    pub fn from_object(value: &JsValue) -> Self {
        let mut config = Self::default();
        config.merge_object(value);
        config
    }

    /// Adds the keys of a JSON object; anything else adds nothing.
    pub fn merge_json(&mut self, json: &str) {
        if let Ok(value) = js_sys::JSON::parse(json) {
            self.merge_object(&value);
        }
    }

    /// Adds the keys of a plain object (see [`PageConfig::from_object`]).
    pub fn merge_object(&mut self, value: &JsValue) {
        self.merge_entries(value, false);
    }

    /// Adds the parameters of a query string (`?a=1&b=2`). `|` separates the
    /// lines of the multi-line settings.
    pub fn merge_query(&mut self, search: &str) {
        if let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) {
            if let Ok(obj) = js_sys::Object::from_entries(&params) {
                self.merge_entries(&obj, true);
            }
        }
    }

    fn merge_entries(&mut self, value: &JsValue, pipes_are_lines: bool) {
        let Some(obj) = value.dyn_ref::<js_sys::Object>() else {
            return;
        };
        for entry in js_sys::Object::entries(obj).iter() {
            let pair: js_sys::Array = entry.unchecked_into();
            let (Some(key), v) = (pair.get(0).as_string(), pair.get(1)) else {
                continue;
            };
            // Numbers and booleans as JSON writes them (no float formatting in wasm).
            let text = match v.as_string() {
                Some(s) => s,
                None if v.as_bool().is_some() || v.as_f64().is_some() => {
                    js_sys::JSON::stringify(&v)
                        .ok()
                        .and_then(|s| s.as_string())
                        .unwrap_or_default()
                }
                None => continue,
            };
            let text = if pipes_are_lines && MULTI_LINE.contains(&key.as_str()) {
                text.replace('|', "\n")
            } else {
                text
            };
            self.0.push((key, text));
        }
    }

    pub fn set(&mut self, key: &str, value: &str) -> &mut Self {
        self.0.push((key.to_owned(), value.to_owned()));
        self
    }

    /// The last non-blank value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }

    fn flag(&self, key: &str) -> bool {
        self.get(key).is_some_and(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "true" | "1" | "yes" | "on"
            )
        })
    }

    /// The settings part, in core's raw form.
    pub fn raw_settings(&self) -> RawSettings {
        let text = |k: &str| self.get(k).unwrap_or_default().to_owned();
        RawSettings {
            hostname: text("hostname"),
            issues: text("issues"),
            jumpoints: text("jumpoints"),
            teams: text("teams"),
            allow_pinned_client: self.flag("allow_pinned_client"),
            allow_push_local: self.flag("allow_push_local"),
            allow_push_remote: self.flag("allow_push_remote"),
            allow_rdp: self.flag("allow_rdp"),
            allow_remote_console: self.flag("allow_remote_console"),
            allow_vpro: self.flag("allow_vpro"),
            allow_vnc: self.flag("allow_vnc"),
            allow_general_queue: self.flag("allow_general_queue"),
            console: text("console"),
        }
    }

    /// The settings, validated by core (see [`validate`]).
    pub fn settings(&self) -> Result<Settings, Vec<InputError>> {
        validate(&self.raw_settings())
    }

    /// `record`, else `ticket`.
    pub fn record(&self) -> Option<String> {
        self.get("record")
            .or_else(|| self.get("ticket"))
            .map(str::to_owned)
    }

    /// `locale`, else the browser's language, else English.
    pub fn locale(&self) -> String {
        self.get("locale")
            .map(str::to_owned)
            .or_else(|| web_sys::window().and_then(|w| w.navigator().language()))
            .unwrap_or_else(|| "en".to_owned())
    }

    /// `theme`, else `scheme`; unset follows the system.
    pub fn color_scheme(&self) -> ColorScheme {
        ColorScheme::parse(
            self.get("theme")
                .or_else(|| self.get("scheme"))
                .unwrap_or_default(),
        )
    }
}

/// The settings as the widgets take them: core's validation, except that
/// a Jump method turned on while no Jumpoint is set up does not stop the
/// whole app. When that is the only problem, every other setting applies,
/// and the method stays on in `methods` with an empty `jumpoints`: Jump To
/// leaves it out and tells the agent which setting to ask an admin about,
/// while the session key and the methods that need no Jumpoint work.
pub fn validate(raw: &RawSettings) -> Result<Settings, Vec<InputError>> {
    Settings::from_raw(raw).or_else(|errors| {
        let only_jumpoints = errors
            .iter()
            .all(|e| matches!(e.problem, Problem::NeedsJumpoint { .. }));
        if !only_jumpoints {
            return Err(errors);
        }
        let mut relaxed = raw.clone();
        relaxed.allow_push_remote = false;
        relaxed.allow_rdp = false;
        relaxed.allow_remote_console = false;
        relaxed.allow_vpro = false;
        let mut settings = Settings::from_raw(&relaxed)?;
        settings.methods = AllowedMethods {
            remote: raw.allow_push_remote,
            rdp: raw.allow_rdp,
            shell: raw.allow_remote_console,
            vpro: raw.allow_vpro,
            ..settings.methods
        };
        Ok(settings)
    })
}

/// A host whose page gives nothing but its configuration: the record, the
/// language, the colour scheme and the settings; links, copying and the
/// rest keep the browser defaults. The adapters of such pages (a page
/// beside its settings file, a theme's page) build one from what they read.
pub struct ConfiguredPage {
    record: Option<String>,
    locale: String,
    scheme: ColorScheme,
    settings: Result<Settings, Vec<InputError>>,
}

impl ConfiguredPage {
    /// `record` is the adapter's own (a page may take it from its URL).
    pub fn new(config: &PageConfig, record: Option<String>) -> Self {
        Self {
            record,
            locale: config.locale(),
            scheme: config.color_scheme(),
            settings: config.settings(),
        }
    }
}

impl super::Host for ConfiguredPage {
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
