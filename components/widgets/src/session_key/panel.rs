//! SessionKeyPanel: the broker-backed session key (feature `broker`).

use std::time::Duration;

use bt_core::encode::component;
use bt_core::settings::Settings;
use bt_core::values::ExternalKey;
use bt_core::wire::{QueueChoice, RepStatus, SessionKeyRequest, SessionKeyResponse};
use leptos::prelude::*;

use super::qr::QrCode;
use crate::broker::{self, BrokerError};
use crate::host::Mail;
use crate::i18n::{fill, key};
use crate::time;
use crate::ui::{
    broker_error, enter_submits, error_slot, field, gated, message_line, use_style, CopyField,
    FieldSpec, Kind,
};
use crate::{tr, use_ctx, Ctx};

/// The queue options the settings allow: (value, label). "me" always first.
fn queue_options(ctx: &Ctx, settings: &Settings) -> Vec<(String, String)> {
    let a = key(ctx.lang.get());
    let mut options = vec![("me".to_owned(), a.queue_me.to_owned())];
    if settings.allow_general_queue {
        options.push(("general".to_owned(), a.queue_general.to_owned()));
    }
    for team in &settings.teams {
        options.push((
            format!("team:{}", team.id),
            fill(a.queue_team, &[&team.name]),
        ));
    }
    options
}

fn parse_queue(value: &str) -> QueueChoice {
    match value {
        "general" => QueueChoice::General,
        v => match v.strip_prefix("team:") {
            Some(id) => QueueChoice::Team(id.to_owned()),
            None => QueueChoice::Me,
        },
    }
}

/// The broker-backed session key panel.
#[component]
pub fn SessionKeyPanel() -> impl IntoView {
    use_style("bt-session-key", include_str!("style.css"));
    let ctx = use_ctx();
    let lang = ctx.lang;
    let body = gated(std::sync::Arc::new(|settings, record| {
        view! { <KeyGenerator settings=settings.clone() record=record/> }.into_any()
    }));
    view! {
        <section class="bt-widget bt-session-key">
            <h2 class="bt-title">{tr!(lang, key.session_key)}</h2>
            {body}
        </section>
    }
}

#[component]
fn KeyGenerator(settings: Settings, record: String) -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let has_broker = ctx.host().transport().is_some();
    let options = {
        let ctx = ctx.clone();
        let settings = settings.clone();
        Signal::derive(move || queue_options(&ctx, &settings))
    };
    let queue = RwSignal::new("me".to_owned());
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<SessionKeyResponse, BrokerError>>);
    let rep = RwSignal::new(None::<Result<RepStatus, BrokerError>>);
    let now = RwSignal::new(ctx.host().now_ms());
    let key_error = RwSignal::new(None::<String>);
    // Whether a key request for the agent's own queue got an answer: that
    // answer (a key, or the real reason there is none, e.g. an account the
    // appliance does not know) supersedes the console status.
    let me_answered = RwSignal::new(false);

    // The agent's console status, so they hear about "not available" before
    // the customer does.
    if has_broker {
        let fut = broker::rep_status(ctx.host().transport());
        crate::ui::spawn(async move {
            let status = fut.await;
            rep.try_set(Some(status));
        });
    }

    // The countdown's clock.
    {
        let host = ctx.host().clone();
        if let Ok(handle) = set_interval_with_handle(
            move || {
                now.try_set(host.now_ms());
            },
            Duration::from_millis(1000),
        ) {
            on_cleanup(move || handle.clear());
        }
    }

    let generate = {
        let ctx = ctx.clone();
        let record = record.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let external_key = match ExternalKey::parse(&record) {
                Ok(k) => k,
                Err(e) => {
                    key_error.set(Some(crate::i18n::input_error(lang.get_untracked(), &e)));
                    return;
                }
            };
            key_error.set(None);
            busy.set(true);
            let request = SessionKeyRequest {
                external_key: Some(external_key.as_str().to_owned()),
                queue: parse_queue(&queue.get_untracked()),
                ttl_seconds: None,
            };
            let host = ctx.host().clone();
            crate::ui::spawn(async move {
                let answer = broker::create_session_key(host.transport(), &request).await;
                now.try_set(host.now_ms());
                if request.queue == QueueChoice::Me {
                    me_answered.try_set(true);
                }
                result.try_set(Some(answer));
                busy.try_set(false);
            });
        }
    };

    // "Not logged in" matters only for a key in the agent's own queue (a
    // team or the general queue takes keys while the agent is away), and only
    // until that queue answered.
    let offline = Signal::derive(move || {
        let logged_out = matches!(
            rep.get(),
            Some(Ok(RepStatus {
                logged_in: false,
                ..
            }))
        );
        !(logged_out && queue.get() == "me" && !me_answered.get())
    });
    // A failed status check is shown until a key request answers (its own
    // answer then tells the agent where things stand).
    let rep_error = Signal::derive(move || {
        rep.get()
            .and_then(Result::err)
            .filter(|_| result.with(Option::is_none))
    });
    let show_queue = options.with_untracked(|o| o.len() > 1);
    let button_label = Signal::derive(move || {
        let a = key(lang.get());
        if busy.get() {
            a.generating
        } else if matches!(result.get(), Some(Ok(_))) {
            a.regenerate
        } else {
            a.generate_session_key
        }
    });
    // While busy the button stays enabled (aria-disabled, and `generate`
    // ignores presses): a disabled button loses the keyboard focus.
    let aria_busy = Signal::derive(move || busy.get().then_some("true"));
    let failure = Signal::derive(move || result.get().and_then(Result::err));
    let answer = Signal::derive(move || result.get().and_then(Result::ok));

    view! {
        <p class="bt-warning" role="status" hidden=offline>{tr!(lang, key.rep_offline)}</p>
        <div class="bt-warning-box">{error_slot(rep_error)}</div>
        {(!has_broker).then(|| broker_error(BrokerError::NoBroker))}
        <form class="bt-form bt-session-key-form" on:submit=generate on:keydown=enter_submits>
            {show_queue.then(|| field(FieldSpec::new("queue", tr!(lang, key.queue), Kind::Select(options), queue, Signal::derive(|| None))))}
            <button type="submit" class="bt-button bt-primary" disabled=!has_broker aria-disabled=aria_busy aria-busy=aria_busy>
                {button_label}
            </button>
        </form>
        {message_line("bt-field-error", Some("alert"), key_error.into())}
        <div class="bt-result">
            {error_slot(failure)}
            {crate::ui::dyn_view(move || answer.get().map(|key| view! { <KeyView key=key now=now/> }.into_any()).unwrap_or_else(|| ().into_any()))}
        </div>
    }
}

/// The invitation's text: the appliance's `body`, where a line giving the
/// expiry as a raw timestamp (`2026-12-02T08:47:49 UTC`) becomes one a
/// customer reads at a glance: "expires in 20 minutes (at 08:47 UTC)".
fn mail_body(
    body: &str,
    raw_expiry: &str,
    expires: Option<f64>,
    now_ms: f64,
    lang: crate::i18n::Lang,
) -> String {
    let Some(expires) = expires else {
        return body.to_owned();
    };
    // The timestamp to the minute, as the appliance may write it.
    let stamp = raw_expiry.get(..16).unwrap_or(raw_expiry);
    let mut out: Vec<&str> = body.lines().filter(|l| !l.contains(stamp)).collect();
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    let a = key(lang);
    let at = time::utc_hhmm(expires);
    let minutes = ((expires - now_ms) / 60_000.0).ceil();
    // Past an hour and a half, hours read better than minutes.
    let expiry = if minutes > 90.0 {
        let hours = (minutes / 60.0).round() as u64;
        fill(a.mail_expiry_hours, &[&hours.to_string(), &at])
    } else if minutes > 1.0 {
        fill(a.mail_expiry, &[&(minutes as u64).to_string(), &at])
    } else {
        fill(a.mail_expiry_soon, &[&at])
    };
    let mut text = out.join("\n");
    text.push_str("\n\n");
    text.push_str(&expiry);
    text
}

#[component]
fn KeyView(key: SessionKeyResponse, now: RwSignal<f64>) -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let expires = time::parse_ms(&key.expires_at);
    let remaining = Signal::derive(move || expires.map(|e| ((e - now.get()) / 1000.0).ceil()));
    let expired = Signal::derive(move || remaining.get().is_some_and(|r| r <= 0.0));
    let countdown_hidden = Signal::derive(move || remaining.get().is_none() || expired.get());
    let countdown = Signal::derive(move || {
        remaining.get().map(|r| {
            fill(
                crate::i18n::key(lang.get()).expires_in,
                &[&time::clock(r.max(0.0) as u64)],
            )
        })
    });
    let expired_text =
        Signal::derive(move || expired.get().then(|| crate::i18n::key(lang.get()).expired));
    // The invitation as sent now: the appliance's text, its expiry line in
    // the customer's terms.
    let invitation = {
        let (to, subject, body) = (
            ctx.host().customer_email(),
            key.mail_subject.clone(),
            key.mail_body.clone(),
        );
        let raw_expiry = key.expires_at.clone();
        move |now_ms: f64| Mail {
            to: to.clone(),
            subject: subject.clone(),
            body: mail_body(&body, &raw_expiry, expires, now_ms, lang.get_untracked()),
        }
    };
    let email = if ctx.host().can_send_mail() {
        let host = ctx.host().clone();
        view! {
            <button type="button" class="bt-button bt-secondary"
                on:click=move |_| host.send_mail(&invitation(now.get_untracked()))>
                {tr!(lang, key.email_session_key)}
            </button>
        }
        .into_any()
    } else {
        let no_recipient = ctx.host().customer_email().is_none();
        let href = Signal::derive(move || {
            let mail = invitation(now.get());
            format!(
                "mailto:{}?subject={}&body={}",
                mail.to.as_deref().map(component).unwrap_or_default(),
                component(&mail.subject),
                component(&mail.body)
            )
        });
        view! {
            <a class="bt-button bt-secondary" href=href>{tr!(lang, key.email_session_key)}</a>
            {no_recipient.then(|| view! { <p class="bt-hint bt-no-recipient">{tr!(lang, key.no_recipient)}</p> })}
        }
        .into_any()
    };
    let short_key = key.short_key.clone();
    let url = key.key_url.clone();
    view! {
        <div class="bt-key" class:bt-expired=expired>
            <p class="bt-visually-hidden" aria-live="polite">{tr!(lang, key.key_ready)} " " {short_key}</p>
            <CopyField label=tr!(lang, key.session_key) value=key.short_key.clone() class="bt-key-value" disabled=expired/>
            <CopyField label=tr!(lang, key.session_key_url) value=key.key_url.clone() class="bt-key-url" disabled=expired/>
            <p class="bt-countdown" hidden=countdown_hidden>{countdown}</p>
            <p class="bt-expired-message" role="status">{expired_text}</p>
            <div class="bt-actions" hidden=expired>{email}</div>
            <div class="bt-qr-box" hidden=expired>
                <QrCode data=url label=tr!(lang, key.qr_label)/>
            </div>
        </div>
    }
}
