// Screenshots of the demos for docs/screenshots/ (run: node tests/bench/screenshots.mjs
// after `cargo xtask package`). Not a test: it only records what users see.
import { startBroker, launchBrowser, waitReady } from '../e2e/harness.mjs';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { root } from '../e2e/harness.mjs';

const out = path.join(root, 'docs/screenshots');
mkdirSync(out, { recursive: true });
const broker = await startBroker();
const browser = await launchBrowser();
try {
  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1200, height: 1400 } });
    const page = await context.newPage();
    await context.route(/\/api\/(client_script|start_session)/, (r) => r.fulfill({ status: 204 }));

    await page.goto(`${broker.url}/demo/zendesk/?scheme=${scheme}`);
    const app = await (await page.waitForSelector('#app')).contentFrame();
    await waitReady(app);
    await app.getByRole('button', { name: 'Generate Session Key' }).click();
    await app.getByLabel('Session Key', { exact: true }).waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(out, `zendesk-${scheme}.png`), fullPage: true });

    await page.goto(`${broker.url}/demo/help-center/`);
    await waitReady(page);
    await page.screenshot({ path: path.join(out, `help-center-${scheme}.png`), fullPage: true });

    await page.goto(`${broker.url}/demo/salesforce/?scheme=${scheme}`);
    await page.waitForFunction(() => document.querySelectorAll('iframe').length >= 6);
    for (const f of await page.$$('iframe')) await waitReady(await f.contentFrame());
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(out, `salesforce-${scheme}.png`), fullPage: true });

    await page.goto(`${broker.url}/apps/halo/index.html?asset=PC-0042&ticket=88&theme=${scheme}`);
    await waitReady(page);
    await page.screenshot({ path: path.join(out, `halo-${scheme}.png`), fullPage: true });
    await context.close();
  }
} finally {
  await browser.close();
  broker.stop();
}
