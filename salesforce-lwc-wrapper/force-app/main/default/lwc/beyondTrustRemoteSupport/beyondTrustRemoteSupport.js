// BeyondTrust Remote Support on a Case record page.
//
// WebAssembly isn't documented to run under Lightning Web Security, so this
// component frames the broker's salesforce-case app and talks to it by
// postMessage, following docs/embedding-protocol.md (protocol bt-embed/1):
// it posts only to the broker origin and accepts a message only when it comes
// from the broker origin AND from this component's own iframe window.
// The broker token is minted server-side (Apex BeyondTrustBrokerToken) and is
// only ever handed to the iframe; it is never rendered.
import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { getRecord, getFieldValue } from 'lightning/uiRecordApi';
import CONTACT_EMAIL from '@salesforce/schema/Case.ContactEmail';
import LOCALE from '@salesforce/i18n/locale';
import mint from '@salesforce/apex/BeyondTrustBrokerToken.mint';

const PROTOCOL = 'bt-embed/1';
const APP_PATH = '/apps/salesforce-case/index.html';
const MIN_HEIGHT = 80;
const MAX_HEIGHT = 2000;
const DEFAULT_HEIGHT = 320;

// App Builder labels (the seed's component list) → the protocol's view ids.
const VIEWS = [
    { label: 'Session Key', id: 'session-key' },
    { label: 'Web Session Key', id: 'web-session-key' },
    { label: 'Jump To', id: 'jump' },
    { label: 'Web Jump To', id: 'web-jump' },
    { label: 'Case ID', id: 'case-id' },
    { label: 'Sessions', id: 'sessions' }
];

const NOT_CONFIGURED = "BeyondTrust isn't configured: ask your admin to set the certificate name and host id.";
const TOKEN_FAILED = "BeyondTrust couldn't start: the broker token couldn't be created. Reload the page; if it keeps failing, ask your admin.";

function findView(value) {
    const wanted = (value === undefined || value === null || value === '' ? 'Session Key' : String(value)).trim();
    return VIEWS.find((v) => v.label === wanted || v.id === wanted) || null;
}

function clampHeight(value, fallback) {
    const n = Number(value);
    if (!Number.isFinite(n)) {
        return fallback;
    }
    return Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.round(n)));
}

// The broker origin, or null: https only (http only for a loopback broker).
function originOf(url) {
    if (typeof url !== 'string' || url.trim() === '') {
        return null;
    }
    let parsed;
    try {
        parsed = new URL(url.trim());
    } catch (e) {
        return null;
    }
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
        return null;
    }
    return parsed.origin;
}

function apexMessage(error) {
    const body = error && error.body;
    const message = body && typeof body.message === 'string' ? body.message.trim() : '';
    return message || TOKEN_FAILED;
}

export default class BeyondTrustRemoteSupport extends NavigationMixin(LightningElement) {
    @api recordId;
    /** What to show: one of the six labels (or a protocol view id). */
    @api view;
    /** The broker, e.g. https://bt-broker.example.com (its origin is used). */
    @api brokerUrl;
    /** Initial iframe height in CSS px (80..2000); the app resizes it. */
    @api height;

    errorMessage;
    resizedHeight;
    // The Case's contact e-mail, the To: of "Email Session Key". Optional:
    // without read access to it the component still works, and the app
    // says the mail has no recipient.
    @wire(getRecord, { recordId: '$recordId', optionalFields: [CONTACT_EMAIL] })
    caseRecord;
    applianceHostname;
    messageHandler;

    connectedCallback() {
        this.messageHandler = (event) => this.handleMessage(event);
        window.addEventListener('message', this.messageHandler);
    }

    disconnectedCallback() {
        window.removeEventListener('message', this.messageHandler);
        this.messageHandler = undefined;
    }

    get brokerOrigin() {
        return originOf(this.brokerUrl);
    }

    get selectedView() {
        return findView(this.view);
    }

    get configProblem() {
        if (!this.brokerOrigin) {
            return 'BeyondTrust needs the Broker URL (https://…) in this component\'s properties: ask your admin to set it in Lightning App Builder.';
        }
        if (!this.selectedView) {
            return `BeyondTrust can't show "${this.view}": pick one of ${VIEWS.map((v) => v.label).join(', ')}.`;
        }
        return null;
    }

    get alertMessage() {
        return this.configProblem || this.errorMessage;
    }

    get iframeSrc() {
        if (this.configProblem) {
            return null;
        }
        const parent = encodeURIComponent(window.location.origin);
        return `${this.brokerOrigin}${APP_PATH}?view=${this.selectedView.id}&parent=${parent}`;
    }

    get iframeTitle() {
        const view = this.selectedView;
        return `BeyondTrust Remote Support: ${view ? view.label : ''}`;
    }

    get frameHeight() {
        return this.resizedHeight || clampHeight(this.height, DEFAULT_HEIGHT);
    }

    get iframeStyle() {
        return `height: ${this.frameHeight}px;`;
    }

    get customerEmail() {
        const data = this.caseRecord && this.caseRecord.data;
        const email = data ? getFieldValue(data, CONTACT_EMAIL) : null;
        return typeof email === 'string' && email.trim() !== '' ? email.trim() : null;
    }

    get frame() {
        return this.template.querySelector('iframe');
    }

    handleMessage(event) {
        const origin = this.brokerOrigin;
        if (!origin || !event || event.origin !== origin) {
            return;
        }
        const frame = this.frame;
        if (!frame || !frame.contentWindow || event.source !== frame.contentWindow) {
            return;
        }
        const data = event.data;
        if (!data || typeof data !== 'object' || data.protocol !== PROTOCOL) {
            return;
        }
        switch (data.type) {
            case 'ready':
                this.sendContext();
                break;
            case 'token-request':
                this.sendToken();
                break;
            case 'resize':
                this.resize(data.height);
                break;
            case 'open':
                this.openLink(data.url);
                break;
            default:
                break;
        }
    }

    async mintToken() {
        try {
            const result = await mint();
            if (!result || typeof result.token !== 'string' || result.token === '') {
                this.errorMessage = NOT_CONFIGURED;
                return null;
            }
            this.errorMessage = undefined;
            return result;
        } catch (error) {
            this.errorMessage = apexMessage(error);
            return null;
        }
    }

    async sendContext() {
        const result = await this.mintToken();
        if (!result) {
            return;
        }
        let settings = {};
        if (result.settingsJson) {
            try {
                settings = JSON.parse(result.settingsJson);
            } catch (e) {
                this.errorMessage = "BeyondTrust's settings aren't valid JSON: ask your admin to fix them.";
                return;
            }
        }
        this.applianceHostname = typeof result.applianceHostname === 'string' ? result.applianceHostname.toLowerCase() : undefined;
        this.post({
            type: 'context',
            recordId: this.recordId || null,
            user: { name: result.name || '', email: result.email || '' },
            token: result.token,
            brokerUrl: this.brokerOrigin,
            locale: LOCALE,
            colorScheme: 'light',
            settings,
            ...(this.customerEmail ? { customerEmail: this.customerEmail } : {})
        });
    }

    async sendToken() {
        const result = await this.mintToken();
        if (result) {
            this.post({ type: 'token', token: result.token });
        }
    }

    resize(height) {
        if (typeof height !== 'number' || !Number.isFinite(height)) {
            return;
        }
        this.resizedHeight = clampHeight(height, DEFAULT_HEIGHT);
    }

    // Only links into the configured appliance's API, e.g. client_script.
    openLink(url) {
        const host = this.applianceHostname;
        if (!host || typeof url !== 'string') {
            return;
        }
        // The prefix ends with a slash, so the host can't be extended. No
        // whitespace, no backslashes (browsers read them as slashes).
        const prefix = `https://${host}/api/`;
        if (!url.startsWith(prefix) || /[\s\\]/.test(url)) {
            return;
        }
        this[NavigationMixin.Navigate]({ type: 'standard__webPage', attributes: { url } });
    }

    post(message) {
        const frame = this.frame;
        const origin = this.brokerOrigin;
        if (!frame || !frame.contentWindow || !origin) {
            return;
        }
        frame.contentWindow.postMessage({ protocol: PROTOCOL, ...message }, origin);
    }
}
