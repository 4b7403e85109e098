// End-to-end: the Zendesk demo (ticket view + ZAF parent) with the real
// zendesk-sidebar bundle, and the Guide request page with the real
// single-file help-center asset, against the sandbox broker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoSuite, openPage, waitReady, nextLink, assertAccessible, pickJumpMethod } from './harness.mjs';

const suite = demoSuite();

/** Opens the Zendesk demo and waits for the sidebar app inside it. */
async function zendesk(query = '', options = {}) {
  const s = await openPage(suite.browser, options);
  await s.page.goto(`${suite.broker.url}/demo/zendesk/${query}`);
  const app = await (await s.page.waitForSelector('#app')).contentFrame();
  await waitReady(app);
  return { ...s, app };
}

test('Zendesk: Generate Session Key shows the key, its URL and the expiry', async () => {
  const z = await zendesk();
  await z.app.getByRole('button', { name: 'Generate Session Key' }).click();
  const key = z.app.getByLabel('Session Key', { exact: true });
  await key.waitFor();
  assert.match(await key.inputValue(), /^\d{7}$/, 'a 7-digit session key');
  const url = await z.app.getByLabel('Session Key URL', { exact: true }).inputValue();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?ak=[0-9a-f]+$/, url);
  assert.match(await z.app.locator('body').innerText(), /Expires in/);
  assert.deepEqual(z.errors, []);
});

test('Zendesk: Email Session Key adds a public reply with the key and URL', async () => {
  const z = await zendesk();
  await z.app.getByRole('button', { name: 'Generate Session Key' }).click();
  const keyField = z.app.getByLabel('Session Key', { exact: true });
  await keyField.waitFor();
  const key = await keyField.inputValue();
  await z.app.getByRole('button', { name: 'Email Session Key' }).click();
  await z.page.waitForFunction(() => document.getElementById('reply').textContent.length > 0);
  const reply = await z.page.locator('#reply').innerText();
  assert.ok(reply.includes(key), `the reply carries the key: ${reply}`);
  assert.match(reply, /\?ak=/);
});

test('Zendesk: Email Session Key puts the invitation in the reply once, with the expiry in the customer\'s terms', async () => {
  const z = await zendesk();
  const reply = () => z.page.locator('#reply').innerText();
  const count = (text, part) => text.split(part).length - 1;
  await z.app.getByRole('button', { name: 'Generate Session Key' }).click();
  const url = z.app.getByLabel('Session Key URL', { exact: true });
  await url.waitFor();
  const first = await url.inputValue();
  const email = z.app.getByRole('button', { name: 'Email Session Key' });
  await email.click();
  await z.page.waitForFunction(() => document.getElementById('reply').textContent.length > 0);
  assert.match(await reply(), /expires in \d+ (minutes|hours) \(at \d\d:\d\d UTC\)/, 'a time a customer reads');
  assert.doesNotMatch(await reply(), /\d{4}-\d\d-\d\dT\d\d:\d\d/, 'no raw timestamp');
  await email.click();
  await z.app.waitForTimeout(300);
  assert.equal(count(await reply(), first), 1, `the invitation once: ${await reply()}`);
  // A new key replaces the old invitation instead of adding a second one.
  await z.app.getByRole('button', { name: 'Regenerate' }).click();
  await z.app.waitForFunction((old) => document.querySelector('.bt-key-url input')?.value !== old, first);
  const second = await url.inputValue();
  await email.click();
  await z.page.waitForFunction((k) => document.getElementById('reply').textContent.includes(k), second);
  const text = await reply();
  assert.equal(count(text, second), 1, text);
  assert.equal(count(text, first), 0, `the old key is gone: ${text}`);
  assert.deepEqual(z.errors, []);
});

const JUMPS = [
  { form: 'Pinned Jump Client', button: 'Jump To', fill: { 'Jump Client search': 'Front Desk PC' }, action: 'start_pinned_client_session', expect: { search_string: 'Front Desk PC' } },
  { form: 'Push and Start Local', fill: { Hostname: 'PC-0042' }, action: 'push_and_start_local', expect: { hostname: 'PC-0042' } },
  { form: 'Push and Start Remote', fill: { 'Hostname or IP address': '10.1.2.3' }, select: { Jumpoint: 'Head Office' }, action: 'push_and_start_remote', expect: { target: '10.1.2.3', jumpoint: 'Head Office' } },
  { form: 'Start RDP Session', fill: { 'Hostname or IP address': 'srv-01' }, select: { Jumpoint: 'Network01' }, action: 'start_rdp_session', expect: { target: 'srv-01', jumpoint: 'Network01' } },
  { form: 'Start Shell Session', fill: { 'Hostname or IP address': 'router1' }, select: { Jumpoint: 'Network01' }, action: 'start_shell_jump_session', expect: { target: 'router1' } },
  { form: 'Start vPro Session', fill: { 'Hostname or IP address': 'ABCDEF02' }, select: { Jumpoint: 'Network01' }, action: 'start_vpro_session', expect: { target: 'ABCDEF02', jumpoint: 'Network01' } },
];

test('Zendesk: every Jump form opens the right client_script URL with the ticket as external key', async () => {
  const z = await zendesk();
  for (const j of JUMPS) {
    await pickJumpMethod(z.app, j.form);
    const form = z.app.getByRole('form', { name: j.form, exact: true });
    for (const other of JUMPS.filter((o) => o !== j)) assert.equal(await z.app.getByRole('form', { name: other.form, exact: true }).count(), 0, `only ${j.form} shows`);
    for (const [label, value] of Object.entries(j.fill)) await form.getByLabel(label, { exact: true }).fill(value);
    for (const [label, value] of Object.entries(j.select || {})) await form.getByLabel(label, { exact: true }).selectOption(value);
    const before = z.links.length;
    await form.getByRole('button', { name: j.button || j.form, exact: true }).click();
    const { url, params } = await nextLink(z.links, before);
    assert.equal(url.pathname, '/api/client_script', j.form);
    assert.equal(params.type, 'rep');
    assert.equal(params.operation, 'generate');
    assert.equal(params.action, j.action, j.form);
    assert.equal(params['session.custom.external_key'], '4711', j.form);
    for (const [k, v] of Object.entries(j.expect)) assert.equal(params[k], v, `${j.form}: ${k}`);
  }
  assert.deepEqual(z.errors, []);
});

test('Zendesk: a URL typed as a hostname is refused with the field message, nothing opens', async () => {
  const z = await zendesk();
  await pickJumpMethod(z.app, 'Push and Start Local');
  const form = z.app.getByRole('form', { name: 'Push and Start Local', exact: true });
  await form.getByLabel('Hostname', { exact: true }).fill('https://pc-0042/');
  await form.getByLabel('Hostname', { exact: true }).press('Enter');
  await form.getByText('enter the hostname only', { exact: false }).waitFor();
  assert.equal(z.links.length, 0);
});

test('Zendesk: an unsaved ticket shows the save-first message and no buttons', async () => {
  const z = await zendesk('?new=1');
  await z.app.getByText('Save the ticket first', { exact: false }).waitFor();
  assert.equal(await z.app.getByText('Save the ticket first', { exact: false }).count(), 1, 'said once, not per widget');
  assert.equal(await z.app.getByRole('button').count(), 0, 'no buttons on an unsaved ticket');
});

test('Zendesk: the dark scheme applies and follows the host switch', async () => {
  const z = await zendesk('?scheme=dark');
  const bg = () => z.app.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const luminance = (rgb) => rgb.match(/\d+/g).slice(0, 3).map(Number).reduce((a, b) => a + b, 0) / 3;
  assert.ok(luminance(await bg()) < 80, `dark background: ${await bg()}`);
  await z.page.selectOption('#scheme', 'light');
  await z.app.waitForFunction(() => {
    const c = getComputedStyle(document.body).backgroundColor.match(/\d+/g).slice(0, 3).map(Number);
    return (c[0] + c[1] + c[2]) / 3 > 180;
  });
});

test('Zendesk: no serious or critical accessibility violations, light and dark', async () => {
  for (const scheme of ['light', 'dark']) {
    const z = await zendesk(`?scheme=${scheme}`, { colorScheme: scheme });
    await z.app.getByRole('button', { name: 'Generate Session Key' }).click();
    await z.app.getByLabel('Session Key', { exact: true }).waitFor();
    await assertAccessible(z.app, `zendesk sidebar (${scheme})`);
    await assertAccessible(z.page, `zendesk demo page (${scheme})`);
    assert.deepEqual(z.errors, []);
  }
});

test('Zendesk: the ticket history lists past sessions newest first', async () => {
  const z = await zendesk();
  const rows = z.app.locator('table tbody tr');
  await rows.first().waitFor();
  assert.ok((await rows.count()) >= 2, 'the sandbox has sessions for ticket 4711');
  assert.match(await rows.first().innerText(), /Alice/);
});

test('Help Center: Get Support Now opens click-to-chat with the request id, without any .wasm request', async () => {
  const s = await openPage(suite.browser);
  const wasm = [];
  s.page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url()); });
  await s.page.goto(`${suite.broker.url}/demo/help-center/`);
  await waitReady(s.page);
  await s.page.getByLabel('What do you need help with?').selectOption('general_tech');
  await s.page.getByLabel('Your name (optional)').fill('Jane Doe & Co');
  const before = s.links.length;
  await s.page.getByRole('button', { name: 'Get Support Now' }).click();
  const { url, params } = await nextLink(s.links, before);
  assert.equal(url.pathname, '/api/start_session');
  assert.equal(params.c2cjs, '1');
  assert.equal(params.issue_menu, '1');
  assert.equal(params.codeName, 'general_tech');
  assert.equal(params['session.custom.external_key'], '1234');
  assert.equal(params['customer.name'], 'Jane Doe & Co');
  assert.deepEqual(wasm, [], 'Guide cannot host .wasm: it is inlined');
  await assertAccessible(s.page, 'help center page');
  assert.deepEqual(s.errors, []);
});
