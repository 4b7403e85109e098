// End-to-end: the Salesforce write-back in the demo. A demo session started
// from the Case ends on the sandbox appliance, which posts its outbound
// events to the sandbox broker; the broker signs in to the Salesforce
// stand-in (JWT bearer flow) and upserts one BeyondTrust_Session__c record,
// which both exit surveys fill in too; the demo's Case page lists it in its
// BeyondTrust Sessions related list. A Zendesk ticket's session, ended
// next to it, does not show up on the Case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoSuite, openPage, assertAccessible } from './harness.mjs';

const suite = demoSuite();
const CASE_ID = '5003000000D8cuIAAR';

test("Salesforce demo: a Case's finished session appears once in its BeyondTrust Sessions related list", async () => {
  const s = await openPage(suite.browser);
  const dialogs = [];
  s.page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await s.page.goto(`${suite.broker.url}/demo/salesforce/?view=case-id`);
  const related = s.page.getByRole('region', { name: 'BeyondTrust Sessions' });
  await related.getByRole('status').filter({ hasText: 'No BeyondTrust sessions on this case yet.' }).waitFor();

  const end = async (key) => {
    const res = await fetch(`${suite.broker.sandbox}/__sandbox/end-session?external_key=${key}`, { method: 'POST' });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()).lsid;
  };
  const lsid = await end(CASE_ID);
  await end('4711');

  const rows = related.getByRole('table').locator('tbody tr');
  await rows.first().waitFor({ timeout: 30000 });
  // The surveys land on the same record: still one row.
  await s.page.waitForTimeout(2500);
  assert.equal(await rows.count(), 1, 'one record for the session and both surveys; none for the Zendesk ticket');
  assert.equal(await rows.first().getAttribute('data-lsid'), lsid);
  const cells = await rows.first().locator('td').allInnerTexts();
  assert.equal(cells[1], 'Alice', 'primary rep');
  assert.equal(cells[2], 'Jane Doe', 'primary customer');
  assert.equal(cells[3], '15 min 2 s', 'duration');
  const chat = rows.first().getByRole('link', { name: 'Chat transcript' });
  assert.match(await chat.getAttribute('href'), /^http:\/\/127\.0\.0\.1:\d+\/session_download\.ns\?lsid=/);
  assert.match(await related.getByRole('status').innerText(), /1 BeyondTrust session on this case\./);
  assert.deepEqual(dialogs, []);

  await assertAccessible(s.page, 'Salesforce demo with its related list');
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
