import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { projectRoot } from "../support/stack-config";

describe("npm run plan -- production", () => {
  it("lists all six pipeline stages in order", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "scripts/plan.ts", "production"], {
      cwd: projectRoot,
      env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: "" },
    });
    const stages = [...stdout.matchAll(/^ {2}\d+\. (\S+)$/gm)].map((match) => match[1]);
    assert.deepEqual(stages, ["Source", "Build", "Test", "Approval", "Deploy", "Publish"]);
  });
});
