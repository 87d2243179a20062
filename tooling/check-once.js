// Usage: node tooling/check-once.js <name> <command> [arguments...]
// Runs a check (the type-check, eslint, the Prettier check) unless no file it could read changed since it last passed
// in this checkout. Each tool keeps a cache of its own, but loading the tool to consult it cost about 2 s of CPU apiece
// (eslint loads typescript, Prettier resolves its options file by file); a hash of the files costs a few milliseconds.
// What the hash covers: every file git sees (tracked, or new and not ignored), the installed packages
// (node_modules/.package-lock.json), the Node version and the command. The checks ignore at least what git ignores, so
// a file they read is in it. Outside a git checkout the check always runs.
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const { createHash } = require("node:crypto");
const { readFileSync } = require("node:fs");
const path = require("node:path");
const { keepFile } = require("./json-cache");

const usage = "usage: node tooling/check-once.js <name> <command> [arguments...]";

/** A file's bytes, or undefined when it cannot be read (missing, a folder). */
function readIfThere(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** The hash of what the check in `folder` could read, or undefined when git cannot list its files. */
function fingerprint(folder, command) {
  let listed;
  try {
    listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      cwd: folder,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    return undefined;
  }
  const hash = createHash("sha256").update(JSON.stringify([process.version, command]));
  // --cached lists a file twice while it has a merge conflict, and a deleted file until the deletion is staged.
  const files = [...new Set(listed.split("\0").filter(Boolean))].sort();
  for (const file of [...files, "node_modules/.package-lock.json"]) {
    const content = readIfThere(path.join(folder, file));
    hash.update(`${file}\0${content === undefined ? "missing" : content.length}\0`);
    if (content) hash.update(content);
  }
  return hash.digest("hex");
}

/** Runs the check in `folder` unless it passed there on the same files; returns its exit status. */
function checkOnce(name, command, { folder = process.cwd(), log = console.log } = {}) {
  if (!/^[\w.:-]+$/.test(name) || command.length === 0) throw new Error(usage);
  const stamp = path.join(folder, ".local", "passed", name);
  const files = fingerprint(folder, command);
  if (files !== undefined && readIfThere(stamp)?.toString("utf8") === files) {
    log(`${name}: passed before, and no file changed since (${path.relative(folder, stamp)})`);
    return 0;
  }
  const { status, signal, error } = spawnSync(command[0], command.slice(1), {
    cwd: folder,
    stdio: "inherit",
  });
  if (error) throw error;
  // Written whole, or not at all in a read-only checkout: the check then runs again next time.
  if (status === 0 && files !== undefined) keepFile(stamp, files);
  return status ?? (signal ? 1 : 0);
}

if (require.main === module) {
  try {
    const [name, ...command] = process.argv.slice(2);
    process.exitCode = checkOnce(name ?? "", command);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}

module.exports = { checkOnce };
