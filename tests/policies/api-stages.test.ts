import { policyTarget, runPolicies, unknownDuringPreview } from "../support/policy";
import { expectNoViolations, expectOnlyViolationsOf } from "./expect-violations";

const stageType = "aws:apigatewayv2/stage:Stage";
const accessLogSettings = {
  destinationArn: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/cupping",
  format: '{"requestId":"$context.requestId"}',
};
const defaultRouteSettings = { throttlingRateLimit: 50, throttlingBurstLimit: 100 };

describe("policies: API Gateway stages", () => {
  it("accepts a throttled, access-logged stage, also while its log group ARN is unknown during preview", async () => {
    const stage = policyTarget(stageType, "default", {
      apiId: "api",
      name: "$default",
      autoDeploy: true,
      defaultRouteSettings,
      accessLogSettings,
    });
    const previewed = policyTarget(stageType, "previewed", {
      apiId: "api",
      defaultRouteSettings,
      accessLogSettings: { ...accessLogSettings, destinationArn: unknownDuringPreview },
    });
    expectNoViolations(await runPolicies([stage, previewed]));
  });

  const cases: ReadonlyArray<{
    rule: string;
    what: string;
    props: Record<string, unknown>;
    fragment: string;
  }> = [
    {
      rule: "api-stage-throttled",
      what: "a stage without route settings",
      props: { accessLogSettings },
      fragment:
        "defaultRouteSettings.throttlingRateLimit and defaultRouteSettings.throttlingBurstLimit",
    },
    {
      rule: "api-stage-throttled",
      what: "a stage without a burst limit",
      props: { accessLogSettings, defaultRouteSettings: { throttlingRateLimit: 50 } },
      fragment: "must set defaultRouteSettings.throttlingBurstLimit.",
    },
    {
      rule: "api-stage-access-logged",
      what: "a stage without access logs",
      props: { defaultRouteSettings },
      fragment: "accessLogSettings.destinationArn and accessLogSettings.format",
    },
  ];
  for (const { rule, what, props, fragment } of cases) {
    it(`${rule} catches ${what}`, async () => {
      const bad = policyTarget(stageType, "default", { apiId: "api", ...props });
      expectOnlyViolationsOf(await runPolicies([bad]), rule, bad.urn, fragment);
    });
  }
});
