import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
const { checkOnce } = require("../../tooling/check-once.js") as {
  checkOnce(
    name: string,
    command: string[],
    options: { folder: string; log(line: string): void },
  ): number;
};

describe("checks skipped when nothing changed since they passed (tooling/check-once.js)", () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), "check-once-"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: folder, stdio: "ignore" });
    git("init", "-q");
    writeFileSync(path.join(folder, ".gitignore"), "ignored/\n.local/\nnode_modules/\n");
    writeFileSync(path.join(folder, "tracked.ts"), "export const a = 1;\n");
    mkdirSync(path.join(folder, "node_modules"));
    writeFileSync(path.join(folder, "node_modules", ".package-lock.json"), "{}");
    git("add", ".gitignore", "tracked.ts");
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  /** Runs a check that counts its runs in `runs` and exits with `status`; returns whether it ran and its status. */
  function check(status = 0, name = "demo") {
    const runs = path.join(folder, "ignored", "runs");
    mkdirSync(path.dirname(runs), { recursive: true });
    const before = readRuns(runs);
    const logged: string[] = [];
    const code = checkOnce(name, ["sh", "-c", `echo run >> '${runs}'; exit ${status}`], {
      folder,
      log: (line) => logged.push(line),
    });
    return { ran: readRuns(runs) > before, code, logged };
  }
  const readRuns = (file: string) => {
    try {
      return readFileSync(file, "utf8").split("\n").length - 1;
    } catch {
      return 0;
    }
  };

  it("runs a check, then skips it while no file changes, and says so", () => {
    assert.deepEqual(check(), { ran: true, code: 0, logged: [] });
    const second = check();
    assert.equal(second.ran, false);
    assert.equal(second.code, 0);
    assert.deepEqual(second.logged, [
      "demo: passed before, and no file changed since (.local/passed/demo)",
    ]);
  });

  it("runs it again after a change to a tracked file, a new file, a deleted file or the installed packages", () => {
    const changes: Array<[string, () => void]> = [
      ["an edited tracked file", () => appendFileSync(path.join(folder, "tracked.ts"), "//\n")],
      ["a new untracked file", () => writeFileSync(path.join(folder, "new.ts"), "")],
      ["a new untracked file's content", () => writeFileSync(path.join(folder, "new.ts"), "x")],
      ["a deleted tracked file", () => unlinkSync(path.join(folder, "tracked.ts"))],
      [
        "another install",
        () => writeFileSync(path.join(folder, "node_modules", ".package-lock.json"), '{"a":1}'),
      ],
    ];
    check();
    for (const [change, make] of changes) {
      make();
      assert.equal(check().ran, true, `${change} runs the check`);
      assert.equal(check().ran, false, `and then it passed on the files as they are`);
    }
  });

  it("ignores what git ignores, keeps one stamp per check and per command", () => {
    check();
    writeFileSync(path.join(folder, "ignored", "output.ts"), "");
    assert.equal(check().ran, false, "an ignored file does not count");
    assert.equal(check(0, "other").ran, true, "another check keeps its own stamp");
    const withArgument = checkOnce("demo", ["sh", "-c", "exit 0", "another argument"], {
      folder,
      log: () => {},
    });
    assert.equal(withArgument, 0);
    assert.equal(check().ran, true, "a different command replaced the stamp");
  });

  it("passes a failure through and runs a failed check again next time", () => {
    assert.deepEqual(check(3), { ran: true, code: 3, logged: [] });
    assert.deepEqual(check(3), { ran: true, code: 3, logged: [] });
    assert.equal(check(0).ran, true);
    assert.equal(check(0).ran, false);
  });

  it("always runs outside a git checkout, and refuses a missing command or a name that is not a file name", () => {
    rmSync(path.join(folder, ".git"), { recursive: true });
    assert.equal(check().ran, true);
    assert.equal(check().ran, true);
    const usage = /^Error: usage: node tooling\/check-once\.js <name> <command>/;
    assert.throws(() => checkOnce("demo", [], { folder, log: () => {} }), usage);
    assert.throws(() => checkOnce("../demo", ["true"], { folder, log: () => {} }), usage);
  });
});
