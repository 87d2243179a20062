import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { projectRoot } from "../../tooling/mocks/stack-config";

const { check } = require("../../tooling/coverage/check.js") as {
  check(argv: string[], summaryFile?: string): string;
};

type Summary = Record<string, { lines: { total: number; covered: number; pct: number } }>;

/** `tooling/coverage/run.js` with its arguments, in a temporary folder of its own (where it keeps the counters). */
function runWithCoverage(args: string[]) {
  const temporary = mkdtempSync(path.join(tmpdir(), "coverage-run-"));
  const child = spawnSync(process.execPath, ["tooling/coverage/run.js", ...args], {
    cwd: projectRoot,
    encoding: "utf8",
    env: { ...process.env, TMPDIR: temporary },
  });
  return { ...child, leftInTemporary: readdirSync(temporary) };
}

describe("coverage (tooling/coverage: istanbul counters in the project's TypeScript, reports per run)", () => {
  it("counts what child processes ran in TypeScript lines, adds unloaded files at zero, keeps stack traces true, and exits as the command did", () => {
    const reports = mkdtempSync(path.join(tmpdir(), "coverage-reports-"));
    // Loads one project file in a process of its own that makes another error of it, makes it throw, prints the frame
    // that threw, and fails with status 3.
    const script = `require("child_process").execFileSync(process.execPath, ["-r", "./tooling/register.js", "-e",
        "new (require('./stacks/passphrase.ts').WrongPassphraseError)('here')"]);
      try { require("./stacks/passphrase.ts").PassphraseCrypter.fromSalt("x", "bad"); }
      catch (error) { console.log(error.stack.split("\\n")[1].trim()); }
      process.exitCode = 3;`;
    const run = runWithCoverage([
      ...["--report-dir", reports],
      ...[process.execPath, "-r", "./tooling/register.js", "-e", script],
    ]);
    assert.equal(run.status, 3, run.stderr);

    const source = readFileSync(path.join(projectRoot, "stacks/passphrase.ts"), "utf8").split("\n");
    const throwLine = source.findIndex((line) => line.includes("throw new Error(")) + 1;
    const column = source[throwLine - 1].indexOf("throw") + 7;
    assert.match(
      run.stdout,
      new RegExp(`at Function\\.fromSalt \\(.*/stacks/passphrase\\.ts:${throwLine}:${column}\\)`),
    );

    const summary = JSON.parse(
      readFileSync(path.join(reports, "coverage-summary.json"), "utf8"),
    ) as Summary;
    const loaded = summary[path.join(projectRoot, "stacks/passphrase.ts")].lines;
    assert.ok(loaded.covered > 0 && loaded.covered < loaded.total, JSON.stringify(loaded));
    const unloaded = summary[path.join(projectRoot, "scripts/review-sweep.ts")].lines;
    assert.equal(unloaded.covered, 0);
    assert.ok(unloaded.total > 0);
    assert.equal(summary[path.join(projectRoot, "tests/tooling/coverage.test.ts")], undefined);

    // Both processes' counts: the line each ran, and the one neither did.
    const lcov = readFileSync(path.join(reports, "lcov.info"), "utf8");
    const hits = (line: number) =>
      Number(
        new RegExp(`^SF:stacks/passphrase\\.ts$[^]*?^DA:${line},(\\d+)$`, "m").exec(lcov)?.[1],
      );
    const lineOf = (text: string) => source.findIndex((line) => line.includes(text)) + 1;
    assert.ok(hits(throwLine) > 0, "the malformed salt's throw ran");
    assert.ok(hits(lineOf("super(")) > 0, "the other process's error ran");
    assert.equal(hits(lineOf("const salt = randomBytes(8)")), 0);
    assert.match(
      readFileSync(path.join(reports, "cobertura-coverage.xml"), "utf8"),
      /filename="stacks\/passphrase\.ts"/,
    );
    assert.ok(existsSync(path.join(reports, "index.html")));
    assert.deepEqual(run.leftInTemporary, [], "the counters' folder is removed");
    assert.match(run.stdout, /Lines {8}: [\d.]+% \( \d+\/\d+ \)/);
  });

  it("refuses counts that match no one version of a file, and counts of a file that is gone, naming the file", async () => {
    const { writeReports } = require("../../tooling/coverage/report.js") as {
      writeReports(folder: string, into: string): Promise<unknown>;
    };
    const countsFolder = (counts: unknown) => {
      const folder = mkdtempSync(path.join(tmpdir(), "coverage-counts-"));
      writeFileSync(path.join(folder, "1.json"), JSON.stringify(counts));
      return folder;
    };
    const into = mkdtempSync(path.join(tmpdir(), "coverage-reports-"));
    const ofOneStatement = { s: { 0: 1 }, f: {}, b: {} };
    await assert.rejects(
      writeReports(
        countsFolder({ [path.join(projectRoot, "stacks/passphrase.ts")]: ofOneStatement }),
        into,
      ),
      /stacks\/passphrase\.ts changed while the tests ran, so its counts match no one version of it/,
    );
    await assert.rejects(
      writeReports(
        countsFolder({ [path.join(projectRoot, "stacks/gone.ts")]: ofOneStatement }),
        into,
      ),
      /stacks\/gone\.ts ran in the tests and is gone since/,
    );
    assert.deepEqual(readdirSync(into), [], "no report is written");
  });

  it("says how to use it when no command is given", () => {
    const run = runWithCoverage(["--report-dir"]);
    assert.equal(run.status, 1);
    assert.match(
      run.stderr,
      /^usage: node tooling\/coverage\/run\.js \[--report-dir <folder>\] <command>/,
    );
  });

  describe("the build's coverage gate (tooling/coverage/check.js)", () => {
    const summaryWith = (pct: number) => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), "coverage-summary-")), "summary.json");
      writeFileSync(
        file,
        JSON.stringify({ total: { lines: { total: 200, covered: 2 * pct, pct } } }),
      );
      return file;
    };

    it("passes at the threshold and fails below it, naming both figures", () => {
      assert.equal(
        check(["--lines", "85"], summaryWith(85)),
        "line coverage 85% meets the threshold of 85%",
      );
      assert.throws(
        () => check(["--lines", "85"], summaryWith(84.5)),
        /^Error: line coverage 84\.5% is below the threshold of 85%$/,
      );
    });

    it("says a report is missing, and how to use it", () => {
      assert.throws(
        () => check(["--lines", "85"], path.join(tmpdir(), "no-such-summary.json")),
        /^Error: no coverage summary at .*no-such-summary\.json \(ENOENT\): run npm run test:unit first$/,
      );
      for (const argv of [[], ["--lines"], ["--lines", "most"], ["--branches", "80"]])
        assert.throws(
          () => check(argv),
          /^Error: usage: node tooling\/coverage\/check\.js --lines <percent>$/,
        );
    });
  });
});
