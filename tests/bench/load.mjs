// `cargo xtask bench load`: median time to `bt-ready` over cold loads of each
// demo, next to a plain-JS page of the same layout served the same way.
// Prints a markdown table on stdout. Cold = a new browser context (empty
// cache) per load; time = from the top page's navigation start to the app's
// `bt-ready` mark (inside its frame where the host frames it), read without
// touching the page before it is ready (see timeToReady).
import { startBroker, launchBrowser } from '../e2e/harness.mjs';

// 20: with 10 the ratios of two runs on the same build differed by up to 0.15.
const RUNS = Number(process.env.BT_LOAD_RUNS || 20);
const CASES = [
  { name: 'Zendesk sidebar', wasm: '/demo/zendesk/', plain: '/demo/zendesk/?app=plain', frame: '#app' },
  { name: 'Help Center click-to-chat', wasm: '/demo/help-center/', plain: '/demo/help-center/?app=plain' },
  { name: 'Salesforce Case (Session Key)', wasm: '/demo/salesforce/?view=session-key', plain: '/demo/salesforce/?view=session-key&app=plain', frame: 'iframe' },
  { name: 'Halo Jump To page', wasm: '/apps/halo/index.html?asset=PC-0042&ticket=88', plain: '/bench/plain.html?layout=jump' },
];

// How the time is read matters on a 2-core machine. Playwright's `goto`
// resolves at the page's load event, and its next call (`waitForFunction`,
// `waitForSelector`) first injects Playwright's own script into the page:
// about 20 ms of the renderer's main thread (a trace shows it as one
// `EvaluateScript` task). A page still starting then, like a wasm app whose
// module has run but whose first view has not, pays that inside the
// measured time; a page already ready does not. So nothing is asked of the
// page until it is ready: a script added before the page's own marks
// `bt-ready` from a PerformanceObserver and calls a binding, which costs
// the page one small function.
async function timeToReady(browser, url, frameSelector) {
  const context = await browser.newContext();
  let resolve;
  const marked = new Promise((r) => { resolve = r; });
  await context.exposeBinding('__btBenchReady', ({ frame }, at) => resolve({ frame, at }));
  await context.addInitScript(() => {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.name === 'bt-ready') window.__btBenchReady(performance.timeOrigin + e.startTime);
      }
    }).observe({ type: 'mark', buffered: true });
  });
  const page = await context.newPage();
  const navigated = page.goto(url, { waitUntil: 'commit' });
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no bt-ready from ${url} in 30 s`)), 30000); });
  const { frame, at: readyAt } = await Promise.race([marked, timeout]).finally(() => clearTimeout(timer));
  await navigated;
  // The mark must come from the app: the top page, or the frame asked for.
  const app = frameSelector ? await (await page.waitForSelector(frameSelector)).contentFrame() : page.mainFrame();
  if (frame !== app) throw new Error(`bt-ready of ${url} came from ${frame.url()}, not from the app's frame`);
  const start = await page.evaluate(() => performance.timeOrigin);
  await context.close();
  return readyAt - start;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const broker = await startBroker();
const browser = await launchBrowser();
try {
  const rows = [];
  for (const c of CASES) {
    await timeToReady(browser, broker.url + c.wasm, c.frame); // warm the server, not the browser
    const wasm = [];
    const plain = [];
    for (let i = 0; i < RUNS; i++) {
      wasm.push(await timeToReady(browser, broker.url + c.wasm, c.frame));
      plain.push(await timeToReady(browser, broker.url + c.plain, c.frame));
    }
    const w = median(wasm);
    const p = median(plain);
    rows.push(`| ${c.name} | ${w.toFixed(1)} | ${p.toFixed(1)} | ${(w / p).toFixed(2)} |`);
  }
  console.log(`Median of ${RUNS} cold loads (new browser context each), navigation start → \`bt-ready\` (reported by a PerformanceObserver through a binding; nothing of Playwright's injected into the page before), headless Chromium, served by \`bt-broker --sandbox\` (debug build) on loopback.\n`);
  console.log('| demo | wasm app (ms) | plain-JS page, same layout (ms) | ratio |\n|---|---:|---:|---:|');
  console.log(rows.join('\n'));
} finally {
  await browser.close();
  broker.stop();
}
