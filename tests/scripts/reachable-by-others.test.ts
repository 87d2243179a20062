import { strict as assert } from "node:assert";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { assertReachableByOthers } from "../../tooling/local/reachable-by-others";

describe("the check that PostgreSQL, run as its own user, can reach its programs and data", () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), "reachable-"));
    mkdirSync(path.join(root, "checkout/node_modules"), { recursive: true });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("names the folder others cannot enter (a checkout inside mktemp -d's private folder) and the fix", async () => {
    chmodSync(root, 0o700);
    await assert.rejects(
      assertReachableByOthers(path.join(root, "checkout/node_modules"), "PostgreSQL"),
      (error: Error) =>
        error.message.startsWith(`PostgreSQL cannot enter ${root} (mode 700)`) &&
        error.message.includes(`chmod o+x ${root}`),
    );
  });

  it("passes once every folder on the way may be entered, and for a target not created yet", async () => {
    chmodSync(root, 0o711);
    await assertReachableByOthers(path.join(root, "checkout/node_modules"), "PostgreSQL");
    await assertReachableByOthers(path.join(root, "checkout/not-yet/data"), "PostgreSQL");
  });
});
