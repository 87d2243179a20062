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
  const counters = createCoverageMap({});
  for (const name of readdirSync(folder))
    counters.merge(JSON.parse(readFileSync(path.join(folder, name), "utf8")));
  const transpiled = new Map(
    coveredFiles().map((file) => [file, transpile(file, readFileSync(file, "utf8"))]),
  );
  for (const [file, code] of transpiled)
    if (!counters.data[file]) counters.addFileCoverage(instrument(file, code).counters);
  const mapped = createCoverageMap({});
  for (const file of counters.files())
    mapped.addFileCoverage(
      withTranspilerMap(counters.fileCoverageFor(file).toJSON(), transpiled.get(file)),
    );
  const coverage = await createSourceMapStore().transformCoverage(mapped);
  rmSync(into, { recursive: true, force: true });
  const context = createContext({ dir: into, coverageMap: coverage });
  for (const name of reporters) reports.create(name).execute(context);
  return coverage;
}

module.exports = { writeReports };
