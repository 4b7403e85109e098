//! Widget bundles (`/apps/`, `BT_DIST_DIR`, e.g. `target/dist`) and demo
//! pages (`/`, `BT_STATIC_DIR`), with:
//! - `.wasm` as `application/wasm` (and the usual types for the rest);
//! - `Cache-Control`: hashed file names (`app-1a2b3c4d5e6f7a8b_bg.wasm`)
//!   for a year and immutable, everything else `no-cache` (revalidated);
//! - on HTML, a CSP whose `frame-ancestors` allows the configured hosts
//!   (`BT_ALLOWED_ORIGINS`), so Zendesk, Salesforce or Halo can frame it
//!   and nobody else can.

use crate::config::StaticConfig;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
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

async fn static_headers(
    State(csp): State<Arc<HeaderValue>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
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
        h.insert(header::CONTENT_SECURITY_POLICY, (*csp).clone());
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
    let layer = middleware::from_fn_with_state(csp, static_headers);
    let mut router = router;
    if let Some(packages) = &cfg.packages_dir {
        router = router.nest_service(
            "/packages",
            Router::new()
                .fallback_service(ServeDir::new(packages))
                .layer(layer.clone()),
        );
    }
    if let Some(dist) = &cfg.dist_dir {
        router = router.nest_service(
            "/apps",
            Router::new()
                .fallback_service(ServeDir::new(dist).append_index_html_on_directories(true))
                .layer(layer.clone()),
        );
    }
    if let Some(site) = &cfg.site_dir {
        router = router.fallback_service(
            Router::new()
                .fallback_service(ServeDir::new(site).append_index_html_on_directories(true))
                .layer(layer),
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
