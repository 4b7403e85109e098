//! SessionHistory: this ticket's past remote support sessions from the broker
//! (`GET /v1/sessions?external_key=`), newest first, with loading, empty and
//! error states.

use bt_core::wire::{SessionSummary, SessionsResponse};
use leptos::prelude::*;

use crate::broker::{self, BrokerError};
use crate::time;
use crate::ui::{broker_error, dyn_view, save_first, use_style};
use crate::{tr, use_ctx};

#[component]
pub fn SessionHistory() -> impl IntoView {
    use_style("bt-history", include_str!("style.css"));
    let ctx = use_ctx();
    let lang = ctx.lang;
    let body = dyn_view(move || match use_ctx().record.get() {
        None => save_first(),
        Some(record) => view! { <History record=record/> }.into_any(),
    });
    view! {
        <section class="bt-widget bt-history">
            <h2 class="bt-title">{tr!(lang, history.history_title)}</h2>
            {body}
        </section>
    }
}

#[component]
fn History(record: String) -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let state = RwSignal::new(None::<Result<SessionsResponse, BrokerError>>);
    let load = {
        let host = ctx.host().clone();
        move || {
            state.set(None);
            let fut = {
                let transport = host.transport();
                let record = record.clone();
                async move { broker::sessions(transport, &record).await }
            };
            crate::ui::spawn(async move {
                let answer = fut.await;
                state.try_set(Some(answer));
            });
        }
    };
    load();

    let loading = Signal::derive(move || state.with(Option::is_none));
    let busy = Signal::derive(move || loading.get().then_some("true"));
    view! {
        <div class="bt-history-body" aria-live="polite" aria-busy=busy>
            {dyn_view(move || match state.get() {
                None => view! { <p class="bt-status bt-loading">{tr!(lang, history.loading_sessions)}</p> }.into_any(),
                Some(Err(e)) => broker_error(e),
                Some(Ok(list)) if list.sessions.is_empty() => {
                    view! { <p class="bt-notice bt-empty">{tr!(lang, history.no_sessions)}</p> }.into_any()
                }
                Some(Ok(list)) => view! { <SessionTable sessions=list.sessions/> }.into_any(),
            })}
        </div>
        <button type="button" class="bt-button bt-secondary bt-refresh" on:click=move |_| load()
            disabled=loading>
            {tr!(lang, history.refresh)}
        </button>
    }
}

#[component]
fn SessionTable(sessions: Vec<SessionSummary>) -> impl IntoView {
    let lang = use_ctx().lang;
    let rows = sessions
        .into_iter()
        .map(|s| {
            let start = s.start.clone();
            let datetime = s.start.clone();
            let duration = s.duration_seconds;
            let running = s.end.is_none();
            view! {
                <tr role="row" data-lsid=s.lsid.clone()>
                    <td role="cell">{s.primary_customer.clone().unwrap_or_default()}</td>
                    <td role="cell">{s.primary_rep.clone().unwrap_or_default()}</td>
                    <td role="cell"><time datetime=datetime>{Signal::derive(move || time::local_datetime(&start, lang.get().tag()))}</time></td>
                    <td role="cell">{Signal::derive(move || if running { crate::i18n::history(lang.get()).in_progress.to_owned() } else { time::clock(duration) })}</td>
                    <td role="cell">{s.chat_url.clone().map(|url| view! {
                        <a href=url target="_blank" rel="noopener noreferrer">{tr!(lang, history.view_transcript)}</a>
                    })}</td>
                    <td role="cell" class="bt-recording">
                        <span class=if s.has_recording { "bt-badge" } else { "bt-muted" }>
                            {if s.has_recording { tr!(lang, history.recorded) } else { tr!(lang, history.not_recorded) }}
                        </span>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="bt-table-wrap">
            <table role="table" class="bt-table" style=move || column_labels(lang.get())>
                <thead role="rowgroup">
                    <tr role="row">
                        <th role="columnheader" scope="col">{tr!(lang, history.col_customer)}</th>
                        <th role="columnheader" scope="col">{tr!(lang, history.col_rep)}</th>
                        <th role="columnheader" scope="col">{tr!(lang, history.col_start)}</th>
                        <th role="columnheader" scope="col">{tr!(lang, history.col_duration)}</th>
                        <th role="columnheader" scope="col">{tr!(lang, history.col_transcript)}</th>
                        <th role="columnheader" scope="col">{tr!(lang, history.col_recording)}</th>
                    </tr>
                </thead>
                <tbody role="rowgroup">{rows}</tbody>
            </table>
        </div>
    }
}

/// The column names as CSS custom properties (`--bt-col-1: "Primary
/// Customer"; ...`). In a narrow column each row is shown as a card and
/// `td::before { content: var(--bt-col-N) }` labels its lines: one attribute
/// on the table instead of a label on every cell. The explicit ARIA roles
/// keep the table's semantics where a browser drops them for a table whose
/// `display` changed (WebKit does).
fn column_labels(lang: crate::i18n::Lang) -> String {
    let t = crate::i18n::history(lang);
    [
        t.col_customer,
        t.col_rep,
        t.col_start,
        t.col_duration,
        t.col_transcript,
        t.col_recording,
    ]
    .iter()
    .enumerate()
    .map(|(i, label)| {
        format!(
            "--bt-col-{}:\"{}\";",
            i + 1,
            label.replace('\\', "\\\\").replace('"', "\\\"")
        )
    })
    .collect()
}
