// The coverage reports from what every instrumented process wrote: counters merged, the files no process loaded added
// at zero (so an untested file lowers the figures), mapped back to the TypeScript lines through each file's source map.
"use strict";
const { readdirSync, readFileSync, rmSync } = require("node:fs");
const path = require("node:path");
const { createCoverageMap } = require("istanbul-lib-coverage");
const { createContext } = require("istanbul-lib-report");
const { createSourceMapStore } = require("istanbul-lib-source-maps");
const reports = require("istanbul-reports");
const { transpile } = require("../transpile");
const { instrument, withTranspilerMap } = require("./collect");
const { coveredFiles, reportDir, reporters } = require("./settings");

/**
 * Writes the reports (settings.js) from the counters in `folder` into `into`; returns the merged coverage, by
 * TypeScript file.
 */
async function writeReports(folder, into = reportDir) {
  const transpiled = new Map(
    coveredFiles().map((file) => [file, transpile(file, readFileSync(file, "utf8"))]),
  );
  const zeros = new Map([...transpiled].map(([file, code]) => [file, instrument(file, code).counters]));
  const counts = new Map();
  const gone = new Set();
  for (const name of readdirSync(folder))
    for (const [file, more] of Object.entries(JSON.parse(readFileSync(path.join(folder, name), "utf8")))) {
      const zero = zeros.get(file);
      if (!zero) gone.add(file);
      else if (!sameShape(more, zero)) throw changedSince(file);
      else counts.set(file, added(counts.get(file) ?? zero, more));
    }
  if (gone.size > 0) throw new Error(`${[...gone].join(", ")} ran in the tests and is gone since`);
  const mapped = createCoverageMap({});
  for (const [file, code] of transpiled) {
    const zero = zeros.get(file);
    const { s, f, b } = counts.get(file) ?? zero;
    mapped.addFileCoverage(withTranspilerMap({ ...zero, s, f, b }, code));
  }
  const coverage = await createSourceMapStore().transformCoverage(mapped);
  rmSync(into, { recursive: true, force: true });
  const context = createContext({ dir: into, coverageMap: coverage });
  for (const name of reporters) reports.create(name).execute(context);
  return coverage;
}

/** Two sets of counts of one version of a file, added up. */
function added(one, other) {
  const sum = (a, c) => Object.fromEntries(Object.entries(a).map(([i, n]) => [i, n + c[i]]));
  const sums = (a, c) => Object.fromEntries(Object.entries(a).map(([i, n]) => [i, n.map((m, j) => m + c[i][j])]));
  return { s: sum(one.s, other.s), f: sum(one.f, other.f), b: sums(one.b, other.b) };
}

/** Whether two sets of counts have the same statements, functions and branches: counts of one version of a file. */
function sameShape(one, other) {
  const size = (counts) => Object.keys(counts).length;
  return (
    size(one.s) === size(other.s) &&
    size(one.f) === size(other.f) &&
    size(one.b) === size(other.b) &&
    Object.entries(one.b).every(([i, paths]) => paths.length === other.b[i]?.length)
  );
}

const changedSince = (file) =>
  new Error(`${file} changed while the tests ran, so its counts match no one version of it: run the tests again`);

module.exports = { writeReports };
