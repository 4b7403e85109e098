// End-to-end: the demo's agent choice (alice logged in, bob logged out,
// carol logged in), on the Zendesk and Salesforce demo pages, by keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoSuite, openPage, waitReady, assertAccessible } from './harness.mjs';

const suite = demoSuite();
const NOT_LOGGED_IN = 'No one is logged in to the representative console as you';
/** The warning as shown (the panel keeps it in the page, hidden, while it does not apply). */
const warning = (frame) => frame.locator('p.bt-warning:not([hidden])', { hasText: NOT_LOGGED_IN });

/** The Zendesk demo as `agent` (none: the default); its sidebar frame. */
async function zendeskAs(s, query) {
  await s.page.goto(`${suite.broker.url}/demo/zendesk/${query}`);
  const app = await (await s.page.waitForSelector('#app')).contentFrame();
  await waitReady(app);
  // The console status call has answered once the panel has settled.
  await app.waitForFunction(() => !document.querySelector('.bt-session-key [aria-busy=true]'));
  await app.waitForTimeout(300);
  return app;
}

test('Demo: the Zendesk page lets the visitor choose the agent by keyboard, and each state shows', async () => {
  const s = await openPage(suite.browser);
  let app = await zendeskAs(s, '');
  const chooser = s.page.getByRole('navigation', { name: 'Demo agent' });
  assert.equal(await chooser.getByRole('link').count(), 3);
  assert.equal(await chooser.locator('[aria-current]').innerText(), 'alice (logged in)');
  assert.equal(await warning(app).count(), 0, 'alice is logged in');

  // Keyboard only: Tab to bob's link, Enter.
  const bob = chooser.getByRole('link', { name: 'bob (logged out)' });
  await bob.focus();
  await Promise.all([s.page.waitForURL(/agent=bob/), s.page.keyboard.press('Enter')]);
  app = await zendeskAs(s, '?agent=bob');
  await warning(app).waitFor();
  assert.equal(await s.page.getByRole('navigation', { name: 'Demo agent' }).locator('[aria-current]').innerText(), 'bob (logged out)');
  await assertAccessible(s.page, 'zendesk demo page with the agent choice');

  app = await zendeskAs(s, '?agent=carol');
  await app.getByRole('button', { name: 'Generate Session Key' }).click();
  await app.getByLabel('Session Key', { exact: true }).waitFor();
  assert.equal(await warning(app).count(), 0, 'carol is logged in');
  assert.deepEqual(s.errors, []);
});

test('Demo: the Salesforce page offers the same agent choice', async () => {
  const s = await openPage(suite.browser);
  await s.page.goto(`${suite.broker.url}/demo/salesforce/?view=session-key&agent=bob`);
  const frame = await (await s.page.waitForSelector('iframe[data-view="session-key"]')).contentFrame();
  await waitReady(frame);
  const chooser = s.page.getByRole('navigation', { name: 'Demo agent' });
  assert.equal(await chooser.locator('[aria-current]').innerText(), 'bob (logged out)');
  await warning(frame).waitFor();
  await assertAccessible(s.page, 'salesforce demo page with the agent choice');
});
