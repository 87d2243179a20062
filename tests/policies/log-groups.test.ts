import { policyTarget, runPolicies } from "../support/policy";
import { expectNoViolations, expectOnlyViolationsOf } from "./expect-violations";

const logGroupType = "aws:cloudwatch/logGroup:LogGroup";

describe("policies: CloudWatch log groups", () => {
  it("accepts a log group with a retention", async () => {
    expectNoViolations(
      await runPolicies([
        policyTarget(logGroupType, "api-logs", {
          name: "/aws/lambda/cupping-api",
          retentionInDays: 30,
        }),
      ]),
    );
  });

  for (const [what, props, fragment] of [
    ["no retention", { name: "/aws/lambda/cupping-api" }, "it is unset"],
    [
      "a retention of 0 (never expire)",
      { name: "/aws/lambda/cupping-api", retentionInDays: 0 },
      "it is 0",
    ],
  ] as const) {
    it(`log-group-retention-set catches ${what}`, async () => {
      const bad = policyTarget(logGroupType, "api-logs", props);
      expectOnlyViolationsOf(
        await runPolicies([bad]),
        "log-group-retention-set",
        bad.urn,
        fragment,
      );
    });
  }
});
