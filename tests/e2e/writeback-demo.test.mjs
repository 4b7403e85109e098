// End-to-end: the session write-back in the demo. The sandbox appliance
// ends a demo session and posts its outbound events to the sandbox broker,
// which writes the session and both exit surveys as internal notes into the
// Zendesk stand-in; the demo's Zendesk ticket page shows them in the
// ticket's thread, the customer's hostile chat text as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoSuite, openPage, assertAccessible } from './harness.mjs';

const suite = demoSuite();

test('Zendesk demo: a demo session that ends appears in the ticket thread as internal notes, user text as text', async () => {
  const s = await openPage(suite.browser);
  const dialogs = [];
  s.page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await s.page.goto(`${suite.broker.url}/demo/zendesk/`);
  await s.page.waitForSelector('#app');
  assert.equal(await s.page.locator('#thread .thread-comment').count(), 0, 'no note before the session ends');

  // A rep ends the session on the appliance: it posts the end event and both
  // exit-survey events to the broker, as an appliance posts to its recipient.
  const res = await fetch(`${suite.broker.sandbox}/__sandbox/end-session?external_key=4711`, { method: 'POST' });
  assert.equal(res.status, 200, await res.clone().text());
  const { lsid } = await res.json();
  assert.match(lsid, /^[0-9a-f]+$/);

  // The page polls the thread: the three notes appear without a reload.
  await s.page.waitForFunction(() => document.querySelectorAll('#thread .thread-comment').length >= 3, null, { timeout: 30000 });
  const thread = s.page.getByRole('list', { name: 'Ticket thread' });
  const items = thread.getByRole('listitem');
  assert.equal(await items.count(), 3, 'the session and both surveys, once each');
  const texts = await items.allInnerTexts();
  const note = (kind) => {
    const found = texts.find((t) => t.includes(`bt-session: ${lsid}/${kind}`));
    assert.ok(found, `a ${kind} note in the thread: ${texts.join('\n---\n')}`);
    return found;
  };
  const session = note('session');
  const customer = note('customer_survey');
  const rep = note('rep_survey');
  for (const t of [session, customer, rep]) assert.match(t, /^Internal note · /, t);
  assert.equal(await s.page.locator('#thread .thread-comment.internal').count(), 3, 'styled as internal notes');

  // The transcript and the survey, with what the customer wrote as written.
  assert.ok(session.includes("Hi, my printer shows <script>alert('pwned')</script> & won't print"), session);
  assert.ok(session.includes('yes <img src=x onerror=alert(document.cookie)> it is'), session);
  assert.ok(session.includes('printer-fix.reg'), 'the file transfer');
  assert.ok(session.includes('Reinstalled the printer driver; spooler restarted.'), 'the session note');
  assert.ok(customer.includes('How satisfied were you?') && customer.includes('Very satisfied'), customer);
  assert.ok(customer.includes('Great help <b>thanks</b>!'), customer);
  assert.ok(rep.includes('Was the issue resolved?'), rep);
  // Text, never markup: no element came from the notes, nothing ran.
  assert.equal(await s.page.locator('#thread script, #thread img, #thread b').count(), 0);
  assert.deepEqual(dialogs, []);
  assert.match(await s.page.locator('#thread-status').innerText(), /internal notes? added to the ticket/);

  await assertAccessible(s.page, 'Zendesk demo with its thread (light)');
  await s.page.locator('#scheme').selectOption('dark');
  await assertAccessible(s.page, 'Zendesk demo with its thread (dark)');
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
