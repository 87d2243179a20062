// `npm test`: runs package.json scripts at once and prints each one's output whole when it ends. Written here, not
// run-p: run-p starts an npm process for each script, about 0.35 s of CPU apiece, to do what a shell does here.
// Each command runs in sh from the package's folder with its node_modules/.bin first on PATH, as npm runs it. Every
// script runs to its end, so one run shows every failure; the exit code is 1 when any script failed.
"use strict";
const { spawn } = require("node:child_process");
const { readFileSync } = require("node:fs");
const path = require("node:path");

/** Runs `names` from the package.json in `folder`; resolves to the exit code. */
function runScripts(
  names,
  { folder = process.cwd(), write = (text) => process.stdout.write(text) } = {},
) {
  const { scripts = {} } = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8"));
  const unknown = names.filter((name) => typeof scripts[name] !== "string");
  if (unknown.length > 0 || names.length === 0) {
    write(
      `run-scripts: no script ${unknown.join(", ") || "named"} in ${path.join(folder, "package.json")}\n`,
    );
    return Promise.resolve(1);
  }
  const env = {
    ...process.env,
    PATH: [path.join(folder, "node_modules", ".bin"), process.env.PATH].join(path.delimiter),
  };
  // Node 20 parses the bundle NODE_EXTRA_CA_CERTS names as each process starts (0.1 s of CPU for Debian's), and the
  // checks and tests npm test runs reach no server beyond this machine.
  delete env.NODE_EXTRA_CA_CERTS;
  const running = new Set();
  // Each script runs in a process group of its own, so a signal to this process reaches the commands it started too.
  const stop = (signal) =>
    running.forEach((child) => {
      try {
        process.kill(-child.pid, signal);
      } catch (error) {
        // The group ended between its last process exiting and this signal.
        if (error.code !== "ESRCH") throw error;
      }
    });
  process.once("SIGINT", stop).once("SIGTERM", stop);
  const runs = names.map(
    (name) =>
      new Promise((resolve) => {
        // One pipe for both streams (exec 2>&1), so the lines keep the order the script wrote them in.
        const child = spawn("sh", ["-c", `exec 2>&1\n${scripts[name]}`], {
          cwd: folder,
          env,
          stdio: ["ignore", "pipe", "inherit"],
          detached: true,
        });
        running.add(child);
        const output = [];
        child.stdout.on("data", (chunk) => output.push(chunk));
        child.on("error", (error) => output.push(Buffer.from(`${error.message}\n`)));
        child.on("exit", () => running.delete(child));
        child.on("close", (code, signal) => {
          const failed = code !== 0;
          write(`\n> ${name}: ${scripts[name]}\n${Buffer.concat(output).toString("utf8")}`);
          if (failed) write(`> ${name} failed (${signal ?? `exit code ${code}`})\n`);
          resolve(failed);
        });
      }),
  );
  return Promise.all(runs).then((failures) => {
    process.off("SIGINT", stop).off("SIGTERM", stop);
    return failures.some(Boolean) ? 1 : 0;
  });
}

if (require.main === module)
  runScripts(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });

module.exports = { runScripts };
