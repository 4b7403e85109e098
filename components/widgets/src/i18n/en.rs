//! English (the labels agents know from BeyondTrust's own integrations).

#[cfg(feature = "agent")]
use super::{AgentText, BrokerText, HistoryText, JumpText, KeyText};
use super::{ChatText, Common, FieldNames, Problems};

pub static COMMON: Common = Common {
    not_configured: "The app's settings need attention:",
    popup_blocked: "Your browser blocked the new tab. Open the link here:",
    open_link: "Open link",
    opened: "Opened in a new tab.",
    fields: FieldNames {
        appliance_hostname: "Hostname",
        external_key: "External key",
        search_string: "Search",
        target: "Target",
        hostname: "Hostname",
        jumpoint: "Jumpoint",
        username: "Username",
        display_size: "Display size",
        quality: "Quality",
        port: "Port",
        protocol: "Protocol",
        terminal: "Terminal",
        customer_name: "Name",
        customer_details: "Description",
        issue_code: "Issue code",
        console: "Console",
        team_id: "Team",
        issues_line: "Issues, line {0}",
        jumpoints_line: "Jumpoints, line {0}",
        teams_line: "Teams, line {0}",
        jumpoints: "Jumpoints",
        issues: "Issues",
    },
    problems: Problems {
        required: "This field is required.",
        too_long: "Too long: at most {0} {1} (entered: {2}).",
        characters: "characters",
        bytes: "bytes",
        url_not_hostname: "Enter the hostname only, e.g. support.example.com.",
        invalid_hostname:
            "Not a valid hostname. Use letters, digits, '-' and '.', e.g. support.example.com.",
        control_characters: "Must not contain control characters.",
        invalid_characters: "May only contain {0}.",
        out_of_range: "Must be a number from {0} to {1}.",
        not_one_of: "Must be one of: {0}.",
        format: "Must look like {0}.",
        needs_jumpoint: "\"{0}\" needs at least one Jumpoint.",
        duplicate: "Listed twice.",
    },
};

#[cfg(feature = "agent")]
pub static AGENT: AgentText = AgentText {
    save_first: "Save the ticket first. Remote support is available once the ticket has been saved.",
    copy: "Copy",
    copied: "Copied",
    copy_failed: "Could not copy. Select the text and copy it yourself.",
    case_id: "Case ID",
    case_id_hint: "This is the External Key: type it in the representative console to attach a session started elsewhere to this ticket.",
    case_id_hint_case: "This is the External Key: type it in the representative console to attach a session started elsewhere to this case.",
};

#[cfg(feature = "agent")]
pub static JUMP: JumpText = JumpText {
    m_pinned: "Pinned Jump Client",
    m_local: "Push and Start Local",
    m_remote: "Push and Start Remote",
    m_rdp: "Start RDP Session",
    m_shell: "Start Shell Session",
    m_vpro: "Start vPro Session",
    m_vnc: "Start VNC Session",
    title: "Jump to a computer",
    b_pinned: "Start Jump Client Session",
    f_method: "Jump method",
    f_search: "Jump Client search",
    f_hostname: "Hostname",
    f_target: "Hostname or IP address",
    f_jumpoint: "Jumpoint",
    f_username: "Username",
    f_display_size: "Display size",
    f_quality: "Quality",
    f_console: "Console session (admin)",
    f_protocol: "Protocol",
    f_port: "Port",
    f_terminal: "Terminal",
    more_options: "More options",
    default_option: "Default",
    none_option: "None",
    primary_display: "Primary display",
    all_displays: "All displays",
    q_low: "Low (2-bit grey)",
    q_performance: "Performance",
    q_performance_quality: "Performance and quality",
    q_quality: "Quality",
    placeholder_host: "Enter hostname…",
    placeholder_search: "Name, hostname or comment…",
    no_methods: "No Jump methods are enabled in the app's settings.",
    needs_jumpoint_ask_admin: "{0} is not available: no Jumpoint is set up. Ask your admin to add one to the “Jumpoints” setting, or to turn off “{1}”.",
    jump_sent: "Sent to the representative console.",
};

#[cfg(feature = "agent")]
pub static KEY: KeyText = KeyText {
    generate_session_key: "Generate Session Key",
    regenerate: "Regenerate",
    session_key: "Session Key",
    session_key_url: "Session Key URL",
    email_session_key: "Email Session Key",
    generating: "Generating…",
    expires_in: "Expires in {0}",
    expired: "This session key has expired. Generate a new one.",
    queue: "Queue",
    queue_me: "My queue",
    queue_general: "General queue",
    queue_team: "Team: {0}",
    rep_offline: "You are not logged in to the representative console. Log in before the customer uses the key, or the session cannot reach you.",
    qr_label: "QR code of the Session Key URL",
    key_ready: "Session key generated.",
    bt_session_key: "BeyondTrust Session Key",
    web_session_key: "Web Session Key",
    console_key_hint: "Opens the representative console's session key dialog.",
    web_console_key_hint: "Opens the web console's session key dialog.",
};

#[cfg(feature = "agent")]
pub static HISTORY: HistoryText = HistoryText {
    history_title: "BeyondTrust Sessions",
    col_customer: "Primary Customer",
    col_rep: "Primary Representative",
    col_start: "Start Time",
    col_duration: "Duration",
    col_transcript: "Transcript",
    col_recording: "Recording",
    view_transcript: "View transcript",
    recorded: "Recorded",
    not_recorded: "No recording",
    in_progress: "In progress",
    no_sessions: "No remote support sessions for this ticket yet.",
    loading_sessions: "Loading sessions…",
    refresh: "Refresh",
};

#[cfg(feature = "agent")]
pub static BROKER: BrokerText = BrokerText {
    unauthorized: "The app could not sign in to the BeyondTrust broker.",
    forbidden_origin: "This page is not allowed to use the BeyondTrust broker.",
    invalid_input: "The broker refused the request as invalid.",
    rate_limited: "Too many requests. Wait a minute and try again.",
    rep_not_found: "No BeyondTrust representative matches your account.",
    rep_not_available: "You are not available in the representative console. Log in to the console and try again.",
    appliance_unreachable: "The BeyondTrust appliance cannot be reached right now.",
    appliance_auth_failed: "The broker could not sign in to the BeyondTrust appliance. Ask your administrator to check the API account.",
    appliance_error: "The BeyondTrust appliance reported an error.",
    other: "The broker reported an error.",
    network: "The broker could not be reached. Check your connection and try again.",
    bad_response: "The broker sent an answer this app does not understand.",
    no_broker: "No broker is configured for this app, so this feature is not available.",
    details: "Details:",
    same_as_above: "Not available: see the message above.",
};

pub static CHAT: ChatText = ChatText {
    get_support_now: "Get Support Now",
    intro: "Chat with a support technician. They can help on your computer once you allow it.",
    issue: "What do you need help with?",
    name: "Your name (optional)",
    description: "Describe the problem (optional)",
    chat_opened: "Your support session opened in a new tab.",
    no_issues: "Support chat is not set up yet.",
};
