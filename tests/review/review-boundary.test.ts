import { strict as assert } from "node:assert";
import { boundaryArn, roleScope, scopeTagKey } from "../../components/iam";
import { reviewRoleScope } from "../../components/review/review-scope";
import { mockAccountId } from "../../tooling/mocks/invokes";
import { programRun, stackRegion } from "../support/harness";
import type { ProgramRun } from "../../tooling/mocks/program-run";
import { actionHasConditionKey, decide, type Request } from "../support/iam-evaluator";
import { reviewStackRun } from "../support/review-stack-run";
import { capturedRoles, managedPolicies, type CapturedRole } from "../support/stack-roles";

// The review scope's boundary, under a real IAM policy evaluator. Its attackers: the review role, which runs a pull
// request's program, and a role that program creates, on which the pull request may put any policy at all (here
// *:*). Neither may reach dev's or production's secrets, keys or functions, nor change or shed the boundary; both may
// still do a review deploy's work, so the test cannot pass by denying everything.

const account = { partition: "aws", accountId: mockAccountId };
const dev = roleScope({ project: "pipelines", name: "dev" });
const review = reviewRoleScope("pipelines");
const scopeTag = (scope: string) => ({ [`aws:ResourceTag/${scopeTagKey}`]: scope });
const arn = (stack: string, service: string, resource: string) =>
  `arn:aws:${service}:${stackRegion(stack)}:${mockAccountId}:${resource}`;
const iam = (resource: string) => `arn:aws:iam::${mockAccountId}:${resource}`;
const anything = {
  name: "what the pull request puts on its role",
  document: {
    Version: "2012-10-17" as const,
    Statement: [{ Effect: "Allow" as const, Action: ["*"], Resource: ["*"] }],
  },
};

/** What both attackers try, by what they would gain. */
function attacks(role: CapturedRole, migrateFunction: string): Array<[string, Request]> {
  return [
    [
      "reads dev's database secret",
      {
        action: "secretsmanager:GetSecretValue",
        resource: arn("dev", "secretsmanager", "secret:cupping-database-master-AbCdEf"),
        context: scopeTag(dev.name),
      },
    ],
    [
      "decrypts with dev's KMS key",
      {
        action: "kms:Decrypt",
        resource: arn("dev", "kms", "key/dev-key"),
        context: scopeTag(dev.name),
      },
    ],
    [
      "reads production's passphrase",
      {
        action: "secretsmanager:GetSecretValue",
        resource: arn("production", "secretsmanager", "secret:pipeline-deploy-passphrase-AbCdEf"),
        context: scopeTag("pipelines-production"),
      },
    ],
    [
      "decrypts with production's KMS key",
      {
        action: "kms:Decrypt",
        resource: arn("production", "kms", "key/production-key"),
        context: scopeTag("pipelines-production"),
      },
    ],
    [
      "changes dev's API function",
      {
        action: "lambda:UpdateFunctionCode",
        resource: arn("dev", "lambda", "function:cupping-api-7f8e9d"),
        context: scopeTag(dev.name),
      },
    ],
    [
      "changes dev's migrate function, which review stacks may invoke",
      {
        action: "lambda:UpdateFunctionCode",
        resource: migrateFunction,
        context: scopeTag(dev.name),
      },
    ],
    [
      "writes a new version of the review boundary",
      { action: "iam:CreatePolicyVersion", resource: boundaryArn(review, account) },
    ],
    [
      "deletes the review boundary",
      { action: "iam:DeletePolicy", resource: boundaryArn(review, account) },
    ],
    [
      "removes its own boundary",
      {
        action: "iam:DeleteRolePermissionsBoundary",
        resource: role.arn,
        context: { "iam:PermissionsBoundary": boundaryArn(review, account) },
      },
    ],
    [
      "swaps its boundary for dev's",
      {
        action: "iam:PutRolePermissionsBoundary",
        resource: role.arn,
        context: { "iam:PermissionsBoundary": boundaryArn(dev, account) },
      },
    ],
    [
      "creates a role under dev's path with dev's boundary",
      {
        action: "iam:CreateRole",
        resource: iam(`role${dev.rolePath}review-pr-12-escape`),
        context: { "iam:PermissionsBoundary": boundaryArn(dev, account) },
      },
    ],
    [
      "creates a review role without a boundary",
      { action: "iam:CreateRole", resource: iam(`role${review.rolePath}review-pr-12-escape`) },
    ],
    [
      "puts a policy on the review role",
      {
        action: "iam:PutRolePolicy",
        resource: iam(`role${review.adminPath}review-stacks-role`),
        context: { "iam:PermissionsBoundary": boundaryArn(review, account) },
      },
    ],
    [
      "puts a policy on dev's API role",
      {
        action: "iam:PutRolePolicy",
        resource: iam(`role${dev.rolePath}cupping-api-role`),
        context: { "iam:PermissionsBoundary": boundaryArn(dev, account) },
      },
    ],
  ];
}

describe("the review scope's boundary, under a real IAM policy evaluator", () => {
  let base: ProgramRun;
  let reviewRole: CapturedRole;
  let reviewStackRole: CapturedRole;
  let migrateFunction: string;
  let ownSecrets: string[];
  before(async () => {
    base = await programRun("dev");
    const run = await reviewStackRun(12, base);
    reviewRole = capturedRoles(base).find((r) => r.name === "review-stacks-role")!;
    const [role] = capturedRoles(run, managedPolicies(base));
    reviewStackRole = { ...role, identity: [...role.identity, anything] };
    const statement = (sid: string) =>
      reviewRole.identity.flatMap((p) => p.document.Statement).find((s) => s.Sid === sid)!;
    migrateFunction = statement("ReviewDatabases").Resource as string;
    ownSecrets = statement("ReadOwnSecrets").Resource as string[];
  });

  it("is the boundary of the review role and of every role a review stack creates, not dev's", () => {
    assert.equal(reviewRole.boundary?.name, "review-stacks-boundary-policy");
    assert.equal(reviewStackRole.boundary?.name, "review-stacks-boundary-policy");
    assert.equal(reviewRole.path, review.adminPath);
    assert.equal(reviewStackRole.path, review.rolePath);
  });

  for (const [who, attacker] of [
    ["the review role", () => reviewRole],
    ["a review stack's role with *:* on it", () => reviewStackRole],
  ] as const) {
    it(`denies ${who} dev's and production's secrets, keys and functions, and any change to the boundary`, async () => {
      const allowed: string[] = [];
      for (const [what, request] of attacks(attacker(), migrateFunction))
        if ((await decide(attacker(), request)) === "Allowed") allowed.push(what);
      assert.deepEqual(allowed, []);
    });
  }

  it("is what denies them: the same role without it reads dev's secret and changes dev's function", async () => {
    const unbounded = { ...reviewStackRole, boundary: undefined };
    // KMS also asks the key's own policy, which the evaluator is not given: keys are left out here.
    const reached = attacks(reviewStackRole, migrateFunction)
      .slice(0, 6)
      .filter(([, request]) => !request.action.startsWith("kms:"));
    assert.equal(reached.length, 4);
    for (const [what, request] of reached)
      assert.equal(await decide(unbounded, request), "Allowed", what);
    // IAM evaluates the scope tag on these actions (Service Authorization Reference), so the deny holds in AWS too.
    for (const action of [
      "secretsmanager:GetSecretValue",
      "kms:Decrypt",
      "lambda:UpdateFunctionCode",
    ])
      assert.ok(await actionHasConditionKey(action, `aws:ResourceTag/${scopeTagKey}`), action);
  });

  it("lets the review role do a review deploy's work: its own credentials, dev's migrate function, a review stack's function and role, invoking the review stack's own migrate function", async () => {
    const work: Request[] = [
      ...ownSecrets.map((secret) => ({
        action: "secretsmanager:GetSecretValue",
        resource: secret,
        context: scopeTag(dev.name),
      })),
      { action: "lambda:InvokeFunction", resource: migrateFunction, context: scopeTag(dev.name) },
      {
        action: "lambda:CreateFunction",
        resource: arn("dev", "lambda", "function:review-pr-12-cupping-api-function-1a2b3c"),
      },
      {
        action: "lambda:InvokeFunction",
        resource: arn("dev", "lambda", "function:review-pr-12-cupping-migrate-function-1a2b3c"),
        context: scopeTag("pipelines-pr-12"),
      },
      {
        action: "iam:CreateRole",
        resource: iam(`role${review.rolePath}review-pr-12-cupping-api-role-1a2b3c`),
        context: { "iam:PermissionsBoundary": boundaryArn(review, account) },
      },
    ];
    assert.ok(ownSecrets.length >= 2, "the GitHub token and a Pulumi credential");
    for (const request of work)
      assert.equal(
        await decide(reviewRole, request),
        "Allowed",
        `${request.action} ${request.resource}`,
      );
  });

  it("lets a review stack's role do what its function does: its database user, its logs, its network interfaces, its own scope's secrets", async () => {
    const work: Request[] = [
      {
        action: "rds-db:connect",
        resource: arn("dev", "rds-db", "dbuser:db-ABCDEFGHIJKLMNOP/review_pr_12"),
      },
      {
        action: "logs:PutLogEvents",
        resource: arn(
          "dev",
          "logs",
          "log-group:/aws/lambda/review-pr-12-cupping-api-function-1a2b3c:log-stream:x",
        ),
      },
      {
        action: "ec2:CreateNetworkInterface",
        resource: arn("dev", "ec2", "subnet/subnet-0private"),
      },
      {
        action: "secretsmanager:GetSecretValue",
        resource: arn("dev", "secretsmanager", "secret:review-pr-12-extra-AbCdEf"),
        context: scopeTag("pipelines-pr-12"),
      },
    ];
    for (const request of work)
      assert.equal(
        await decide(reviewStackRole, request),
        "Allowed",
        `${request.action} ${request.resource}`,
      );
  });
});
