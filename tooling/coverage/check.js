// Usage: node tooling/coverage/check.js --lines <percent>
// Fails when the line coverage of the last report (coverage/coverage-summary.json) is below the threshold.
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");
const { reportDir } = require("./settings");

function check(argv, summaryFile = path.join(reportDir, "coverage-summary.json")) {
  const [flag, value] = argv;
  const threshold = Number(value);
  if (flag !== "--lines" || value === undefined || !Number.isFinite(threshold))
    throw new Error("usage: node tooling/coverage/check.js --lines <percent>");
  let summary;
  try {
    summary = JSON.parse(readFileSync(summaryFile, "utf8"));
  } catch (error) {
    throw new Error(
      `no coverage summary at ${summaryFile} (${error.code ?? error.message}): run npm run test:unit first`,
      { cause: error },
    );
  }
  const { pct } = summary.total.lines;
  if (pct < threshold)
    throw new Error(`line coverage ${pct}% is below the threshold of ${threshold}%`);
  return `line coverage ${pct}% meets the threshold of ${threshold}%`;
}

if (require.main === module) {
  try {
    console.log(check(process.argv.slice(2)));
  } catch (error) {
    console.error(`ERROR: ${error.message}`);
    process.exit(1);
  }
}

module.exports = { check };
