// The coverage reports from what every instrumented process wrote: counters merged, the files no process loaded added
// at zero (so an untested file lowers the figures), mapped back to the TypeScript lines through each file's source map.
"use strict";
const { readdirSync, readFileSync, rmSync } = require("node:fs");
const path = require("node:path");
const { TraceMap } = require("@jridgewell/trace-mapping");
const { createCoverageMap } = require("istanbul-lib-coverage");
const { createContext } = require("istanbul-lib-report");
const reports = require("istanbul-reports");
// istanbul's own transformer (what its map store runs), given the mapping function it takes as an option.
const getMapping = require("istanbul-lib-source-maps/lib/get-mapping");
const { SourceMapTransformer } = require("istanbul-lib-source-maps/lib/transformer");
const { cacheRoot, cachedJson } = require("../json-cache");
const { transpile } = require("../transpile");
const { instrument } = require("./collect");
const { coveredFiles, reportDir, reporters } = require("./settings");

// The counters come from the instrumenter, the mappings from the source map library: a new version of either remakes them.
const versions = ["istanbul-lib-instrument", "istanbul-lib-source-maps"]
  .map((name) => require(`${name}/package.json`).version)
  .join("\0");
const locationKey = ({ start, end }) => `${start.line}:${start.column}:${end.line}:${end.column}`;

// A mapping as JSON keeps it: an end column can be Infinity (to the end of the line), which JSON has no number for.
const storedMapping = ({ source, loc: { start, end } }) =>
  [source, start.line, start.column, end.line, end.column].map((part) =>
    typeof part === "number" && !Number.isFinite(part) ? String(part) : part,
  );
const mappingFrom = (stored) => {
  const [source, startLine, startColumn, endLine, endColumn] = stored;
  return {
    source,
    loc: {
      start: { line: Number(startLine), column: Number(startColumn) },
      end: { line: Number(endLine), column: Number(endColumn) },
    },
  };
};

/**
 * What the report needs of one version of a file: its counters at zero, and where each of their locations lies in the
 * TypeScript. Mapping the locations through the source maps took most of a report's time, and they change only with
 * the file.
 */
function reportView(file, transpiled) {
  return cachedJson(
    path.join(cacheRoot, "coverage-report"),
    `${versions}\0${file}\0${transpiled.code}\0${transpiled.map}`,
    () => {
      const { counters } = instrument(file, transpiled);
      const mappings = {};
      const recording = (map, location, origin) => {
        const mapping = getMapping(map, location, origin);
        mappings[locationKey(location)] = mapping && storedMapping(mapping);
        return mapping;
      };
      new SourceMapTransformer(null, { getMapping: recording }).processFile(
        counters,
        new TraceMap(JSON.parse(transpiled.map)),
        () => ({ addStatement() {}, addFunction() {}, addBranch() {} }),
      );
      return { counters, mappings };
    },
  );
}

/** What the report needs of each file (absolute paths), by file. */
const reportViews = (files) =>
  new Map(files.map((file) => [file, reportView(file, transpile(file, readFileSync(file, "utf8")))]));

/** The files' counts (by file; a file without any at zero) in TypeScript lines, through the kept mappings. */
function typeScriptCoverage(views, counts) {
  const merged = createCoverageMap({});
  for (const [file, { counters }] of views) merged.addFileCoverage({ ...counters, ...counts.get(file) });
  const mappingOf = (_map, location, file) => {
    const stored = views.get(file).mappings[locationKey(location)];
    if (stored === undefined) throw new Error(`${file}: no mapping kept for ${locationKey(location)}`);
    return stored && mappingFrom(stored);
  };
  // Every file has its mappings kept, so the transformer needs no source map: any value stands for one.
  return new SourceMapTransformer(async () => true, { getMapping: mappingOf }).transform(merged);
}

/**
 * Writes the reports (settings.js) from the counters in `folder` into `into`; returns the merged coverage, by
 * TypeScript file.
 */
async function writeReports(folder, into = reportDir) {
  const views = reportViews(coveredFiles());
  const counts = new Map();
  const gone = new Set();
  for (const name of readdirSync(folder))
    for (const [file, more] of Object.entries(JSON.parse(readFileSync(path.join(folder, name), "utf8")))) {
      const zero = views.get(file)?.counters;
      if (!zero) gone.add(file);
      else if (!sameShape(more, zero)) throw changedSince(file);
      else counts.set(file, added(counts.get(file) ?? zero, more));
    }
  if (gone.size > 0) throw new Error(`${[...gone].join(", ")} ran in the tests and is gone since`);
  const coverage = await typeScriptCoverage(views, counts);
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

module.exports = { reportViews, typeScriptCoverage, writeReports };
