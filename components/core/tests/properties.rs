//! Property tests: whatever a user types, a link carries exactly the
//! parameters we meant, with exactly the values typed (RFC 3986 round trip).

use bt_core::client_script::{Action, ClientScript, Console, JumpInput, JumpMethod};
use bt_core::start_session::{Customer, Route, StartSession};
use bt_core::values::*;
use bt_core::Field;
use proptest::prelude::*;

/// Text that tries hard to break a query string: delimiters, escapes,
/// spaces, control characters and non-ASCII.
fn hostile() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("&".to_owned()),
            Just("=".to_owned()),
            Just("#".to_owned()),
            Just("%".to_owned()),
            Just("%20".to_owned()),
            Just("+".to_owned()),
            Just(" ".to_owned()),
            Just("?".to_owned()),
            Just("/".to_owned()),
            Just("\u{0}".to_owned()),
            Just("\n".to_owned()),
            Just("\u{7f}".to_owned()),
            Just("é".to_owned()),
            Just("漢".to_owned()),
            Just("🙂".to_owned()),
            Just("\u{202e}".to_owned()),
            "[a-zA-Z0-9._~-]{1,8}",
        ],
        1..24,
    )
    .prop_map(|parts| parts.concat())
}

fn decoded(link: &str) -> Vec<(String, String)> {
    url::Url::parse(link)
        .expect("a link must parse")
        .query_pairs()
        .into_owned()
        .collect()
}

fn host() -> ApplianceHost {
    ApplianceHost::parse("support.example.com").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Free-text Jump fields: accepted values round-trip exactly; refused
    /// ones are refused with the field's name, never mangled into the link.
    #[test]
    fn jump_fields_round_trip(search in hostile(), jumpoint in hostile(), username in hostile(), key in hostile(), web in any::<bool>()) {
        let input = JumpInput { search: search.clone(), target: "pc-01.corp.example".into(), jumpoint: jumpoint.clone(), username: username.clone(), ..Default::default() };
        let console = if web { Console::Web } else { Console::Desktop };
        for method in [JumpMethod::Pinned, JumpMethod::Rdp] {
            match input.to_action(method) {
                Ok(action) => {
                    let mut link = ClientScript::new(host(), action).console(console);
                    if let Ok(k) = ExternalKey::parse(&key) {
                        link = link.external_key(&k);
                    }
                    let params = link.params();
                    prop_assert_eq!(decoded(&link.to_url()), params.clone());
                    let names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
                    // Blank optional fields are "not given" and leave no parameter.
                    let mut expected = vec!["type", "operation", "action"];
                    match method {
                        JumpMethod::Pinned => expected.push("search_string"),
                        _ => {
                            expected.push("target");
                            if !jumpoint.trim().is_empty() { expected.push("jumpoint"); }
                            if !username.trim().is_empty() { expected.push("username"); }
                        }
                    }
                    prop_assert_eq!(&names[..expected.len()], &expected[..]);
                    prop_assert!(names[expected.len()..].iter().all(|n| *n == "session.custom.external_key"));
                    if method == JumpMethod::Pinned {
                        prop_assert_eq!(&params[3].1, search.trim());
                    }
                }
                Err(errors) => {
                    prop_assert!(!errors.is_empty());
                    for e in errors {
                        prop_assert!(matches!(e.field, Field::SearchString | Field::Jumpoint | Field::Username), "{:?}", e.field);
                    }
                }
            }
        }
    }

    /// Custom fields of any content stay one parameter each.
    #[test]
    fn custom_fields_cannot_add_parameters(values in proptest::collection::vec(hostile(), 1..6)) {
        let mut custom = CustomFields::new();
        for (i, v) in values.iter().enumerate() {
            let _ = custom.set(&format!("field_{i}"), v);
        }
        let link = ClientScript::new(host(), Action::GenerateSessionKey { portal: None }).custom(custom.clone());
        let got = decoded(&link.to_url());
        prop_assert_eq!(got.len(), 3 + custom.iter().count());
        for (name, value) in custom.iter() {
            let key = format!("session.custom.{name}");
            prop_assert!(got.iter().any(|(k, v)| *k == key && v == value));
        }
    }

    /// Customer fields round-trip through start_session links.
    #[test]
    fn start_session_round_trips(name in hostile(), details in hostile(), key in hostile(), chat in any::<bool>()) {
        let mut s = StartSession::new(host(), Route::IssueCode(IssueCode::parse("general_tech").unwrap()));
        s.click_to_chat = chat;
        s.customer = Customer { name: CustomerName::parse(&name).ok(), details: CustomerDetails::parse(&details).ok(), ..Default::default() };
        s.external_key = ExternalKey::parse(&key).ok();
        let got = decoded(&s.to_url());
        prop_assert_eq!(got.clone(), s.params());
        prop_assert_eq!(got.iter().filter(|(k, _)| k == "c2cjs").count(), usize::from(chat));
        prop_assert_eq!(got[0].clone(), ("issue_menu".to_owned(), "1".to_owned()));
    }

    /// Hostnames: whatever is accepted has no delimiter that could leak.
    #[test]
    fn accepted_targets_are_plain(t in hostile()) {
        if let Ok(target) = Target::parse(&t) {
            prop_assert!(target.as_str().bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:".contains(&b)), "{}", target.as_str());
        }
    }
}
