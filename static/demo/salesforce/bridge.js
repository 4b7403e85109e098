// The LWC side of docs/embedding-protocol.md, as
// salesforce-lwc-wrapper/.../beyondTrustRemoteSupport.js does it: exact
// origin and source checks both ways, a fresh token per `ready` and
// `token-request` (minted server-side; Apex there, the sandbox broker here),
// clamped `resize`, `open` only for appliance links.
import { demoSettings, hostToken } from '/demo/demo-settings.js';
import { agentChooser } from '/demo/agent-choice.js';

const PROTOCOL = 'bt-embed/1';
const VIEWS = [
  ['session-key', 'Session Key'], ['web-session-key', 'Web Session Key'], ['jump', 'Jump To'],
  ['web-jump', 'Web Jump To'], ['case-id', 'Case ID'], ['sessions', 'Sessions'],
];
// The page as shipped: the SFDX project's static resource (an expanded
// directory) that `cargo xtask package` writes, which the broker serves from
// target/packages/ at /packages/.
const SHIPPED_PAGE = '/packages/salesforce/force-app/main/default/staticresources/BeyondTrustWidget/index.html';
const params = new URLSearchParams(location.search);
const only = params.get('view');
const recordId = '5003000000D8cuIAAR';
const agent = agentChooser();
const user = { name: agent.name, email: agent.email };
// The Case's contact, as the LWC reads Case.ContactEmail.
const customerEmail = 'jane@example.com';
const brokerOrigin = location.origin;
const settings = await demoSettings();
const frames = [];

for (const [id, label] of VIEWS.filter(([id]) => !only || id === only)) {
  const panel = document.createElement('section');
  panel.className = 'panel';
  panel.setAttribute('aria-label', label);
  const title = document.createElement('h2');
  title.textContent = label;
  const frame = document.createElement('iframe');
  frame.className = 'app';
  frame.title = 'BeyondTrust Remote Support: ' + label;
  frame.style.height = '320px';
  frame.dataset.view = id;
  frame.src = params.get('app') === 'plain'
    ? '/bench/plain.html?layout=case' // the load benchmark's plain-JS baseline
    : `${brokerOrigin}${SHIPPED_PAGE}?view=${id}&parent=${encodeURIComponent(location.origin)}`;
  panel.append(title, frame);
  document.getElementById('record').append(panel);
  frames.push(frame);
}

function post(frame, message) {
  frame.contentWindow.postMessage({ protocol: PROTOCOL, ...message }, brokerOrigin);
}

window.addEventListener('message', async (event) => {
  if (event.origin !== brokerOrigin) return;
  const frame = frames.find((f) => f.contentWindow === event.source);
  const data = event.data;
  if (!frame || !data || typeof data !== 'object' || data.protocol !== PROTOCOL) return;
  if (data.type === 'ready') {
    post(frame, { type: 'context', recordId, user, customerEmail, token: await hostToken(user.email), brokerUrl: brokerOrigin,
      locale: params.get('locale') || 'en-US', colorScheme: params.get('scheme') === 'dark' ? 'dark' : 'light', settings });
  } else if (data.type === 'token-request') {
    post(frame, { type: 'token', token: await hostToken(user.email) });
  } else if (data.type === 'resize') {
    const h = Number(data.height);
    if (Number.isFinite(h)) frame.style.height = Math.min(2000, Math.max(80, Math.round(h))) + 'px';
  } else if (data.type === 'open') {
    const prefix = `${settings.hostname.startsWith('127.') ? 'http' : 'https'}://${settings.hostname}/api/`;
    if (typeof data.url === 'string' && data.url.startsWith(prefix)) window.open(data.url, '_blank', 'noopener');
  }
});
