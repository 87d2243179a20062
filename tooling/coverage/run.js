// Usage: node tooling/coverage/run.js [--report-dir <folder>] <command> [arguments...]
// Runs the command with the project's TypeScript instrumented in every Node process that loads tooling/register.js,
// then writes the coverage reports (tooling/coverage/settings.js; into coverage/ unless told). Exits with the
// command's status.
"use strict";
const { spawn } = require("node:child_process");
const { mkdtempSync, rmSync } = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { root } = require("./settings");

const usage = "usage: node tooling/coverage/run.js [--report-dir <folder>] <command> [arguments...]";

async function main(argv) {
  const [reportDir, commandLine] =
    argv[0] === "--report-dir" ? [argv[1], argv.slice(2)] : [undefined, argv];
  const [command, ...args] = commandLine;
  if (!command) throw new Error(usage);
  const folder = mkdtempSync(path.join(os.tmpdir(), "coverage-counters-"));
  try {
    const child = spawn(command, args, {
      stdio: "inherit",
      env: {
        ...process.env,
        PIPELINES_COVERAGE_DIR: folder,
        PIPELINES_COVERAGE_ROOT: root,
        // The project's commands (mocha), as npm run finds them.
        PATH: [path.join(root, "node_modules", ".bin"), process.env.PATH].join(path.delimiter),
      },
    });
    for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
    const status = await new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
    await require("./report").writeReports(folder, reportDir);
    return status;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
