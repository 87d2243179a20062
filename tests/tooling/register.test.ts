import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
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
  const projectRoot = path.resolve(__dirname, "../..");
  const v8Folder = path.join(cacheRoot, "v8", `${process.version}-${process.arch}`);
  // The module prints the tag of V8's flags, which names its code in the cache with its file name and text.
  const text = `exports.nonce = "${process.pid}-${Date.now()}";
process.stdout.write(String(require("node:v8").cachedDataVersionTag()));\n`;
  const keptCode = (file: string, flags: string) =>
    cacheFile(v8Folder, `${flags}\0${file}\0${text}`, ".v8");

  /** Runs a CommonJS module through a checkout's hook and says whether V8's code of it was kept in this one's cache. */
  function keptAfterRunning(file: string, checkout = projectRoot): boolean {
    writeFileSync(file, text);
    const flags = execFileSync(
      process.execPath,
      ["-r", path.join(checkout, "tooling", "register.js"), file],
      { encoding: "utf8" },
    );
    const kept = keptCode(file, flags);
    const wasKept = existsSync(kept);
    rmSync(kept, { force: true });
    return wasKept;
  }

  it("keeps none of a file outside the project in the temporary folder, and keeps the project's", () => {
    const folder = mkdtempSync(path.join(tmpdir(), "register-elsewhere-"));
    assert.equal(keptAfterRunning(path.join(folder, "module.js")), false);
    const projectFile = path.join(cacheRoot, `register-test-${process.pid}.js`);
    try {
      assert.equal(keptAfterRunning(projectFile), true);
    } finally {
      rmSync(projectFile, { force: true });
    }
  });

  // A test's checkout links its node_modules to this project's, and so shares its cache.
  it("keeps none of a checkout's own files in the temporary folder, run through the checkout's own hook", () => {
    const checkout = mkdtempSync(path.join(tmpdir(), "register-checkout-"));
    cpSync(path.join(projectRoot, "tooling"), path.join(checkout, "tooling"), { recursive: true });
    cpSync(path.join(projectRoot, "tsconfig.json"), path.join(checkout, "tsconfig.json"));
    symlinkSync(path.join(projectRoot, "node_modules"), path.join(checkout, "node_modules"));
    assert.equal(keptAfterRunning(path.join(checkout, "module.js"), checkout), false);
    assert.equal(
      keptAfterRunning(path.join(cacheRoot, `register-test-${process.pid}.js`), checkout),
      true,
    );
  });
});
