// The Zendesk side of the ZAF protocol (as spoken by the ZAF SDK,
// npm zendesk_app_framework_sdk): handshake → app.registered, get/set/invoke
// requests answered by id, client.request proxied with a signed JWT, and
// colorScheme.changed events. Only what the sidebar app uses is answered;
// anything else gets an error reply, as Zendesk would for an unknown path.
import { demoSettings, hostToken } from '/demo/demo-settings.js';
import { agentChooser } from '/demo/agent-choice.js';

const params = new URLSearchParams(location.search);
const isNew = params.get('new') === '1';
const appGuid = 'demo-app-guid';
const iframe = document.getElementById('app');
// The app: the demo's bundle from this broker, or (`?app_url=`, the e2e
// package test) the packaged app served from its own loopback origin, as
// Zendesk serves an app from its CDN. Only loopback URLs: this page proxies
// the app's requests with a signed token.
const appUrl = params.get('app_url') ? new URL(params.get('app_url'), location.href) : null;
if (appUrl && !['127.0.0.1', 'localhost', '[::1]'].includes(appUrl.hostname)) {
  throw new Error('app_url must be a loopback URL: ' + appUrl);
}
const appOrigin = appUrl ? appUrl.origin : location.origin;
const agent = agentChooser();
const user = { id: 1, name: agent.name, email: agent.email, locale: params.get('locale') || 'en-US', role: 'agent' };
let scheme = params.get('scheme') === 'dark' ? 'dark' : 'light';
document.documentElement.dataset.demoTheme = scheme;
document.getElementById('scheme').value = scheme;
if (isNew) document.getElementById('ticket-title').textContent = 'New ticket (not saved yet)';

const settings = await demoSettings();
// The secure setting never leaves "Zendesk": the app only ever sees the placeholder.
const metadata = { appId: 0, installationId: 1, name: 'BeyondTrust Remote Support', version: 'demo',
  settings: { ...settings, broker_url: location.origin, broker_host_id: 'demo', broker_secret: undefined } };
const context = { product: 'support', location: isNew ? 'new_ticket_sidebar' : 'ticket_sidebar', instanceGuid: appGuid,
  account: { subdomain: 'demo' }, ...(isNew ? {} : { ticketId: 4711 }) };
const ticket = isNew ? null : { id: 4711, subject: 'Printer on floor 3 does not print', requester: { name: 'Jane Doe', email: 'jane@example.com' } };

function post(msg) {
  iframe.contentWindow.postMessage(JSON.stringify(msg), appOrigin);
}

function get(paths) {
  const result = { errors: {} };
  for (const path of paths) {
    const value = {
      'ticket.id': ticket && ticket.id,
      'ticket': ticket,
      'ticket.requester': ticket && ticket.requester,
      'ticket.requester.email': ticket && ticket.requester.email,
      'currentUser': user,
      'currentUser.email': user.email,
      'currentUser.locale': user.locale,
      'colorScheme': scheme,
      'comment.text': document.getElementById('reply').textContent,
    }[path];
    if (value === undefined || (value === null && !path.startsWith('ticket'))) {
      result.errors[path] = { message: 'Could not find path', name: 'NotFoundError', path };
    } else {
      result[path] = value;
    }
  }
  return result;
}

function invoke(calls) {
  for (const [name, args] of Object.entries(calls)) {
    if (name === 'resize') {
      const size = args[0] || {};
      const h = parseInt(size.height, 10);
      if (h > 0) iframe.style.height = Math.min(h, 2000) + 'px';
    } else if (name === 'comment.appendText' || name === 'ticket.comment.appendText') {
      // textContent: the app's text is shown as text, never as HTML.
      document.getElementById('reply').textContent += String(args[0] ?? '');
    } else {
      return { errors: { [name]: { message: 'Unknown action', name: 'InvalidActionError', path: name } } };
    }
  }
  return { errors: {} };
}

// client.request through "Zendesk's proxy": substitute the secure setting,
// sign the JWT server-side, call the broker.
async function proxy(options) {
  const jwt = options.jwt;
  const headers = { ...(options.headers || {}) };
  if (jwt) {
    if (jwt.secret_key !== '{{setting.broker_secret}}') throw { status: 400, responseText: 'jwt.secret_key must be the secure setting placeholder' };
    headers.Authorization = 'Bearer ' + await hostToken((jwt.claims && jwt.claims.sub) || user.email);
  }
  if (options.contentType) headers['Content-Type'] = options.contentType;
  const res = await fetch(options.url, { method: options.type || 'GET', headers, body: options.data });
  const responseText = await res.text();
  let responseJSON;
  try { responseJSON = JSON.parse(responseText); } catch { responseJSON = undefined; }
  const response = { status: res.status, responseText, responseJSON, headers: {} };
  if (!res.ok) throw response;
  return options.httpCompleteResponse ? response : (responseJSON ?? responseText);
}

window.addEventListener('message', async (event) => {
  if (event.origin !== appOrigin || event.source !== iframe.contentWindow) return;
  let data;
  try { data = typeof event.data === 'string' ? JSON.parse(event.data) : event.data; } catch { return; }
  if (!data || data.appGuid !== appGuid) return;
  if (data.key === 'iframe.handshake') {
    post({ key: 'zaf.app.registered', message: { metadata, context }, appGuid });
  } else if (data.request === 'get') {
    post({ id: data.id, result: get(data.params) });
  } else if (data.request === 'invoke') {
    post({ id: data.id, result: invoke(data.params) });
  } else if (data.request === 'set') {
    // The reply's text as the app sets it (as text, never as HTML).
    if (data.params && typeof data.params['comment.text'] === 'string') {
      document.getElementById('reply').textContent = data.params['comment.text'];
    }
    post({ id: data.id, result: { errors: {} } });
  } else if (typeof data.key === 'string' && data.key.startsWith('request:')) {
    try {
      const response = await proxy(data.message || {});
      post({ key: 'zaf.' + data.key + '.done', message: { responseArgs: [response, 'success', {}] }, appGuid });
    } catch (failure) {
      const jqXHR = failure && failure.status ? failure : { status: 0, responseText: String(failure) };
      post({ key: 'zaf.' + data.key + '.fail', message: { responseArgs: [jqXHR, 'error', ''] }, appGuid });
    }
  }
});

document.getElementById('scheme').addEventListener('change', (e) => {
  scheme = e.target.value;
  document.documentElement.dataset.demoTheme = scheme;
  post({ key: 'zaf.colorScheme.changed', message: scheme, appGuid });
});

// Zendesk loads the app with its origin and app_guid in the query string.
const zafQuery = 'origin=' + encodeURIComponent(location.origin) + '&app_guid=' + appGuid;
if (appUrl) {
  appUrl.search += (appUrl.search ? '&' : '') + zafQuery;
  iframe.src = appUrl.href;
} else {
  iframe.src = params.get('app') === 'plain'
    ? '/bench/plain.html?layout=sidebar' // the load benchmark's plain-JS baseline
    : '/apps/zendesk-sidebar/index.html?' + zafQuery;
}
