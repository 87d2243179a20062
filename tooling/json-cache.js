// Values kept as JSON files by a hash of what they were made from, so a later process reads instead of remaking them:
// the require hook's transpiled files and the mocks runner's parsed YAML. Plain JavaScript, as the hook loads before
// TypeScript can.
"use strict";
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const path = require("node:path");

/** node_modules/.cache of this project. */
const cacheRoot = path.join(__dirname, "..", "node_modules", ".cache");

/**
 * The value kept in `folder` for `source`, else `make()`'s, kept when `keepable(value, json)` says so. A cache that
 * cannot be written is skipped.
 */
function cachedJson(folder, source, make, keepable = () => true) {
  const file = path.join(folder, `${createHash("sha256").update(source).digest("hex")}.json`);
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    // Not kept yet.
  }
  const value = make();
  const json = JSON.stringify(value);
  if (json !== undefined && keepable(value, json)) {
    try {
      mkdirSync(folder, { recursive: true });
      // Written whole under a unique name first, so a process reading the cache never sees half a file.
      const partial = `${file}.${process.pid}`;
      writeFileSync(partial, json);
      renameSync(partial, file);
    } catch {
      // A read-only checkout makes the value every time.
    }
  }
  return value;
}

module.exports = { cacheRoot, cachedJson };
