// End-to-end: the Zendesk signed-URL mode. A stand-in for Zendesk (its own
// loopback origin) does what Zendesk does for an app whose location is the
// broker with `signedUrls: true`: it POSTs an RS256 token naming the agent's
// user id (form field `token`, the origin and app_guid in the query) into
// the app's iframe, then speaks ZAF with the page it got. The broker
// verifies the token, asks its Zendesk API stand-in who user 1001 is, and
// serves the real sidebar bundle with a session; the widgets then call the
// broker directly, never through "Zendesk's proxy".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { root, startBroker, launchBrowser, openPage, serve, waitReady, assertAccessible } from './harness.mjs';

const FIXTURES = path.join(root, 'apps/broker/tests/fixtures');
const ISSUER = 'acme.zendesk.com';
const AUDIENCE = 'https://acme.zendesk.com/api/v2/apps/installations/42.json';
const APP_GUID = 'signed-app-guid';

const b64url = (data) => Buffer.from(data).toString('base64url');

/** An RS256 JWT over `claims`, signed with the fixture private key `key`. */
function rs256(claims, key = 'zendesk_test_private.pem') {
  const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  const signature = crypto.sign('sha256', Buffer.from(input), fs.readFileSync(path.join(FIXTURES, key)));
  return `${input}.${b64url(signature)}`;
}

function claimsFor(sub) {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: AUDIENCE, sub, iat: now, nbf: now, exp: now + 300 };
}

// The "Zendesk" page: the app's iframe, a form that POSTs the token into it,
// and the ZAF side of the protocol. Any client.request the app makes is
// recorded in window.proxied: the signed mode must not make one.
const zendeskPage = { html: '' };
function ticketPage(brokerUrl, settings) {
  const zafParent = `
    const iframe = document.getElementById('app');
    const appOrigin = ${JSON.stringify(brokerUrl)};
    window.proxied = [];
    const params = new URLSearchParams(location.search);
    const metadata = { appId: 7, installationId: 42, name: 'BeyondTrust Remote Support', version: 'e2e', settings: ${JSON.stringify(settings)} };
    const context = { product: 'support', location: 'ticket_sidebar', instanceGuid: ${JSON.stringify(APP_GUID)}, account: { subdomain: 'acme' }, ticketId: 4711 };
    const user = { id: Number(params.get('user')), name: 'Agent ' + params.get('user'), email: 'someone-else@example.com', locale: 'en-US', role: 'agent' };
    const post = (msg) => iframe.contentWindow.postMessage(JSON.stringify(msg), appOrigin);
    const values = { 'ticket.id': 4711, 'ticket.requester.email': 'jane@example.com', currentUser: user, colorScheme: 'light' };
    window.addEventListener('message', (event) => {
      if (event.origin !== appOrigin || event.source !== iframe.contentWindow) return;
      let data;
      try { data = typeof event.data === 'string' ? JSON.parse(event.data) : event.data; } catch { return; }
      if (!data || data.appGuid !== ${JSON.stringify(APP_GUID)}) return;
      if (data.key === 'iframe.handshake') {
        post({ key: 'zaf.app.registered', message: { metadata, context }, appGuid: ${JSON.stringify(APP_GUID)} });
      } else if (data.request === 'get') {
        const result = { errors: {} };
        for (const p of data.params) { if (p in values) result[p] = values[p]; else result.errors[p] = { message: 'Could not find path', name: 'NotFoundError', path: p }; }
        post({ id: data.id, result });
      } else if (data.request === 'invoke' || data.request === 'set') {
        post({ id: data.id, result: { errors: {} } });
      } else if (typeof data.key === 'string' && data.key.startsWith('request:')) {
        window.proxied.push(data.message);
        post({ key: 'zaf.' + data.key + '.fail', message: { responseArgs: [{ status: 500, responseText: 'no proxy in signed mode' }, 'error', ''] }, appGuid: ${JSON.stringify(APP_GUID)} });
      }
    });
    const form = document.getElementById('open');
    form.action = appOrigin + '/zendesk/sidebar?origin=' + encodeURIComponent(location.origin) + '&app_guid=' + ${JSON.stringify(APP_GUID)};
    form.elements.token.value = params.get('token');
    form.submit();`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ticket 4711</title></head><body>
<main><h1>Ticket 4711</h1><iframe name="app" id="app" title="BeyondTrust Remote Support app" style="width:380px;height:900px"></iframe>
<form id="open" method="post" target="app" hidden><input type="hidden" name="token"></form></main>
<script>${zafParent}</script></body></html>`;
}

const suite = {};
before(async () => {
  suite.zendesk = await serve({ '/ticket': zendeskPage });
  // The broker's signed-URL settings; `--sandbox` points BT_ZENDESK_URL at
  // its Zendesk API stand-in, whose user 1001 is alice@example.com.
  Object.assign(process.env, {
    BT_ZENDESK_PUBLIC_KEY: `file:${path.join(FIXTURES, 'zendesk_test_public.pem')}`,
    BT_ZENDESK_AUDIENCE: AUDIENCE,
    BT_ZENDESK_ISSUERS: ISSUER,
    BT_ALLOWED_ORIGINS: suite.zendesk.origin,
  });
  suite.broker = await startBroker();
  const settings = await (await fetch(`${suite.broker.url}/apps/demo-settings.json`)).json();
  zendeskPage.html = ticketPage(suite.broker.url, settings);
  suite.browser = await launchBrowser();
});
after(async () => {
  await suite.browser?.close();
  suite.broker?.stop();
  await suite.zendesk?.stop();
});

/** Opens the ticket with the sidebar Zendesk would open for `token`; `user` is who the page claims. */
async function openTicket(token, user) {
  const s = await openPage(suite.browser);
  await s.page.goto(`${suite.zendesk.origin}/ticket?user=${user}&token=${encodeURIComponent(token)}`);
  const app = await (await s.page.waitForSelector('#app')).contentFrame();
  return { ...s, app };
}

test('Zendesk signed URLs: the sidebar opens with a session for the agent Zendesk signed, and calls the broker directly', async () => {
  const z = await openTicket(rs256(claimsFor('1001')), 1001);
  await waitReady(z.app);
  assert.equal(new URL(z.app.url()).pathname, '/zendesk/sidebar', 'the broker served the app');
  await z.app.getByRole('button', { name: 'Generate Session Key' }).click();
  const key = z.app.getByLabel('Session Key', { exact: true });
  await key.waitFor();
  assert.match(await key.inputValue(), /^\d{7}$/, 'a key for alice, who is logged in');
  const rows = z.app.locator('table tbody tr');
  await rows.first().waitFor();
  assert.match(await rows.first().innerText(), /Alice/, 'the ticket history, through the session');
  assert.deepEqual(await z.page.evaluate(() => window.proxied), [], 'nothing went through the proxy');
  await assertAccessible(z.app, 'signed-URL sidebar');
  assert.deepEqual(z.errors, []);
});

test('Zendesk signed URLs: the session is for whom Zendesk signed, whatever the page says', async () => {
  // Bob (1002) is not logged in to the console; the page names another user.
  const z = await openTicket(rs256(claimsFor('1002')), 1001);
  await waitReady(z.app);
  await z.app.getByRole('button', { name: 'Generate Session Key' }).click();
  await z.app.getByText('You are not available in the representative console', { exact: false }).waitFor();
  assert.equal(await z.app.getByLabel('Session Key', { exact: true }).count(), 0, 'no key for bob');
});

test('Zendesk signed URLs: a token Zendesk did not sign opens no sidebar', async () => {
  const z = await openTicket(rs256(claimsFor('1001'), 'other_test_private.pem'), 1001);
  await z.app.waitForLoadState();
  const body = await z.app.locator('body').innerText();
  assert.match(body, /"code":"unauthorized"/, body);
  assert.equal(await z.app.locator('#bt-broker-session').count(), 0, 'no session in the answer');
});
