// Runs TypeScript files by transpiling each with esbuild as it is required (`npm run typecheck` does the type-checking,
// once). Usage: `node -r ./tooling/register.js scripts/plan.ts`, and mocha's `require`.
//
// A few lines by hand rather than esbuild-register or tsx: both switch on Node's source maps for every module, which
// reads and parses the maps of @pulumi/pulumi's thousand files in every process (about half a second each); here only
// this project's maps are kept, and read only when a stack trace is printed. Transpiled files are kept in
// node_modules/.cache/register, so a process whose sources did not change never starts esbuild.
"use strict";
const { readFileSync, realpathSync } = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { keepCompiledCode } = require("./code-cache");
const { transpile } = require("./transpile");

const root = path.join(__dirname, "..");
const inside = (folder, filename) => filename.startsWith(folder + path.sep);
// The project whose node_modules holds the cache: a test's checkout links its node_modules to this one's.
const cacheOwner = path.dirname(realpathSync(path.join(root, "node_modules")));
// Not a file of another folder in the temporary one (a test's checkout of the project): its name never comes back, so
// its code would only pile up in the cache. The cache owner's own files are kept wherever it was cloned.
keepCompiledCode({
  keeps: (filename) => inside(cacheOwner, filename) || !inside(os.tmpdir(), filename),
});

/**
 * Under `tooling/coverage/run.js`, the project's files get istanbul's counters; not those of another checkout of it (a
 * test's, a preview's base commit), whose processes inherit the variables.
 */
const coverage =
  process.env.PIPELINES_COVERAGE_DIR && process.env.PIPELINES_COVERAGE_ROOT === root
    ? require("./coverage/collect")
    : undefined;
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

require.extensions[".ts"] = (module, filename) => {
  let compiled = transpile(filename, readFileSync(filename, "utf8"));
  if (coverage?.covers(filename)) compiled = coverage.instrument(filename, compiled);
  sourceMaps.set(filename, compiled.map);
  module._compile(compiled.code, filename);
};
