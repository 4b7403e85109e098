//! Widget tests in headless Chromium (wasm-bindgen-test).
//!
//! Each test mounts widgets into a fresh element with a `FakeHost`, drives
//! them through the DOM as a user would, and checks what the host was asked
//! to do (URLs are parsed and compared parameter by parameter).

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test_configure;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "web/support.rs"]
mod support;

#[path = "web/case_id.rs"]
mod case_id;
#[path = "web/click_to_chat.rs"]
mod click_to_chat;
#[path = "web/history.rs"]
mod history;
#[path = "web/i18n.rs"]
mod i18n;
#[path = "web/jump.rs"]
mod jump;
#[path = "web/root.rs"]
mod root;
#[path = "web/session_key.rs"]
mod session_key;
#[path = "web/standalone.rs"]
mod standalone;
