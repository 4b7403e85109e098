//! The catalogues: language choice, placeholders kept in every translation.

use bt_core::{Field, InputError, Problem, Unit};
use bt_widgets::i18n::{self, fill, Lang};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn locales_pick_languages() {
    for (tag, lang) in [
        ("de-CH", Lang::De),
        ("ja", Lang::Ja),
        ("fr_CA", Lang::Fr),
        ("es-419", Lang::Es),
        ("EN-gb", Lang::En),
        ("pt-BR", Lang::En),
        ("", Lang::En),
    ] {
        assert_eq!(Lang::from_locale(tag), lang, "{tag}");
    }
    assert_eq!(fill("{0} of {1}", &["a", "b"]), "a of b");
}

fn placeholders(s: &str) -> Vec<usize> {
    (0..4).filter(|i| s.contains(&format!("{{{i}}}"))).collect()
}

#[wasm_bindgen_test]
fn translations_keep_their_placeholders_and_are_never_empty() {
    let en = Lang::En;
    let pairs = |l: Lang| -> Vec<(&'static str, &'static str)> {
        let (c, k, j, h, b, ch) = (
            i18n::common(l),
            i18n::key(l),
            i18n::jump(l),
            i18n::history(l),
            i18n::broker(l),
            i18n::chat(l),
        );
        vec![
            ("too_long", c.problems.too_long),
            ("too_long_by", c.problems.too_long_by),
            ("chars_left", c.chars_left),
            ("chars_over", c.chars_over),
            ("out_of_range", c.problems.out_of_range),
            ("not_one_of", c.problems.not_one_of),
            ("format", c.problems.format),
            ("needs_jumpoint", c.problems.needs_jumpoint),
            ("invalid_characters", c.problems.invalid_characters),
            ("issues_line", c.fields.issues_line),
            ("jumpoints_line", c.fields.jumpoints_line),
            ("teams_line", c.fields.teams_line),
            ("expires_in", k.expires_in),
            ("mail_expiry", k.mail_expiry),
            ("mail_expiry_hours", k.mail_expiry_hours),
            ("mail_expiry_soon", k.mail_expiry_soon),
            ("queue_team", k.queue_team),
            ("popup_blocked", c.popup_blocked),
            ("m_rdp", j.m_rdp),
            ("needs_jumpoint_ask_admin", j.needs_jumpoint_ask_admin),
            ("no_sessions", h.no_sessions),
            ("rate_limited", b.rate_limited),
            ("get_support_now", ch.get_support_now),
        ]
    };
    for lang in Lang::ALL {
        for ((name, en_text), (_, text)) in pairs(en).into_iter().zip(pairs(lang)) {
            assert!(!text.trim().is_empty(), "{lang:?} {name} is empty");
            assert_eq!(
                placeholders(text),
                placeholders(en_text),
                "{lang:?} {name}: {text}"
            );
        }
    }
}

#[wasm_bindgen_test]
fn input_errors_read_as_sentences_in_every_language() {
    let e = InputError::new(
        Field::CustomerName,
        Problem::TooLong {
            max: 100,
            got: 101,
            unit: Unit::Characters,
        },
    );
    assert_eq!(
        i18n::input_error(Lang::En, &e),
        "Name: Too long: at most 100 characters (entered: 101)."
    );
    assert_eq!(
        i18n::input_error(Lang::De, &e),
        "Name: Zu lang: höchstens 100 Zeichen (eingegeben: 101)."
    );
    for lang in Lang::ALL {
        let text = i18n::input_error(lang, &e);
        assert!(
            text.contains("100") && text.contains("101") && !text.contains('{'),
            "{lang:?}: {text}"
        );
    }
}
