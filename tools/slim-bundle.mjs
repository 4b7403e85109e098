// Finishes trunk's release bundles: minifies the wasm-bindgen JS glue with
// terser, drops the stream adapters nothing can call, and brings the page's
// Subresource Integrity hashes up to date.
//
//   node tools/slim-bundle.mjs target/dist/APP [...]   (run by `cargo xtask build`)
//
// 1. Trunk's JS minifier cannot parse the glue wasm-bindgen 0.2.130 writes
//    and leaves it as written (~40 KB, commented and indented).
// 2. Leptos always links server_fn's browser transport, and with it
//    wasm-streams, whose `IntoUnderlyingSource` / `IntoUnderlyingByteSource`
//    / `IntoUnderlyingSink` are `#[wasm_bindgen]` exports: LTO and wasm-opt
//    must keep them. They back a JS ReadableStream/WritableStream made from a
//    Rust stream (server functions that stream); the widgets call no server
//    function, the glue has no way to make an instance (no constructor, no
//    `__wrap`), so the exports, the code only they reach and their JS classes
//    are removed here. If the glue ever refers to them afterwards, this fails.
// 3. The page preloads glue and wasm with `integrity=sha384-...`, which must
//    match the final bytes or the browser refuses them.
//
// Running it twice is harmless: the second run finds nothing to drop and
// minified glue minifies to itself.

import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";
import binaryen from "binaryen";

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error("usage: node tools/slim-bundle.mjs DIST_DIR [...]");
  process.exit(2);
}

const fail = (message) => {
  console.error(message);
  process.exit(1);
};
const sri = (bytes) => "sha384-" + createHash("sha384").update(bytes).digest("base64");
const STREAM_EXPORT = /^(__wbg_)?intounderlying/;

/// Removes the stream adapters' exports from the wasm; returns the new bytes
/// (or null when there are none, e.g. on a second run).
function dropStreamExports(bytes) {
  const module = binaryen.readBinary(bytes);
  try {
    // The features the apps' index.html give wasm-opt (data-wasm-opt-params),
    // no more: binaryen writes newer encodings when allowed, which browsers
    // reject ("Invalid import kind").
    const F = binaryen.Features;
    module.setFeatures(
      F.MutableGlobals | F.NontrappingFPToInt | F.BulkMemory | F.BulkMemoryOpt | F.SignExt | F.ReferenceTypes | F.Multivalue,
    );
    const names = [];
    for (let i = 0; i < module.getNumExports(); i++) {
      names.push(binaryen.getExportInfo(module.getExportByIndex(i)).name);
    }
    const drop = names.filter((name) => STREAM_EXPORT.test(name));
    if (drop.length === 0) return null;
    for (const name of drop) module.removeExport(name);
    // Only what the removed exports alone reached goes; nothing is re-optimised.
    module.runPasses(["remove-unused-module-elements"]);
    if (!module.validate()) fail("slim-bundle: wasm invalid after dropping the stream exports");
    return Buffer.from(module.emitBinary());
  } finally {
    module.dispose();
  }
}

/// Unexports the stream adapter classes so terser drops them: their
/// `Symbol.dispose` assignments go, their FinalizationRegistry is pure.
function dropStreamClasses(js) {
  return js
    .replace(/^export class (IntoUnderlying\w+) \{/gm, "class $1 {")
    .replace(/^if \(Symbol\.dispose\) IntoUnderlying\w+\.prototype\[Symbol\.dispose\] = IntoUnderlying\w+\.prototype\.free;$/gm, "")
    .replace(/^(const IntoUnderlying\w+Finalization = [^\n]*\n[^\n]*\n\s*: )new FinalizationRegistry/gm, "$1/*#__PURE__*/new FinalizationRegistry");
}

for (const dir of dirs) {
  const files = readdirSync(dir);
  // The glue is the .js next to its `_bg.wasm` (same app name and hash).
  const glue = files.filter((f) => f.endsWith(".js") && files.includes(f.replace(/\.js$/, "_bg.wasm")));
  if (glue.length !== 1) fail(`${dir}: expected one wasm-bindgen glue file, found ${glue.length}`);
  const jsPath = join(dir, glue[0]);
  const wasmPath = jsPath.replace(/\.js$/, "_bg.wasm");
  const htmlPath = join(dir, "index.html");
  let html = readFileSync(htmlPath, "utf8");

  const jsBefore = readFileSync(jsPath);
  const wasmBefore = readFileSync(wasmPath);
  const wasmAfter = dropStreamExports(wasmBefore);
  let source = jsBefore.toString("utf8");
  if (wasmAfter) source = dropStreamClasses(source);
  const result = await minify(source, {
    module: true,
    ecma: 2020,
    compress: { passes: 2 },
    mangle: true,
    format: { ast: true, code: false },
  });
  // One top-level statement per line, `export {` spaced as wasm-bindgen
  // writes it: the help-center package turns the glue into a classic script
  // line by line (xtask/src/package/help_center.rs, `export ` starting a line).
  const code = result.ast.body
    .map((statement) => statement.print_to_string({ comments: false }).replace(/^export\{/, "export {"))
    .join("\n");
  const jsAfter = Buffer.from(code, "utf8");
  if (/intounderlying/i.test(code)) {
    fail(
      `${jsPath}: the glue still refers to the removed stream adapters ` +
        "(glue already minified by an older build: run `cargo xtask build` again; else wasm-bindgen changed how it writes them)",
    );
  }

  for (const [path, before, after] of [
    [jsPath, jsBefore, jsAfter],
    [wasmPath, wasmBefore, wasmAfter],
  ]) {
    if (!after) continue;
    const hash = sri(before);
    if (!html.includes(hash)) fail(`${htmlPath}: no integrity=${hash} for ${path}`);
    writeFileSync(path, after);
    html = html.split(hash).join(sri(after));
  }
  writeFileSync(htmlPath, html);
  console.log(
    `${glue[0]}: glue ${jsBefore.length} -> ${jsAfter.length} bytes` +
      (wasmAfter ? `, wasm ${wasmBefore.length} -> ${wasmAfter.length} bytes (stream adapters dropped)` : ""),
  );
}
