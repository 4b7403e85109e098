//! The shapes every answer shares: XML/HTML escaping, XML bodies and
//! `<error>`s, the plain HTML page, appliance time formats, form parameters.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use std::collections::HashMap;

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn xml_response(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/xml; charset=UTF-8")], body).into_response()
}

pub(crate) fn xml_error(ns: &str, message: &str) -> Response {
    xml_response(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error xmlns=\"{ns}\">{}</error>\n",
        escape(message)
    ))
}

pub(crate) fn page(status: StatusCode, title: &str, body_html: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\n<body><main><h1>{t}</h1>\n{body_html}\n<p><small>BeyondTrust sandbox appliance</small></p></main></body></html>\n",
        t = escape(title)
    );
    let mut r = (status, Html(html)).into_response();
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    r.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

pub(crate) fn form_params(query: Option<&str>, body: &[u8]) -> HashMap<String, String> {
    let mut params: HashMap<String, String> =
        url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    params.extend(url::form_urlencoded::parse(body).into_owned());
    params
}

/// `2024-12-03T15:26:05+00:00`
pub(crate) fn iso(unix: i64) -> String {
    let fmt =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]+00:00");
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_default()
}

pub(crate) fn hms(secs: i64) -> String {
    let secs = secs.max(0);
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_formats() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(iso(1733239565), "2024-12-03T15:26:05+00:00");
        assert_eq!(hms(902), "00:15:02");
        assert_eq!(hms(90_061), "25:01:01");
    }
}
