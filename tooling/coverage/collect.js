// Instruments the project's TypeScript for istanbul as the require hook loads it, and writes what ran when the process
// exits, into the folder PIPELINES_COVERAGE_DIR names (`tooling/coverage/run.js` sets it). Only the project's code is
// instrumented: V8's own coverage (c8) counts every block of every package too, which cost the test run a fifth of its
// CPU.
"use strict";
const { randomUUID } = require("node:crypto");
const { writeFileSync } = require("node:fs");
const path = require("node:path");
const remapping = require("@jridgewell/remapping");
const { cacheRoot, cachedJson } = require("../json-cache");
const { covers } = require("./settings");

const instrumenterVersion = require("istanbul-lib-instrument/package.json").version;
let instrumenter;

/**
 * The transpiled code of `filename` with istanbul's counters, a source map from it to the TypeScript (for stack
 * traces), and the counters at zero (for a file no process loaded). The counters hold positions in the transpiled code; the
 * report reads them as TypeScript lines through the transpiler's map (report.js), which the code does not carry: each
 * module would hold its map in memory for the whole run.
 */
function instrument(filename, transpiled) {
  return cachedJson(
    path.join(cacheRoot, "coverage"),
    `${instrumenterVersion}\0${filename}\0${transpiled.code}`,
    () => {
      // Babel, under the instrumenter, loads only when a file is not in the cache yet.
      instrumenter ??= require("istanbul-lib-instrument").createInstrumenter({
        produceSourceMap: true,
        esModules: false,
      });
      const code = instrumenter.instrumentSync(transpiled.code, filename);
      const map = remapping([instrumenter.lastSourceMap(), transpiled.map], () => null);
      return { code, map: JSON.stringify(map), counters: instrumenter.lastFileCoverage() };
    },
  );
}

// Each process writes only its counts: the maps are the same in every process, and the report keeps its own copy of
// them per version of a file (a run's files went from 5.8 MB to 0.4 MB).
const folder = process.env.PIPELINES_COVERAGE_DIR;
if (folder)
  process.once("exit", () => {
    const counters = globalThis.__coverage__;
    if (!counters) return;
    const counts = Object.fromEntries(
      Object.entries(counters).map(([file, { s, f, b }]) => [file, { s, f, b }]),
    );
    writeFileSync(path.join(folder, `${process.pid}-${randomUUID()}.json`), JSON.stringify(counts));
  });

module.exports = { covers, instrument };
