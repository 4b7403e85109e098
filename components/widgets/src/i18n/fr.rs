//! Français.

#[cfg(feature = "agent")]
use super::{AgentText, BrokerText, HistoryText, JumpText, KeyText};
use super::{ChatText, Common, FieldNames, Problems};

pub static COMMON: Common = Common {
    not_configured: "Les paramètres de l'application sont à vérifier :",
    popup_blocked: "Votre navigateur a bloqué le nouvel onglet. Ouvrez le lien ici :",
    open_link: "Ouvrir le lien",
    opened: "Ouvert dans un nouvel onglet.",
    fields: FieldNames {
        appliance_hostname: "Nom d'hôte",
        external_key: "Clé externe",
        search_string: "Recherche",
        target: "Cible",
        hostname: "Nom d'hôte",
        jumpoint: "Jumpoint",
        username: "Nom d'utilisateur",
        display_size: "Taille d'affichage",
        quality: "Qualité",
        port: "Port",
        protocol: "Protocole",
        terminal: "Terminal",
        customer_name: "Nom",
        customer_details: "Description",
        issue_code: "Code du problème",
        console: "Console",
        team_id: "Équipe",
        issues_line: "Problèmes, ligne {0}",
        jumpoints_line: "Jumpoints, ligne {0}",
        teams_line: "Équipes, ligne {0}",
        jumpoints: "Jumpoints",
        issues: "Problèmes",
    },
    problems: Problems {
        required: "Ce champ est obligatoire.",
        too_long: "Trop long : {0} {1} au maximum (saisi : {2}).",
        characters: "caractères",
        bytes: "octets",
        url_not_hostname: "Saisissez uniquement le nom d'hôte, par ex. support.example.com.",
        invalid_hostname: "Nom d'hôte non valide. Utilisez des lettres, des chiffres, « - » et « . », par ex. support.example.com.",
        control_characters: "Ne doit pas contenir de caractères de contrôle.",
        invalid_characters: "Ne peut contenir que {0}.",
        out_of_range: "Doit être un nombre de {0} à {1}.",
        not_one_of: "Doit être l'une de ces valeurs : {0}.",
        format: "Doit être de la forme {0}.",
        needs_jumpoint: "« {0} » nécessite au moins un Jumpoint.",
        duplicate: "Indiqué deux fois.",
    },
};

#[cfg(feature = "agent")]
pub static AGENT: AgentText = AgentText {
    save_first: "Enregistrez d'abord le ticket. L'assistance à distance est disponible une fois le ticket enregistré.",
    copy: "Copier",
    copied: "Copié",
    copy_failed: "Copie impossible. Sélectionnez le texte et copiez-le vous-même.",
    case_id: "ID du dossier",
    case_id_hint: "Ceci est la clé externe : saisissez-la dans la console du technicien pour rattacher à ce ticket une session démarrée ailleurs.",
    case_id_hint_case: "Ceci est la clé externe : saisissez-la dans la console du technicien pour rattacher à cette requête une session démarrée ailleurs.",
};

#[cfg(feature = "agent")]
pub static JUMP: JumpText = JumpText {
    m_pinned: "Jump Client épinglé",
    m_local: "Transférer et démarrer en local",
    m_remote: "Transférer et démarrer à distance",
    m_rdp: "Démarrer une session RDP",
    m_shell: "Démarrer une session Shell",
    m_vpro: "Démarrer une session vPro",
    m_vnc: "Démarrer une session VNC",
    title: "Accéder à un ordinateur",
    b_pinned: "Démarrer la session Jump Client",
    f_method: "Méthode de Jump",
    f_search: "Recherche de client Jump",
    f_hostname: "Nom d'hôte",
    f_target: "Nom d'hôte ou adresse IP",
    f_jumpoint: "Jumpoint",
    f_username: "Nom d'utilisateur",
    f_display_size: "Taille d'affichage",
    f_quality: "Qualité",
    f_console: "Session console (admin)",
    f_protocol: "Protocole",
    f_port: "Port",
    f_terminal: "Terminal",
    more_options: "Plus d'options",
    default_option: "Par défaut",
    none_option: "Aucun",
    primary_display: "Écran principal",
    all_displays: "Tous les écrans",
    q_low: "Faible (gris 2 bits)",
    q_performance: "Performances",
    q_performance_quality: "Performances et qualité",
    q_quality: "Qualité",
    placeholder_host: "Saisissez le nom d'hôte…",
    placeholder_search: "Nom, nom d'hôte ou commentaire…",
    no_methods: "Aucune méthode Jump n'est activée dans les paramètres de l'application.",
    needs_jumpoint_ask_admin: "{0} n’est pas disponible : aucun Jumpoint n’est configuré. Demandez à votre administrateur d’en ajouter un dans le paramètre « Jumpoints » ou de désactiver « {1} ».",
    jump_sent: "Envoyé à la console du technicien.",
};

#[cfg(feature = "agent")]
pub static KEY: KeyText = KeyText {
    generate_session_key: "Générer une clé de session",
    regenerate: "Régénérer",
    session_key: "Clé de session",
    session_key_url: "URL de la clé de session",
    email_session_key: "Envoyer la clé de session par e-mail",
    generating: "Génération…",
    expires_in: "Expire dans {0}",
    expired: "Cette clé de session a expiré. Générez-en une nouvelle.",
    queue: "File d'attente",
    queue_me: "Ma file d'attente",
    queue_general: "File d'attente générale",
    queue_team: "Équipe : {0}",
    rep_offline: "Vous n'êtes pas connecté à la console du technicien. Connectez-vous avant que le client utilise la clé, sinon la session ne pourra pas vous joindre.",
    qr_label: "Code QR de l'URL de la clé de session",
    key_ready: "Clé de session générée.",
    bt_session_key: "Clé de session BeyondTrust",
    web_session_key: "Clé de session Web",
    console_key_hint: "Ouvre la boîte de dialogue de clé de session de la console du technicien.",
    web_console_key_hint: "Ouvre la boîte de dialogue de clé de session de la console Web.",
};

#[cfg(feature = "agent")]
pub static HISTORY: HistoryText = HistoryText {
    history_title: "Sessions BeyondTrust",
    col_customer: "Client principal",
    col_rep: "Technicien principal",
    col_start: "Heure de début",
    col_duration: "Durée",
    col_transcript: "Transcription",
    col_recording: "Enregistrement",
    view_transcript: "Voir la transcription",
    recorded: "Enregistrée",
    not_recorded: "Pas d'enregistrement",
    in_progress: "En cours",
    no_sessions: "Aucune session d'assistance à distance pour ce ticket pour l'instant.",
    loading_sessions: "Chargement des sessions…",
    refresh: "Actualiser",
};

#[cfg(feature = "agent")]
pub static BROKER: BrokerText = BrokerText {
    unauthorized: "L'application n'a pas pu se connecter au broker BeyondTrust.",
    forbidden_origin: "Cette page n'est pas autorisée à utiliser le broker BeyondTrust.",
    invalid_input: "Le broker a refusé la requête car elle n'est pas valide.",
    rate_limited: "Trop de requêtes. Patientez une minute et réessayez.",
    rep_not_found: "Aucun technicien BeyondTrust ne correspond à votre compte.",
    rep_not_available: "Vous n'êtes pas disponible dans la console du technicien. Connectez-vous à la console et réessayez.",
    appliance_unreachable: "L'appliance BeyondTrust est injoignable pour le moment.",
    appliance_auth_failed: "Le broker n'a pas pu se connecter à l'appliance BeyondTrust. Demandez à votre administrateur de vérifier le compte API.",
    appliance_error: "L'appliance BeyondTrust a signalé une erreur.",
    other: "Le broker a signalé une erreur.",
    network: "Le broker est injoignable. Vérifiez votre connexion et réessayez.",
    bad_response: "Le broker a envoyé une réponse que cette application ne comprend pas.",
    no_broker: "Aucun broker n'est configuré pour cette application : cette fonction n'est pas disponible.",
    details: "Détails :",
    same_as_above: "Indisponible : voir le message ci-dessus.",
};

pub static CHAT: ChatText = ChatText {
    get_support_now: "Obtenir de l'aide maintenant",
    intro:
        "Discutez avec un technicien. Il peut intervenir sur votre ordinateur si vous l'autorisez.",
    issue: "Pour quoi avez-vous besoin d'aide ?",
    name: "Votre nom (facultatif)",
    description: "Décrivez le problème (facultatif)",
    chat_opened: "Votre session d'assistance s'est ouverte dans un nouvel onglet.",
    no_issues: "Le chat d'assistance n'est pas encore configuré.",
};
