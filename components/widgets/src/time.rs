//! Dates and durations through the browser's `Date` (no date crate in wasm).

/// Milliseconds since the epoch of an RFC 3339 timestamp; `None` if invalid.
pub fn parse_ms(rfc3339: &str) -> Option<f64> {
    let ms = js_sys::Date::parse(rfc3339);
    (!ms.is_nan()).then_some(ms)
}

/// `m:ss` (or `h:mm:ss`) for a number of seconds.
pub fn clock(total_seconds: u64) -> String {
    let (h, m, s) = (
        total_seconds / 3600,
        (total_seconds / 60) % 60,
        total_seconds % 60,
    );
    // Written by hand: no `format!` padding machinery for a countdown.
    let mut out = String::new();
    if h > 0 {
        out.push_str(&h.to_string());
        out.push(':');
        two_digits(&mut out, m);
    } else {
        out.push_str(&m.to_string());
    }
    out.push(':');
    two_digits(&mut out, s);
    out
}

fn two_digits(out: &mut String, n: u64) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// A date and time in the user's language, e.g. `21.11.2026, 10:15`.
pub fn local_datetime(rfc3339: &str, lang_tag: &str) -> String {
    let Some(ms) = parse_ms(rfc3339) else {
        return rfc3339.to_owned();
    };
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    formatter(lang_tag)
        .call1(&wasm_bindgen::JsValue::NULL, &date)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| rfc3339.to_owned())
}

thread_local! {
    /// One `Intl.DateTimeFormat(...).format` per language. Building one is
    /// what costs (`Date.toLocaleString` builds a new one per call: 40 ms of
    /// main thread for a ticket's history in a profile of the sidebar demo).
    static FORMATTERS: std::cell::RefCell<Vec<(String, js_sys::Function)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn formatter(lang_tag: &str) -> js_sys::Function {
    FORMATTERS.with_borrow_mut(|cache| {
        if let Some((_, f)) = cache.iter().find(|(tag, _)| tag == lang_tag) {
            return f.clone();
        }
        let options = js_sys::Object::new();
        for (k, v) in [("dateStyle", "medium"), ("timeStyle", "short")] {
            let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
        }
        let locales = js_sys::Array::of1(&lang_tag.into());
        let f = js_sys::Intl::DateTimeFormat::new(&locales, &options).format();
        cache.push((lang_tag.to_owned(), f.clone()));
        f
    })
}

/// `HH:MM` in UTC of a time in milliseconds since the epoch.
pub fn utc_hhmm(ms: f64) -> String {
    let minutes = (ms / 60_000.0).floor() as i64;
    let of_day = minutes.rem_euclid(24 * 60) as u64;
    let mut out = String::new();
    two_digits(&mut out, of_day / 60);
    out.push(':');
    two_digits(&mut out, of_day % 60);
    out
}
