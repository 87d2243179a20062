import { strict as assert } from "node:assert";
import { boundaryArn, roleScope, scopeTagKey } from "../../components/iam";
import { reviewRoleScope } from "../../components/review/review-scope";
import { mockAccountId } from "../../tooling/mocks/invokes";
import { programRun, stackRegion } from "../support/harness";
import { decide, type Request } from "../support/iam-evaluator";
import { capturedRoles, type CapturedRole } from "../support/stack-roles";

// The review role runs pull requests' code: under a real IAM policy evaluator, it may make review stacks and must
// touch nothing of dev's or production's. Both sides are asserted, so the test cannot pass by denying everything.

// Review stacks live in dev's region.
const region = stackRegion("dev");
const arn = (service: string, resource: string) =>
  `arn:aws:${service}:${region}:${mockAccountId}:${resource}`;
const dev = roleScope({ project: "pipelines", name: "dev" });
const account = { partition: "aws", accountId: mockAccountId };
const devBoundary = { "iam:PermissionsBoundary": boundaryArn(dev, account) };
const review = reviewRoleScope("pipelines");
const reviewBoundary = { "iam:PermissionsBoundary": boundaryArn(review, account) };
const reviewTag = "pipelines:review-stack";

const mayDo: Array<[string, Request]> = [
  [
    "creates a review stack's function",
    {
      action: "lambda:CreateFunction",
      resource: arn("lambda", "function:review-pr-12-cupping-api-1a2b3c"),
    },
  ],
  [
    "creates its log group",
    {
      action: "logs:CreateLogGroup",
      resource: arn("logs", "log-group:/aws/lambda/review-pr-12-cupping-api-1a2b3c"),
    },
  ],
  // Review stacks create no secret today; one a pull request adds carries the review stack's own scope tag.
  [
    "deletes a review stack's secret",
    {
      action: "secretsmanager:DeleteSecret",
      resource: arn("secretsmanager", "secret:review-pr-12-db-AbCdEf"),
      context: {
        [`aws:ResourceTag/${reviewTag}`]: "pr-12",
        [`aws:ResourceTag/${scopeTagKey}`]: "pipelines-pr-12",
      },
    },
  ],
  [
    "deletes a review-tagged security group",
    {
      action: "ec2:DeleteSecurityGroup",
      resource: arn("ec2", "security-group/sg-0review"),
      context: { [`aws:ResourceTag/${reviewTag}`]: "pr-12" },
    },
  ],
  [
    "creates a review stack's role under the review path with the review boundary",
    {
      action: "iam:CreateRole",
      resource: `arn:aws:iam::${mockAccountId}:role${review.rolePath}review-pr-12-api-role`,
      context: reviewBoundary,
    },
  ],
  [
    "asks dev's migrate function for a review database",
    { action: "lambda:InvokeFunction", resource: "MIGRATE" },
  ],
  ["looks for what a teardown left", { action: "tag:GetResources", resource: "*" }],
];

const mayNotDo: Array<[string, Request]> = [
  [
    "changes dev's API function",
    { action: "lambda:UpdateFunctionCode", resource: arn("lambda", "function:cupping-api-7f8e9d") },
  ],
  [
    "invokes dev's API function",
    { action: "lambda:InvokeFunction", resource: arn("lambda", "function:cupping-api-7f8e9d") },
  ],
  [
    "reads dev's database secret",
    {
      action: "secretsmanager:GetSecretValue",
      resource: arn("secretsmanager", "secret:cupping-database-credentials-AbCdEf"),
      context: { [`aws:ResourceTag/${scopeTagKey}`]: dev.name },
    },
  ],
  [
    "reads production's passphrase",
    {
      action: "secretsmanager:GetSecretValue",
      resource: arn(
        "secretsmanager",
        "secret:pipeline-deploy-credentials-pulumiConfigPassphrase-AbCdEf",
      ),
      context: { [`aws:ResourceTag/${scopeTagKey}`]: "pipelines-production" },
    },
  ],
  [
    "deletes dev's security group",
    {
      action: "ec2:DeleteSecurityGroup",
      resource: arn("ec2", "security-group/sg-0dev"),
      context: { [`aws:ResourceTag/${scopeTagKey}`]: dev.name },
    },
  ],
  [
    "decrypts with dev's key",
    {
      action: "kms:Decrypt",
      resource: arn("kms", "key/dev-key"),
      context: { [`aws:ResourceTag/${scopeTagKey}`]: dev.name },
    },
  ],
  [
    "deletes dev's key",
    {
      action: "kms:ScheduleKeyDeletion",
      resource: arn("kms", "key/dev-key"),
      context: { [`aws:ResourceTag/${scopeTagKey}`]: dev.name },
    },
  ],
  [
    "puts a policy on its own role",
    {
      action: "iam:PutRolePolicy",
      resource: `arn:aws:iam::${mockAccountId}:role${review.adminPath}review-stacks-role`,
      context: reviewBoundary,
    },
  ],
  [
    "deletes its own build logs",
    { action: "logs:DeleteLogGroup", resource: arn("logs", "log-group:review-stacks-logs-1a2b3c") },
  ],
  [
    "puts a policy on dev's API role",
    {
      action: "iam:PutRolePolicy",
      resource: `arn:aws:iam::${mockAccountId}:role${dev.rolePath}cupping-api-role`,
      context: devBoundary,
    },
  ],
  [
    "creates a review-named role without the boundary",
    {
      action: "iam:CreateRole",
      resource: `arn:aws:iam::${mockAccountId}:role${review.rolePath}review-pr-12-escape`,
    },
  ],
  [
    "creates a review-named role under dev's path with dev's boundary",
    {
      action: "iam:CreateRole",
      resource: `arn:aws:iam::${mockAccountId}:role${dev.rolePath}review-pr-12-escape`,
      context: devBoundary,
    },
  ],
  [
    "tags dev's security group for review, to change it after",
    {
      action: "ec2:CreateTags",
      resource: arn("ec2", "security-group/sg-0dev"),
      context: {
        [`aws:RequestTag/${reviewTag}`]: "pr-12",
        [`aws:ResourceTag/${scopeTagKey}`]: dev.name,
      },
    },
  ],
  [
    "writes dev's state",
    {
      action: "s3:PutObject",
      resource: "arn:aws:s3:::acme-coffee-pulumi-state/.pulumi/stacks/pipelines/dev.json",
      context: { "aws:ResourceAccount": mockAccountId },
    },
  ],
  [
    "starts dev's pipeline",
    {
      action: "codepipeline:StartPipelineExecution",
      resource: arn("codepipeline", "cupping-service-dev"),
    },
  ],
];

describe("the review role, under a real IAM policy evaluator", () => {
  let role: CapturedRole;
  let migrateFunction: string;
  before(async () => {
    const run = await programRun("dev");
    role = capturedRoles(run).find((r) => r.name === "review-stacks-role")!;
    assert.ok(role, "dev has a review role");
    migrateFunction = role.identity
      .flatMap((p) => p.document.Statement)
      .find((s) => s.Sid === "ReviewDatabases")!.Resource as string;
  });

  for (const [what, request] of mayDo) {
    it(`may do its work: ${what}`, async () => {
      const resolved =
        request.resource === "MIGRATE" ? { ...request, resource: migrateFunction } : request;
      assert.equal(await decide(role, resolved), "Allowed");
    });
  }
  for (const [what, request] of mayNotDo) {
    it(`attack denied: ${what}`, async () => {
      assert.notEqual(await decide(role, request), "Allowed");
    });
  }
});
