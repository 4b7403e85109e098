// Wraps the ZAF SDK's CommonJS sources (npm zendesk_app_framework_sdk,
// Apache-2.0) into one browser script that defines `window.ZAFClient`.
// Used for the local Zendesk demo, where Zendesk's hosted SDK cannot be
// loaded; the packaged app loads Zendesk's hosted SDK instead.
// Usage: node tools/bundle-zaf-sdk.mjs OUT.js
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lib = join(dirname(fileURLToPath(import.meta.url)), 'node_modules/zendesk_app_framework_sdk/lib');
const modules = ['./index', './client', './utils', './vendor/native-promise-only'];
const out = process.argv[2];
if (!out) {
  console.error('usage: node bundle-zaf-sdk.mjs OUT.js');
  process.exit(2);
}

// Relative requires are resolved against the requiring module's folder.
const body = modules.map((name) => {
  const source = readFileSync(join(lib, name + '.js'), 'utf8');
  return `${JSON.stringify(name)}: function (module, exports, require) {\n${source}\n}`;
}).join(',\n');

const bundle = `/* ZAF SDK (zendesk_app_framework_sdk, Apache-2.0), bundled for the local demo. */
(function () {
  var defs = {\n${body}\n};
  var cache = {};
  function resolve(from, name) {
    if (name.indexOf('./') !== 0) return name;
    var base = from.slice(0, from.lastIndexOf('/') + 1);
    var parts = (base + name.slice(2)).split('/');
    var outParts = [];
    parts.forEach(function (p) { if (p === '..') outParts.pop(); else if (p !== '.') outParts.push(p); });
    return './' + outParts.join('/');
  }
  function load(name) {
    if (cache[name]) return cache[name].exports;
    var module = cache[name] = { exports: {} };
    defs[name](module, module.exports, function (dep) { return load(resolve(name, dep)); });
    return module.exports;
  }
  window.ZAFClient = load('./index');
})();
`;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, bundle);
