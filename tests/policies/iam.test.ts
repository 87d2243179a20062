import * as assert from "node:assert/strict";
import { policyTarget, runPolicies, unknownDuringPreview, violationsOf } from "../support/policy";
import { expectNoViolations, expectOnlyViolationsOf } from "./expect-violations";

const lambdaTrust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
  ],
});
const document = (...statements: object[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });
const logGroupArn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/cupping:*";

describe("policies: IAM policies", () => {
  it('accepts scoped statements, Resource "*" for actions without resource-level permissions, and any Deny', async () => {
    const role = policyTarget("aws:iam/role:Role", "api-role", {
      assumeRolePolicy: lambdaTrust,
      inlinePolicies: [
        {
          name: "logs",
          policy: document({
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: logGroupArn,
          }),
        },
      ],
    });
    const rolePolicy = policyTarget("aws:iam/rolePolicy:RolePolicy", "api-vpc", {
      role: "api-role",
      policy: document(
        {
          Effect: "Allow",
          Action: [
            "EC2:describeNetworkInterfaces",
            "ec2:CreateNetworkInterface",
            "xray:PutTraceSegments",
            "ec2:DescribeAvailabilityZones",
            "sts:GetCallerIdentity",
          ],
          Resource: "*",
        },
        {
          Effect: "Deny",
          Action: "*",
          Resource: "*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ),
    });
    // Policy documents may also arrive as objects, with a single Statement object.
    const managed = policyTarget("aws:iam/policy:Policy", "read-secret", {
      policy: {
        Version: "2012-10-17",
        Statement: {
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
        },
      },
    });
    expectNoViolations(await runPolicies([role, rolePolicy, managed]));
  });

  it("accepts actions added to extraActionsOnAnyResource in the pack config", async () => {
    const policy = policyTarget("aws:iam/rolePolicy:RolePolicy", "list", {
      role: "r",
      policy: document({ Effect: "Allow", Action: "codepipeline:ListPipelines", Resource: "*" }),
    });
    expectNoViolations(
      await runPolicies([policy], {
        config: {
          "iam-no-wildcard-resource": { extraActionsOnAnyResource: ["codepipeline:ListPipelines"] },
        },
      }),
    );
  });

  it("checks a document again at update time rather than guess while it is unknown during preview", async () => {
    const policy = policyTarget("aws:iam/rolePolicy:RolePolicy", "pending", {
      role: "r",
      policy: unknownDuringPreview,
    });
    const objectDocument = policyTarget("aws:iam/policy:Policy", "partly-pending", {
      policy: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: [unknownDuringPreview] }],
      },
    });
    const report = await runPolicies([policy, objectDocument]);
    expectNoViolations(report);
    assert.deepEqual(report.notRunDuringPreview, []);
  });

  const cases: ReadonlyArray<{
    rule: string;
    what: string;
    type: string;
    props: Record<string, unknown>;
    fragments: string[];
  }> = [
    {
      rule: "iam-no-wildcard-action",
      what: 'Action "*" in a role policy',
      type: "aws:iam/rolePolicy:RolePolicy",
      props: {
        role: "r",
        policy: document({
          Sid: "Everything",
          Effect: "Allow",
          Action: "*",
          Resource: logGroupArn,
        }),
      },
      fragments: ["statement 'Everything'", 'allows every action (Action "*")'],
    },
    {
      rule: "iam-no-wildcard-action",
      what: "NotAction in an Allow statement of a managed policy",
      type: "aws:iam/policy:Policy",
      props: { policy: document({ Effect: "Allow", NotAction: "iam:*", Resource: logGroupArn }) },
      fragments: ['every action except "iam:*"'],
    },
    {
      rule: "iam-no-wildcard-action",
      what: 'Action "*" among others in a role\'s inline policy',
      type: "aws:iam/role:Role",
      props: {
        assumeRolePolicy: lambdaTrust,
        inlinePolicies: [
          {
            name: "all",
            policy: document({
              Effect: "Allow",
              Action: ["s3:GetObject", "*"],
              Resource: logGroupArn,
            }),
          },
        ],
      },
      fragments: ["inlinePolicies[0].policy, statement 1"],
    },
    {
      rule: "iam-no-wildcard-resource",
      what: 'resource-level actions on Resource "*"',
      type: "aws:iam/rolePolicy:RolePolicy",
      props: {
        role: "r",
        policy: document({
          Effect: "Allow",
          Action: ["s3:GetObject", "xray:PutTraceSegments", "logs:*"],
          Resource: "*",
        }),
      },
      fragments: ['allows "s3:GetObject", "logs:*" on every resource (Resource "*")'],
    },
    {
      rule: "iam-no-wildcard-resource",
      what: "NotResource in a user policy",
      type: "aws:iam/userPolicy:UserPolicy",
      props: {
        user: "u",
        policy: document({
          Effect: "Allow",
          Action: "s3:PutObject",
          NotResource: "arn:aws:s3:::private/*",
        }),
      },
      fragments: ['every resource except "arn:aws:s3:::private/*" (NotResource)'],
    },
    {
      rule: "iam-no-wildcard-resource",
      what: 'Resource "*" in a group policy',
      type: "aws:iam/groupPolicy:GroupPolicy",
      props: {
        group: "g",
        policy: document({
          Effect: "Allow",
          Action: "codebuild:StartBuild",
          Resource: ["arn:aws:codebuild:us-east-1:123456789012:project/x", "*"],
        }),
      },
      fragments: ['"codebuild:StartBuild"'],
    },
  ];
  for (const { rule, what, type, props, fragments } of cases) {
    it(`${rule} catches ${what}`, async () => {
      const bad = policyTarget(type, "bad", props);
      expectOnlyViolationsOf(await runPolicies([bad]), rule, bad.urn, ...fragments);
    });
  }

  it("reports a policy document it cannot read under both IAM rules", async () => {
    const bad = policyTarget("aws:iam/rolePolicy:RolePolicy", "broken", {
      role: "r",
      policy: '{"Statement": [{"Effect": "Allow", "Action": 3}]}',
    });
    const report = await runPolicies([bad]);
    for (const rule of ["iam-no-wildcard-action", "iam-no-wildcard-resource"]) {
      assert.deepEqual(
        violationsOf(report, rule).map((violation) => violation.message),
        ["policy cannot be checked: it statement 1: Action must be a string or a list of strings."],
      );
    }
  });
});
