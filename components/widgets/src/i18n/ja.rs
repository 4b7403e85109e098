//! 日本語.

#[cfg(feature = "agent")]
use super::{AgentText, BrokerText, HistoryText, JumpText, KeyText};
use super::{ChatText, Common, FieldNames, Problems};

pub static COMMON: Common = Common {
    not_configured: "アプリの設定を確認してください:",
    popup_blocked: "ブラウザーが新しいタブをブロックしました。こちらのリンクを開いてください:",
    open_link: "リンクを開く",
    opened: "新しいタブで開きました。",
    fields: FieldNames {
        appliance_hostname: "ホスト名",
        external_key: "外部キー",
        search_string: "検索",
        target: "ターゲット",
        hostname: "ホスト名",
        jumpoint: "Jumpoint",
        username: "ユーザー名",
        display_size: "画面サイズ",
        quality: "画質",
        port: "ポート",
        protocol: "プロトコル",
        terminal: "ターミナル",
        customer_name: "名前",
        customer_details: "説明",
        issue_code: "問題コード",
        console: "コンソール",
        team_id: "チーム",
        issues_line: "問題、{0} 行目",
        jumpoints_line: "Jumpoint、{0} 行目",
        teams_line: "チーム、{0} 行目",
        jumpoints: "Jumpoint",
        issues: "問題",
    },
    problems: Problems {
        required: "この項目は必須です。",
        too_long: "長すぎます: 最大 {0} {1}(入力: {2})。",
        characters: "文字",
        bytes: "バイト",
        url_not_hostname: "ホスト名だけを入力してください(例: support.example.com)。",
        invalid_hostname: "有効なホスト名ではありません。英数字、「-」、「.」を使用してください(例: support.example.com)。",
        control_characters: "制御文字は使用できません。",
        invalid_characters: "使用できるのは {0} のみです。",
        out_of_range: "{0} から {1} までの数値を入力してください。",
        not_one_of: "次のいずれかを指定してください: {0}。",
        format: "{0} の形式で入力してください。",
        needs_jumpoint: "「{0}」には Jumpoint が 1 つ以上必要です。",
        duplicate: "重複しています。",
    },
};

#[cfg(feature = "agent")]
pub static AGENT: AgentText = AgentText {
    save_first: "先にチケットを保存してください。チケットを保存するとリモートサポートを利用できます。",
    copy: "コピー",
    copied: "コピーしました",
    copy_failed: "コピーできませんでした。テキストを選択して手動でコピーしてください。",
    case_id: "ケース ID",
    case_id_hint: "これは外部キーです。別の場所で開始したセッションをこのチケットに関連付けるには、担当者コンソールでこのキーを入力してください。",
};

#[cfg(feature = "agent")]
pub static JUMP: JumpText = JumpText {
    m_pinned: "ジャンプ",
    m_local: "ローカルでプッシュして開始",
    m_remote: "リモートでプッシュして開始",
    m_rdp: "RDP セッションを開始",
    m_shell: "シェルセッションを開始",
    m_vpro: "vPro セッションを開始",
    m_vnc: "VNC セッションを開始",
    f_method: "ジャンプ方法",
    f_search: "Jump クライアントを検索",
    f_hostname: "ホスト名",
    f_target: "ホスト名または IP アドレス",
    f_jumpoint: "Jumpoint",
    f_username: "ユーザー名",
    f_display_size: "画面サイズ",
    f_quality: "画質",
    f_console: "コンソールセッション(管理者)",
    f_protocol: "プロトコル",
    f_port: "ポート",
    f_terminal: "ターミナル",
    more_options: "その他のオプション",
    default_option: "既定",
    none_option: "なし",
    primary_display: "プライマリディスプレイ",
    all_displays: "すべてのディスプレイ",
    q_low: "低(2 ビットグレー)",
    q_performance: "パフォーマンス",
    q_performance_quality: "パフォーマンスと画質",
    q_quality: "画質",
    placeholder_host: "ホスト名を入力…",
    placeholder_search: "名前、ホスト名、コメント…",
    no_methods: "アプリの設定で有効になっている Jump 方式がありません。",
    needs_jumpoint_ask_admin: "{0} は利用できません。Jumpoint が設定されていません。管理者に「Jumpoints」設定への追加、または「{1}」の無効化を依頼してください。",
    jump_sent: "担当者コンソールに送信しました。",
};

#[cfg(feature = "agent")]
pub static KEY: KeyText = KeyText {
    generate_session_key: "セッションキーを生成",
    regenerate: "再生成",
    session_key: "セッションキー",
    session_key_url: "セッションキー URL",
    email_session_key: "セッションキーをメールで送信",
    generating: "生成中…",
    expires_in: "有効期限まで {0}",
    expired: "このセッションキーは期限切れです。新しいキーを生成してください。",
    queue: "キュー",
    queue_me: "自分のキュー",
    queue_general: "一般キュー",
    queue_team: "チーム: {0}",
    rep_offline: "担当者コンソールにログインしていません。お客様がキーを使う前にログインしてください。ログインしていないとセッションが届きません。",
    qr_label: "セッションキー URL の QR コード",
    key_ready: "セッションキーを生成しました。",
    bt_session_key: "BeyondTrust セッションキー",
    web_session_key: "Web セッションキー",
    console_key_hint: "担当者コンソールのセッションキーダイアログを開きます。",
    web_console_key_hint: "Web コンソールのセッションキーダイアログを開きます。",
};

#[cfg(feature = "agent")]
pub static HISTORY: HistoryText = HistoryText {
    history_title: "BeyondTrust セッション",
    col_customer: "主なお客様",
    col_rep: "主な担当者",
    col_start: "開始時刻",
    col_duration: "時間",
    col_transcript: "トランスクリプト",
    col_recording: "録画",
    view_transcript: "トランスクリプトを表示",
    recorded: "録画あり",
    not_recorded: "録画なし",
    in_progress: "進行中",
    no_sessions: "このチケットのリモートサポートセッションはまだありません。",
    loading_sessions: "セッションを読み込み中…",
    refresh: "更新",
};

#[cfg(feature = "agent")]
pub static BROKER: BrokerText = BrokerText {
    unauthorized: "アプリが BeyondTrust ブローカーにサインインできませんでした。",
    forbidden_origin: "このページは BeyondTrust ブローカーの使用を許可されていません。",
    invalid_input: "ブローカーが無効な要求として拒否しました。",
    rate_limited: "要求が多すぎます。1 分ほど待ってから再試行してください。",
    rep_not_found: "お使いのアカウントに対応する BeyondTrust 担当者が見つかりません。",
    rep_not_available: "担当者コンソールで対応可能な状態になっていません。コンソールにログインしてから再試行してください。",
    appliance_unreachable: "現在 BeyondTrust アプライアンスに接続できません。",
    appliance_auth_failed: "ブローカーが BeyondTrust アプライアンスにサインインできませんでした。管理者に API アカウントの確認を依頼してください。",
    appliance_error: "BeyondTrust アプライアンスがエラーを報告しました。",
    other: "ブローカーがエラーを報告しました。",
    network: "ブローカーに接続できません。接続を確認して再試行してください。",
    bad_response: "ブローカーから、このアプリが解釈できない応答が返されました。",
    no_broker: "このアプリにはブローカーが設定されていないため、この機能は使用できません。",
    details: "詳細:",
    same_as_above: "利用できません。上のメッセージをご覧ください。",
};

pub static CHAT: ChatText = ChatText {
    get_support_now: "今すぐサポートを受ける",
    intro: "サポート技術者とチャットできます。許可すると、技術者がお使いのコンピューターで直接サポートします。",
    issue: "どのようなサポートが必要ですか?",
    name: "お名前(任意)",
    description: "問題の説明(任意)",
    chat_opened: "サポートセッションを新しいタブで開きました。",
    no_issues: "サポートチャットはまだ設定されていません。",
};
