// End-to-end: the Zendesk app as it ships. `target/packages/zendesk-app.zip`
// (or the zip named by BT_ZENDESK_ZIP) is unzipped and its `assets/` served
// from an origin of its own under a path like Zendesk's app CDN
// (`/APP_ID/assets/TIMESTAMP/…`); the demo's ZAF parent frames the page the
// manifest names, and Zendesk's hosted SDK URL is answered with the npm SDK
// build. Nothing here reads `target/dist/zendesk-sidebar/`: a zip whose page
// loads a file the zip does not carry fails the first test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { root, demoSuite, openPage, nextLink, assertNoFailedRequests, serve, tempDir, unzip } from './harness.mjs';

const ZIP = path.resolve(root, process.env.BT_ZENDESK_ZIP || 'target/packages/zendesk-app.zip');
const ZAF_SDK_URL = 'https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js';
const ZAF_SDK = fs.readFileSync(path.join(root, 'target/dist/vendor/zaf_sdk.js'));
const ASSETS_PATH = '/880123/assets/1764580000-0a1b2c3d/';
const NOT_IN_ZENDESK = 'install it in Zendesk Support';

const suite = demoSuite();
const pkg = { cdn: null, tmp: null, pages: {} };

before(async () => {
  pkg.tmp = tempDir('zendesk');
  unzip(ZIP, pkg.tmp.dir);
  const manifest = JSON.parse(fs.readFileSync(path.join(pkg.tmp.dir, 'manifest.json'), 'utf8'));
  // Zendesk frames, per location, the page the manifest names (under assets/).
  for (const location of ['ticket_sidebar', 'new_ticket_sidebar']) {
    const url = manifest.location?.support?.[location]?.url;
    assert.match(String(url), /^assets\/[^/]/, `manifest ${location} url: ${url}`);
    pkg.pages[location] = url.slice('assets/'.length);
  }
  pkg.cdn = await serve({ [ASSETS_PATH]: path.join(pkg.tmp.dir, 'assets') });
});

after(async () => {
  await pkg.cdn?.stop();
  pkg.tmp?.remove();
});

/** The demo ticket framing the packaged app; resolves once the app has started (or given up). */
async function packagedApp(location, query = '') {
  const s = await openPage(suite.browser);
  await s.context.route(ZAF_SDK_URL, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: ZAF_SDK }));
  const appUrl = `${pkg.cdn.origin}${ASSETS_PATH}${pkg.pages[location]}`;
  await s.page.goto(`${suite.broker.url}/demo/zendesk/?app_url=${encodeURIComponent(appUrl)}${query && '&' + query}`);
  const app = await (await s.page.waitForSelector('#app')).contentFrame();
  await app.waitForFunction((text) => performance.getEntriesByName('bt-ready').length > 0
    || (document.body && document.body.innerText.includes(text)), NOT_IN_ZENDESK, { timeout: 30000 });
  assert.ok(app.url().startsWith(pkg.cdn.origin + ASSETS_PATH), `the app comes from the package: ${app.url()}`);
  assertNoFailedRequests(s, app, 'packaged Zendesk app');
  const body = await app.locator('body').innerText();
  assert.ok(!body.includes(NOT_IN_ZENDESK), `the ZAF handshake failed, the app says: ${body}`);
  assert.equal(await app.evaluate(() => performance.getEntriesByName('bt-ready').length), 1, 'the app marked bt-ready');
  return { ...s, app };
}

test('Zendesk package: the zipped app loads every file it needs, completes the ZAF handshake and makes a session key', async () => {
  const z = await packagedApp('ticket_sidebar');
  await z.app.getByRole('button', { name: 'Generate Session Key' }).click();
  const key = z.app.getByLabel('Session Key', { exact: true });
  await key.waitFor();
  assert.match(await key.inputValue(), /^\d{7}$/, 'a 7-digit session key');
  assertNoFailedRequests(z, z.app, 'packaged Zendesk app after the key');
  assert.deepEqual(z.errors, []);
});

test('Zendesk package: on an unsaved ticket (new_ticket_sidebar) the zipped app asks to save it first', async () => {
  const z = await packagedApp('new_ticket_sidebar', 'new=1');
  await z.app.getByText('Save the ticket first', { exact: false }).waitFor();
  assert.equal(await z.app.getByRole('button').count(), 0, 'no buttons on an unsaved ticket');
  assert.deepEqual(z.errors, []);
});

// The zipped app carries English in its wasm and the other languages as
// `assets/i18n/LANG.json`, fetched only by an agent who reads one of them.
test('Zendesk package: a German agent gets German from the first paint, from the package\'s own language file', async () => {
  const z = await packagedApp('ticket_sidebar', 'locale=de-DE');
  const asked = [];
  z.context.on('request', (r) => { if (r.url().includes('/i18n/')) asked.push(r.url()); });
  await z.app.getByRole('button', { name: 'Sitzungsschlüssel erzeugen' }).waitFor();
  assert.equal(await z.app.getByText('Generate Session Key').count(), 0, 'no English label left');
  assert.equal(await z.app.evaluate(() => document.querySelector('.bt-root').lang), 'de');
  const loaded = await z.app.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/i18n/')));
  assert.deepEqual(loaded, [`${pkg.cdn.origin}${ASSETS_PATH}i18n/de.json`], 'one language file, from the package');
  assert.deepEqual(asked, [], 'nothing more fetched after the start');
  assert.ok(fs.existsSync(path.join(pkg.tmp.dir, 'assets/i18n/ja.json')), 'the zip carries every language');
  assert.deepEqual(z.errors, []);
});

test('Zendesk package: an English agent loads no language file', async () => {
  const z = await packagedApp('ticket_sidebar', 'locale=en-GB');
  await z.app.getByRole('button', { name: 'Generate Session Key' }).waitFor();
  const loaded = await z.app.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/i18n/')));
  assert.deepEqual(loaded, []);
});

test('Zendesk package: a language file that cannot be had, or is from another build, leaves the app working in English', async () => {
  for (const [what, answer] of [
    ['missing', { status: 404, body: 'not found' }],
    ['from another build', { status: 200, contentType: 'application/json', body: null }],
    ['not JSON', { status: 200, contentType: 'application/json', body: '<html>' }],
  ]) {
    const s = await openPage(suite.browser);
    await s.context.route(ZAF_SDK_URL, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: ZAF_SDK }));
    await s.context.route(/\/i18n\/fr\.json$/, async (route) => {
      if (answer.body !== null) return route.fulfill(answer);
      const real = JSON.parse(fs.readFileSync(path.join(pkg.tmp.dir, 'assets/i18n/fr.json'), 'utf8'));
      real.shape = '0123456789abcdef';
      return route.fulfill({ ...answer, body: JSON.stringify(real) });
    });
    const warnings = [];
    s.page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    const appUrl = `${pkg.cdn.origin}${ASSETS_PATH}${pkg.pages.ticket_sidebar}`;
    await s.page.goto(`${suite.broker.url}/demo/zendesk/?app_url=${encodeURIComponent(appUrl)}&locale=fr-FR`);
    const app = await (await s.page.waitForSelector('#app')).contentFrame();
    await app.getByRole('button', { name: 'Generate Session Key' }).waitFor();
    assert.equal(await app.evaluate(() => performance.getEntriesByName('bt-ready').length), 1, `${what}: bt-ready`);
    assert.equal(await app.evaluate(() => document.querySelector('.bt-root').lang), 'en', `${what}: English`);
    assert.ok(warnings.some((w) => w.includes('i18n/fr.json was not loaded')), `${what}: the console says why: ${warnings}`);
    // Chromium itself logs the 404 as an error; nothing else may fail.
    const own = s.errors.filter((e) => !(what === 'missing' && e.includes('status of 404')));
    assert.deepEqual(own, [], what);
    await s.context.close();
  }
});

// Guide: the theme asset as shipped, on a request page rendered from the
// shipped snippet as Guide renders it, under the strictest CSP it works with.
const HELP_CENTER = path.join(root, 'target/packages/help-center');
const THEME_ASSETS_PATH = '/theme_assets/900001/';

/**
 * The CSP of the Guide-like page: only what the asset needs (see the package
 * README): its own host for the script, wasm compilation from the inlined
 * bytes, and the <style> elements it and the widgets add. (Three per-build
 * 'sha256-…' hashes instead of 'unsafe-inline' work too.)
 */
function helpCenterCsp(assetOrigin) {
  // The policy the package README gives admins, exactly as written there.
  const readme = fs.readFileSync(path.join(HELP_CENTER, 'README.md'), 'utf8');
  const m = readme.match(/## Content-Security-Policy[\s\S]*?```\n(default-src[^\n]+)\n```/);
  assert.ok(m, 'the help-center README states the Content-Security-Policy');
  assert.ok(m[1].includes('https://ASSET-HOST'), m[1]);
  return m[1].replace('https://ASSET-HOST', assetOrigin);
}

/** `request_page.hbs.snippet` as Guide renders it for request 1234, configured for `hostname`. */
function renderSnippet(assetUrl, hostname) {
  const html = fs.readFileSync(path.join(HELP_CENTER, 'request_page.hbs.snippet'), 'utf8')
    .replaceAll('{{request.id}}', '1234')
    .replace(/\{\{asset '([^']+)'\}\}/g, (_, name) => assetUrl(name))
    // What the README's step 4 has the admin edit.
    .replace(/("hostname"\s*:\s*)"[^"]*"/, (_, key) => `${key}${JSON.stringify(hostname)}`);
  assert.ok(!html.includes('{{'), `every Handlebars expression of the snippet is rendered: ${html}`);
  return html;
}

test('Help Center package: the theme asset works on a Guide-like request page under a strict CSP, without any .wasm request', async (t) => {
  const assets = await serve({ [THEME_ASSETS_PATH]: HELP_CENTER });
  t.after(() => assets.stop());
  const csp = helpCenterCsp(assets.origin);
  const snippet = renderSnippet((name) => `${assets.origin}${THEME_ASSETS_PATH}${name}`, new URL(suite.broker.sandbox).host);
  const guide = await serve({
    '/hc/en-us/requests/1234': { html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Request #1234 – Help Center</title></head>
<body><main><h1>Printer on floor 3 does not print</h1>
<section aria-labelledby="help-title"><h2 id="help-title">Need hands-on help?</h2>
${snippet}
</section></main></body></html>` },
  }, { headers: { 'Content-Security-Policy': csp } });
  t.after(() => guide.stop());

  const s = await openPage(suite.browser);
  await s.page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.effectiveDirective}: ${e.blockedURI || '(inline)'} ${e.sample || ''}`));
  });
  const wasm = [];
  s.page.on('request', (r) => { if (new URL(r.url()).pathname.endsWith('.wasm')) wasm.push(r.url()); });
  await s.page.goto(`${guide.origin}/hc/en-us/requests/1234`);
  // Ready, or stopped by the policy: then the violations say what it needed.
  await s.page.waitForFunction(() => performance.getEntriesByName('bt-ready').length > 0 || window.__cspViolations.length > 0, null, { timeout: 30000 });
  assert.deepEqual(await s.page.evaluate(() => window.__cspViolations), [], `CSP violations under ${csp}`);
  await s.page.getByLabel('What do you need help with?').selectOption('general_tech');
  const before = s.links.length;
  await s.page.getByRole('button', { name: 'Get Support Now' }).click();
  const { url, params } = await nextLink(s.links, before);
  assert.equal(url.host, new URL(suite.broker.sandbox).host, 'the configured appliance');
  assert.equal(url.pathname, '/api/start_session');
  assert.equal(params.c2cjs, '1');
  assert.equal(params.codeName, 'general_tech');
  assert.equal(params['session.custom.external_key'], '1234');
  assert.deepEqual(wasm, [], 'Guide cannot host .wasm: it is inlined');
  assert.deepEqual(await s.page.evaluate(() => window.__cspViolations), [], `CSP violations under ${csp}`);
  assertNoFailedRequests(s, s.page.mainFrame(), 'Guide page');
  assert.deepEqual(s.errors, []);
});
