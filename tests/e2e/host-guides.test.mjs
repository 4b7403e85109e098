// The host guides quote the UI word for word. In docs/hosts/*.md, in a
// section whose heading says "Troubleshooting", the first cell of each table
// row ("you see") may quote what the page shows in straight double quotes;
// `…` inside a quote stands for a part that varies. Text from elsewhere (the
// browser, the original integration) is written in *italics* and not
// checked, nor is `code` or **bold** markup. Every quote must appear in the
// texts the UI shows: the widgets' English catalogue, the broker's error
// messages (shown after "Details:"), and the Salesforce component and Apex
// class messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Not from harness.mjs: this check needs no browser (nor tools/node_modules).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const SOURCES = [
  'components/i18n/src/en.rs',
  // What the broker itself says (not its sandbox appliance's messages).
  'apps/broker/src/error.rs',
  'apps/broker/src/handlers.rs',
  'apps/broker/src/auth.rs',
  'salesforce-lwc-wrapper/force-app/main/default/lwc',
  'salesforce-lwc-wrapper/force-app/main/default/classes',
];

function files(rel) {
  const abs = path.join(root, rel);
  assert.ok(fs.existsSync(abs), `${rel} is where this check reads the UI texts`);
  if (!fs.statSync(abs).isDirectory()) return [abs];
  return fs.readdirSync(abs, { recursive: true }).map((f) => path.join(abs, f))
    .filter((f) => /\.(rs|js|cls)$/.test(f) && !f.includes('__tests__') && fs.statSync(f).isFile());
}

/** Source text with string escapes and literal concatenations undone, whitespace collapsed. */
function uiText() {
  const all = SOURCES.flatMap(files);
  return all.map((f) => fs.readFileSync(f, 'utf8')).join('\n')
    .replace(/\\\n\s*/g, '')          // Rust line continuations
    .replace(/'\s*\+\s*'/g, '')       // Apex / JS 'a ' + 'b'
    .replace(/\\(['"])/g, '$1')
    .replace(/\s+/g, ' ');
}

/** The quotes of the troubleshooting tables' first cells: [{ file, line, quote }]. */
function guideQuotes() {
  const dir = path.join(root, 'docs/hosts');
  const quotes = [];
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.md'))) {
    let inSection = false;
    fs.readFileSync(path.join(dir, name), 'utf8').split('\n').forEach((line, i) => {
      if (/^#{1,6} /.test(line)) inSection = /troubleshoot/i.test(line);
      if (!inSection || !line.startsWith('|') || /^\|[-\s|:]+\|$/.test(line)) return;
      const cell = line.split(/(?<!\\)\|/)[1]
        .replace(/`[^`]*`/g, '').replace(/\*\*/g, '').replace(/\*[^*]*\*/g, '').replace(/\\\|/g, '|');
      assert.equal((cell.match(/"/g) || []).length % 2, 0, `docs/hosts/${name}:${i + 1}: unbalanced quotes in "${cell.trim()}"`);
      for (const m of cell.matchAll(/"([^"]+)"/g)) quotes.push({ where: `docs/hosts/${name}:${i + 1}`, quote: m[1] });
    });
  }
  return quotes;
}

test('Host guides: every UI text quoted in a troubleshooting table is what the UI says', () => {
  const text = uiText();
  const quotes = guideQuotes();
  assert.ok(quotes.length >= 10, `the troubleshooting tables quote the UI (found ${quotes.length}): is the format still the one above?`);
  const wrong = quotes.filter(({ quote }) => !quote.split('…').map((part) => part.trim().replace(/\s+/g, ' '))
    .filter(Boolean).every((part) => text.includes(part)));
  assert.deepEqual(wrong.map(({ where, quote }) => `${where}: "${quote}"`), [], 'quotes the UI sources do not contain');
});
