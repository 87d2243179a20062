import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { cacheFile, cacheRoot } from "../../tooling/json-cache";

/** Where a TypeScript file's stack frames point, read from the file itself: 1-based line and column of `text`. */
function positionOf(text: string): string {
  const lines = readFileSync(__filename, "utf8").split("\n");
  const line = lines.findIndex((l) => l.includes(text) && !l.includes("positionOf"));
  return `${line + 1}:${lines[line].indexOf(text) + 1}`;
}

// The require hook transpiles without type annotations and loads source-map-support only when a trace is formatted.
describe("the TypeScript require hook (tooling/register.js)", () => {
  it("maps stack frames to the TypeScript source's own lines and columns", () => {
    const typed: { readonly note: string } = { note: "a type the transpiled code drops" };
    const error = new Error(typed.note);
    assert.ok(
      error.stack?.includes(`${__filename}:${positionOf("new Error(typed.note)")}`),
      error.stack,
    );
  });
});

describe("which compiled code the require hook keeps (tooling/register.js)", () => {
  const register = path.resolve(__dirname, "../../tooling/register.js");
  const v8Folder = path.join(cacheRoot, "v8", `${process.version}-${process.arch}`);
  const text = `exports.nonce = "${process.pid}-${Date.now()}";\n`;
  const keptCode = (file: string) => cacheFile(v8Folder, `${file}\0${text}`, ".v8");

  /** Runs a CommonJS module through the hook and says whether V8's code of it was kept. */
  function keptAfterRunning(file: string): boolean {
    writeFileSync(file, text);
    execFileSync(process.execPath, ["-r", register, file], { stdio: "pipe" });
    return existsSync(keptCode(file));
  }

  it("keeps none of a file outside the project in the temporary folder (a test's checkout), and keeps the project's", () => {
    const checkout = mkdtempSync(path.join(tmpdir(), "register-checkout-"));
    assert.equal(keptAfterRunning(path.join(checkout, "module.js")), false);
    const projectFile = path.join(cacheRoot, `register-test-${process.pid}.js`);
    try {
      assert.equal(keptAfterRunning(projectFile), true);
    } finally {
      for (const file of [projectFile, keptCode(projectFile)]) rmSync(file, { force: true });
    }
  });
});
