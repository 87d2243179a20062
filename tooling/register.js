// Runs TypeScript files by transpiling each with esbuild as it is required (`npm run typecheck` does the type-checking,
// once). Usage: `node -r ./tooling/register.js scripts/plan.ts`, and mocha's `require`.
//
// A few lines by hand rather than esbuild-register or tsx: both switch on Node's source maps for every module, which
// reads and parses the maps of @pulumi/pulumi's thousand files in every process (about half a second each); here only
// this project's maps are kept, and read only when a stack trace is printed. Transpiled files are kept in
// node_modules/.cache/register, so a process whose sources did not change never starts esbuild.
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");
const { keepCompiledCode } = require("./code-cache");
const { cacheRoot, cachedJson } = require("./json-cache");

// Under coverage only the packages' code is kept: Node records a file's source map for c8 only when it compiles the file.
keepCompiledCode({
  keeps: process.env.NODE_V8_COVERAGE
    ? (filename) => filename.includes(`${path.sep}node_modules${path.sep}`)
    : undefined,
});

const root = path.join(__dirname, "..");
const { compilerOptions } = JSON.parse(readFileSync(path.join(root, "tsconfig.json"), "utf8"));
const cacheDir = path.join(cacheRoot, "register");
const options = {
  loader: "ts",
  format: "cjs",
  target: "node20",
  // Inline for coverage (c8 reads the maps Node keeps while it records coverage), and apart for stack traces.
  sourcemap: "both",
  tsconfigRaw: { compilerOptions },
};
const esbuildVersion = require("esbuild/package.json").version;
/** Source maps of the files transpiled in this process, by file name. */
const sourceMaps = new Map();

// source-map-support (and the source-map parser under it) loads when the first stack trace is formatted, not in every
// process: most never print one.
Error.prepareStackTrace = (error, frames) => {
  require("source-map-support").install({
    environment: "node",
    handleUncaughtExceptions: false,
    overrideRetrieveSourceMap: true,
    retrieveSourceMap: (file) =>
      sourceMaps.has(file) ? { url: file, map: sourceMaps.get(file) } : null,
  });
  return Error.prepareStackTrace(error, frames);
};

// Keyed by the file's name without its folder (its map names the source beside it), so another checkout of the same
// code, such as the base commit the pull-request preview installs, finds the files this one already transpiled.
function transpile(filename, source) {
  const sourcefile = path.basename(filename);
  return cachedJson(
    cacheDir,
    `${esbuildVersion}\0${JSON.stringify(options)}\0${sourcefile}\0${source}`,
    () => {
      const { code, map } = require("esbuild").transformSync(source, { ...options, sourcefile });
      return { code, map };
    },
  );
}

require.extensions[".ts"] = (module, filename) => {
  const { code, map } = transpile(filename, readFileSync(filename, "utf8"));
  sourceMaps.set(filename, map);
  module._compile(code, filename);
};
