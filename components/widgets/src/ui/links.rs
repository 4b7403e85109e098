//! Links the host opens, and what the widget shows about them afterwards.

use std::rc::Rc;

use leptos::prelude::*;

use super::dyn_view;
use crate::host::{Host, Opened};
use crate::use_ctx;

/// Where a link went: a short confirmation, or, when the popup was blocked,
/// the link itself to click.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkOutcome {
    pub url: String,
    pub opened: Opened,
}

/// Asks the host to open `url` and records the outcome in `state`.
pub fn open_link(host: &Rc<dyn Host>, url: String, state: RwSignal<Option<LinkOutcome>>) {
    let opened = host.open_url(&url);
    state.set(Some(LinkOutcome { url, opened }));
}

/// Shows a [`LinkOutcome`] (in a live region).
pub fn link_result(
    state: RwSignal<Option<LinkOutcome>>,
    success: Signal<&'static str>,
) -> impl IntoView {
    let lang = use_ctx().lang;
    view! {
        <div class="bt-result" aria-live="polite">
            {dyn_view(move || state.get().map(|o| {
                let blocked = o.opened == Opened::Blocked;
                let text = if blocked { crate::tr!(lang, common.popup_blocked) } else { success };
                view! {
                    <p class=if blocked { "bt-status bt-notice bt-blocked" } else { "bt-status" }>
                        {text}
                        {blocked.then(|| view! {
                            " " <a href=o.url target="_blank" rel="noopener noreferrer">{crate::tr!(lang, common.open_link)}</a>
                        })}
                    </p>
                }
                .into_any()
            }).unwrap_or_else(|| ().into_any()))}
        </div>
    }
}
