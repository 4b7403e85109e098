// Minifies the wasm-bindgen JS glue of trunk release bundles with terser and
// brings the page's Subresource Integrity hashes up to date.
//
// Trunk's own JS minifier gives up on the glue wasm-bindgen 0.2.130 writes
// (it leaves the file as it is, with a warning in trunk's debug log), so the
// bundle would ship ~40 KB of commented, indented JS. `cargo xtask build`
// runs this after each trunk build:
//
//   node tools/minify-glue.mjs target/dist/APP [...]
//
// The glue is an ES module imported by the page's inline script (`init` and
// the bindings), so exports keep their names; everything else may be renamed.
// The page preloads the glue with `integrity=sha384-...`, which must match
// the minified bytes or the browser refuses the script. Running it twice is
// harmless: minified glue minifies to itself.

import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error("usage: node tools/minify-glue.mjs DIST_DIR [...]");
  process.exit(2);
}

const sri = (bytes) => "sha384-" + createHash("sha384").update(bytes).digest("base64");

for (const dir of dirs) {
  const htmlPath = join(dir, "index.html");
  let html = readFileSync(htmlPath, "utf8");
  // The glue is the .js file next to its `_bg.wasm` (trunk names both
  // after the app and the same content hash).
  const glue = readdirSync(dir).filter(
    (name) => name.endsWith(".js") && readdirSync(dir).includes(name.replace(/\.js$/, "_bg.wasm")),
  );
  if (glue.length !== 1) {
    console.error(`${dir}: expected one wasm-bindgen glue file, found ${glue.length}`);
    process.exit(1);
  }
  const name = glue[0];
  const path = join(dir, name);
  const before = readFileSync(path);
  const result = await minify(before.toString("utf8"), {
    module: true,
    ecma: 2020,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  const after = Buffer.from(result.code, "utf8");
  const oldHash = sri(before);
  if (!html.includes(oldHash)) {
    console.error(`${htmlPath}: no integrity=${oldHash} for ${name}`);
    process.exit(1);
  }
  writeFileSync(path, after);
  html = html.split(oldHash).join(sri(after));
  writeFileSync(htmlPath, html);
  console.log(`${name}: ${before.length} -> ${after.length} bytes`);
}
