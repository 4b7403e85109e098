//! What an agent widget shows before its body: the settings' problems or
//! "save the ticket first" (feature `agent`).

use leptos::prelude::*;

use crate::use_ctx;

/// Renders a widget's body from the settings and the record id.
pub type Render =
    std::sync::Arc<dyn Fn(&bt_core::settings::Settings, String) -> AnyView + Send + Sync>;

/// The body of an agent widget: the settings' problems, "save the ticket
/// first", or `render(settings, record id)` (again when the record
/// changes). One erased renderer keeps one copy of this logic in the wasm.
pub fn gated(render: Render) -> impl IntoView {
    let ctx = use_ctx();
    let record = ctx.record;
    crate::ui::dyn_view(move || match (ctx.settings(), record.get()) {
        (Err(errors), _) => super::settings_problems(errors.to_vec()),
        (Ok(_), None) => save_first(),
        (Ok(settings), Some(id)) => render(settings, id),
    })
}

/// "Save the ticket first".
pub fn save_first() -> AnyView {
    let lang = use_ctx().lang;
    view! { <p class="bt-notice bt-save-first" role="status">{crate::tr!(lang, agent.save_first)}</p> }.into_any()
}
