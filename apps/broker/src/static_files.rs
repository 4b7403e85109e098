//! Widget bundles (`/apps/`, `BT_DIST_DIR`, e.g. `target/dist`) and demo
//! pages (`/`, `BT_STATIC_DIR`), with:
//! - `.wasm` as `application/wasm` (and the usual types for the rest);
//! - `Cache-Control`: hashed file names (`app-1a2b3c4d5e6f7a8b_bg.wasm`)
//!   for a year and immutable, everything else `no-cache` (revalidated);
//! - on HTML, a CSP whose `frame-ancestors` allows the configured hosts
//!   (`BT_ALLOWED_ORIGINS`), so Zendesk, Salesforce or Halo can frame it
//!   and nobody else can;
//! - nothing outside the directory: a path with a dot segment (`/.git/config`,
//!   `/.env`) is 404, and so is a file (or a directory's `index.html`) that
//!   resolves, through a symlink, outside the directory;
//! - directory redirects (`/apps/sub` → `/apps/sub/`) to the address the
//!   browser asked for, never to another site: tower-http builds them from
//!   the path below the mount point (`/sub/`) and would answer `//demo` with
//!   `Location: //demo/`, a protocol-relative address on another host.

use crate::config::StaticConfig;
use axum::extract::{OriginalUri, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_http::services::ServeDir;

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";

/// Whether a path's file name carries a content hash (8+ hex digits with at
/// least one digit, as a `-`, `.` or `_` separated part after the first).
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem.split(['-', '.', '_']).skip(1).any(|part| {
        part.len() >= 8
            && part.bytes().all(|b| b.is_ascii_hexdigit())
            && part.bytes().any(|b| b.is_ascii_digit())
    })
}

/// One served directory and the CSP its HTML gets.
#[derive(Clone)]
struct Root {
    csp: Arc<HeaderValue>,
    dir: Arc<PathBuf>,
}

/// Whether `path` (below the mount point, percent-encoded as received)
/// names something inside `dir`: no segment starting with `.`, and the file
/// it resolves to (for a directory, its `index.html` too) inside `dir`
/// after following symlinks. A path that does not resolve is let through:
/// the file server answers 404 for it.
async fn inside(dir: &Path, path: &str) -> bool {
    let Ok(decoded) = percent_encoding::percent_decode_str(path).decode_utf8() else {
        return false;
    };
    if decoded
        .split(['/', '\\'])
        .any(|segment| segment.starts_with('.'))
    {
        return false;
    }
    let candidate = dir.join(decoded.trim_start_matches('/'));
    let Ok(real) = tokio::fs::canonicalize(&candidate).await else {
        return true;
    };
    let Ok(base) = tokio::fs::canonicalize(dir).await else {
        return false;
    };
    if !real.starts_with(&base) {
        return false;
    }
    match tokio::fs::canonicalize(real.join("index.html")).await {
        Ok(index) if real.is_dir() => index.starts_with(&base),
        _ => true,
    }
}

/// Where a directory redirect for `asked` may point: the same path plus
/// `/` (and the query), or nowhere when that would read as another host.
fn directory_location(asked: &axum::http::Uri) -> Option<HeaderValue> {
    let path = asked.path();
    if path.starts_with("//") || path.contains('\\') {
        return None;
    }
    let location = match asked.query() {
        Some(q) => format!("{path}/?{q}"),
        None => format!("{path}/"),
    };
    HeaderValue::from_str(&location).ok()
}

async fn static_headers(State(root): State<Root>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let asked = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().clone(), |o| o.0.clone());
    if !inside(&root.dir, &path).await {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut response = next.run(request).await;
    if response.status().is_redirection() && response.headers().contains_key(header::LOCATION) {
        return match directory_location(&asked) {
            Some(location) => {
                response.headers_mut().insert(header::LOCATION, location);
                response
            }
            None => StatusCode::NOT_FOUND.into_response(),
        };
    }
    if !response.status().is_success() && response.status() != axum::http::StatusCode::NOT_MODIFIED
    {
        return response;
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let cache = if !is_html && is_hashed(&path) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if is_html {
        h.insert(header::CONTENT_SECURITY_POLICY, (*root.csp).clone());
    }
    response
}

/// `frame-ancestors 'self' <allowed origins>`.
pub fn csp(allowed: &[crate::config::OriginPattern]) -> HeaderValue {
    let mut v = String::from("frame-ancestors 'self'");
    for p in allowed {
        v.push(' ');
        v.push_str(p.csp_source());
    }
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("frame-ancestors 'self'"))
}

/// Adds the static routes to `router` (none when no directory is set).
pub fn mount<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    cfg: &StaticConfig,
    allowed: &[crate::config::OriginPattern],
) -> Router<S> {
    let csp = Arc::new(csp(allowed));
    let layer = |dir: &PathBuf| {
        middleware::from_fn_with_state(
            Root {
                csp: csp.clone(),
                dir: Arc::new(dir.clone()),
            },
            static_headers,
        )
    };
    let mut router = router;
    if let Some(packages) = &cfg.packages_dir {
        router = router.nest_service(
            "/packages",
            Router::new()
                .fallback_service(ServeDir::new(packages))
                .layer(layer(packages)),
        );
    }
    if let Some(dist) = &cfg.dist_dir {
        router = router.nest_service(
            "/apps",
            Router::new()
                .fallback_service(ServeDir::new(dist).append_index_html_on_directories(true))
                .layer(layer(dist)),
        );
    }
    if let Some(site) = &cfg.site_dir {
        router = router.fallback_service(
            Router::new()
                .fallback_service(ServeDir::new(site).append_index_html_on_directories(true))
                .layer(layer(site)),
        );
    }
    router
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        assert!(is_hashed(
            "/apps/zendesk-sidebar/zendesk-sidebar-1a2b3c4d5e6f7a8b_bg.wasm"
        ));
        assert!(is_hashed("index-9f8e7d6c.js"));
        assert!(!is_hashed("/apps/zendesk-sidebar/index.html"));
        assert!(!is_hashed("zendesk-sidebar_bg.wasm"));
        assert!(
            !is_hashed("deadbeefcafe.js"),
            "the first part is the name, not a hash"
        );
        assert!(!is_hashed("help-center-facebook.css"));
    }

    #[test]
    fn csp_lists_the_allowed_hosts() {
        let allowed =
            crate::config::parse_origins("https://*.zendesk.com, https://acme.my.salesforce.com")
                .unwrap();
        assert_eq!(
            csp(&allowed),
            "frame-ancestors 'self' https://*.zendesk.com https://acme.my.salesforce.com"
        );
    }
}
