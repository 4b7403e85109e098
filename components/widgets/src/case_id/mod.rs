//! CaseId: the ticket/case id with Copy, and the line that tells the agent it
//! is the External Key to type in the rep console ("Manually Associate
//! Sessions").

use leptos::prelude::*;

use crate::ui::{dyn_view, save_first, use_style, CopyField};
use crate::{tr, use_ctx};

#[component]
pub fn CaseId() -> impl IntoView {
    use_style("bt-case-id", include_str!("style.css"));
    let ctx = use_ctx();
    let (lang, record) = (ctx.lang, ctx.record);
    let hint = match ctx.host().record_kind() {
        crate::host::RecordKind::Ticket => tr!(lang, agent.case_id_hint),
        crate::host::RecordKind::Case => tr!(lang, agent.case_id_hint_case),
    };
    view! {
        <section class="bt-widget bt-case-id">
            <h2 class="bt-title">{tr!(lang, agent.case_id)}</h2>
            {dyn_view(move || match record.get() {
                None => save_first(),
                Some(id) => view! {
                    <CopyField label=tr!(lang, agent.case_id) value=id class="bt-case-id-value"/>
                    <p class="bt-hint">{hint}</p>
                }.into_any(),
            })}
        </section>
    }
}
