// What the coverage report covers and where it goes; read by the require hook (what to instrument) and the report.
"use strict";
const { readdirSync } = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..", "..");

/** The project's own code, as paths from its root: its TypeScript outside the tests, benchmarks and declarations. */
const included = ["index.ts", "stacks/", "components/", "lambdas/", "policies/", "scripts/", "tooling/"];
const excluded = ["scripts/bench.ts", "benchmarks/", "tests/"];

// A prefix test rather than glob patterns (test-exclude): the hook asks once per file a process loads, and matching
// globs compiled them again on every question, about a second of CPU over a test run.
function coversPath(relative) {
  return (
    relative.endsWith(".ts") &&
    !relative.endsWith(".d.ts") &&
    !relative.split("/").includes("node_modules") &&
    included.some((prefix) => relative.startsWith(prefix)) &&
    !excluded.some((prefix) => relative.startsWith(prefix))
  );
}

/** Whether the report covers this file (an absolute path). */
const covers = (filename) => coversPath(path.relative(root, filename).split(path.sep).join("/"));

/** Every file the report covers, loaded or not, as absolute paths. */
function coveredFiles() {
  return included
    .flatMap((prefix) =>
      prefix.endsWith("/")
        ? readdirSync(path.join(root, prefix), { recursive: true }).map(
            (inside) => `${prefix}${String(inside).split(path.sep).join("/")}`,
          )
        : [prefix],
    )
    .filter(coversPath)
    .map((relative) => path.join(root, relative));
}

module.exports = {
  root,
  covers,
  coveredFiles,
  /** Where the reports go: HTML, LCOV, Cobertura and a JSON summary. */
  reportDir: path.join(root, "coverage"),
  reporters: ["text-summary", "lcovonly", "cobertura", "html", "json-summary"],
};
