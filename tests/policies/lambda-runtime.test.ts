import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { offeredRuntimes, retiredRuntimes } from "../../policies/lambda-runtimes";
import { policyTarget, runPolicies, unknownDuringPreview } from "../support/policy";
import { expectNoViolations, expectOnlyViolationsOf } from "./expect-violations";

const lambda = (runtime: unknown) =>
  policyTarget("aws:lambda/function:Function", "api", {
    runtime,
    handler: "index.handler",
    role: "arn:aws:iam::123456789012:role/api",
  });

describe("policies: Lambda runtimes", () => {
  it("retires exactly the runtimes @pulumi/aws marks deprecated", () => {
    const enums = readFileSync(
      require.resolve("@pulumi/aws/types/enums/lambda/index.d.ts"),
      "utf8",
    );
    const marked = [...enums.matchAll(/@deprecated[^*]*\*\/\s*readonly \w+: "([^"]+)"/g)].map(
      (m) => m[1],
    );
    assert.ok(marked.length > 0, "the provider marks deprecated runtimes");
    assert.deepEqual([...retiredRuntimes].sort(), marked.sort());
  });

  it("accepts the runtimes AWS offers, a container-image function without one, and one not known yet", async () => {
    assert.ok(
      offeredRuntimes.includes("nodejs22.x") && offeredRuntimes.includes("python3.13"),
      offeredRuntimes.join(", "),
    );
    expectNoViolations(
      await runPolicies([
        ...offeredRuntimes.map((r, i) =>
          policyTarget("aws:lambda/function:Function", `f${i}`, {
            runtime: r,
            handler: "h",
            role: "r",
          }),
        ),
        lambda(undefined),
        lambda(unknownDuringPreview),
      ]),
    );
  });

  const cases = [
    {
      what: "a typo",
      runtime: "nodejs22",
      fragment: 'runtime "nodejs22" is not a Lambda runtime; did you mean nodejs22.x?',
    },
    {
      what: "a version AWS never offered",
      runtime: "nodejs23.x",
      fragment: 'runtime "nodejs23.x" is not a Lambda runtime',
    },
    {
      what: "a retired runtime",
      runtime: "nodejs16.x",
      fragment: 'runtime "nodejs16.x" is retired: AWS no longer creates functions with it',
    },
  ];
  for (const { what, runtime, fragment } of cases) {
    it(`lambda-runtime-offered catches ${what}`, async () => {
      const bad = lambda(runtime);
      expectOnlyViolationsOf(
        await runPolicies([bad]),
        "lambda-runtime-offered",
        bad.urn,
        fragment,
        "offered: ",
      );
    });
  }
});
