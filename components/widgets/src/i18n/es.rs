//! Español.

#[cfg(feature = "agent")]
use super::{AgentText, BrokerText, HistoryText, JumpText, KeyText};
use super::{ChatText, Common, FieldNames, Problems};

pub static COMMON: Common = Common {
    not_configured: "Hay que revisar la configuración de la aplicación:",
    popup_blocked: "Su navegador bloqueó la nueva pestaña. Abra el enlace aquí:",
    open_link: "Abrir enlace",
    opened: "Abierto en una pestaña nueva.",
    fields: FieldNames {
        appliance_hostname: "Nombre de host",
        external_key: "Clave externa",
        search_string: "Búsqueda",
        target: "Destino",
        hostname: "Nombre de host",
        jumpoint: "Jumpoint",
        username: "Nombre de usuario",
        display_size: "Tamaño de pantalla",
        quality: "Calidad",
        port: "Puerto",
        protocol: "Protocolo",
        terminal: "Terminal",
        customer_name: "Nombre",
        customer_details: "Descripción",
        issue_code: "Código de incidencia",
        console: "Consola",
        team_id: "Equipo",
        issues_line: "Incidencias, línea {0}",
        jumpoints_line: "Jumpoints, línea {0}",
        teams_line: "Equipos, línea {0}",
        jumpoints: "Jumpoints",
        issues: "Incidencias",
    },
    problems: Problems {
        required: "Este campo es obligatorio.",
        too_long: "Demasiado largo: como máximo {0} {1} (introducidos: {2}).",
        characters: "caracteres",
        bytes: "bytes",
        url_not_hostname: "Introduzca solo el nombre de host, p. ej. support.example.com.",
        invalid_hostname:
            "Nombre de host no válido. Use letras, dígitos, '-' y '.', p. ej. support.example.com.",
        control_characters: "No debe contener caracteres de control.",
        invalid_characters: "Solo puede contener {0}.",
        out_of_range: "Debe ser un número de {0} a {1}.",
        not_one_of: "Debe ser uno de estos valores: {0}.",
        format: "Debe tener la forma {0}.",
        needs_jumpoint: "«{0}» necesita al menos un Jumpoint.",
        duplicate: "Aparece dos veces.",
    },
};

#[cfg(feature = "agent")]
pub static AGENT: AgentText = AgentText {
    save_first: "Guarde primero el ticket. El soporte remoto está disponible cuando el ticket se haya guardado.",
    copy: "Copiar",
    copied: "Copiado",
    copy_failed: "No se pudo copiar. Seleccione el texto y cópielo usted.",
    case_id: "ID del caso",
    case_id_hint: "Esta es la clave externa: escríbala en la consola del representante para asociar a este ticket una sesión iniciada en otro lugar.",
    case_id_hint_case: "Esta es la clave externa: escríbala en la consola del representante para asociar a este caso una sesión iniciada en otro lugar.",
};

#[cfg(feature = "agent")]
pub static JUMP: JumpText = JumpText {
    m_pinned: "Jump Client anclado",
    m_local: "Enviar e iniciar en local",
    m_remote: "Enviar e iniciar en remoto",
    m_rdp: "Iniciar sesión RDP",
    m_shell: "Iniciar sesión de shell",
    m_vpro: "Iniciar sesión vPro",
    m_vnc: "Iniciar sesión VNC",
    title: "Saltar a un equipo",
    b_pinned: "Iniciar sesión de Jump Client",
    f_method: "Método de Jump",
    f_search: "Buscar cliente Jump",
    f_hostname: "Nombre de host",
    f_target: "Nombre de host o dirección IP",
    f_jumpoint: "Jumpoint",
    f_username: "Nombre de usuario",
    f_display_size: "Tamaño de pantalla",
    f_quality: "Calidad",
    f_console: "Sesión de consola (admin)",
    f_protocol: "Protocolo",
    f_port: "Puerto",
    f_terminal: "Terminal",
    more_options: "Más opciones",
    default_option: "Predeterminado",
    none_option: "Ninguno",
    primary_display: "Pantalla principal",
    all_displays: "Todas las pantallas",
    q_low: "Baja (gris de 2 bits)",
    q_performance: "Rendimiento",
    q_performance_quality: "Rendimiento y calidad",
    q_quality: "Calidad",
    placeholder_host: "Introduzca el nombre de host…",
    placeholder_search: "Nombre, nombre de host o comentario…",
    no_methods: "No hay ningún método Jump activado en la configuración de la aplicación.",
    needs_jumpoint_ask_admin: "{0} no está disponible: no hay ningún Jumpoint configurado. Pida a su administrador que añada uno en el ajuste «Jumpoints» o que desactive «{1}».",
    jump_sent: "Enviado a la consola del representante.",
};

#[cfg(feature = "agent")]
pub static KEY: KeyText = KeyText {
    generate_session_key: "Generar clave de sesión",
    regenerate: "Volver a generar",
    session_key: "Clave de sesión",
    session_key_url: "URL de la clave de sesión",
    email_session_key: "Enviar clave de sesión por correo",
    generating: "Generando…",
    expires_in: "Caduca en {0}",
    expired: "Esta clave de sesión ha caducado. Genere una nueva.",
    queue: "Cola",
    queue_me: "Mi cola",
    queue_general: "Cola general",
    queue_team: "Equipo: {0}",
    rep_offline: "No ha iniciado sesión en la consola del representante. Inicie sesión antes de que el cliente use la clave o la sesión no podrá llegarle.",
    qr_label: "Código QR de la URL de la clave de sesión",
    key_ready: "Clave de sesión generada.",
    bt_session_key: "Clave de sesión de BeyondTrust",
    web_session_key: "Clave de sesión web",
    console_key_hint: "Abre el diálogo de clave de sesión de la consola del representante.",
    web_console_key_hint: "Abre el diálogo de clave de sesión de la consola web.",
};

#[cfg(feature = "agent")]
pub static HISTORY: HistoryText = HistoryText {
    history_title: "Sesiones de BeyondTrust",
    col_customer: "Cliente principal",
    col_rep: "Representante principal",
    col_start: "Hora de inicio",
    col_duration: "Duración",
    col_transcript: "Transcripción",
    col_recording: "Grabación",
    view_transcript: "Ver transcripción",
    recorded: "Grabada",
    not_recorded: "Sin grabación",
    in_progress: "En curso",
    no_sessions: "Todavía no hay sesiones de soporte remoto para este ticket.",
    loading_sessions: "Cargando sesiones…",
    refresh: "Actualizar",
};

#[cfg(feature = "agent")]
pub static BROKER: BrokerText = BrokerText {
    unauthorized: "La aplicación no pudo iniciar sesión en el broker de BeyondTrust.",
    forbidden_origin: "Esta página no tiene permiso para usar el broker de BeyondTrust.",
    invalid_input: "El broker rechazó la solicitud por no ser válida.",
    rate_limited: "Demasiadas solicitudes. Espere un minuto y vuelva a intentarlo.",
    rep_not_found: "Ningún representante de BeyondTrust corresponde a su cuenta.",
    rep_not_available: "No está disponible en la consola del representante. Inicie sesión en la consola y vuelva a intentarlo.",
    appliance_unreachable: "No se puede contactar con el appliance de BeyondTrust en este momento.",
    appliance_auth_failed: "El broker no pudo iniciar sesión en el appliance de BeyondTrust. Pida a su administrador que revise la cuenta de API.",
    appliance_error: "El appliance de BeyondTrust informó de un error.",
    other: "El broker informó de un error.",
    network: "No se puede contactar con el broker. Compruebe su conexión y vuelva a intentarlo.",
    bad_response: "El broker envió una respuesta que esta aplicación no entiende.",
    no_broker: "Esta aplicación no tiene un broker configurado, así que esta función no está disponible.",
    details: "Detalles:",
    same_as_above: "No disponible: consulte el mensaje de arriba.",
};

pub static CHAT: ChatText = ChatText {
    get_support_now: "Obtener soporte ahora",
    intro: "Chatee con un técnico de soporte. Si usted lo permite, podrá ayudarle directamente en su equipo.",
    issue: "¿Con qué necesita ayuda?",
    name: "Su nombre (opcional)",
    description: "Describa el problema (opcional)",
    chat_opened: "Su sesión de soporte se abrió en una pestaña nueva.",
    no_issues: "El chat de soporte aún no está configurado.",
};
