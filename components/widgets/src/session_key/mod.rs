//! SessionKeyPanel: "Generate Session Key" through the broker, then the
//! "Session Key" and "Session Key URL" (copyable), a live expiry countdown,
//! Regenerate, "Email Session Key" and a QR code; a queue choice when the
//! settings offer more than the agent's own queue; a warning when the agent is
//! not logged in to the rep console.
//!
//! ConsoleSessionKey: "BeyondTrust Session Key" / "Web Session Key" open the
//! console's own session key dialog through a client script link (no broker).

use bt_core::client_script::{Action, ClientScript, Console};
use bt_core::values::ExternalKey;
use leptos::prelude::*;

use crate::ui::{gated, link_result, message_line, open_link, use_style, LinkOutcome};
use crate::{tr, use_ctx};

#[cfg(feature = "broker")]
mod panel;
#[cfg(feature = "broker")]
mod qr;
#[cfg(feature = "broker")]
pub use panel::SessionKeyPanel;

/// "BeyondTrust Session Key" (desktop console) or "Web Session Key" (web
/// console): opens the console's own session key dialog for this ticket.
#[component]
pub fn ConsoleSessionKey(console: Console) -> impl IntoView {
    use_style("bt-session-key", include_str!("style.css"));
    let ctx = use_ctx();
    let lang = ctx.lang;
    let outcome = RwSignal::new(None::<LinkOutcome>);
    let error = RwSignal::new(None::<String>);
    let (label, hint) = match console {
        Console::Desktop => (
            tr!(lang, key.bt_session_key),
            tr!(lang, key.console_key_hint),
        ),
        Console::Web => (
            tr!(lang, key.web_session_key),
            tr!(lang, key.web_console_key_hint),
        ),
    };
    let body = {
        let ctx = ctx.clone();
        gated(std::sync::Arc::new(move |settings, record| {
            let host = settings.host.clone();
            let ctx = ctx.clone();
            let open = move |_| match ExternalKey::parse(&record) {
                Ok(key) => {
                    error.set(None);
                    let url = ClientScript::new(
                        host.clone(),
                        Action::GenerateSessionKey { portal: None },
                    )
                    .console(console)
                    .external_key(&key)
                    .to_url();
                    open_link(ctx.host(), url, outcome);
                }
                Err(e) => error.set(Some(crate::i18n::input_error(lang.get_untracked(), &e))),
            };
            view! {
                <button type="button" class="bt-button bt-primary" on:click=open>{label}</button>
                <p class="bt-hint">{hint}</p>
                {message_line("bt-field-error", Some("alert"), error.into())}
                {link_result(outcome, tr!(lang, common.opened))}
            }
            .into_any()
        }))
    };
    view! { <section class="bt-widget bt-console-key">{body}</section> }
}
