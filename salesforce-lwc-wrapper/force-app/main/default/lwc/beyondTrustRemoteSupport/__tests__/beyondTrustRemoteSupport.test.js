import { createElement } from 'lwc';
import BeyondTrustRemoteSupport from 'c/beyondTrustRemoteSupport';
import mint from '@salesforce/apex/BeyondTrustBrokerToken.mint';
import { getRecord } from 'lightning/uiRecordApi';

jest.mock('@salesforce/apex/BeyondTrustBrokerToken.mint', () => ({ default: jest.fn() }), { virtual: true });

// A navigation stub that records what the component asks to open.
const mockNavigate = jest.fn();
jest.mock('lightning/navigation', () => {
    const Navigate = Symbol('Navigate');
    const GenerateUrl = Symbol('GenerateUrl');
    const NavigationMixin = (Base) =>
        class extends Base {
            [Navigate](pageReference, replace) {
                mockNavigate(pageReference, replace);
            }
            [GenerateUrl]() {
                return Promise.resolve('');
            }
        };
    NavigationMixin.Navigate = Navigate;
    NavigationMixin.GenerateUrl = GenerateUrl;
    return { NavigationMixin };
});

const BROKER = 'https://bt-broker.example.com';
const PROTOCOL = 'bt-embed/1';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudEBleGFtcGxlLmNvbSJ9.c2lnbmF0dXJl';
const SECOND_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJpYXQiOjJ9.c2Vjb25k';
const RESULT = {
    token: TOKEN,
    expiresAt: 1700000300,
    name: 'Ada Agent',
    email: 'ada@example.com',
    applianceHostname: 'support.example.com',
    settingsJson: '{"hostname":"support.example.com","issues":"general_tech=General Tech","allow_rdp":true}'
};

function mount(props = {}) {
    const element = createElement('c-beyond-trust-remote-support', { is: BeyondTrustRemoteSupport });
    Object.assign(element, { recordId: '5003000000D8cuIAAR', view: 'Session Key', brokerUrl: BROKER }, props);
    document.body.appendChild(element);
    return element;
}

const iframeOf = (element) => element.shadowRoot.querySelector('iframe');
const alertOf = (element) => element.shadowRoot.querySelector('[role="alert"]');

function spyOnPosts(element) {
    return jest.spyOn(iframeOf(element).contentWindow, 'postMessage').mockImplementation(() => {});
}

function send(data, { origin = BROKER, source } = {}) {
    window.dispatchEvent(new MessageEvent('message', { data, origin, source }));
}

function fromFrame(element, data, origin = BROKER) {
    send({ protocol: PROTOCOL, ...data }, { origin, source: iframeOf(element).contentWindow });
}

// Lets the awaited Apex promise and the re-render settle.
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function readyWithContext(element) {
    const post = spyOnPosts(element);
    fromFrame(element, { type: 'ready' });
    await flush();
    return post;
}

beforeEach(() => {
    mint.mockReset();
    mint.mockResolvedValue(RESULT);
    mockNavigate.mockReset();
});

afterEach(() => {
    while (document.body.firstChild) {
        document.body.removeChild(document.body.firstChild);
    }
    jest.restoreAllMocks();
});

describe('c-beyond-trust-remote-support iframe', () => {
    it.each([
        ['Session Key', 'session-key'],
        ['Web Session Key', 'web-session-key'],
        ['Jump To', 'jump'],
        ['Web Jump To', 'web-jump'],
        ['Case ID', 'case-id'],
        ['Sessions', 'sessions'],
        ['web-jump', 'web-jump']
    ])('shows "%s" as view=%s with the parent origin encoded and an accessible title', (label, id) => {
        const element = mount({ view: label });

        const iframe = iframeOf(element);
        expect(iframe).not.toBeNull();
        expect(iframe.getAttribute('src')).toBe(
            `${BROKER}/apps/salesforce-case/index.html?view=${id}&parent=${encodeURIComponent(window.location.origin)}`
        );
        expect(iframe.getAttribute('src')).toContain('parent=http%3A%2F%2Flocalhost');
        expect(iframe.getAttribute('title')).toMatch(/^BeyondTrust Remote Support: \S/);
        expect(alertOf(element)).toBeNull();
    });

    it('uses the broker origin only, and defaults to Session Key', () => {
        const element = mount({ view: undefined, brokerUrl: 'https://bt-broker.example.com/some/path/' });

        expect(iframeOf(element).getAttribute('src')).toBe(
            `${BROKER}/apps/salesforce-case/index.html?view=session-key&parent=http%3A%2F%2Flocalhost`
        );
        expect(iframeOf(element).getAttribute('title')).toBe('BeyondTrust Remote Support: Session Key');
    });

    it.each([[undefined], [''], ['http://bt-broker.example.com'], ['javascript:alert(1)'], ['not a url']])(
        'refuses the broker URL %p with an alert and no iframe',
        (brokerUrl) => {
            const element = mount({ brokerUrl });

            expect(iframeOf(element)).toBeNull();
            expect(alertOf(element).textContent).toContain('Broker URL');
        }
    );

    it('refuses an unknown view with an alert and no iframe', () => {
        const element = mount({ view: 'Everything' });

        expect(iframeOf(element)).toBeNull();
        expect(alertOf(element).textContent).toContain('"Everything"');
    });

    it('starts at the configured height, clamped', () => {
        expect(iframeOf(mount({ height: 500 })).style.height).toBe('500px');
        expect(iframeOf(mount({ height: 5 })).style.height).toBe('80px');
        expect(iframeOf(mount({})).style.height).toBe('320px');
    });
});

describe('c-beyond-trust-remote-support messages', () => {
    it('answers ready from the broker iframe with the context, posted to the broker origin only', async () => {
        const element = mount();
        const post = await readyWithContext(element);

        expect(mint).toHaveBeenCalledTimes(1);
        expect(post).toHaveBeenCalledTimes(1);
        const [message, targetOrigin] = post.mock.calls[0];
        expect(targetOrigin).toBe(BROKER);
        expect(message).toEqual({
            protocol: PROTOCOL,
            type: 'context',
            recordId: '5003000000D8cuIAAR',
            user: { name: 'Ada Agent', email: 'ada@example.com' },
            token: TOKEN,
            brokerUrl: BROKER,
            locale: 'en-US',
            colorScheme: 'light',
            settings: { hostname: 'support.example.com', issues: 'general_tech=General Tech', allow_rdp: true }
        });
    });

    it("passes the Case's contact e-mail on, for the mail's To:", async () => {
        const element = mount();
        getRecord.emit({ apiName: 'Case', fields: { ContactEmail: { value: 'jane@example.com', displayValue: null } } });
        await flush();
        const post = await readyWithContext(element);

        expect(post.mock.calls[0][0]).toMatchObject({ type: 'context', customerEmail: 'jane@example.com' });
    });

    it('never puts the token in the DOM', async () => {
        const element = mount();
        await readyWithContext(element);

        expect(element.shadowRoot.innerHTML).not.toContain(TOKEN);
        expect(document.body.innerHTML).not.toContain(TOKEN);
        expect(iframeOf(element).getAttribute('src')).not.toContain(TOKEN);
    });

    it('ignores ready from a foreign origin', async () => {
        const element = mount();
        const post = spyOnPosts(element);

        fromFrame(element, { type: 'ready' }, 'https://evil.example.com');
        fromFrame(element, { type: 'ready' }, 'https://bt-broker.example.com:8443');
        fromFrame(element, { type: 'ready' }, 'http://bt-broker.example.com');
        await flush();

        expect(mint).not.toHaveBeenCalled();
        expect(post).not.toHaveBeenCalled();
    });

    it('ignores a message from the broker origin but another window', async () => {
        const element = mount();
        const post = spyOnPosts(element);
        const other = document.createElement('iframe');
        document.body.appendChild(other);

        send({ protocol: PROTOCOL, type: 'ready' }, { source: other.contentWindow });
        send({ protocol: PROTOCOL, type: 'ready' }, { source: window });
        send({ protocol: PROTOCOL, type: 'ready' }, { source: null });
        await flush();

        expect(mint).not.toHaveBeenCalled();
        expect(post).not.toHaveBeenCalled();
    });

    it('ignores a wrong protocol, an unknown type and non-object data', async () => {
        const element = mount();
        const post = spyOnPosts(element);
        const source = iframeOf(element).contentWindow;

        send({ protocol: 'bt-embed/2', type: 'ready' }, { source });
        send({ type: 'ready' }, { source });
        send({ protocol: PROTOCOL, type: 'hello' }, { source });
        send('ready', { source });
        send(null, { source });
        await flush();

        expect(mint).not.toHaveBeenCalled();
        expect(post).not.toHaveBeenCalled();
    });

    it('mints a fresh token on token-request', async () => {
        const element = mount();
        const post = await readyWithContext(element);
        mint.mockResolvedValueOnce({ ...RESULT, token: SECOND_TOKEN });

        fromFrame(element, { type: 'token-request' });
        await flush();

        expect(mint).toHaveBeenCalledTimes(2);
        expect(post).toHaveBeenCalledTimes(2);
        expect(post.mock.calls[1]).toEqual([{ protocol: PROTOCOL, type: 'token', token: SECOND_TOKEN }, BROKER]);
    });

    it('resizes the iframe, clamped to 80..2000', async () => {
        const element = mount();

        fromFrame(element, { type: 'resize', height: 640 });
        await flush();
        expect(iframeOf(element).style.height).toBe('640px');

        fromFrame(element, { type: 'resize', height: 99999 });
        await flush();
        expect(iframeOf(element).style.height).toBe('2000px');

        fromFrame(element, { type: 'resize', height: 3 });
        await flush();
        expect(iframeOf(element).style.height).toBe('80px');

        fromFrame(element, { type: 'resize', height: 'tall' });
        await flush();
        expect(iframeOf(element).style.height).toBe('80px');
    });

    it('ignores resize from a foreign origin', async () => {
        const element = mount();

        fromFrame(element, { type: 'resize', height: 900 }, 'https://evil.example.com');
        await flush();

        expect(iframeOf(element).style.height).toBe('320px');
    });

    it('opens appliance API links and refuses anything else', async () => {
        const element = mount();
        const good = 'https://support.example.com/api/client_script?type=rep&operation=generate&action=generate_session_key';

        fromFrame(element, { type: 'open', url: good });
        await flush();
        expect(mockNavigate).not.toHaveBeenCalled(); // no context yet, so no known appliance

        await readyWithContext(element);
        for (const url of [
            'https://evil.example.com/api/client_script',
            'https://support.example.com.evil.com/api/client_script',
            'https://support.example.com/apix',
            'https://support.example.com/login',
            'http://support.example.com/api/client_script',
            'javascript:alert(1)//https://support.example.com/api/',
            'https://support.example.com/api/\\@evil.example.com',
            42
        ]) {
            fromFrame(element, { type: 'open', url });
        }
        await flush();
        expect(mockNavigate).not.toHaveBeenCalled();

        fromFrame(element, { type: 'open', url: good });
        await flush();
        expect(mockNavigate).toHaveBeenCalledTimes(1);
        expect(mockNavigate.mock.calls[0][0]).toEqual({ type: 'standard__webPage', attributes: { url: good } });
    });

    it('ignores open from a foreign origin even with an appliance URL', async () => {
        const element = mount();
        await readyWithContext(element);

        fromFrame(element, { type: 'open', url: 'https://support.example.com/api/client_script' }, 'https://evil.example.com');
        await flush();

        expect(mockNavigate).not.toHaveBeenCalled();
    });

    it('shows the Apex error as an alert and posts nothing', async () => {
        mint.mockRejectedValue({
            status: 500,
            body: { message: "BeyondTrust isn't configured: ask your admin to set the certificate name and host id." }
        });
        const element = mount();
        const post = spyOnPosts(element);

        fromFrame(element, { type: 'ready' });
        await flush();

        const alert = alertOf(element);
        expect(alert).not.toBeNull();
        expect(alert.textContent).toContain("BeyondTrust isn't configured: ask your admin to set the certificate name and host id");
        expect(post).not.toHaveBeenCalled();
        expect(iframeOf(element)).not.toBeNull();
    });

    it('shows a generic alert when Apex fails without a message', async () => {
        mint.mockRejectedValue(new Error('network'));
        const element = mount();
        spyOnPosts(element);

        fromFrame(element, { type: 'ready' });
        await flush();

        expect(alertOf(element).textContent).toContain("BeyondTrust couldn't start");
    });

    it('stops listening once removed from the page', async () => {
        const addSpy = jest.spyOn(window, 'addEventListener');
        const element = mount();
        const registered = addSpy.mock.calls.filter(([type]) => type === 'message').map(([, handler]) => handler);
        expect(registered).toHaveLength(1);
        const removeSpy = jest.spyOn(window, 'removeEventListener');

        document.body.removeChild(element);

        expect(removeSpy).toHaveBeenCalledWith('message', registered[0]);
    });
});
