//! A language the app does not bundle, fetched from `i18n/LANG.json` beside
//! the page (written by `cargo xtask build`; see `bt-i18n`).

use super::{available, file, install, Lang, FILE_FORMAT};
use js_sys::{Array, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestInit, Response};

/// How long a page waits for its language before it goes on in English.
const TIMEOUT_MS: u32 = 3_000;
/// The most a language file may hold (ours are under 12 KB).
const MAX_CHARS: u32 = 64 * 1024;

/// Makes `lang` available to the widgets, fetching its file if the app does
/// not bundle it. False (and a console warning saying why) when it could not
/// be had: the widgets then speak English, never blank labels.
pub async fn prepare(lang: Lang) -> bool {
    if available(lang) {
        return true;
    }
    match fetch_and_install(lang).await {
        Ok(()) => true,
        Err(why) => {
            web_sys::console::warn_1(&JsValue::from_str(&format!(
                "bt-widgets: {} was not loaded ({why}); showing English",
                file(lang)
            )));
            false
        }
    }
}

async fn fetch_and_install(lang: Lang) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = RequestInit::new();
    init.set_signal(Some(&AbortSignal::timeout_with_u32(TIMEOUT_MS)));
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(&file(lang), &init))
        .await
        .map_err(|_| format!("no answer within {TIMEOUT_MS} ms"))?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let body = response.text().map_err(|_| "unreadable body")?;
    let text: js_sys::JsString = JsFuture::from(body)
        .await
        .map_err(|_| format!("body not read within {TIMEOUT_MS} ms"))?
        .unchecked_into();
    if text.length() > MAX_CHARS {
        return Err(format!("over {MAX_CHARS} characters"));
    }
    let value = JSON::parse(&String::from(text)).map_err(|_| "not JSON")?;
    let field =
        |name: &str| Reflect::get(&value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    if field("format").as_f64() != Some(f64::from(FILE_FORMAT)) {
        return Err(format!("format is not {FILE_FORMAT}"));
    }
    if field("lang").as_string().as_deref() != Some(lang.tag()) {
        return Err(format!("lang is not \"{}\"", lang.tag()));
    }
    let shape = field("shape")
        .as_string()
        .and_then(|hex| u64::from_str_radix(&hex, 16).ok())
        .ok_or("shape is not a hex number")?;
    let list = field("strings");
    if !Array::is_array(&list) {
        return Err("strings is not a list".into());
    }
    let strings = Array::from(&list)
        .iter()
        .enumerate()
        .map(|(i, s)| s.as_string().ok_or(format!("string {i} is not text")))
        .collect::<Result<Vec<_>, _>>()?;
    install(lang, shape, strings).map_err(|e| e.to_string())
}
