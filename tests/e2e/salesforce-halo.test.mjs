// End-to-end: the Salesforce Case page demo (the LWC's iframe + postMessage
// bridge, six component choices) and the HaloPSA asset button opening our
// page, with the real salesforce-case and halo bundles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoSuite, openPage, waitReady, nextLink, assertAccessible, pickJumpMethod } from './harness.mjs';

const CASE_ID = '5003000000D8cuIAAR';
const suite = demoSuite();

/** The Salesforce demo showing one component choice; returns its frame. */
async function salesforce(view) {
  const s = await openPage(suite.browser);
  await s.page.goto(`${suite.broker.url}/demo/salesforce/?view=${view}`);
  const frame = await (await s.page.waitForSelector(`iframe[data-view="${view}"]`)).contentFrame();
  await waitReady(frame);
  return { ...s, frame };
}

test('Salesforce "Session Key": the broker key appears in the Case page', async () => {
  const s = await salesforce('session-key');
  await s.frame.getByRole('button', { name: 'Generate Session Key' }).click();
  const key = s.frame.getByLabel('Session Key', { exact: true });
  await key.waitFor();
  assert.match(await key.inputValue(), /^\d{7}$/);
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
    assert.deepEqual([params.target, params.jumpoint, params['session.custom.external_key']], ['abcdef02', 'Network01', CASE_ID]);
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
    const frame = await handle.contentFrame();
    await waitReady(frame);
    await assertAccessible(frame, `salesforce ${await handle.getAttribute('data-view')}`);
  }
  await assertAccessible(s.page, 'salesforce demo page');
  assert.deepEqual(s.errors, []);
});

test('Salesforce: the widget ignores context from a foreign origin', async () => {
  const s = await openPage(suite.browser);
  // Same app, but the page claims a different parent origin: its context
  // messages must be ignored, so the widget never becomes interactive.
  await s.page.goto(`${suite.broker.url}/apps/salesforce-case/index.html?view=case-id&parent=${encodeURIComponent('https://evil.example')}`);
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
  const form = popup.getByRole('form', { name: 'Jump To', exact: true });
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
