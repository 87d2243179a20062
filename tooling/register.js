// Runs TypeScript files by transpiling each with esbuild as it is required (`npm run typecheck` does the type-checking,
// once). Usage: `node -r ./tooling/register.js scripts/plan.ts`, and mocha's `require`.
//
// A few lines by hand rather than esbuild-register or tsx: both switch on Node's source maps for every module, which
// reads and parses the maps of @pulumi/pulumi's thousand files in every process (about half a second each); here only
// this project's maps are kept, and read only when a stack trace is printed.
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");
const { transformSync } = require("esbuild");

const { compilerOptions } = JSON.parse(readFileSync(path.join(__dirname, "..", "tsconfig.json"), "utf8"));
/** Source maps of the files transpiled in this process, by file name. */
const sourceMaps = new Map();

require("source-map-support").install({
  environment: "node",
  handleUncaughtExceptions: false,
  overrideRetrieveSourceMap: true,
  retrieveSourceMap: (file) => (sourceMaps.has(file) ? { url: file, map: sourceMaps.get(file) } : null),
});

require.extensions[".ts"] = (module, filename) => {
  const { code, map } = transformSync(readFileSync(filename, "utf8"), {
    loader: "ts",
    format: "cjs",
    target: "node20",
    // Inline for coverage (c8 reads the maps Node keeps while it records coverage), and apart for stack traces.
    sourcemap: "both",
    sourcefile: filename,
    tsconfigRaw: { compilerOptions },
  });
  sourceMaps.set(filename, map);
  module._compile(code, filename);
};
