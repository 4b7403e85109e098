//! Error views: the settings' problems, and broker failures (feature
//! `broker`).

#[cfg(feature = "broker")]
use bt_core::wire::ErrorCode;
use bt_core::InputError;
use leptos::prelude::*;

#[cfg(feature = "broker")]
use crate::broker::BrokerError;
#[cfg(feature = "broker")]
use crate::i18n::Lang;
use crate::{i18n, use_ctx};

/// The settings' problems, one per line.
pub fn settings_problems(errors: Vec<InputError>) -> AnyView {
    let lang = use_ctx().lang;
    view! {
        <div class="bt-error bt-settings-problems" role="alert">
            <p class="bt-error-headline">{crate::tr!(lang, common.not_configured)}</p>
            <ul>
                {errors.into_iter().map(|e| view! { <li>{Signal::derive(move || i18n::input_error(lang.get(), &e))}</li> }).collect_view()}
            </ul>
        </div>
    }
    .into_any()
}

/// The localized headline for a broker failure.
#[cfg(feature = "broker")]
pub fn broker_headline(lang: Lang, e: &BrokerError) -> &'static str {
    let b = i18n::broker(lang);
    match e {
        BrokerError::NoBroker => b.no_broker,
        BrokerError::Network(_) => b.network,
        BrokerError::BadResponse => b.bad_response,
        BrokerError::Api { code, .. } => match code {
            ErrorCode::Unauthorized => b.unauthorized,
            ErrorCode::ForbiddenOrigin => b.forbidden_origin,
            ErrorCode::InvalidInput => b.invalid_input,
            ErrorCode::RateLimited => b.rate_limited,
            ErrorCode::RepNotFound => b.rep_not_found,
            ErrorCode::RepNotAvailable => b.rep_not_available,
            ErrorCode::ApplianceUnreachable => b.appliance_unreachable,
            ErrorCode::ApplianceAuthFailed => b.appliance_auth_failed,
            ErrorCode::ApplianceError => b.appliance_error,
            _ => b.other,
        },
    }
}

/// A broker failure on screen: its id, what tells it apart (code and
/// detail), and its element (for its place on the page).
#[cfg(feature = "broker")]
#[derive(Clone)]
pub struct ShownError {
    id: String,
    key: String,
    el: send_wrapper::SendWrapper<web_sys::Element>,
}

/// A broker failure: the localized headline, then the broker's own words.
/// The same failure (code and detail) reaching several widgets of one page,
/// e.g. the appliance down, is spelled out by the first on the page only;
/// the others point up to it.
#[cfg(feature = "broker")]
pub fn broker_error(error: BrokerError) -> AnyView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let code = match &error {
        BrokerError::Api { code, .. } => code.as_str(),
        BrokerError::NoBroker => "no_broker",
        BrokerError::Network(_) => "network",
        BrokerError::BadResponse => "bad_response",
    };
    let detail = match &error {
        BrokerError::Api { message, .. } => message.clone(),
        BrokerError::Network(m) => Some(m.clone()).filter(|m| !m.is_empty()),
        _ => None,
    };
    let key = format!("{code}\n{}", detail.as_deref().unwrap_or_default());
    let id = super::next_id("e");
    let shown = ctx.errors_shown;
    let repeat = {
        let (id, key) = (id.clone(), key.clone());
        Signal::derive(move || {
            shown.with(|all| {
                let mine = all.iter().find(|s| s.id == id);
                mine.is_some_and(|mine| {
                    all.iter()
                        .any(|s| s.key == key && s.id != id && precedes(&s.el, &mine.el))
                })
            })
        })
    };
    let node = NodeRef::<leptos::html::Div>::new();
    {
        let id = id.clone();
        node.on_load(move |el| {
            let el = send_wrapper::SendWrapper::new(el.into());
            shown.update(|all| all.push(ShownError { id, key, el }));
        });
    }
    on_cleanup(move || {
        shown.try_update(|all| all.retain(|s| s.id != id));
    });
    let headline = Signal::derive(move || broker_headline(lang.get(), &error));
    view! {
        <div class="bt-error" role="alert" data-code=code node_ref=node>
            <p class="bt-error-headline" hidden=repeat>{headline}</p>
            {detail.map(|d| view! {
                <p class="bt-error-detail" hidden=repeat>{crate::tr!(lang, broker.details)} " " {d}</p>
            })}
            <p class="bt-error-repeat" hidden=move || !repeat.get()>{crate::tr!(lang, broker.same_as_above)}</p>
        </div>
    }
    .into_any()
}

/// Whether `a` comes before `b` in the document.
#[cfg(feature = "broker")]
fn precedes(a: &web_sys::Element, b: &web_sys::Element) -> bool {
    b.compare_document_position(a) & web_sys::Node::DOCUMENT_POSITION_PRECEDING != 0
}

/// Where an optional broker failure shows.
#[cfg(feature = "broker")]
pub fn error_slot(error: Signal<Option<BrokerError>>) -> impl IntoView {
    crate::ui::dyn_view(move || {
        error
            .get()
            .map(broker_error)
            .unwrap_or_else(|| ().into_any())
    })
}
