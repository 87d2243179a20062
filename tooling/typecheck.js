// `npm run typecheck`: tsc in build mode, which skips the whole check when no file of the project changed since the
// last check passed; incremental mode alone re-parses every declaration file (12–15 s CPU, mostly @pulumi/aws) to find
// that nothing changed. Build mode looks only at the project's own files, so after an install (npm rewrites
// node_modules/.package-lock.json) the kept state is dropped and the check starts afresh.
"use strict";
const { spawnSync } = require("node:child_process");
const { rmSync, statSync } = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const buildInfo = path.join(root, ".local", "tsconfig.tsbuildinfo");
const modifiedMs = (file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Infinity;
if (modifiedMs(path.join(root, "node_modules", ".package-lock.json")) >= modifiedMs(buildInfo))
  rmSync(buildInfo, { force: true });
const tsc = require.resolve("typescript/bin/tsc");
const { status, signal } = spawnSync(process.execPath, [tsc, "--build", "tsconfig.json"], {
  cwd: root,
  stdio: "inherit",
});
process.exitCode = status ?? (signal ? 1 : 0);
