//! The appliance the demo and the tests start with: reps alice (logged in),
//! bob (logged out) and carol (logged in), teams Tier 1 and Tier 2, issues
//! `general_tech` and `billing`, and past sessions with external keys 4711,
//! 4712 and the Salesforce demo's case id.

use crate::state::{Issue, Rep, Session, Team};

pub(crate) fn seed(now: i64) -> (Vec<Rep>, Vec<Team>, Vec<Issue>, Vec<Session>) {
    let rep = |id, username: &str, public: &str, private: &str, logged_in| Rep {
        id,
        username: username.into(),
        public_display_name: public.into(),
        private_display_name: private.into(),
        logged_in,
    };
    let reps = vec![
        rep(1, "alice", "Alice", "alice", true),
        rep(2, "bob", "Bob", "bob", false),
        rep(3, "carol", "Carol", "carol", true),
    ];
    let teams = vec![
        Team {
            id: 1,
            name: "Tier 1".into(),
            code_name: "tier1".into(),
        },
        Team {
            id: 2,
            name: "Tier 2".into(),
            code_name: "tier2".into(),
        },
    ];
    let issues = vec![
        Issue {
            id: 1,
            code_name: "general_tech".into(),
            description: "General technical support".into(),
        },
        Issue {
            id: 2,
            code_name: "billing".into(),
            description: "Billing question".into(),
        },
    ];
    const DAY: i64 = 86_400;
    let session = |lsid: &str,
                   ago: i64,
                   secs: i64,
                   key: Option<&str>,
                   customer: &str,
                   rep: (u64, &str),
                   rec| Session {
        lsid: lsid.into(),
        start: now - ago,
        end: Some(now - ago + secs),
        external_key: key.map(Into::into),
        customer: customer.into(),
        rep: Some((rep.0, rep.1.into())),
        has_recording: rec,
    };
    let sessions = vec![
        session(
            "7b1c0a3e5d9f4e21a0c8b6d4e2f01a01",
            DAY,
            902,
            Some("4711"),
            "Jane Doe",
            (1, "Alice"),
            true,
        ),
        session(
            "7b1c0a3e5d9f4e21a0c8b6d4e2f01a02",
            3 * DAY,
            300,
            Some("4711"),
            "Jane Doe",
            (2, "Bob"),
            false,
        ),
        session(
            "7b1c0a3e5d9f4e21a0c8b6d4e2f01a03",
            2 * DAY,
            1200,
            Some("4712"),
            "John Roe",
            (3, "Carol"),
            true,
        ),
        session(
            "7b1c0a3e5d9f4e21a0c8b6d4e2f01a04",
            100 * DAY,
            600,
            Some("4711"),
            "Jane Doe",
            (1, "Alice"),
            false,
        ),
        session(
            "7b1c0a3e5d9f4e21a0c8b6d4e2f01a05",
            3600,
            120,
            None,
            "Walk-in",
            (1, "Alice"),
            false,
        ),
        // The Salesforce demo's case id.
        session(
            "7b1c0a3e5d9f4e21a0c8b6d4e2f01a06",
            5 * 3600,
            1500,
            Some("5003000000D8cuIAAR"),
            "Jane Doe",
            (3, "Carol"),
            true,
        ),
    ];
    (reps, teams, issues, sessions)
}
