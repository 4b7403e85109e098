// End-to-end: the Salesforce Case page demo (the LWC's iframe + postMessage
// bridge, six component choices) framing the SFDX project's static resource
// as `cargo xtask package` ships it, and the HaloPSA asset button opening
// our page: the demo's, and the shipped target/packages/halo/ folder hosted
// the way docs/hosts/halo.md tells an admin to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { root, demoSuite, openPage, waitReady, nextLink, assertAccessible, pickJumpMethod, assertNoFailedRequests, serve, tempDir } from './harness.mjs';

const CASE_ID = '5003000000D8cuIAAR';
// Where the broker serves the shipped static resource (target/packages/ at /packages/).
const SHIPPED_PAGE = '/packages/salesforce/force-app/main/default/staticresources/BeyondTrustWidget/index.html';
const suite = demoSuite();

/** Waits for a component's frame: the shipped page, started, every request answered. */
async function shippedFrame(s, handle) {
  const frame = await handle.contentFrame();
  await waitReady(frame);
  assert.equal(new URL(frame.url()).pathname, SHIPPED_PAGE, 'the frame shows the shipped static resource');
  assertNoFailedRequests(s, frame, `salesforce ${await handle.getAttribute('data-view')}`);
  return frame;
}

/** The Salesforce demo showing one component choice; returns its frame. */
async function salesforce(view, watch = () => {}) {
  const s = await openPage(suite.browser);
  watch(s.context);
  await s.page.goto(`${suite.broker.url}/demo/salesforce/?view=${view}`);
  const frame = await shippedFrame(s, await s.page.waitForSelector(`iframe[data-view="${view}"]`));
  return { ...s, frame };
}

test('Salesforce "Session Key": the broker key appears in the Case page', async () => {
  const tokens = [];
  const s = await salesforce('session-key', (context) => context.on('request', (r) => { if (r.url().includes('/dev/host-token')) tokens.push(r.url()); }));
  // index.html posts `ready` before the wasm runs and bridge.rs takes the
  // answer over: one handshake, so the parent mints one token.
  assert.equal(tokens.length, 1, `one ready, one token: ${tokens.join(', ')}`);
  await s.frame.getByRole('button', { name: 'Generate Session Key' }).click();
  const key = s.frame.getByLabel('Session Key', { exact: true });
  await key.waitFor();
  assert.match(await key.inputValue(), /^\d{7}$/);
  assert.deepEqual(s.errors, []);
});

test('Salesforce "Web Session Key": the key, its URL and Email Session Key, as the guide lists them', async () => {
  const s = await salesforce('web-session-key');
  await s.frame.getByRole('button', { name: 'Generate Session Key' }).click();
  const key = s.frame.getByLabel('Session Key', { exact: true });
  await key.waitFor();
  assert.match(await key.inputValue(), /^\d{7}$/);
  assert.match(await s.frame.getByLabel('Session Key URL', { exact: true }).inputValue(), /\?ak=/);
  // The Case's contact is the mail's To:.
  const mail = await s.frame.getByRole('link', { name: 'Email Session Key' }).getAttribute('href');
  assert.ok(mail.startsWith('mailto:jane%40example.com?'), mail);
  assert.match(decodeURIComponent(mail), /expires in \d+ (minutes|hours) \(at \d\d:\d\d UTC\)/);
  assert.equal(await s.frame.getByRole('button', { name: 'Web Session Key' }).count(), 1, 'and the web console button');
  await assertAccessible(s.frame, 'salesforce web session key');
  assert.deepEqual(s.errors, []);
});

test('Salesforce "Web Session Key": opens the web console key dialog for this case', async () => {
  const s = await salesforce('web-session-key');
  const before = s.links.length;
  await s.frame.getByRole('button', { name: 'Web Session Key' }).click();
  const { params } = await nextLink(s.links, before);
  assert.deepEqual([params.type, params.operation, params.action], ['web_console', 'execute', 'generate_session_key']);
  assert.equal(params['session.custom.external_key'], CASE_ID);
});

for (const [view, type, operation] of [['jump', 'rep', 'generate'], ['web-jump', 'web_console', 'execute']]) {
  test(`Salesforce "${view}": Push and Start Remote builds the ${type} client_script link`, async () => {
    const s = await salesforce(view);
    await pickJumpMethod(s.frame, 'Push and Start Remote');
    const form = s.frame.getByRole('form', { name: 'Push and Start Remote', exact: true });
    await form.getByLabel('Hostname or IP address', { exact: true }).fill('ABCDEF02');
    await form.getByLabel('Jumpoint', { exact: true }).selectOption('Network01');
    const before = s.links.length;
    await form.getByRole('button', { name: 'Push and Start Remote', exact: true }).click();
    const { params } = await nextLink(s.links, before);
    assert.deepEqual([params.type, params.operation, params.action], [type, operation, 'push_and_start_remote']);
    assert.deepEqual([params.target, params.jumpoint, params['session.custom.external_key']], ['ABCDEF02', 'Network01', CASE_ID]);
    assert.deepEqual(s.errors, []);
  });
}

test('Salesforce "Case ID": shows the case id with its External Key hint', async () => {
  const s = await salesforce('case-id');
  const field = s.frame.getByLabel('Case ID', { exact: true });
  await field.waitFor();
  assert.equal(await field.inputValue(), CASE_ID);
  assert.match(await s.frame.locator('body').innerText(), /External Key/);
});

test('Salesforce "Sessions": lists the sessions of this case', async () => {
  const s = await salesforce('sessions');
  const rows = s.frame.locator('table tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /Carol/);
});

test('Salesforce: all six components on one page are accessible and error-free', async () => {
  const s = await openPage(suite.browser);
  await s.page.goto(`${suite.broker.url}/demo/salesforce/`);
  // The page adds its components once it has the settings.
  await s.page.waitForFunction(() => document.querySelectorAll('iframe').length >= 6);
  const frames = await s.page.$$('iframe');
  assert.equal(frames.length, 6);
  for (const handle of frames) {
    const frame = await shippedFrame(s, handle);
    await assertAccessible(frame, `salesforce ${await handle.getAttribute('data-view')}`);
  }
  await assertAccessible(s.page, 'salesforce demo page');
  assert.deepEqual(s.errors, []);
});

test('Salesforce: a French agent\'s component speaks French, from the static resource\'s own language file', async () => {
  const s = await openPage(suite.browser);
  await s.page.goto(`${suite.broker.url}/demo/salesforce/?view=session-key&locale=fr-FR`);
  const frame = await shippedFrame(s, await s.page.waitForSelector('iframe[data-view="session-key"]'));
  await frame.getByRole('button', { name: 'Générer une clé de session' }).waitFor();
  assert.equal(await frame.evaluate(() => document.querySelector('.bt-root').lang), 'fr');
  const loaded = await frame.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((n) => n.includes('/i18n/')));
  assert.deepEqual(loaded, [SHIPPED_PAGE.replace('index.html', 'i18n/fr.json')]);
  assert.deepEqual(s.errors, []);
});

test('Salesforce: the widget ignores context from a foreign origin', async () => {
  const s = await openPage(suite.browser);
  // Same app, but the page claims a different parent origin: its context
  // messages must be ignored, so the widget never becomes interactive.
  await s.page.goto(`${suite.broker.url}${SHIPPED_PAGE}?view=case-id&parent=${encodeURIComponent('https://evil.example')}`);
  await s.page.evaluate((caseId) => window.postMessage({ protocol: 'bt-embed/1', type: 'context', recordId: caseId, user: {}, token: 'x', settings: {} }, '*'), CASE_ID);
  await s.page.waitForTimeout(500);
  assert.equal(await s.page.getByLabel('Case ID', { exact: true }).count(), 0, 'no case id from a foreign context');
  assert.equal(await s.page.evaluate(() => performance.getEntriesByName('bt-ready').length), 0);
});

test('Halo: the asset button opens our page with the asset prefilled, Jump To builds the pinned-client link', async () => {
  const s = await openPage(suite.browser);
  await s.page.goto(`${suite.broker.url}/demo/halo/`);
  const [popup] = await Promise.all([s.context.waitForEvent('page'), s.page.getByRole('link', { name: 'BeyondTrust Jump To' }).click()]);
  popup.on('console', (m) => { if (m.type() === 'error') s.errors.push(m.text()); });
  await waitReady(popup);
  const form = popup.getByRole('form', { name: 'Pinned Jump Client', exact: true });
  assert.equal(await form.getByLabel('Jump Client search', { exact: true }).inputValue(), 'PC-0042');
  const before = s.links.length;
  await form.getByRole('button', { name: 'Jump To', exact: true }).click();
  const { url, params } = await nextLink(s.links, before);
  assert.equal(url.pathname, '/api/client_script');
  assert.equal(params.action, 'start_pinned_client_session');
  assert.equal(params.search_string, 'PC-0042');
  assert.equal(params['session.custom.external_key'], '88');
  await assertAccessible(popup, 'halo page');
  await assertAccessible(s.page, 'halo demo page');
  assert.deepEqual(s.errors, []);
});

test('Halo: opened without an asset, the page says where it opens from, not "save the ticket first"', async () => {
  const s = await openPage(suite.browser);
  await s.page.goto(`${suite.broker.url}/apps/halo/index.html`);
  await waitReady(s.page);
  const text = await s.page.locator('body').innerText();
  assert.ok(!/save the ticket/i.test(text), text);
  assert.match(text, /button of an asset/);
  assert.equal(await s.page.getByRole('alert').count(), 1);
  assert.equal(await s.page.getByRole('button').count(), 0, 'nothing to jump with');
  assert.deepEqual(s.errors, []);
});

// Halo, as shipped: target/packages/halo/ hosted on an origin of its own,
// set up as docs/hosts/halo.md option B says (config.example.json copied to
// config.json with the appliance's hostname), opened by the button URL the
// guide gives, ${INVENTORY_NUMBER} substituted as Halo does.
const HALO = path.join(root, 'target/packages/halo');
const HALO_PATH = '/it/bt-jump/';
const INVENTORY_NUMBER = 'PC-0042';

/** The button URL of the guide's option B, relative to the hosted folder. */
function guideButtonUrl() {
  const guide = fs.readFileSync(path.join(root, 'docs/hosts/halo.md'), 'utf8');
  const urls = [...guide.matchAll(/https:\/\/YOUR-HOST\/PATH\/(\S*\$\{INVENTORY_NUMBER\}\S*)/g)].map((m) => m[1]);
  assert.ok(urls.length > 0, 'docs/hosts/halo.md gives the button URL as https://YOUR-HOST/PATH/…${INVENTORY_NUMBER}');
  assert.equal(new Set(urls).size, 1, `the guide gives one button URL: ${urls.join(', ')}`);
  return urls[0];
}

/** The shipped folder with the admin's config.json (hostname = the sandbox appliance), served. */
async function hostedHalo(t) {
  const copy = tempDir('halo');
  t.after(() => copy.remove());
  fs.cpSync(HALO, copy.dir, { recursive: true });
  const config = JSON.parse(fs.readFileSync(path.join(copy.dir, 'config.example.json'), 'utf8'));
  config.hostname = new URL(suite.broker.sandbox).host;
  fs.writeFileSync(path.join(copy.dir, 'config.json'), JSON.stringify(config, null, 2));
  const server = await serve({ [HALO_PATH]: copy.dir });
  t.after(() => server.stop());
  return { config, base: `${server.origin}${HALO_PATH}` };
}

/** Opens the page at `url`, picks the pinned Jump Client, jumps; returns the client_script link. */
async function haloJump(s, url) {
  await s.page.goto(url);
  await waitReady(s.page);
  await pickJumpMethod(s.page, 'Pinned Jump Client');
  const form = s.page.getByRole('form', { name: 'Pinned Jump Client', exact: true });
  assert.equal(await form.getByLabel('Jump Client search', { exact: true }).inputValue(), INVENTORY_NUMBER);
  const before = s.links.length;
  await form.getByRole('button', { name: 'Jump To', exact: true }).click();
  return nextLink(s.links, before);
}

test('Halo package: the guide\'s button URL opens the shipped page; Jump To goes to the appliance in config.json, not one named in the URL', async (t) => {
  const { config, base } = await hostedHalo(t);
  const button = base + guideButtonUrl().replaceAll('${INVENTORY_NUMBER}', encodeURIComponent(INVENTORY_NUMBER));
  const appliance = new URL(suite.broker.sandbox).host;
  const crafted = `${button}&hostname=evil.example.com&console=web&allow_vnc=1&jumpoints=Evil&broker_url=https%3A%2F%2Fevil.example.com`;
  for (const url of [button, crafted]) {
    const s = await openPage(suite.browser);
    const { url: link, params } = await haloJump(s, url);
    assert.equal(link.host, appliance, `${url}: the configured appliance`);
    assert.equal(link.pathname, '/api/client_script');
    assert.equal(params.type, config.console === 'web' ? 'web_console' : 'rep', `${url}: the configured console`);
    assert.equal(params.action, 'start_pinned_client_session');
    assert.equal(params.search_string, INVENTORY_NUMBER, 'the asset is the Jump target');
    assert.equal(params['session.custom.external_key'], INVENTORY_NUMBER, 'no ticket: the asset is the external key');
    assertNoFailedRequests(s, s.page.mainFrame(), `halo page ${url}`);
    assert.deepEqual(s.errors, []);
    // What the page fetched before it was ready: its settings and its wasm;
    // the glue and the stylesheets come inside index.html. (The favicon is
    // the browser's own request, after the load event.)
    const beforeReady = await s.page.evaluate(() => {
      const ready = performance.getEntriesByName('bt-ready')[0].startTime;
      return performance.getEntriesByType('resource').filter((e) => e.startTime < ready)
        .map((e) => new URL(e.name).pathname.split('/').pop().replace(/-[0-9a-f]+_bg\.wasm$/, '_bg.wasm'))
        .filter((name) => name !== 'favicon.ico').sort();
    });
    assert.deepEqual(beforeReady, ['config.json', 'halo_bg.wasm'], `${url}: to start, the page fetches only config.json and its wasm`);
  }
});

test('Halo package: in a Spanish browser the shipped page speaks Spanish, from the folder\'s own language file', async (t) => {
  const { base } = await hostedHalo(t);
  const s = await openPage(suite.browser, { locale: 'es-ES' });
  await s.page.goto(base + guideButtonUrl().replaceAll('${INVENTORY_NUMBER}', INVENTORY_NUMBER));
  await waitReady(s.page);
  await s.page.getByText('Saltar a un equipo').first().waitFor();
  const loaded = await s.page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((n) => n.includes('/i18n/')));
  assert.deepEqual(loaded, [`${HALO_PATH}i18n/es.json`]);
  assertNoFailedRequests(s, s.page.mainFrame(), 'halo page in Spanish');
  assert.deepEqual(s.errors, []);
});

test('Halo package: hosted without config.json, the page tells the agent config.json is missing', async (t) => {
  assert.ok(!fs.existsSync(path.join(HALO, 'config.json')), 'the package ships config.example.json, not a config.json');
  const server = await serve({ [HALO_PATH]: HALO });
  t.after(() => server.stop());
  const s = await openPage(suite.browser);
  await s.page.goto(`${server.origin}${HALO_PATH}${guideButtonUrl().replaceAll('${INVENTORY_NUMBER}', INVENTORY_NUMBER)}`);
  await s.page.getByText('config.json', { exact: false }).first().waitFor({ timeout: 15000 });
  assert.equal(await s.page.getByRole('button', { name: 'Jump To', exact: true }).count(), 0, 'nothing to jump with');
});
