//! Rendering with Handlebars: the built-in `session.hbs`,
//! `customer_survey.hbs` and `rep_survey.hbs`, each overridable by a file of
//! the same name in `BT_TEMPLATES_DIR`. A template that does not compile is
//! refused at start with its file and line.
//!
//! Output is HTML with Handlebars' default escaping, so every value a
//! customer or rep wrote (chat, notes, names, survey answers) is escaped;
//! templates use `{{x}}`, never `{{{x}}}`. Hosts that take plain text
//! (Autotask) get [`html_to_text`] of the same note.

use super::store::Kind;
use handlebars::{Context, Handlebars, Helper, HelperResult, Output, RenderContext};
use std::path::Path;

const BUILT_IN: [(&str, &str); 3] = [
    ("session", include_str!("templates/session.hbs")),
    (
        "customer_survey",
        include_str!("templates/customer_survey.hbs"),
    ),
    ("rep_survey", include_str!("templates/rep_survey.hbs")),
];

pub struct Templates {
    hbs: Handlebars<'static>,
}

/// UNIX seconds as `2024-12-03 15:26:05 UTC`: how notes and records show a time.
pub fn utc_text(secs: i64) -> Option<String> {
    let fmt =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()?
        .format(&fmt)
        .ok()
}

/// `{{datetime ts}}`: UNIX seconds as [`utc_text`]; empty when absent.
fn datetime(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let ts = h.param(0).and_then(|p| p.value().as_i64());
    if let Some(s) = ts.and_then(utc_text) {
        out.write(&s)?;
    }
    Ok(())
}

impl Templates {
    /// The built-in templates, each replaced by `DIR/NAME.hbs` when it exists.
    pub fn load(dir: Option<&Path>) -> Result<Self, String> {
        let mut hbs = Handlebars::new();
        hbs.register_helper("datetime", Box::new(datetime));
        for (name, built_in) in BUILT_IN {
            let file = dir
                .map(|d| d.join(format!("{name}.hbs")))
                .filter(|f| f.is_file());
            let (source, text) = match &file {
                Some(f) => (
                    f.display().to_string(),
                    std::fs::read_to_string(f).map_err(|e| {
                        format!("BT_TEMPLATES_DIR: cannot read {}: {e}", f.display())
                    })?,
                ),
                None => (format!("built-in {name}.hbs"), built_in.to_owned()),
            };
            hbs.register_template_string(name, text).map_err(|e| {
                let at = e
                    .pos()
                    .map(|(line, col)| format!(" line {line}, column {col}:"))
                    .unwrap_or_default();
                format!("BT_TEMPLATES_DIR: {source}:{at} {}", e.reason())
            })?;
        }
        Ok(Self { hbs })
    }

    /// The note's HTML for `kind` from `data`, with the marker line last.
    pub fn render(
        &self,
        kind: Kind,
        data: &serde_json::Value,
        marker: &str,
    ) -> Result<String, String> {
        let mut html = self
            .hbs
            .render(kind.as_str(), data)
            .map_err(|e| format!("template {}.hbs: {e}", kind.as_str()))?;
        html.push_str("\n<p>");
        html.push_str(&handlebars::html_escape(marker));
        html.push_str("</p>\n");
        Ok(html)
    }
}

/// Plain text of rendered HTML: tags dropped, block ends as line breaks,
/// entities decoded (so escaped user text reads as written), blank runs
/// collapsed.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = &rest[lt..];
            break;
        };
        let tag = rest[lt + 1..lt + gt].trim().to_ascii_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        match name {
            "br" | "p" | "div" | "tr" | "ul" | "ol" | "table" | "h1" | "h2" | "h3" | "h4"
            | "h5" | "h6" => out.push('\n'),
            "li" if !tag.starts_with('/') => out.push_str("\n- "),
            "td" | "th" if !tag.starts_with('/') => out.push(' '),
            _ => {}
        }
        rest = &rest[lt + gt + 1..];
    }
    push_text(&mut out, rest);
    // Trim each line, at most one blank line in a row.
    let mut text = String::with_capacity(out.len());
    let mut blank = 0;
    for line in out.lines().map(str::trim) {
        if line.is_empty() {
            blank += 1;
            if blank > 1 || text.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        text.push_str(line);
        text.push('\n');
    }
    text.trim_end().to_owned()
}

/// Appends `s` with whitespace runs folded (as HTML renders them) and
/// entities decoded.
fn push_text(out: &mut String, s: &str) {
    let mut folded = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !folded.is_empty() {
                folded.push(' ');
            }
            space = false;
            folded.push(c);
        }
    }
    if space && !folded.is_empty() {
        folded.push(' ');
    }
    if s.starts_with(char::is_whitespace) && !out.ends_with([' ', '\n']) && !folded.is_empty() {
        out.push(' ');
    }
    out.push_str(&decode_entities(&folded));
}

pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let n = if let Some(hex) =
                        name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                    {
                        u32::from_str_radix(hex, 16).ok()
                    } else {
                        name.strip_prefix('#').and_then(|d| d.parse().ok())
                    };
                    n.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped_in_html_and_exact_in_text() {
        let t = Templates::load(None).unwrap();
        let data = serde_json::json!({
            "duration": "00:01:00",
            "start_time": {"timestamp": 1733239565},
            "events": [{"is_chat": true, "timestamp": 1733239600, "performed_by": {"name": "Eve <img src=x onerror=alert(1)>"}, "body": "<script>alert('x')</script> & \"q\""}],
        });
        let html = t
            .render(Kind::Session, &data, "bt-session: L1/session")
            .unwrap();
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("2024-12-03 15:26:05 UTC"), "{html}");
        assert!(html.contains("<p>bt-session: L1/session</p>"), "{html}");
        let text = html_to_text(&html);
        assert!(
            text.contains("Eve <img src=x onerror=alert(1)>: <script>alert('x')</script> & \"q\""),
            "{text}"
        );
        assert!(text.ends_with("bt-session: L1/session"), "{text}");
    }

    #[test]
    fn a_broken_override_names_its_file_and_line() {
        let dir = std::env::temp_dir().join(format!("bt-tpl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("rep_survey.hbs"),
            "ok\nline two {{#each surveys}}\nno close",
        )
        .unwrap();
        let e = Templates::load(Some(&dir)).err().unwrap();
        assert!(e.contains("rep_survey.hbs"), "{e}");
        assert!(e.contains("line "), "{e}");
        std::fs::write(dir.join("rep_survey.hbs"), "Rep survey for {{lsid}}").unwrap();
        let t = Templates::load(Some(&dir)).unwrap();
        let html = t
            .render(Kind::RepSurvey, &serde_json::json!({"lsid": "<b>"}), "m")
            .unwrap();
        assert!(html.starts_with("Rep survey for &lt;b&gt;"), "{html}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode_entities("a &lt;b&gt; &#x27;c&#39; &amp;amp; &bogus; &"),
            "a <b> 'c' &amp; &bogus; &"
        );
    }
}
