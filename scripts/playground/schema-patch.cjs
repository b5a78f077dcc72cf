/*
 * Preload for the Microsoft 365 Agents Playground (0.2.28): lifts two limits of its config schema at load
 * time, without touching node_modules:
 *   - team.channels: "maxItems": 1  -> unlimited (the UI and connector handle any number of channels)
 *   - users:         exactly 5      -> at least 1
 * Usage: node -r ./scripts/playground/schema-patch.cjs node_modules/@microsoft/m365agentsplayground/cli.js ...
 * If the bundle changes and a pattern is not found, it prints a warning and leaves the code as is.
 */
'use strict';
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

const TARGET = path.join('m365agentsplayground', 'dist', 'index.js');
const PATCHES = [
  ['"maxItems":1,"items":{"$ref":"#/$defs/Channel"}', '"items":{"$ref":"#/$defs/Channel"}'],
  ['"minItems":5,"maxItems":5', '"minItems":1'],
];

const originalJs = Module._extensions['.js'];
Module._extensions['.js'] = function patchedJs(module, filename) {
  if (!filename.endsWith(TARGET)) return originalJs(module, filename);
  let src = fs.readFileSync(filename, 'utf8');
  for (const [from, to] of PATCHES) {
    if (src.includes(from)) src = src.replace(from, to);
    else process.stderr.write(`[schema-patch] pattern not found, not patched: ${from}\n`);
  }
  module._compile(src, filename);
};
