import { strict as assert } from "node:assert";
import { boundaryArn, listOf, roleScope, scopeTagKey, type RoleScope } from "../../components/iam";
import { programRun, stackRegion } from "../support/harness";
import { type ProgramRun } from "../../tooling/mocks/program-run";
import { decide, type Decision, type Request } from "../support/iam-evaluator";
import { mockAccountId } from "../../tooling/mocks/invokes";
import { capturedRoles, type CapturedRole } from "../support/stack-roles";
import { postgres } from "../../components/service/postgres";
import { reviewRoleScope } from "../../components/review/review-scope";

// Every role each stack creates, under a real IAM policy evaluator: what an attacker holding the role would try is
// denied, and what the role is for is allowed (so no test passes by denying everything).

const account = { partition: "aws", accountId: mockAccountId };
const adminPolicy = "arn:aws:iam::aws:policy/AdministratorAccess";
const iam = (resource: string) => `arn:aws:iam::${mockAccountId}:${resource}`;
const otherStack = (stack: string) => (stack === "dev" ? "production" : "dev");

/** A request with the decision IAM must make on it. */
interface Case extends Request {
  readonly what: string;
  readonly expect: Decision | "Denied";
}

const denied = (what: string, request: Request): Case => ({ what, ...request, expect: "Denied" });
const allowed = (what: string, request: Request): Case => ({ what, ...request, expect: "Allowed" });

/** What an attacker holding any role of the stack tries first: make a role, or this one, grow. */
function attacks(
  role: CapturedRole,
  scope: RoleScope,
  deployRoleArns: readonly string[],
  stack: string,
): Case[] {
  const boundary = boundaryArn(scope, account);
  const other = roleScope({ project: "pipelines", name: otherStack(stack) });
  const ownBoundary = { "iam:PermissionsBoundary": boundary };
  return [
    denied("puts a *:* policy on its own role", {
      action: "iam:PutRolePolicy",
      resource: role.arn,
      context: ownBoundary,
    }),
    denied("attaches AdministratorAccess to its own role", {
      action: "iam:AttachRolePolicy",
      resource: role.arn,
      context: { ...ownBoundary, "iam:PolicyARN": adminPolicy },
    }),
    denied("creates a role without the boundary", {
      action: "iam:CreateRole",
      resource: iam(`role${scope.rolePath}escape`),
    }),
    denied("creates a role with another stack's boundary", {
      action: "iam:CreateRole",
      resource: iam(`role${scope.rolePath}escape`),
      context: { "iam:PermissionsBoundary": boundaryArn(other, account) },
    }),
    denied("attaches AdministratorAccess to a role without the boundary", {
      action: "iam:AttachRolePolicy",
      resource: iam(`role${scope.rolePath}legacy`),
      context: { "iam:PolicyARN": adminPolicy },
    }),
    denied("rewrites the trust policy of a role outside its path", {
      action: "iam:UpdateAssumeRolePolicy",
      resource: iam("role/team/billing"),
      context: ownBoundary,
    }),
    ...deployRoleArns.flatMap((deployRoleArn) => [
      denied(`rewrites the trust policy of the deployer ${deployRoleArn}`, {
        action: "iam:UpdateAssumeRolePolicy",
        resource: deployRoleArn,
        context: ownBoundary,
      }),
      denied(`puts a policy on the deployer ${deployRoleArn}`, {
        action: "iam:PutRolePolicy",
        resource: deployRoleArn,
        context: ownBoundary,
      }),
    ]),
    denied("removes its own permissions boundary", {
      action: "iam:DeleteRolePermissionsBoundary",
      resource: role.arn,
      context: ownBoundary,
    }),
    denied("removes the boundary of a role under its path", {
      action: "iam:DeleteRolePermissionsBoundary",
      resource: iam(`role${scope.rolePath}x`),
      context: ownBoundary,
    }),
    denied("writes a new version of the boundary", {
      action: "iam:CreatePolicyVersion",
      resource: boundary,
    }),
    denied("deletes the boundary", { action: "iam:DeletePolicy", resource: boundary }),
    denied("reads another stack's secret", {
      action: "secretsmanager:GetSecretValue",
      resource: `arn:aws:secretsmanager:${stackRegion(otherStack(stack))}:${mockAccountId}:secret:${other.name}-passphrase-AbCdEf`,
      context: { [`aws:ResourceTag/${scopeTagKey}`]: other.name },
    }),
    denied("decrypts with another stack's key", {
      action: "kms:Decrypt",
      resource: `arn:aws:kms:${stackRegion(otherStack(stack))}:${mockAccountId}:key/other-stack-key`,
      context: { [`aws:ResourceTag/${scopeTagKey}`]: other.name },
    }),
  ];
}

/** A preview holds the stack's passphrase but must change nothing. */
function previewWrites(run: ProgramRun, stack: string): Case[] {
  const region = stackRegion(stack);
  const pipelineRole = capturedRoles(run).find((r) => r.name === "pipeline-role")!;
  return [
    denied("writes the stack's state", {
      action: "s3:PutObject",
      resource: `arn:aws:s3:::acme-coffee-pulumi-state/.pulumi/stacks/pipelines/${stack}.json`,
      context: { "aws:ResourceAccount": mockAccountId },
    }),
    denied("changes a function's code", {
      action: "lambda:UpdateFunctionCode",
      resource: `arn:aws:lambda:${region}:${mockAccountId}:function:cupping-api`,
    }),
    denied("writes a secret", {
      action: "secretsmanager:PutSecretValue",
      resource: `arn:aws:secretsmanager:${region}:${mockAccountId}:secret:pipelines-${stack}-x-AbCdEf`,
    }),
    denied("passes a role to a service", {
      action: "iam:PassRole",
      resource: pipelineRole.arn,
      context: { "iam:PassedToService": "codepipeline.amazonaws.com" },
    }),
    denied("starts the pipeline", {
      action: "codepipeline:StartPipelineExecution",
      resource: `arn:aws:codepipeline:${region}:${mockAccountId}:cupping-service-${stack}`,
    }),
  ];
}

/** The statement with this Sid in a role's own policy, if it has one. */
function statementOf(role: CapturedRole, sid: string) {
  return role.identity.flatMap((p) => p.document.Statement).find((s) => s.Sid === sid);
}

/** Resources a role's own policy names in one statement: what it is for. */
function resourcesOf(role: CapturedRole, sid: string): string[] {
  const statement = statementOf(role, sid);
  assert.ok(statement, `${role.name} has no statement ${sid}`);
  return [...listOf(statement.Resource)];
}

/** What each role is for, which must stay allowed (and, for the API, the database access it must not have). */
function duties(
  role: CapturedRole,
  scope: RoleScope,
  stack: string,
  migratorOf: (role: CapturedRole) => CapturedRole,
): Case[] {
  const boundary = { "iam:PermissionsBoundary": boundaryArn(scope, account) };
  const ownTag = { [`aws:ResourceTag/${scopeTagKey}`]: scope.name };
  const region = stackRegion(stack);
  const logStream = (role: CapturedRole) =>
    resourcesOf(role, "WriteOwnLogs")
      .find((r) => r.endsWith(":*"))!
      .replace(/:\*$/, ":log-stream:build-1");
  if (role.name === "pipeline-role") {
    return [
      ...resourcesOf(role, "StartAndReadOwnBuilds").map((project) =>
        allowed(`starts its build ${project}`, {
          action: "codebuild:StartBuild",
          resource: project,
        }),
      ),
      allowed("passes a project role to CodeBuild", {
        action: "iam:PassRole",
        resource: resourcesOf(role, "PassOnlyOwnProjectRoles")[0],
        context: { "iam:PassedToService": "codebuild.amazonaws.com" },
      }),
    ];
  }
  if (deployerRoles.includes(role.name)) {
    const inPath = iam(`role${scope.rolePath}cupping-api-role`);
    return [
      allowed("creates a role under the stack's path with the boundary", {
        action: "iam:CreateRole",
        resource: iam(`role${scope.rolePath}new-role`),
        context: boundary,
      }),
      allowed("puts a policy on a bounded role under the path", {
        action: "iam:PutRolePolicy",
        resource: inPath,
        context: boundary,
      }),
      allowed("changes the trust policy of a bounded role under the path", {
        action: "iam:UpdateAssumeRolePolicy",
        resource: inPath,
        context: boundary,
      }),
      allowed("passes a role of the stack", {
        action: "iam:PassRole",
        resource: inPath,
        context: { "iam:PassedToService": "lambda.amazonaws.com" },
      }),
      allowed("reads a role of the stack", { action: "iam:GetRole", resource: inPath }),
      allowed("updates a function", {
        action: "lambda:UpdateFunctionCode",
        resource: `arn:aws:lambda:${region}:${mockAccountId}:function:cupping-api`,
      }),
      // The snapshot before pending migrations (scripts/db-snapshot.ts): ask the migrator, snapshot, wait.
      allowed("asks the stack's migrate function which migrations are pending", {
        action: "lambda:InvokeFunction",
        resource: `arn:aws:lambda:${region}:${mockAccountId}:function:cupping-migrate`,
        context: ownTag,
      }),
      allowed("snapshots the database instance before migrations", {
        action: "rds:CreateDBSnapshot",
        resource: `arn:aws:rds:${region}:${mockAccountId}:db:cupping-database-instance`,
      }),
      allowed("snapshots the Aurora cluster before migrations", {
        action: "rds:CreateDBClusterSnapshot",
        resource: `arn:aws:rds:${region}:${mockAccountId}:cluster:cupping-database-cluster`,
      }),
      allowed("waits for the snapshot", {
        action: "rds:DescribeDBSnapshots",
        resource: `arn:aws:rds:${region}:${mockAccountId}:snapshot:cupping-database-instance-before-0003`,
      }),
      allowed("reads the stack's own secret", {
        action: "secretsmanager:GetSecretValue",
        resource: `arn:aws:secretsmanager:${region}:${mockAccountId}:secret:db-AbCdEf`,
        context: ownTag,
      }),
      allowed("creates a secret with the stack's tag", {
        action: "secretsmanager:CreateSecret",
        resource: `arn:aws:secretsmanager:${region}:${mockAccountId}:secret:new-AbCdEf`,
        context: { [`aws:RequestTag/${scopeTagKey}`]: scope.name, "aws:TagKeys": [scopeTagKey] },
      }),
      allowed("creates a key with the stack's tag", {
        action: "kms:CreateKey",
        resource: "*",
        context: { [`aws:RequestTag/${scopeTagKey}`]: scope.name, "aws:TagKeys": [scopeTagKey] },
      }),
      allowed("turns on HTTP API access logging", {
        action: "logs:CreateLogDelivery",
        resource: "*",
      }),
      allowed("gives an interface endpoint its private DNS", {
        action: "route53:AssociateVPCWithHostedZone",
        resource: "arn:aws:route53:::hostedzone/Z0123456789ABC",
      }),
      allowed("writes the stack's state", {
        action: "s3:PutObject",
        resource: `arn:aws:s3:::acme-coffee-pulumi-state/.pulumi/stacks/pipelines/${stack}.json`,
        context: { "aws:ResourceAccount": mockAccountId },
      }),
    ];
  }
  if (role.name === "notifications-slack-role") {
    return [
      allowed("reads its webhook URL", {
        action: "secretsmanager:GetSecretValue",
        resource: resourcesOf(role, "ReadWebhookUrl")[0],
        context: ownTag,
      }),
      allowed("sets aside what it cannot deliver", {
        action: "sqs:SendMessage",
        resource: resourcesOf(role, "SetAsideUndeliverable")[0],
      }),
    ];
  }
  if (role.name === "cupping-release-role") {
    return [
      allowed("moves the API's live alias", {
        action: "lambda:UpdateAlias",
        resource: `${resourcesOf(role, "ShiftTheLiveAlias")[0]}:live`,
      }),
    ];
  }
  if (role.name === "cupping-api-role") {
    const databaseUser = resourcesOf(role, "ConnectAsDatabaseUser")[0];
    const asUser = (user: string) => databaseUser.replace(/[^/]+$/, user);
    // A migrator that signs in with IAM reads no secret: try the secret RDS would manage for the instance instead.
    const migratorReadsSecret = Boolean(statementOf(migratorOf(role), "ReadDatabaseSecret"));
    const migratorSecret = migratorReadsSecret
      ? resourcesOf(migratorOf(role), "ReadDatabaseSecret")[0]
      : `arn:aws:secretsmanager:us-east-1:${mockAccountId}:secret:rds!cupping-database`;
    return [
      allowed("connects as the application role", {
        action: "rds-db:connect",
        resource: asUser(postgres.applicationRole),
      }),
      denied("connects as the master user", {
        action: "rds-db:connect",
        resource: asUser(postgres.masterUsername),
      }),
      denied("connects as the application role of another database", {
        action: "rds-db:connect",
        resource: databaseUser.replace(/dbuser:[^/]+/, "dbuser:db-OTHERDATABASE"),
      }),
      denied("reads the master password", {
        action: "secretsmanager:GetSecretValue",
        resource: migratorSecret,
        context: ownTag,
      }),
      ...(migratorReadsSecret
        ? [
            denied("decrypts with the database key", {
              action: "kms:Decrypt",
              resource: resourcesOf(migratorOf(role), "DecryptDatabaseSecret")[0],
              context: { ...ownTag, "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" },
            }),
          ]
        : [
            denied("connects as the master user, as the migrator does", {
              action: "rds-db:connect",
              resource: resourcesOf(migratorOf(role), "ConnectAsDatabaseUser")[0],
            }),
          ]),
    ];
  }
  if (role.name === "cupping-migrate-role" && statementOf(role, "ConnectAsDatabaseUser")) {
    const masterUser = resourcesOf(role, "ConnectAsDatabaseUser")[0];
    return [
      allowed("connects as the master user", { action: "rds-db:connect", resource: masterUser }),
      denied("connects as the application role", {
        action: "rds-db:connect",
        resource: masterUser.replace(/[^/]+$/, postgres.applicationRole),
      }),
      denied("reads a database secret", {
        action: "secretsmanager:GetSecretValue",
        resource: `arn:aws:secretsmanager:us-east-1:${mockAccountId}:secret:rds!cupping-database`,
        context: ownTag,
      }),
    ];
  }
  if (role.name.startsWith("cupping-"))
    return [
      allowed("reads the database secret", {
        action: "secretsmanager:GetSecretValue",
        resource: resourcesOf(role, "ReadDatabaseSecret")[0],
        context: ownTag,
      }),
    ];
  if (role.name === "github-actions-preview-role") {
    return [
      allowed("asks who it runs as", { action: "sts:GetCallerIdentity", resource: "*" }),
      allowed("reads the availability zones the program asks for", {
        action: "ec2:DescribeAvailabilityZones",
        resource: "*",
      }),
      ...(stack === "production"
        ? [
            allowed("reads the stack's state", {
              action: "s3:GetObject",
              resource: `arn:aws:s3:::acme-coffee-pulumi-state/.pulumi/stacks/pipelines/${stack}.json`,
              context: { "aws:ResourceAccount": mockAccountId },
            }),
          ]
        : []),
    ];
  }
  if (role.name === "pull-request-previews-role") {
    return [
      allowed("asks who it runs as", { action: "sts:GetCallerIdentity", resource: "*" }),
      ...resourcesOf(role, "ReadOwnSecrets").map((secret) =>
        allowed(`reads its secret ${secret}`, {
          action: "secretsmanager:GetSecretValue",
          resource: secret,
          context: ownTag,
        }),
      ),
      allowed("writes its build log", { action: "logs:PutLogEvents", resource: logStream(role) }),
    ];
  }
  if (role.name === "drift-check-events-role")
    return [
      allowed("starts the drift check", {
        action: "codebuild:StartBuild",
        resource: resourcesOf(role, "StartDriftCheck")[0],
      }),
    ];
  if (role.name === "drift-check-role") {
    return [
      allowed("writes its build log", { action: "logs:PutLogEvents", resource: logStream(role) }),
      allowed("reads the database's configuration, as a refresh does", {
        action: "rds:DescribeDBInstances",
        resource: `arn:aws:rds:${region}:${mockAccountId}:db:cupping-database`,
        context: { "aws:ResourceAccount": mockAccountId },
      }),
      allowed("reports drift to the notifications topic", {
        action: "sns:Publish",
        resource: resourcesOf(role, "PublishDrift")[0],
      }),
    ];
  }
  if (role.name === "review-stacks-schedule-role") {
    return resourcesOf(role, "StartTheSweeper").map((project) =>
      allowed(`starts the sweeper ${project}`, {
        action: "codebuild:StartBuild",
        resource: project,
      }),
    );
  }
  // The build, test and publish projects, and the review stacks' builds.
  return [
    allowed("writes its build log", { action: "logs:PutLogEvents", resource: logStream(role) }),
  ];
}

/** The roles that run pulumi up: admin-held, under the admin path. */
const deployerRoles = ["pipeline-deploy-role", "github-actions-deploy-role"];

/**
 * Each stack as its file stands, and with the GitHub Actions side on: previews only (the pipeline deploys), and
 * deployed by GitHub Actions through its environment (no Deploy stage), so the OIDC roles face the same attacks.
 */
const variants: ReadonlyArray<{
  readonly stack: string;
  readonly label: string;
  readonly edit: Readonly<Record<string, unknown>>;
}> = [
  { stack: "dev", label: "dev", edit: {} },
  { stack: "production", label: "production", edit: {} },
  {
    stack: "dev",
    label: "dev with GitHub Actions previews",
    edit: { "pipelines:githubActions": true },
  },
  {
    stack: "production",
    label: "production deployed by GitHub Actions",
    edit: {
      "pipelines:githubActions": true,
      "pipelines:deployer": "github-actions",
      "pipelines:stages": ["test"],
      "pipelines:deployReviewers": ["user:1234"],
    },
  },
];

for (const { stack, label, edit } of variants) {
  describe(`every role of the ${label} stack, under a real IAM policy evaluator`, () => {
    const scope = roleScope({ project: "pipelines", name: stack });
    let run: ProgramRun;
    let roles: CapturedRole[];
    let deployRoles: CapturedRole[];
    before(async () => {
      run = await programRun(stack, edit);
      roles = capturedRoles(run);
      deployRoles = roles.filter((r) => deployerRoles.includes(r.name));
    });

    const check = async (role: CapturedRole, cases: readonly Case[]) => {
      const wrong: string[] = [];
      for (const c of cases) {
        const decision = await decide(role, c);
        const ok = c.expect === "Denied" ? decision !== "Allowed" : decision === c.expect;
        if (!ok)
          wrong.push(
            `${role.name} ${c.what} (${c.action} on ${c.resource}): ${decision}, expected ${c.expect}`,
          );
      }
      assert.deepEqual(wrong, []);
    };

    it("puts every role under the stack's path (the Deploy role under the admin path) with the stack's boundary, the review role under the review scope's admin path with its boundary", () => {
      assert.ok(roles.length >= 6, roles.map((r) => r.name).join(", "));
      assert.equal(deployRoles.length, 1, "the stack has one deployer role");
      assert.equal(
        deployRoles[0].name,
        edit["pipelines:deployer"] === "github-actions"
          ? "github-actions-deploy-role"
          : "pipeline-deploy-role",
      );
      if (edit["pipelines:githubActions"])
        assert.ok(
          roles.some((r) => r.name === "github-actions-preview-role"),
          "the GitHub Actions preview role is among the roles",
        );
      const review = reviewRoleScope("pipelines");
      for (const role of roles) {
        const [path, boundary] =
          role.name === "review-stacks-role"
            ? [review.adminPath, "review-stacks-boundary-policy"]
            : [
                deployRoles.includes(role) ? scope.adminPath : scope.rolePath,
                "permissions-boundary-policy",
              ];
        assert.equal(role.path, path, role.name);
        assert.equal(role.arn, iam(`role${role.path}${role.name}`));
        assert.equal(role.boundary?.name, boundary, `${role.name} carries the wrong boundary`);
      }
    });

    it("denies every role what would let it grow: its own role, roles without the boundary, the boundary, other stacks' secrets and keys", async () => {
      const deployRoleArns = deployRoles.map((r) => r.arn);
      for (const role of roles) await check(role, attacks(role, scope, deployRoleArns, stack));
    });

    it("allows each role what it is for", async () => {
      const migrator = () => roles.find((r) => r.name === "cupping-migrate-role")!;
      for (const role of roles) await check(role, duties(role, scope, stack, migrator));
    });

    it("lets the preview, Plan and drift check roles write nothing: no state, no function, no secret, no PassRole, no pipeline start", async () => {
      const readOnly = roles.filter((r) =>
        [
          "pull-request-previews-role",
          "github-actions-preview-role",
          "pipeline-plan-role",
          "drift-check-role",
        ].includes(r.name),
      );
      assert.equal(
        readOnly.some((r) => r.name === "drift-check-role"),
        stack === "production" && edit["pipelines:deployer"] !== "github-actions",
        "production checks for drift (with the pipeline's Deploy stage, whose Plan the check reuses)",
      );
      assert.ok(
        readOnly.some((r) => r.name === "pull-request-previews-role"),
        "the stack has a preview role",
      );
      assert.equal(
        readOnly.some((r) => r.name === "github-actions-preview-role"),
        edit["pipelines:githubActions"] === true,
        "GitHub Actions previews have their own read-only role",
      );
      for (const role of readOnly) await check(role, previewWrites(run, stack));
      // The same requests are the Deploy role's work (but starting the pipeline), so the test would see a write the preview gained.
      const writes = previewWrites(run, stack).filter(
        (c) =>
          ![
            "iam:PassRole",
            "codepipeline:StartPipelineExecution",
            "secretsmanager:PutSecretValue",
          ].includes(c.action),
      );
      for (const deployRole of deployRoles)
        await check(
          deployRole,
          writes.map((c) => ({ ...c, expect: "Allowed" })),
        );
    });

    it("lets the Deploy role do nothing the boundary forbids, whatever its own policy says", async () => {
      const [deployRole] = deployRoles;
      const unbounded = { ...deployRole, boundary: undefined };
      const grown = {
        ...deployRole,
        identity: [
          ...deployRole.identity,
          {
            name: "injected",
            document: {
              Version: "2012-10-17" as const,
              Statement: [{ Effect: "Allow" as const, Action: ["*"], Resource: ["*"] }],
            },
          },
        ],
      };
      const escape: Request = {
        action: "iam:PutRolePolicy",
        resource: deployRole.arn,
        context: { "iam:PermissionsBoundary": boundaryArn(scope, account) },
      };
      assert.equal(
        await decide(grown, escape),
        "ExplicitlyDenied",
        "the boundary denies a role changing the Deploy role even after *:* was added to it",
      );
      assert.equal(
        await decide({ ...unbounded, identity: grown.identity }, escape),
        "Allowed",
        "without the boundary the same request is allowed: the boundary is what denies it",
      );
    });
  });
}
