use bt_core::client_script::Console;
use bt_widgets::host::{FakeHost, Method};
use bt_widgets::{HostEvent, JumpTo, SessionKeyPanel};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::*;

fn form(method: &str) -> String {
    format!("form[data-method={method}]")
}

/// Mounts the Jump forms over `host` and lets them render.
async fn jump_to(host: &FakeHost) -> Mounted {
    let m = mount(host, || view! { <JumpTo/> });
    settle().await;
    m
}

/// Chooses `method` in the "Jump method" list, as an agent does first.
async fn pick(m: &Mounted, method: &str) {
    m.choose("select[name=method]", method);
    settle().await;
}

/// Shows every form once, as an agent looking through the list would: a
/// form's fields are built when it is first shown.
async fn show_every_form(m: &Mounted) {
    for method in methods(m) {
        pick(m, &method).await;
    }
}

/// A host whose settings allow only the Jump methods named in `keep`
/// (the settings' `allow_*` names without the prefix).
fn allowing_only(keep: &'static [&'static str]) -> FakeHost {
    FakeHost::new().settings_with(move |r| {
        for (name, flag) in [
            ("pinned_client", &mut r.allow_pinned_client),
            ("push_local", &mut r.allow_push_local),
            ("push_remote", &mut r.allow_push_remote),
            ("rdp", &mut r.allow_rdp),
            ("remote_console", &mut r.allow_remote_console),
            ("vpro", &mut r.allow_vpro),
            ("vnc", &mut r.allow_vnc),
        ] {
            *flag = keep.contains(&name);
        }
    })
}

fn methods(m: &Mounted) -> Vec<String> {
    m.all("form[data-method]")
        .iter()
        .map(|f| f.get_attribute("data-method").unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn renders_every_allowed_form_with_the_guides_labels() {
    let host = FakeHost::new();
    let m = jump_to(&host).await;
    assert_eq!(
        methods(&m),
        ["pinned", "local", "remote", "rdp", "shell", "vpro", "vnc"]
    );
    let buttons: Vec<String> = m
        .all("form[data-method] button[type=submit]")
        .iter()
        .map(|b| b.text_content().unwrap())
        .collect();
    assert_eq!(
        buttons,
        [
            "Jump To",
            "Push and Start Local",
            "Push and Start Remote",
            "Start RDP Session",
            "Start Shell Session",
            "Start vPro Session",
            "Start VNC Session",
        ]
    );
    // Jumpoints come from the settings; VNC may go without one.
    show_every_form(&m).await;
    let jumpoints: Vec<String> = m
        .all(&format!("{} select[name=jumpoint] option", form("remote")))
        .iter()
        .map(|o| o.text_content().unwrap())
        .collect();
    assert_eq!(jumpoints, ["London DC", "Paris DC"]);
    let vnc: Vec<String> = m
        .all(&format!("{} select[name=jumpoint] option", form("vnc")))
        .iter()
        .map(|o| o.get_attribute("value").unwrap())
        .collect();
    assert_eq!(vnc, ["", "London DC", "Paris DC"]);
    // RDP and shell options wait under "More options".
    let more = m.get(&format!("{} details", form("rdp")));
    assert_eq!(
        more.query_selector("summary")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "More options"
    );
    assert!(!more.has_attribute("open"));
    assert!(m
        .find(&format!("{} details input[name=username]", form("shell")))
        .is_some());
    // Every input has a label.
    for input in m.all("input, select") {
        let id = input.id();
        assert!(
            !id.is_empty() && m.find(&format!("label[for='{id}']")).is_some(),
            "unlabelled {}",
            input.outer_html()
        );
    }
}

#[wasm_bindgen_test]
async fn hides_the_methods_the_settings_do_not_allow() {
    let host = FakeHost::new().settings_with(|r| {
        r.allow_rdp = false;
        r.allow_vnc = false;
        r.allow_pinned_client = false;
    });
    let m = jump_to(&host).await;
    assert_eq!(methods(&m), ["local", "remote", "shell", "vpro"]);
    assert!(!m.text().contains("Start RDP Session"));

    let host = allowing_only(&[]);
    let m = jump_to(&host).await;
    assert!(methods(&m).is_empty());
    assert!(
        m.text().contains("No Jump methods are enabled"),
        "{}",
        m.text()
    );
}

#[wasm_bindgen_test]
async fn push_and_start_remote_builds_the_client_script_link() {
    let host = FakeHost::new();
    let m = jump_to(&host).await;
    pick(&m, "remote").await;
    m.type_into(
        &format!("{} input[name=target]", form("remote")),
        "  Web-01.corp.example.com ",
    );
    m.choose(
        &format!("{} select[name=jumpoint]", form("remote")),
        "Paris DC",
    );
    m.click(&format!("{} button[type=submit]", form("remote")));
    let url = host.last_opened().expect("a link");
    assert_eq!(base(&url), "https://support.example.com/api/client_script");
    expect_params(
        &url,
        &[
            ("type", "rep"),
            ("operation", "generate"),
            ("action", "push_and_start_remote"),
            ("target", "Web-01.corp.example.com"),
            ("jumpoint", "Paris DC"),
            ("session.custom.external_key", "4711"),
        ],
    );
    wait_for("confirmation", || {
        m.text().contains("Sent to the representative console.")
    })
    .await;
}

#[wasm_bindgen_test]
async fn rdp_and_shell_options_travel_in_the_link() {
    let host = FakeHost::new();
    let m = jump_to(&host).await;
    let rdp = form("rdp");
    pick(&m, "rdp").await;
    m.type_into(&format!("{rdp} input[name=target]"), "10.0.0.5");
    m.type_into(&format!("{rdp} input[name=username]"), "CORP\\ann");
    m.choose(&format!("{rdp} select[name=display_size]"), "1280x720");
    m.choose(
        &format!("{rdp} select[name=quality]"),
        "performance_quality",
    );
    m.click(&format!("{rdp} input[name=console]"));
    m.click(&format!("{rdp} button[type=submit]"));
    let p = params(&host.last_opened().unwrap());
    assert_eq!(p["action"], "start_rdp_session");
    assert_eq!(p["target"], "10.0.0.5");
    assert_eq!(p["jumpoint"], "London DC");
    assert_eq!(p["username"], "CORP\\ann");
    assert_eq!(p["display_size"], "1280x720");
    assert_eq!(p["quality"], "performance_quality");
    assert_eq!(p["console"], "yes");
    assert_eq!(p["session.custom.external_key"], "4711");

    let shell = form("shell");
    pick(&m, "shell").await;
    m.type_into(&format!("{shell} input[name=target]"), "db-7");
    m.choose(&format!("{shell} select[name=protocol]"), "telnet");
    m.type_into(&format!("{shell} input[name=port]"), "2323");
    m.choose(&format!("{shell} select[name=terminal]"), "vt100");
    m.click(&format!("{shell} button[type=submit]"));
    let p = params(&host.last_opened().unwrap());
    assert_eq!(p["action"], "start_shell_jump_session");
    assert_eq!(
        (
            p["target"].as_str(),
            p["protocol"].as_str(),
            p["port"].as_str(),
            p["terminal"].as_str()
        ),
        ("db-7", "telnet", "2323", "vt100")
    );
    assert!(
        !p.contains_key("username"),
        "empty options are left out: {p:?}"
    );
}

#[wasm_bindgen_test]
async fn pinned_local_vpro_and_vnc_links() {
    let host = FakeHost::new();
    let m = jump_to(&host).await;
    m.type_into(
        &format!("{} input[name=search]", form("pinned")),
        "Front desk PC",
    );
    m.click(&format!("{} button[type=submit]", form("pinned")));
    let p = params(&host.last_opened().unwrap());
    assert_eq!(
        (p["action"].as_str(), p["search_string"].as_str()),
        ("start_pinned_client_session", "Front desk PC")
    );

    pick(&m, "local").await;
    m.type_into(
        &format!("{} input[name=target]", form("local")),
        "printer-3",
    );
    m.click(&format!("{} button[type=submit]", form("local")));
    let p = params(&host.last_opened().unwrap());
    assert_eq!(
        (p["action"].as_str(), p["hostname"].as_str()),
        ("push_and_start_local", "printer-3")
    );

    pick(&m, "vpro").await;
    m.type_into(&format!("{} input[name=target]", form("vpro")), "amt-host");
    m.click(&format!("{} button[type=submit]", form("vpro")));
    let p = params(&host.last_opened().unwrap());
    assert_eq!(
        (p["action"].as_str(), p["jumpoint"].as_str()),
        ("start_vpro_session", "London DC")
    );

    pick(&m, "vnc").await;
    m.type_into(&format!("{} input[name=target]", form("vnc")), "mac-mini");
    m.type_into(&format!("{} input[name=port]", form("vnc")), "5901");
    m.click(&format!("{} button[type=submit]", form("vnc")));
    let url = host.last_opened().unwrap();
    expect_params(
        &url,
        &[
            ("type", "rep"),
            ("operation", "generate"),
            ("action", "start_vnc_session"),
            ("target", "mac-mini"),
            ("port", "5901"),
            ("session.custom.external_key", "4711"),
        ],
    );
}

#[wasm_bindgen_test]
async fn refuses_bad_input_with_the_fields_message() {
    let host = FakeHost::new();
    let m = jump_to(&host).await;
    pick(&m, "remote").await;
    let remote = form("remote");
    m.type_into(&format!("{remote} input[name=target]"), "rdp://server");
    m.click(&format!("{remote} button[type=submit]"));
    wait_for("target error", || {
        m.text()
            .contains("Enter the hostname only, e.g. support.example.com.")
    })
    .await;
    let input = m.get(&format!("{remote} input[name=target]"));
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = input.get_attribute("aria-describedby").unwrap();
    assert_eq!(
        m.text_of(&format!("#{described}")),
        "Enter the hostname only, e.g. support.example.com."
    );
    // Focus lands on the refused field.
    wait_for("focus on the invalid field", || {
        doc().active_element().as_ref() == Some(&input)
    })
    .await;

    let shell = form("shell");
    pick(&m, "shell").await;
    m.type_into(&format!("{shell} input[name=target]"), "ok-host");
    m.type_into(&format!("{shell} input[name=port]"), "70000");
    m.click(&format!("{shell} button[type=submit]"));
    wait_for("port error", || {
        m.find(&format!("{shell} input[name=port][aria-invalid=true]"))
            .is_some()
    })
    .await;
    m.get(&format!("{shell} details"))
        .set_attribute("open", "")
        .unwrap();
    assert!(
        m.text().contains("Must be a number from 1 to 65535."),
        "{}",
        m.text()
    );

    pick(&m, "pinned").await;
    m.click(&format!("{} button[type=submit]", form("pinned")));
    wait_for("required", || m.text().contains("This field is required.")).await;

    pick(&m, "local").await;
    m.type_into(
        &format!("{} input[name=target]", form("local")),
        &"a".repeat(256),
    );
    m.click(&format!("{} button[type=submit]", form("local")));
    wait_for("too long", || {
        m.text()
            .contains("Too long: at most 255 characters (entered: 256).")
    })
    .await;

    assert!(
        host.recorded().opened.is_empty(),
        "nothing opened for bad input"
    );

    // Fixing the value clears the message and opens the link.
    pick(&m, "remote").await;
    m.type_into(&format!("{remote} input[name=target]"), "server");
    m.click(&format!("{remote} button[type=submit]"));
    assert_eq!(host.recorded().opened.len(), 1);
    wait_for("cleared", || {
        m.get(&format!("{remote} input[name=target]"))
            .get_attribute("aria-invalid")
            .is_none()
    })
    .await;
}

#[wasm_bindgen_test]
async fn messages_are_translated() {
    let host = FakeHost::new().locale("de");
    let m = jump_to(&host).await;
    m.click(&format!("{} button[type=submit]", form("pinned")));
    wait_for("German message", || {
        m.text().contains("Dieses Feld ist erforderlich.")
    })
    .await;
    assert!(m.text().contains("RDP-Sitzung starten"));
}

#[wasm_bindgen_test]
async fn web_console_setting_switches_links_and_hides_vpro() {
    let host = FakeHost::new().settings_with(|r| r.console = "web".into());
    let m = jump_to(&host).await;
    assert!(!methods(&m).contains(&"vpro".to_owned()));
    pick(&m, "local").await;
    m.type_into(&format!("{} input[name=target]", form("local")), "pc-1");
    m.click(&format!("{} button[type=submit]", form("local")));
    let p = params(&host.last_opened().unwrap());
    assert_eq!(
        (p["type"].as_str(), p["operation"].as_str()),
        ("web_console", "execute")
    );

    // The prop overrides the setting (the "web jump" view).
    let host = FakeHost::new();
    let m = mount(&host, || view! { <JumpTo console=Console::Web/> });
    settle().await;
    pick(&m, "local").await;
    m.type_into(&format!("{} input[name=target]", form("local")), "pc-1");
    m.click(&format!("{} button[type=submit]", form("local")));
    assert_eq!(params(&host.last_opened().unwrap())["type"], "web_console");
}

#[wasm_bindgen_test]
async fn prefilled_target_from_the_host() {
    let host = FakeHost::new();
    let m = mount(&host, || view! { <JumpTo target="ASSET-0042"/> });
    settle().await;
    let value = |sel: &str| {
        m.get(sel)
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value()
    };
    assert_eq!(
        value(&format!("{} input[name=search]", form("pinned"))),
        "ASSET-0042"
    );
    pick(&m, "rdp").await;
    assert_eq!(
        value(&format!("{} input[name=target]", form("rdp"))),
        "ASSET-0042"
    );
    pick(&m, "pinned").await;
    m.click(&format!("{} button[type=submit]", form("pinned")));
    assert_eq!(
        params(&host.last_opened().unwrap())["search_string"],
        "ASSET-0042"
    );
}

#[wasm_bindgen_test]
async fn enter_in_a_field_submits_its_form() {
    let host = FakeHost::new();
    let m = jump_to(&host).await;
    pick(&m, "remote").await;
    let target = format!("{} input[name=target]", form("remote"));
    m.type_into(&target, "kbd-host");
    m.press_enter(&target);
    wait_for("link", || host.last_opened().is_some()).await;
    assert_eq!(params(&host.last_opened().unwrap())["target"], "kbd-host");
    assert_eq!(host.recorded().opened.len(), 1);
}

#[wasm_bindgen_test]
async fn blocked_popup_shows_the_link_to_click() {
    let host = FakeHost::new().block_popups();
    let m = jump_to(&host).await;
    pick(&m, "local").await;
    m.type_into(&format!("{} input[name=target]", form("local")), "pc-9");
    m.click(&format!("{} button[type=submit]", form("local")));
    wait_for("fallback", || m.find(".bt-blocked a").is_some()).await;
    let href = m.get(".bt-blocked a").get_attribute("href").unwrap();
    assert_eq!(Some(href.clone()), host.last_opened());
    assert_eq!(params(&href)["hostname"], "pc-9");
    assert!(m
        .get(".bt-blocked")
        .parent_element()
        .unwrap()
        .get_attribute("aria-live")
        .is_some());
}

#[wasm_bindgen_test]
async fn unsaved_ticket_has_no_forms_until_saved() {
    let host = FakeHost::new().record(None);
    let m = jump_to(&host).await;
    assert!(m.text().contains("Save the ticket first"));
    assert!(methods(&m).is_empty());
    host.emit(HostEvent::Record(Some("9001".into())));
    wait_for("forms", || !methods(&m).is_empty()).await;
    pick(&m, "local").await;
    m.type_into(&format!("{} input[name=target]", form("local")), "pc-1");
    m.click(&format!("{} button[type=submit]", form("local")));
    assert_eq!(
        params(&host.last_opened().unwrap())["session.custom.external_key"],
        "9001"
    );
}

#[wasm_bindgen_test]
async fn one_form_at_a_time_behind_the_jump_method_list() {
    let host = FakeHost::new().settings_with(|r| r.allow_vnc = false);
    let m = jump_to(&host).await;
    let picker = "select[name=method]";
    let options: Vec<String> = m
        .all(&format!("{picker} option"))
        .iter()
        .map(|o| o.text_content().unwrap())
        .collect();
    assert_eq!(
        options,
        [
            "Pinned Jump Client",
            "Push and Start Local",
            "Push and Start Remote",
            "Start RDP Session",
            "Start Shell Session",
            "Start vPro Session",
        ],
        "the allowed methods, in the guides' order"
    );
    let label_for = m.get(picker).id();
    assert_eq!(
        m.text_of(&format!("label[for='{label_for}']")),
        "Jump method"
    );
    let shown = |m: &Mounted| -> Vec<String> {
        methods(m)
            .into_iter()
            .filter(|method| m.is_visible(&form(method)))
            .collect()
    };
    assert_eq!(
        shown(&m),
        ["pinned"],
        "the first allowed method to begin with"
    );

    // A hidden form's controls are built when it is first shown (start-up
    // time); from then on they stay.
    assert!(m
        .find(&format!("{} input[name=target]", form("remote")))
        .is_none());
    pick(&m, "remote").await;
    m.type_into(
        &format!("{} input[name=target]", form("remote")),
        "10.1.2.3",
    );
    m.choose(picker, "rdp");
    settle().await;
    assert_eq!(shown(&m), ["rdp"]);
    m.choose(picker, "remote");
    settle().await;
    assert_eq!(shown(&m), ["remote"]);
    let typed: web_sys::HtmlInputElement = m
        .get(&format!("{} input[name=target]", form("remote")))
        .unchecked_into();
    assert_eq!(
        typed.value(),
        "10.1.2.3",
        "switching methods keeps what was typed"
    );

    // One allowed method needs no list.
    let host = allowing_only(&["push_remote"]);
    let m = jump_to(&host).await;
    assert!(m.find(picker).is_none());
    assert_eq!(shown(&m), ["remote"]);
}

#[wasm_bindgen_test]
async fn a_method_without_a_jumpoint_is_left_out_and_the_agent_told_whom_to_ask() {
    // The admin turned on RDP (and the other Jumpoint methods) but left
    // "Jumpoints" empty: only those methods are out.
    let host = FakeHost::new().settings_with(|r| r.jumpoints = String::new());
    host.respond(Method::Get, "/v1/reps/me", 200, r#"{"logged_in":true}"#);
    let m = mount(&host, || view! { <SessionKeyPanel/><JumpTo/> });
    settle().await;
    assert!(m.find(".bt-settings-problems").is_none(), "{}", m.text());
    assert!(m.find(".bt-session-key-form button[type=submit]").is_some());
    let offered: Vec<String> = m
        .all("select[name=method] option")
        .iter()
        .map(|o| o.text_content().unwrap())
        .collect();
    assert_eq!(
        offered,
        [
            "Pinned Jump Client",
            "Push and Start Local",
            "Start VNC Session"
        ]
    );
    let notices: Vec<String> = m
        .all(".bt-jump-unavailable")
        .iter()
        .map(|n| n.text_content().unwrap())
        .collect();
    assert_eq!(notices.len(), 4, "{notices:?}");
    assert_eq!(
        notices[1],
        "Start RDP Session is not available: no Jumpoint is set up. Ask your admin to add one \
         to the “Jumpoints” setting, or to turn off “Allow Remote Desktop (RDP) Session”."
    );
    // What needs no Jumpoint still works.
    pick(&m, "local").await;
    m.type_into("form[data-method=local] input[name=target]", "pc-17");
    m.click("form[data-method=local] button[type=submit]");
    let p = params(&host.last_opened().expect("a link"));
    assert_eq!(
        (p["action"].as_str(), p["hostname"].as_str()),
        ("push_and_start_local", "pc-17")
    );
}

#[wasm_bindgen_test]
async fn the_title_the_first_method_and_its_button_say_different_things() {
    let host = FakeHost::new();
    let m = jump_to(&host).await;
    let title = m.text_of(".bt-jump .bt-title");
    let method = m.text_of("select[name=method] option[value=pinned]");
    let button = m.text_of(&format!("{} button[type=submit]", form("pinned")));
    assert_eq!(
        (title.as_str(), method.as_str(), button.as_str()),
        ("Jump to a computer", "Pinned Jump Client", "Jump To")
    );
    // The form is named by its method.
    assert_eq!(
        m.get(&form("pinned"))
            .get_attribute("aria-label")
            .as_deref(),
        Some("Pinned Jump Client")
    );
    for lang in ["de", "fr", "es", "ja"] {
        host.emit(HostEvent::Locale(lang.into()));
        settle().await;
        let texts = [
            m.text_of(".bt-jump .bt-title"),
            m.text_of("select[name=method] option[value=pinned]"),
            m.text_of(&format!("{} button[type=submit]", form("pinned"))),
        ];
        assert!(
            texts[0] != texts[1] && texts[1] != texts[2] && texts[0] != texts[2],
            "{lang}: {texts:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn the_target_goes_out_as_the_agent_typed_it() {
    let host = FakeHost::new();
    let m = jump_to(&host).await;
    pick(&m, "remote").await;
    m.type_into(
        &format!("{} input[name=target]", form("remote")),
        " ABCDEF02 ",
    );
    m.click(&format!("{} button[type=submit]", form("remote")));
    let p = params(&host.last_opened().expect("a link"));
    assert_eq!(p["target"], "ABCDEF02", "validated, not rewritten");
    pick(&m, "local").await;
    m.type_into(&format!("{} input[name=target]", form("local")), "PC-0042");
    m.click(&format!("{} button[type=submit]", form("local")));
    assert_eq!(params(&host.last_opened().unwrap())["hostname"], "PC-0042");
}
