import { strict as assert } from "node:assert";
import { programRun } from "../support/harness";
import { describeViolations, runPolicies } from "../support/policy";
import { stackNames } from "../../tooling/mocks/stack-config";

describe("the policy pack over every stack", () => {
  for (const stack of stackNames) {
    it(`finds no violation in ${stack}`, async () => {
      const run = await programRun(stack);
      assert.ok(run.resources.length > 0, "the program registered resources");
      const report = await runPolicies(run.resources);
      assert.equal(report.violations.length, 0, describeViolations(report.violations));
      // Mocks resolve every value, so every rule really ran over every resource.
      assert.deepEqual(report.notRunDuringPreview, []);
    });
  }
});
