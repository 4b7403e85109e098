// Shared set-up for the end-to-end tests: the real broker binary in sandbox
// mode serving the real release bundles, and Debian's Chromium driven by
// playwright-core (never a downloaded browser).
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { before, after } from 'node:test';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'tools/package.json'));
const { chromium } = require('playwright-core');
export const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Starts `bt-broker --sandbox` on an ephemeral port; resolves once it listens. */
export async function startBroker() {
  // `cargo xtask test` sets BT_BROKER_BIN; target/sandbox/ is where xtask puts
  // the sandbox build (target/debug/bt-broker is the production one after `cargo test`).
  const bin = process.env.BT_BROKER_BIN || path.join(root, 'target/sandbox/bt-broker');
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
 * A page that records console errors, every appliance link the widgets
 * open (client_script, start_session), answering them with an empty page,
 * and every request of its context (popups included) that failed or was
 * answered with a status >= 400 (`failures`, see assertNoFailedRequests).
 */
export async function openPage(browser, { colorScheme = 'light', locale } = {}) {
  const context = await browser.newContext({ colorScheme, ...(locale && { locale }) });
  const page = await context.newPage();
  const errors = [];
  const links = [];
  const failures = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  context.on('requestfailed', (r) => failures.push({ frame: r.frame(), what: `${r.url()}: ${r.failure()?.errorText}` }));
  context.on('response', (r) => { if (r.status() >= 400) failures.push({ frame: r.frame(), what: `${r.url()}: HTTP ${r.status()}` }); });
  await context.route(/\/api\/(client_script|start_session)/, (route) => {
    links.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/plain', body: 'intercepted by the e2e test' });
  });
  return { context, page, errors, links, failures };
}

/** No request made by `frame` (its own document included) failed or got a status >= 400. */
export function assertNoFailedRequests(session, frame, label) {
  const failed = session.failures.filter((f) => f.frame === frame).map((f) => f.what);
  assert.deepEqual(failed, [], `${label}: requests that failed`);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8', '.md': 'text/plain; charset=utf-8',
};

/**
 * A loopback HTTP server on an origin of its own, standing in for a host's
 * CDN or asset host. `mounts` maps URL path prefixes to a directory (its
 * files, no directory listing or index) or to `{ html }` (that page at
 * exactly that path). `headers` go on every answer (e.g. a Content-Security-Policy).
 * Anything else is a 404.
 */
export async function serve(mounts, { headers = {} } = {}) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const prefix = prefixes.find((p) => pathname === p || pathname.startsWith(p.endsWith('/') ? p : p + '/'));
    const send = (status, type, body) => { res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache', ...headers }); res.end(body); };
    if (prefix === undefined) return send(404, 'text/plain', 'not found');
    const mount = mounts[prefix];
    if (typeof mount === 'object') return pathname === prefix ? send(200, TYPES['.html'], mount.html) : send(404, 'text/plain', 'not found');
    const base = path.resolve(mount);
    const file = path.join(base, pathname.slice(prefix.length));
    if (!file.startsWith(base + path.sep) || !fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      return send(404, 'text/plain', 'not found');
    }
    send(200, TYPES[path.extname(file)] || 'application/octet-stream', fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }) };
}

/** A fresh temporary directory, removed by the returned `remove()`. */
export function tempDir(name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bt-e2e-${name}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Extracts `zip` into `dir` (python3's zipfile: no npm dependency), refusing entries outside it. */
export function unzip(zip, dir) {
  execFileSync('python3', ['-c', `import sys, zipfile, os
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.startswith('/') or '..' in n.split('/'): sys.exit('unsafe entry in the zip: ' + n)
z.extractall(sys.argv[2])`, zip, dir]);
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
