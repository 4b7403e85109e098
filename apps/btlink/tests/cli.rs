//! The `btlink` contract (README.md, "btlink"), run as the real binary.

use std::collections::BTreeMap;
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn btlink(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_btlink"))
        .args(args)
        .output()
        .expect("btlink runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs a command that must succeed and returns its one URL.
fn url_of(args: &[&str]) -> String {
    let r = btlink(args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    assert_eq!(
        r.stdout.lines().count(),
        1,
        "one URL on stdout: {:?}",
        r.stdout
    );
    r.stdout.trim_end().to_owned()
}

fn params(link: &str) -> BTreeMap<String, String> {
    url::Url::parse(link)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

fn refused(args: &[&str]) -> String {
    let r = btlink(args);
    assert_eq!(r.code, 2, "{args:?} should be refused: {}", r.stdout);
    assert!(r.stdout.is_empty());
    assert_eq!(
        r.stderr.trim_end().lines().count(),
        1,
        "one line: {:?}",
        r.stderr
    );
    r.stderr
}

#[test]
fn session_key_desktop_and_web() {
    let link = url_of(&[
        "session-key",
        "--host",
        "support.example.com",
        "--external-key",
        "Case 42",
    ]);
    assert!(link.starts_with("https://support.example.com/api/client_script?type=rep&operation=generate&action=generate_session_key"));
    assert!(
        link.contains("session.custom.external_key=Case%2042"),
        "RFC 3986: {link}"
    );
    let p = params(&url_of(&[
        "session-key",
        "--host",
        "support.example.com",
        "--web",
        "--portal",
        "portal.example.com",
    ]));
    assert_eq!(
        (p["type"].as_str(), p["operation"].as_str()),
        ("web_console", "execute")
    );
    assert_eq!(p["public_portal_hostname"], "portal.example.com");
}

/// One jump: flags, expected action, expected decoded parameters.
type JumpCase = (
    Vec<&'static str>,
    &'static str,
    Vec<(&'static str, &'static str)>,
);

#[test]
fn every_jump_method() {
    let h = ["--host", "support.example.com"];
    let cases: Vec<JumpCase> = vec![
        (
            vec![
                "--method",
                "pinned",
                "--search",
                "Front Desk",
                "--external-key",
                "7",
            ],
            "start_pinned_client_session",
            vec![
                ("search_string", "Front Desk"),
                ("session.custom.external_key", "7"),
            ],
        ),
        (
            vec!["--method", "local", "--target", "ABCDEF02"],
            "push_and_start_local",
            // As typed: validated, not rewritten (BeyondTrust's examples keep it).
            vec![("hostname", "ABCDEF02")],
        ),
        (
            vec![
                "--method",
                "remote",
                "--target",
                "ABCDEF02",
                "--jumpoint",
                "Network01",
            ],
            "push_and_start_remote",
            vec![("target", "ABCDEF02"), ("jumpoint", "Network01")],
        ),
        (
            vec![
                "--method",
                "rdp",
                "--target",
                "10.1.2.3",
                "--username",
                "admin",
                "--display-size",
                "1920x1080",
                "--quality",
                "quality",
                "--console",
            ],
            "start_rdp_session",
            vec![
                ("target", "10.1.2.3"),
                ("username", "admin"),
                ("display_size", "1920x1080"),
                ("quality", "quality"),
                ("console", "yes"),
            ],
        ),
        (
            vec![
                "--method",
                "shell",
                "--target",
                "srv1",
                "--protocol",
                "telnet",
                "--port",
                "2323",
                "--terminal",
                "vt100",
            ],
            "start_shell_jump_session",
            vec![
                ("protocol", "telnet"),
                ("port", "2323"),
                ("terminal", "vt100"),
            ],
        ),
        (
            vec![
                "--method",
                "vpro",
                "--target",
                "ABCDEF02",
                "--jumpoint",
                "Network01",
            ],
            "start_vpro_session",
            vec![("target", "ABCDEF02"), ("jumpoint", "Network01")],
        ),
        (
            vec!["--method", "vnc", "--target", "mac1", "--port", "5901"],
            "start_vnc_session",
            vec![("target", "mac1"), ("port", "5901")],
        ),
    ];
    for (args, action, expected) in cases {
        let all: Vec<&str> = ["jump"]
            .into_iter()
            .chain(h)
            .chain(args.iter().copied())
            .collect();
        let p = params(&url_of(&all));
        assert_eq!(p["action"], action);
        assert_eq!(p["type"], "rep");
        for (k, v) in expected {
            assert_eq!(p.get(k).map(String::as_str), Some(v), "{action}: {k}");
        }
    }
    let p = params(&url_of(&[
        "jump",
        "--host",
        "support.example.com",
        "--method",
        "remote",
        "--target",
        "pc",
        "--console",
        "web",
    ]));
    assert_eq!(
        (p["type"].as_str(), p.get("console")),
        ("web_console", None)
    );
}

#[test]
fn chat_links() {
    let link = url_of(&[
        "chat",
        "--host",
        "support.example.com",
        "--issue",
        "general_tech",
        "--name",
        "John Doe",
        "--details",
        "I need support",
        "--external-key",
        "1234",
        "--locale",
        "de-DE",
    ]);
    assert!(link.starts_with("https://support.example.com/api/start_session?"));
    assert!(link.contains("customer.name=John%20Doe"));
    let p = params(&link);
    assert_eq!(
        (
            p["issue_menu"].as_str(),
            p["codeName"].as_str(),
            p["c2cjs"].as_str()
        ),
        ("1", "general_tech", "1")
    );
    assert_eq!(p["session.custom.external_key"], "1234");
    let p = params(&url_of(&[
        "chat",
        "--host",
        "support.example.com",
        "--session-key",
        "6187161",
        "--no-click-to-chat",
    ]));
    assert_eq!((p["short_key"].as_str(), p.get("c2cjs")), ("6187161", None));
    let p = params(&url_of(&[
        "chat",
        "--host",
        "support.example.com",
        "--rep-id",
        "3",
    ]));
    assert_eq!((p["id"].as_str(), p.get("issue_menu")), ("3", None));
}

#[test]
fn templates() {
    assert_eq!(
        url_of(&["template", "halo-asset-jump", "--host", "support.example.com"]),
        "https://support.example.com/api/client_script?type=rep&operation=generate&action=start_pinned_client_session&search_string=${INVENTORY_NUMBER}"
    );
    assert!(url_of(&[
        "template",
        "autotask-session-key",
        "--host",
        "support.example.com"
    ])
    .ends_with("session.custom.external_key=<TICKETID>"));
    assert!(url_of(&[
        "template",
        "custom-link-zendesk",
        "--host",
        "example.zendesk.com"
    ])
    .ends_with("/agent/tickets/%SESSION.CUSTOM.EXTERNAL_KEY%"));
    assert!(url_of(&[
        "template",
        "custom-link-autotask",
        "--host",
        "x.example.com",
        "--instance",
        "5"
    ])
    .starts_with("https://www.5.autotask.net/"));
    assert!(
        refused(&["template", "servicenow", "--host", "a.example.com"]).contains("autotask-jump")
    );
}

#[test]
fn bad_input_names_the_field_and_the_limit() {
    let long = "k".repeat(1025);
    let e = refused(&[
        "session-key",
        "--host",
        "support.example.com",
        "--external-key",
        &long,
    ]);
    assert_eq!(
        e.trim_end(),
        "btlink: external key: is too long: at most 1024 characters (got 1025)"
    );
    let e = refused(&["session-key", "--host", "https://support.example.com/"]);
    assert!(
        e.contains("enter the hostname only, e.g. support.example.com"),
        "{e}"
    );
    let e = refused(&[
        "jump",
        "--host",
        "support.example.com",
        "--method",
        "shell",
        "--target",
        "srv",
        "--port",
        "70000",
    ]);
    assert!(e.contains("port: must be between 1 and 65535"), "{e}");
    let target = "t".repeat(256);
    let e = refused(&[
        "jump",
        "--host",
        "support.example.com",
        "--method",
        "local",
        "--target",
        &target,
    ]);
    assert!(
        e.contains("hostname: is too long: at most 255 characters"),
        "{e}"
    );
    let e = refused(&[
        "chat",
        "--host",
        "support.example.com",
        "--issue",
        "x",
        "--name",
        &"n".repeat(101),
    ]);
    assert!(
        e.contains("customer name: is too long: at most 100 characters (got 101)"),
        "{e}"
    );
    let e = refused(&[
        "jump",
        "--host",
        "support.example.com",
        "--method",
        "vpro",
        "--target",
        "pc",
    ]);
    assert!(e.contains("Jumpoint: is required"), "{e}");
    // Missing route is clap's own usage error, still exit 2.
    assert_eq!(btlink(&["chat", "--host", "support.example.com"]).code, 2);
}
