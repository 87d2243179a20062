import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";

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
