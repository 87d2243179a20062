import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { projectRoot } from "../../tooling/mocks/stack-config";

type Transpiled = { code: string; map: string };
type Counts = { s: Record<string, number>; f: Record<string, number>; b: Record<string, number[]> };
type CoverageMap = { fileCoverageFor(file: string): { toJSON(): unknown } };
const { createCoverageMap } = require("istanbul-lib-coverage") as {
  createCoverageMap(data: object): CoverageMap;
};
const { createSourceMapStore } = require("istanbul-lib-source-maps") as {
  createSourceMapStore(): { transformCoverage(map: CoverageMap): Promise<CoverageMap> };
};

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

const { reportViews, typeScriptCoverage, writeReports } =
  require("../../tooling/coverage/report.js") as {
    writeReports(folder: string, into: string): Promise<CoverageMap>;
    reportViews(files: string[]): Map<string, { counters: Counts }>;
    typeScriptCoverage(
      views: Map<string, unknown>,
      counts: Map<string, Counts>,
    ): Promise<CoverageMap>;
  };
const { transpile } = require("../../tooling/transpile.js") as {
  transpile(file: string, source: string): Transpiled;
};

/** A folder of counts as one instrumented process writes them. */
function countsFolder(counts: unknown): string {
  const folder = mkdtempSync(path.join(tmpdir(), "coverage-counts-"));
  writeFileSync(path.join(folder, "1.json"), JSON.stringify(counts));
  return folder;
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

  it("maps counts to TypeScript exactly as istanbul's source map store does, from the mappings it keeps per file version", async () => {
    const file = path.join(projectRoot, "stacks/passphrase.ts");
    const views = reportViews([file]);
    const zero = views.get(file)!.counters;
    // Every statement, function and branch path run a different number of times, so a count mapped wrongly shows.
    let hits = 0;
    const counted = <T>(counts: Record<string, T>, count: (value: T) => T) =>
      Object.fromEntries(Object.keys(counts).map((id) => [id, count(counts[id])]));
    const counts = {
      s: counted(zero.s, () => ++hits),
      f: counted(zero.f, () => ++hits),
      b: counted(zero.b, (paths) => paths.map(() => ++hits)),
    };
    const reported = await typeScriptCoverage(views, new Map([[file, counts]]));
    const transpiled = transpile(file, readFileSync(file, "utf8"));
    const byIstanbul = await createSourceMapStore().transformCoverage(
      createCoverageMap({
        [file]: { ...zero, ...counts, inputSourceMap: JSON.parse(transpiled.map) },
      }),
    );
    assert.ok(hits > 50, `passphrase.ts has ${hits} counters`);
    assert.deepEqual(
      reported.fileCoverageFor(file).toJSON(),
      byIstanbul.fileCoverageFor(file).toJSON(),
    );
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
