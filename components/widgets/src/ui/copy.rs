//! `CopyField`: a read-only value with a Copy button (feature `agent`).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{next_id, spawn};
use crate::{i18n, use_ctx};

/// A read-only value with a label and a Copy button.
#[component]
pub fn CopyField(
    label: Signal<&'static str>,
    #[prop(into)] value: Signal<String>,
    #[prop(optional)] class: &'static str,
    /// While true the Copy button is off (e.g. an expired key).
    #[prop(optional, into)]
    disabled: Option<Signal<bool>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let id = next_id("c");
    let status = RwSignal::new(None::<bool>);
    let status_text = Signal::derive(move || match status.get() {
        Some(true) => i18n::agent(lang.get()).copied,
        Some(false) => i18n::agent(lang.get()).copy_failed,
        None => "",
    });
    let copy = move |_| {
        let fut = ctx.host().copy_text(&value.get_untracked());
        spawn(async move {
            let ok = fut.await;
            status.try_set(Some(ok));
        });
    };
    view! {
        <div class=format!("bt-copy {class}")>
            <label for=id.clone()>{label}</label>
            <div class="bt-copy-row">
                <input id=id readonly prop:value=value on:focus=|ev| {
                    if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        i.select();
                    }
                }/>
                <button type="button" class="bt-button bt-secondary" on:click=copy
                    disabled=move || disabled.is_some_and(|d| d.get())>
                    {crate::tr!(lang, agent.copy)}
                    <span class="bt-visually-hidden">" " {label}</span>
                </button>
            </div>
            <p class="bt-status" aria-live="polite">{status_text}</p>
        </div>
    }
}
