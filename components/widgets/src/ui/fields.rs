//! Form fields built from data ([`FieldSpec`] → [`field`]), their inline
//! errors, and one-line messages.

use bt_core::{Field, InputError, Unit};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{effect, next_id};
use crate::i18n::{self, Lang};

/// The message for `field` among `errors`, in `lang`.
pub fn field_error(lang: Lang, errors: &[InputError], field: &Field) -> Option<String> {
    errors
        .iter()
        .find(|e| &e.field == field)
        .map(|e| i18n::problem(lang, &e.problem))
}

/// A form control's kind.
#[derive(Clone)]
pub enum Kind {
    Text(Option<Signal<&'static str>>),
    TextArea,
    /// (value, label) options.
    Select(Signal<Vec<(String, String)>>),
    /// Value `"1"` when checked, `""` otherwise.
    Checkbox,
}

/// One labelled form control with its inline error.
#[derive(Clone)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: Signal<&'static str>,
    pub kind: Kind,
    pub value: RwSignal<String>,
    pub error: Signal<Option<String>>,
    /// A length limit shown while typing (text fields): a live "N
    /// characters left" counter tied to the control, and `maxlength`.
    pub limit: Option<(usize, Unit)>,
    /// Built only once this is true (see [`FieldSpec::built_when`]).
    pub when: Option<Signal<bool>>,
}

impl FieldSpec {
    pub fn new(
        name: &'static str,
        label: Signal<&'static str>,
        kind: Kind,
        value: RwSignal<String>,
        error: Signal<Option<String>>,
    ) -> Self {
        Self {
            name,
            label,
            kind,
            value,
            error,
            limit: None,
            when: None,
        }
    }

    /// Builds the control only once `shown` is true, then keeps it: a field
    /// of a hidden form (Jump To starts with six of seven hidden) would
    /// otherwise cost start-up time for DOM and effects nobody has seen.
    pub fn built_when(mut self, shown: Signal<bool>) -> Self {
        self.when = Some(shown);
        self
    }

    /// Shows `max` (in `unit`) while the user types, before they pass it.
    pub fn limit(mut self, max: usize, unit: Unit) -> Self {
        self.limit = Some((max, unit));
        self
    }
}

/// How much of a limit `value` uses, in the characters a person counts:
/// a byte limit counts what each character takes (a plain letter one, an
/// accented letter two, an emoji four), so "characters left" is exact for
/// plain text and never promises more than fits.
fn used(value: &str, unit: Unit) -> usize {
    match unit {
        Unit::Characters => value.chars().count(),
        Unit::Bytes => value.len(),
    }
}

/// Renders a [`FieldSpec`]: label, control (`aria-invalid`, described by
/// its error), and the error line.
///
/// The field is built with plain DOM calls inside one Leptos element and kept
/// up to date by a few effects: a `view!` tree with this many reactive
/// attributes costs tens of kilobytes of generated render code per control
/// kind, this costs a few.
pub fn field(spec: FieldSpec) -> impl IntoView {
    let holder = NodeRef::<leptos::html::Div>::new();
    let lang = use_context::<crate::Ctx>().map(|c| c.lang);
    holder.on_load(move |div| match spec.when {
        Some(when) if !when.get_untracked() => {
            // Built under the field's owner, not the watching effect's: an
            // effect drops what it owns each time it runs again.
            let owner = Owner::current();
            let pending = std::cell::RefCell::new(Some(spec));
            effect(move || {
                if when.get() {
                    if let Some(spec) = pending.borrow_mut().take() {
                        let build = || build_field(&div, spec, lang);
                        match &owner {
                            Some(owner) => owner.with(build),
                            None => build(),
                        }
                    }
                }
            });
        }
        _ => build_field(&div, spec, lang),
    });
    view! { <div class="bt-field" node_ref=holder></div> }
}

fn el(doc: &web_sys::Document, tag: &str) -> web_sys::HtmlElement {
    doc.create_element(tag)
        .expect("createElement")
        .unchecked_into()
}

/// Runs `f` on every `kind` event of `target` while the current owner lives.
fn listen(target: &web_sys::EventTarget, kind: &str, f: impl FnMut(web_sys::Event) + 'static) {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    let _ = target.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref());
    let keep = send_wrapper::SendWrapper::new(closure);
    on_cleanup(move || drop(keep));
}

fn build_field(div: &web_sys::HtmlDivElement, spec: FieldSpec, lang: Option<RwSignal<Lang>>) {
    let FieldSpec {
        name,
        label,
        kind,
        value,
        error,
        limit,
        when: _,
    } = spec;
    let Some(doc) = div.owner_document() else {
        return;
    };
    let id = next_id("f");
    let err_id = format!("{id}-err");
    let label_el = el(&doc, "label");
    let _ = label_el.set_attribute("for", &id);
    let (tag, kind_attr) = match &kind {
        Kind::Text(_) => ("input", Some("text")),
        Kind::TextArea => ("textarea", None),
        Kind::Select(_) => ("select", None),
        Kind::Checkbox => ("input", Some("checkbox")),
    };
    let control = el(&doc, tag);
    control.set_id(&id);
    let _ = control.set_attribute("name", name);
    if let Some(t) = kind_attr {
        let _ = control.set_attribute("type", t);
    }
    if matches!(kind, Kind::TextArea) {
        let _ = control.set_attribute("rows", "3");
    }
    let error_el = el(&doc, "p");
    error_el.set_class_name("bt-field-error");
    error_el.set_id(&err_id);
    error_el.set_hidden(true);
    let checkbox = matches!(kind, Kind::Checkbox);
    if checkbox {
        let _ = div.class_list().add_1("bt-check");
    }
    let _ = div.append_child(&label_el);
    let _ = div.append_child(&control);
    let _ = div.append_child(&error_el);
    // The live counter: described by it, so a screen reader reads what is
    // left with the field; `maxlength` stops typing at the limit.
    let count_id = format!("{id}-count");
    if let Some((max, unit)) = limit {
        let _ = control.set_attribute("maxlength", &max.to_string());
        let counter = el(&doc, "p");
        counter.set_class_name("bt-counter");
        counter.set_id(&count_id);
        let _ = div.append_child(&counter);
        effect(move || {
            let used = value.with(|v| used(v, unit));
            let common = i18n::common(lang.map(|l| l.get()).unwrap_or_default());
            let (text, over) = if used <= max {
                (
                    i18n::fill(common.chars_left, &[&(max - used).to_string()]),
                    false,
                )
            } else {
                (
                    i18n::fill(common.chars_over, &[&(used - max).to_string()]),
                    true,
                )
            };
            counter.set_text_content(Some(&text));
            let _ = counter.class_list().toggle_with_force("bt-over", over);
        });
    }
    let describe = move |error_shown: bool| -> Option<String> {
        let mut ids = Vec::new();
        if error_shown {
            ids.push(err_id.clone());
        }
        if limit.is_some() {
            ids.push(count_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    if let Some(ids) = describe(false) {
        let _ = control.set_attribute("aria-describedby", &ids);
    }

    // Text that follows the language.
    {
        let label_el = label_el.clone();
        effect(move || label_el.set_text_content(Some(label.get())));
    }
    if let Kind::Text(Some(placeholder)) = kind {
        let control = control.clone();
        effect(move || {
            let _ = control.set_attribute("placeholder", placeholder.get());
        });
    }
    if let Kind::Select(options) = kind {
        let (control, doc) = (control.clone(), doc.clone());
        effect(move || {
            let current = value.get();
            control.set_inner_html("");
            for (v, l) in options.get() {
                let option = el(&doc, "option");
                let _ = option.set_attribute("value", &v);
                option.set_text_content(Some(&l));
                if v == current {
                    let _ = option.set_attribute("selected", "");
                }
                let _ = control.append_child(&option);
            }
            js_sys::Reflect::set(&control, &"value".into(), &current.into()).ok();
        });
    } else {
        // The control shows the value (the checkbox: checked when non-empty).
        let control = control.clone();
        effect(move || {
            let v = value.get();
            if checkbox {
                js_sys::Reflect::set(&control, &"checked".into(), &(!v.is_empty()).into()).ok();
            } else if js_sys::Reflect::get(&control, &"value".into())
                .ok()
                .and_then(|c| c.as_string())
                .as_deref()
                != Some(&v)
            {
                js_sys::Reflect::set(&control, &"value".into(), &v.into()).ok();
            }
        });
    }
    {
        let control = control.clone();
        effect(move || match error.get() {
            Some(message) => {
                let _ = control.set_attribute("aria-invalid", "true");
                let _ =
                    control.set_attribute("aria-describedby", &describe(true).unwrap_or_default());
                error_el.set_text_content(Some(&message));
                error_el.set_hidden(false);
            }
            None => {
                let _ = control.remove_attribute("aria-invalid");
                match describe(false) {
                    Some(ids) => control
                        .set_attribute("aria-describedby", &ids)
                        .unwrap_or(()),
                    None => control.remove_attribute("aria-describedby").unwrap_or(()),
                }
                error_el.set_text_content(None);
                error_el.set_hidden(true);
            }
        });
    }
    let events = if matches!(kind, Kind::Select(_)) || checkbox {
        "change"
    } else {
        "input"
    };
    let target = control.clone();
    listen(&control, events, move |_| {
        let v = if checkbox {
            let on = js_sys::Reflect::get(&target, &"checked".into())
                .ok()
                .and_then(|c| c.as_bool())
                .unwrap_or(false);
            if on {
                "1".to_owned()
            } else {
                String::new()
            }
        } else {
            js_sys::Reflect::get(&target, &"value".into())
                .ok()
                .and_then(|c| c.as_string())
                .unwrap_or_default()
        };
        value.set(v);
    });
}

/// A line of text shown only while `text` is `Some` (field errors, alerts).
pub fn message_line(
    class: &'static str,
    role: Option<&'static str>,
    text: Signal<Option<String>>,
) -> impl IntoView {
    let hidden = Signal::derive(move || text.with(Option::is_none));
    view! { <p class=class role=role hidden=hidden>{text}</p> }
}
