//! Browser defaults for the `Host` methods, and the `fetch` broker transport.

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::{LocalFuture, Opened};

/// `obj[key]` for the plain objects host frameworks hand over (ZAF answers,
/// postMessage data); `undefined` when absent.
pub fn js_prop(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `obj[key]` as non-empty text. Numbers (e.g. ticket ids) are turned into
/// text by the browser, which keeps Rust's float formatting out of the wasm.
pub fn js_string(obj: &JsValue, key: &str) -> Option<String> {
    let v = js_prop(obj, key);
    v.as_string()
        .or_else(|| {
            v.as_f64()
                .and_then(|_| {
                    js_sys::Number::from(v.clone())
                        .to_string_with_radix(10)
                        .ok()
                })
                .map(String::from)
        })
        .filter(|s| !s.is_empty())
}

/// `window.open(url, "_blank")`; a `null` result means the popup was blocked.
/// (`noopener` would make `window.open` always return `null`, so the opener is
/// cut by hand instead.)
pub fn open_in_new_tab(url: &str) -> Opened {
    let Some(window) = web_sys::window() else {
        return Opened::Blocked;
    };
    match window.open_with_url_and_target(url, "_blank") {
        Ok(Some(tab)) => {
            let _ = js_sys::Reflect::set(&tab, &JsValue::from_str("opener"), &JsValue::NULL);
            Opened::NewTab
        }
        _ => Opened::Blocked,
    }
}

/// `navigator.clipboard.writeText`.
pub fn copy_to_clipboard(text: &str) -> LocalFuture<bool> {
    let promise = web_sys::window().map(|w| w.navigator().clipboard().write_text(text));
    Box::pin(async move {
        match promise {
            Some(p) => JsFuture::from(p).await.is_ok(),
            None => false,
        }
    })
}

/// `performance.mark('bt-ready')` once the app's first interactive view is
/// built. Call it right after mounting: the mark is set after the effects
/// the widgets started while mounting (queued on the same microtask queue,
/// which runs in order), before the browser's next style, layout and paint.
/// (A `setTimeout(0)` here used to land after that first paint about as
/// often as not, so the mark measured the browser's layout of the page as
/// well; the load benchmark's plain-JS pages mark before it.)
pub fn mark_ready() {
    wasm_bindgen_futures::spawn_local(async {
        if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
            let _ = perf.mark("bt-ready");
        }
    });
}

#[cfg(feature = "broker")]
pub use fetch::*;

#[cfg(feature = "broker")]
mod fetch {
    use std::rc::Rc;

    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    use crate::host::{
        BrokerRequest, BrokerResponse, LocalFuture, Method, Transport, TransportError,
    };

    /// Where a [`FetchTransport`] gets its bearer token.
    pub type TokenSource = Rc<dyn Fn() -> LocalFuture<Result<String, TransportError>>>;

    /// Calls the broker directly with `fetch` and `Authorization: Bearer TOKEN`.
    #[derive(Clone)]
    pub struct FetchTransport {
        base_url: String,
        token: TokenSource,
    }

    impl FetchTransport {
        /// `base_url` like `https://broker.example.com` (no trailing slash needed).
        pub fn new(base_url: &str, token: TokenSource) -> Self {
            Self {
                base_url: base_url.trim_end_matches('/').to_owned(),
                token,
            }
        }

        /// A transport with one fixed token (the standalone page, demos).
        pub fn with_token(base_url: &str, token: &str) -> Self {
            let token = token.to_owned();
            Self::new(
                base_url,
                Rc::new(move || {
                    let t = token.clone();
                    Box::pin(async move { Ok(t) })
                }),
            )
        }
    }

    fn js_err(e: JsValue) -> TransportError {
        TransportError(
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .or_else(|| e.as_string())
                .unwrap_or_else(|| "fetch failed".to_owned()),
        )
    }

    impl Transport for FetchTransport {
        fn send(
            &self,
            request: BrokerRequest,
        ) -> LocalFuture<Result<BrokerResponse, TransportError>> {
            let url = format!("{}{}", self.base_url, request.path);
            let token = (self.token)();
            Box::pin(async move {
                let token = token.await?;
                let init = web_sys::RequestInit::new();
                init.set_method(request.method.as_str());
                init.set_mode(web_sys::RequestMode::Cors);
                let headers = web_sys::Headers::new().map_err(js_err)?;
                headers
                    .set("Authorization", &format!("Bearer {token}"))
                    .map_err(js_err)?;
                headers.set("Accept", "application/json").map_err(js_err)?;
                if let Some(body) = &request.body {
                    headers
                        .set("Content-Type", "application/json")
                        .map_err(js_err)?;
                    init.set_body(&JsValue::from_str(body));
                }
                debug_assert!(request.body.is_none() || request.method == Method::Post);
                init.set_headers(&headers);
                let req = web_sys::Request::new_with_str_and_init(&url, &init).map_err(js_err)?;
                let window = web_sys::window().ok_or_else(|| TransportError("no window".into()))?;
                let resp: web_sys::Response = JsFuture::from(window.fetch_with_request(&req))
                    .await
                    .map_err(js_err)?
                    .unchecked_into();
                let text = JsFuture::from(resp.text().map_err(js_err)?)
                    .await
                    .map_err(js_err)?;
                Ok(BrokerResponse {
                    status: resp.status(),
                    body: text.as_string().unwrap_or_default(),
                })
            })
        }
    }
}
