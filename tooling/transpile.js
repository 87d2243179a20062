// TypeScript to CommonJS by esbuild, one file at a time (`npm run typecheck` does the type-checking, once). Transpiled
// files are kept in node_modules/.cache/register, so a process whose sources did not change never starts esbuild.
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");
const { cacheRoot, cachedJson } = require("./json-cache");

const root = path.join(__dirname, "..");
const { compilerOptions } = JSON.parse(readFileSync(path.join(root, "tsconfig.json"), "utf8"));
const cacheDir = path.join(cacheRoot, "register");
const options = {
  loader: "ts",
  format: "cjs",
  target: "node20",
  // Apart from the code: read only when a stack trace is printed, or by the coverage report. Without the sources,
  // which stay in their files.
  sourcemap: "external",
  sourcesContent: false,
  tsconfigRaw: { compilerOptions },
};
const esbuildVersion = require("esbuild/package.json").version;

/**
 * The code of a TypeScript file and its source map (JSON). Keyed by the file's name without its folder (its map names
 * the source beside it), so another checkout of the same code, such as the base commit the pull-request preview
 * installs, finds the files this one already transpiled.
 */
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

module.exports = { transpile };
