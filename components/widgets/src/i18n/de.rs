//! Deutsch.

#[cfg(feature = "agent")]
use super::{AgentText, BrokerText, HistoryText, JumpText, KeyText};
use super::{ChatText, Common, FieldNames, Problems};

pub static COMMON: Common = Common {
    not_configured: "Die Einstellungen der App müssen geprüft werden:",
    popup_blocked: "Ihr Browser hat den neuen Tab blockiert. Öffnen Sie den Link hier:",
    open_link: "Link öffnen",
    opened: "In einem neuen Tab geöffnet.",
    fields: FieldNames {
        appliance_hostname: "Hostname",
        external_key: "Externer Schlüssel",
        search_string: "Suche",
        target: "Ziel",
        hostname: "Hostname",
        jumpoint: "Jumpoint",
        username: "Benutzername",
        display_size: "Anzeigegröße",
        quality: "Qualität",
        port: "Port",
        protocol: "Protokoll",
        terminal: "Terminal",
        customer_name: "Name",
        customer_details: "Beschreibung",
        issue_code: "Problemcode",
        console: "Konsole",
        team_id: "Team",
        issues_line: "Probleme, Zeile {0}",
        jumpoints_line: "Jumpoints, Zeile {0}",
        teams_line: "Teams, Zeile {0}",
        jumpoints: "Jumpoints",
        issues: "Probleme",
    },
    problems: Problems {
        required: "Dieses Feld ist erforderlich.",
        too_long: "Zu lang: höchstens {0} {1} (eingegeben: {2}).",
        characters: "Zeichen",
        bytes: "Byte",
        url_not_hostname: "Geben Sie nur den Hostnamen ein, z. B. support.example.com.",
        invalid_hostname: "Kein gültiger Hostname. Verwenden Sie Buchstaben, Ziffern, '-' und '.', z. B. support.example.com.",
        control_characters: "Darf keine Steuerzeichen enthalten.",
        invalid_characters: "Darf nur {0} enthalten.",
        out_of_range: "Muss eine Zahl von {0} bis {1} sein.",
        not_one_of: "Muss einer dieser Werte sein: {0}.",
        format: "Muss die Form {0} haben.",
        needs_jumpoint: "„{0}“ benötigt mindestens einen Jumpoint.",
        duplicate: "Doppelt aufgeführt.",
    },
};

#[cfg(feature = "agent")]
pub static AGENT: AgentText = AgentText {
    save_first: "Speichern Sie zuerst das Ticket. Remote-Support ist verfügbar, sobald das Ticket gespeichert ist.",
    copy: "Kopieren",
    copied: "Kopiert",
    copy_failed: "Kopieren nicht möglich. Markieren Sie den Text und kopieren Sie ihn selbst.",
    case_id: "Fall-ID",
    case_id_hint: "Dies ist der externe Schlüssel: Geben Sie ihn in der Mitarbeiterkonsole ein, um eine anderswo gestartete Sitzung diesem Ticket zuzuordnen.",
};

#[cfg(feature = "agent")]
pub static JUMP: JumpText = JumpText {
    m_pinned: "Springen zu",
    m_local: "Lokal übertragen und starten",
    m_remote: "Remote übertragen und starten",
    m_rdp: "RDP-Sitzung starten",
    m_shell: "Shell-Sitzung starten",
    m_vpro: "vPro-Sitzung starten",
    m_vnc: "VNC-Sitzung starten",
    f_method: "Jump-Methode",
    f_search: "Jump-Client suchen",
    f_hostname: "Hostname",
    f_target: "Hostname oder IP-Adresse",
    f_jumpoint: "Jumpoint",
    f_username: "Benutzername",
    f_display_size: "Anzeigegröße",
    f_quality: "Qualität",
    f_console: "Konsolensitzung (Admin)",
    f_protocol: "Protokoll",
    f_port: "Port",
    f_terminal: "Terminal",
    more_options: "Weitere Optionen",
    default_option: "Standard",
    none_option: "Keiner",
    primary_display: "Hauptbildschirm",
    all_displays: "Alle Bildschirme",
    q_low: "Niedrig (2-Bit-Grau)",
    q_performance: "Leistung",
    q_performance_quality: "Leistung und Qualität",
    q_quality: "Qualität",
    placeholder_host: "Hostname eingeben…",
    placeholder_search: "Name, Hostname oder Kommentar…",
    no_methods: "In den Einstellungen der App ist keine Jump-Methode aktiviert.",
    needs_jumpoint_ask_admin: "{0} ist nicht verfügbar: Es ist kein Jumpoint eingerichtet. Bitten Sie Ihren Administrator, in der Einstellung „Jumpoints“ einen hinzuzufügen oder „{1}“ auszuschalten.",
    jump_sent: "An die Mitarbeiterkonsole gesendet.",
};

#[cfg(feature = "agent")]
pub static KEY: KeyText = KeyText {
    generate_session_key: "Sitzungsschlüssel erzeugen",
    regenerate: "Neu erzeugen",
    session_key: "Sitzungsschlüssel",
    session_key_url: "URL des Sitzungsschlüssels",
    email_session_key: "Sitzungsschlüssel per E-Mail senden",
    generating: "Wird erzeugt…",
    expires_in: "Läuft ab in {0}",
    expired: "Dieser Sitzungsschlüssel ist abgelaufen. Erzeugen Sie einen neuen.",
    queue: "Warteschlange",
    queue_me: "Meine Warteschlange",
    queue_general: "Allgemeine Warteschlange",
    queue_team: "Team: {0}",
    rep_offline: "Sie sind nicht an der Mitarbeiterkonsole angemeldet. Melden Sie sich an, bevor der Kunde den Schlüssel verwendet, sonst erreicht die Sitzung Sie nicht.",
    qr_label: "QR-Code der URL des Sitzungsschlüssels",
    key_ready: "Sitzungsschlüssel erzeugt.",
    bt_session_key: "BeyondTrust-Sitzungsschlüssel",
    web_session_key: "Web-Sitzungsschlüssel",
    console_key_hint: "Öffnet den Sitzungsschlüssel-Dialog der Mitarbeiterkonsole.",
    web_console_key_hint: "Öffnet den Sitzungsschlüssel-Dialog der Webkonsole.",
};

#[cfg(feature = "agent")]
pub static HISTORY: HistoryText = HistoryText {
    history_title: "BeyondTrust-Sitzungen",
    col_customer: "Hauptkunde",
    col_rep: "Hauptmitarbeiter",
    col_start: "Startzeit",
    col_duration: "Dauer",
    col_transcript: "Protokoll",
    col_recording: "Aufzeichnung",
    view_transcript: "Protokoll ansehen",
    recorded: "Aufgezeichnet",
    not_recorded: "Keine Aufzeichnung",
    in_progress: "Läuft",
    no_sessions: "Zu diesem Ticket gibt es noch keine Remote-Support-Sitzungen.",
    loading_sessions: "Sitzungen werden geladen…",
    refresh: "Aktualisieren",
};

#[cfg(feature = "agent")]
pub static BROKER: BrokerText = BrokerText {
    unauthorized: "Die App konnte sich nicht beim BeyondTrust-Broker anmelden.",
    forbidden_origin: "Diese Seite darf den BeyondTrust-Broker nicht verwenden.",
    invalid_input: "Der Broker hat die Anfrage als ungültig abgelehnt.",
    rate_limited: "Zu viele Anfragen. Warten Sie eine Minute und versuchen Sie es erneut.",
    rep_not_found: "Zu Ihrem Konto gibt es keinen BeyondTrust-Mitarbeiter.",
    rep_not_available: "Sie sind in der Mitarbeiterkonsole nicht verfügbar. Melden Sie sich an der Konsole an und versuchen Sie es erneut.",
    appliance_unreachable: "Die BeyondTrust-Appliance ist gerade nicht erreichbar.",
    appliance_auth_failed: "Der Broker konnte sich nicht bei der BeyondTrust-Appliance anmelden. Bitten Sie Ihren Administrator, das API-Konto zu prüfen.",
    appliance_error: "Die BeyondTrust-Appliance hat einen Fehler gemeldet.",
    other: "Der Broker hat einen Fehler gemeldet.",
    network: "Der Broker ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    bad_response: "Der Broker hat eine Antwort gesendet, die diese App nicht versteht.",
    no_broker: "Für diese App ist kein Broker eingerichtet, daher ist diese Funktion nicht verfügbar.",
    details: "Details:",
    same_as_above: "Nicht verfügbar: siehe die Meldung oben.",
};

pub static CHAT: ChatText = ChatText {
    get_support_now: "Jetzt Support erhalten",
    intro: "Chatten Sie mit einem Support-Techniker. Wenn Sie es erlauben, kann er Ihnen direkt an Ihrem Computer helfen.",
    issue: "Wobei brauchen Sie Hilfe?",
    name: "Ihr Name (optional)",
    description: "Beschreiben Sie das Problem (optional)",
    chat_opened: "Ihre Support-Sitzung wurde in einem neuen Tab geöffnet.",
    no_issues: "Der Support-Chat ist noch nicht eingerichtet.",
};
