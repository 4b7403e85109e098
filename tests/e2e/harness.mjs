// Shared set-up for the end-to-end tests: the real broker binary in sandbox
// mode serving the real release bundles, and Debian's Chromium driven by
// playwright-core (never a downloaded browser).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import assert from 'node:assert/strict';
import { before, after } from 'node:test';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'tools/package.json'));
const { chromium } = require('playwright-core');
export const axeSource = require('fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Starts `bt-broker --sandbox` on an ephemeral port; resolves once it listens. */
export async function startBroker() {
  const bin = process.env.BT_BROKER_BIN || path.join(root, 'target/debug/bt-broker');
  const child = spawn(bin, ['--sandbox', '--port', '0', '--static', 'static', '--dist', 'target/dist', '--packages', 'target/packages'], {
    cwd: root,
    env: { ...process.env, RUST_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('broker did not start:\n' + out + err)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/broker\s*:\s*(http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1].replace(/\/$/, '')); }
    });
    child.on('exit', (code) => reject(new Error(`broker exited (${code}):\n${out}${err}`)));
  });
  const sandbox = out.match(/sandbox appliance\s*:\s*(http:\/\/\S+)/)[1].replace(/\/$/, '');
  return { url, sandbox, logs: () => out + err, stop: () => child.kill('SIGTERM') };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-dev-shm-usage', '--disable-sync', '--disable-quic'],
  });
}

/**
 * A page that records console errors and every appliance link the widgets
 * open (client_script, start_session), answering them with an empty page.
 */
export async function openPage(browser, { colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ colorScheme });
  const page = await context.newPage();
  const errors = [];
  const links = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await context.route(/\/api\/(client_script|start_session)/, (route) => {
    links.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/plain', body: 'intercepted by the e2e test' });
  });
  return { context, page, errors, links };
}

/** Waits until `frame` (page or frame) has marked `bt-ready`. */
export async function waitReady(frame) {
  await frame.waitForFunction(() => performance.getEntriesByName('bt-ready').length > 0, null, { timeout: 30000 });
}

/** Waits for the next recorded link and returns its decoded query. */
export async function nextLink(links, before) {
  const deadline = Date.now() + 10000;
  while (links.length <= before) {
    if (Date.now() > deadline) throw new Error('no appliance link was opened');
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = new URL(links[before]);
  return { url, params: Object.fromEntries(url.searchParams) };
}

/** axe-core in `frame`: no serious or critical violations. */
export async function assertAccessible(frame, label) {
  await frame.evaluate(axeSource);
  const result = await frame.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  });
  assert.deepEqual(result, [], `${label}: axe found serious/critical violations`);
}

/**
 * Registers before/after hooks that start one broker and one browser for
 * the test file; the returned object holds them once `before` has run.
 */
export function demoSuite() {
  const suite = { broker: null, browser: null };
  before(async () => {
    suite.broker = await startBroker();
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    suite.broker?.stop();
  });
  return suite;
}

/** Chooses a Jump form in the widget's "Jump method" list, as an agent does first. */
export async function pickJumpMethod(frame, name) {
  await frame.getByLabel('Jump method', { exact: true }).selectOption({ label: name });
}
