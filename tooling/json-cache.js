// Files kept by a hash of what they were made from, so a later process reads instead of remaking them: as JSON, the
// require hook's transpiled files and the mocks runner's parsed YAML; as bytes, V8's compiled code (code-cache.js).
// Plain JavaScript, as the hook loads before TypeScript can.
"use strict";
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const path = require("node:path");

/** node_modules/.cache of this project. */
const cacheRoot = path.join(__dirname, "..", "node_modules", ".cache");

/** The file that keeps what was made from `source` in `folder`. */
function cacheFile(folder, source, extension) {
  return path.join(folder, `${createHash("sha256").update(source).digest("hex")}${extension}`);
}

/** Writes a cache file; a cache that cannot be written (a read-only checkout) is skipped. */
function keepFile(file, data) {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    // Written whole under a unique name first, so a process reading the cache never sees half a file.
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, data);
    renameSync(partial, file);
  } catch {
    // The next process makes it again.
  }
}

/**
 * The value kept in `folder` for `source`, else `make()`'s, kept when `keepable(value, json)` says so. A cache that
 * cannot be written is skipped.
 */
function cachedJson(folder, source, make, keepable = () => true) {
  const file = cacheFile(folder, source, ".json");
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    // Not kept yet.
  }
  const value = make();
  const json = JSON.stringify(value);
  if (json !== undefined && keepable(value, json)) keepFile(file, json);
  return value;
}

module.exports = { cacheFile, cacheRoot, cachedJson, keepFile };
