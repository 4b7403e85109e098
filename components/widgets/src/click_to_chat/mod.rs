//! ClickToChat (end users): pick an issue, optionally give a name and a
//! description, and "Get Support Now" opens a click-to-chat session
//! (`c2cjs=1`) in a new tab, tied to the request by its id (external key).

use bt_core::start_session::{Route, StartSession};
use bt_core::values::{CustomerDetails, CustomerName, ExternalKey, IssueCode, Locale};
use bt_core::{Field, InputError, Unit};
use leptos::prelude::*;

use crate::ui::{
    enter_submits, field, field_error, focus_first_invalid, link_result, message_line, open_link,
    settings_problems, use_style, FieldSpec, Kind, LinkOutcome,
};
use crate::{tr, use_ctx};

fn optional<T>(
    raw: &str,
    parse: fn(&str) -> Result<T, InputError>,
    errors: &mut Vec<InputError>,
) -> Option<T> {
    if raw.trim().is_empty() {
        return None;
    }
    parse(raw).map_err(|e| errors.push(e)).ok()
}

#[component]
pub fn ClickToChat() -> impl IntoView {
    use_style("bt-chat", include_str!("style.css"));
    let ctx = use_ctx();
    let lang = ctx.lang;
    let settings = match ctx.settings() {
        Ok(s) => s.clone(),
        Err(errors) => return settings_problems(errors.to_vec()),
    };
    if settings.issues.is_empty() {
        return view! { <p class="bt-notice">{tr!(lang, chat.no_issues)}</p> }.into_any();
    }

    let issue = RwSignal::new(settings.issues[0].code.to_string());
    let name = RwSignal::new(String::new());
    let details = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<InputError>::new());
    let outcome = RwSignal::new(None::<LinkOutcome>);
    let err =
        move |field: Field| Signal::derive(move || field_error(lang.get(), &errors.get(), &field));
    let issues: Vec<(String, String)> = settings
        .issues
        .iter()
        .map(|i| (i.code.to_string(), i.name.clone()))
        .collect();
    let fields = vec![
        FieldSpec::new(
            "issue",
            tr!(lang, chat.issue),
            Kind::Select(Signal::derive(move || issues.clone())),
            issue,
            err(Field::IssueCode),
        ),
        FieldSpec::new(
            "name",
            tr!(lang, chat.name),
            Kind::Text(None),
            name,
            err(Field::CustomerName),
        )
        .limit(CustomerName::MAX, Unit::Characters),
        FieldSpec::new(
            "details",
            tr!(lang, chat.description),
            Kind::TextArea,
            details,
            err(Field::CustomerDetails),
        )
        .limit(CustomerDetails::MAX, Unit::Bytes),
    ];

    let submit = {
        let ctx = ctx.clone();
        let host = settings.host.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut problems = Vec::new();
            let code = IssueCode::parse(&issue.get_untracked())
                .map_err(|e| problems.push(e))
                .ok();
            let customer_name = optional(&name.get_untracked(), CustomerName::parse, &mut problems);
            let customer_details = optional(
                &details.get_untracked(),
                CustomerDetails::parse,
                &mut problems,
            );
            let external_key = ctx
                .record
                .get_untracked()
                .and_then(|r| optional(&r, ExternalKey::parse, &mut problems));
            let (Some(code), true) = (code, problems.is_empty()) else {
                outcome.set(None);
                errors.set(problems);
                focus_first_invalid(&ev);
                return;
            };
            errors.set(Vec::new());
            let mut link = StartSession::new(host.clone(), Route::IssueCode(code));
            link.customer.name = customer_name;
            link.customer.details = customer_details;
            link.external_key = external_key;
            link.locale = Locale::parse(&ctx.host().locale()).ok();
            open_link(ctx.host(), link.to_url(), outcome);
        }
    };

    // A refused request id (too long) belongs to no field the user sees.
    let other_error = Signal::derive(move || {
        errors
            .get()
            .iter()
            .find(|e| e.field == Field::ExternalKey)
            .map(|e| crate::i18n::input_error(lang.get(), e))
    });
    view! {
        <section class="bt-widget bt-chat">
            <p class="bt-hint">{tr!(lang, chat.intro)}</p>
            <form class="bt-form bt-chat-form" on:submit=submit on:keydown=enter_submits novalidate>
                {fields.into_iter().map(field).collect_view()}
                {message_line("bt-field-error", Some("alert"), other_error)}
                <button type="submit" class="bt-button bt-primary">{tr!(lang, chat.get_support_now)}</button>
                {link_result(outcome, tr!(lang, chat.chat_opened))}
            </form>
        </section>
    }
    .into_any()
}
