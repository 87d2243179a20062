import { strict as assert } from "node:assert";
import { boundaryArn, roleScope, scopeTagKey } from "../../components/iam";
import { reviewStackTagKey } from "../../components/review";
import { reviewRoleScope } from "../../components/review/review-scope";
import { mockAccountId } from "../../tooling/mocks/invokes";
import { programRun, resourcesOfType, stackRegion, theResource } from "../support/harness";
import { reveal, type CapturedResource, type ProgramRun } from "../../tooling/mocks/program-run";
import { decide, type Request } from "../support/iam-evaluator";
import { reviewStackRun } from "../support/review-stack-run";
import { capturedRoles, managedPolicies, type CapturedRole } from "../support/stack-roles";

// Review stacks live in their base stack's region.
const region = stackRegion("dev");
const arn = (service: string, resource: string) =>
  `arn:aws:${service}:${region}:${mockAccountId}:${resource}`;
const dev = roleScope({ project: "pipelines", name: "dev" });

// What Pulumi's autonaming makes of a logical name under the review stack's pattern (review-${stack}-${name}-${hex(6)}).
const autonamed = (run: ProgramRun, name: string) => {
  const pattern = (JSON.parse(run.engineConfig.config["pulumi:autonaming"]) as { pattern: string })
    .pattern;
  return pattern
    .replace("${stack}", run.stack)
    .replace("${name}", name)
    .replace("${hex(6)}", "1a2b3c");
};

describe("a review stack's program (pr-12 of dev)", () => {
  let base: ProgramRun;
  let run: ProgramRun;
  before(async () => {
    base = await programRun("dev");
    run = await reviewStackRun(12, base);
  });

  it("creates only the service: no pipeline, notifications, previews, review builds, network, database instance, key or boundary", () => {
    const types = new Set(run.resources.map((r) => r.type));
    for (const absent of [
      "aws:codepipeline/pipeline:Pipeline",
      "aws:codebuild/project:Project",
      "aws:sns/topic:Topic",
      "aws:rds/instance:Instance",
      "aws:ec2/vpc:Vpc",
      "aws:ec2/subnet:Subnet",
      "aws:ec2/securityGroup:SecurityGroup",
      "aws:ec2/vpcEndpoint:VpcEndpoint",
      "aws:kms/key:Key",
      "aws:secretsmanager/secret:Secret",
      "aws:iam/policy:Policy",
      "aws:codedeploy/application:Application",
    ]) {
      assert.ok(!types.has(absent), `${absent} in the review stack`);
    }
    assert.deepEqual(
      resourcesOfType(run, "aws:lambda/function:Function")
        .map((f) => f.name)
        .sort(),
      ["cupping-api-function", "cupping-migrate-function"],
    );
    assert.equal(resourcesOfType(run, "aws:apigatewayv2/api:Api").length, 1);
    assert.equal(run.outputs.pipelineName, undefined);
    assert.equal(run.outputs.reviewBase, undefined);
  });

  it("reads its base stack's network, instance and boundary through one stack reference", () => {
    const reference = theResource(run, "pulumi:pulumi:StackReference");
    assert.equal(reference.inputs.name, "organization/pipelines/dev");
    const shared = base.outputs.reviewBase as Record<string, unknown>;
    const review = reviewRoleScope("pipelines");
    // The API and the migrator alike: its own database user with an IAM token, never the base's master secret.
    for (const part of ["api", "migrate"]) {
      const fn = theResource(run, "aws:lambda/function:Function", `cupping-${part}-function`);
      const variables = (reveal(fn.inputs.environment) as { variables: Record<string, string> })
        .variables;
      assert.equal(variables.PGHOST, shared.databaseAddress);
      assert.equal(variables.PGDATABASE, "review_pr_12");
      assert.deepEqual(
        [
          variables.PGUSER,
          variables.DB_IAM_SIGN_IN,
          variables.DB_SECRET_ARN,
          variables.APP_DB_ROLE,
        ],
        ["review_pr_12", "true", undefined, undefined],
        part,
      );
      const policy = JSON.parse(
        String(
          reveal(
            theResource(run, "aws:iam/rolePolicy:RolePolicy", `cupping-${part}-policy`).inputs
              .policy,
          ),
        ),
      ) as { Statement: Array<{ Action: string[]; Resource: string }> };
      const actions = policy.Statement.flatMap((statement) => statement.Action);
      assert.deepEqual(
        actions.filter((action) => /^(secretsmanager|kms):/.test(action)),
        [],
      );
      assert.deepEqual(
        policy.Statement.filter((statement) => statement.Action.includes("rds-db:connect")).map(
          (statement) => statement.Resource,
        ),
        [arn("rds-db", `dbuser:${String(shared.databaseResourceId)}/review_pr_12`)],
        part,
      );
      assert.deepEqual(reveal(fn.inputs.vpcConfig), {
        subnetIds: shared.privateSubnetIds,
        securityGroupIds: [shared.functionSecurityGroupId],
      });
      // The review scope's path and boundary, never dev's.
      const role = theResource(run, "aws:iam/role:Role", `cupping-${part}-role`);
      assert.equal(role.inputs.path, review.rolePath, part);
      assert.equal(
        role.inputs.permissionsBoundary,
        boundaryArn(review, { partition: "aws", accountId: mockAccountId }),
      );
      assert.equal(role.inputs.permissionsBoundary, shared.permissionsBoundaryArn);
    }
  });

  it("has dev's migrate function prepare its own logical database and role before its own migrator and the API's code change", () => {
    const migration = theResource(run, "aws:lambda/invocation:Invocation");
    assert.equal(
      migration.inputs.functionName,
      (base.outputs.functionNames as { migrate: string }).migrate,
    );
    assert.deepEqual(JSON.parse(String(migration.inputs.input)), {
      action: "prepareReviewDatabase",
      database: "review_pr_12",
      role: "review_pr_12",
    });
    for (const part of ["api", "migrate"])
      assert.ok(
        theResource(
          run,
          "aws:lambda/function:Function",
          `cupping-${part}-function`,
        ).dependencies.includes(migration.urn),
        part,
      );
  });

  it("names and tags every resource for review: no physical name of its own, the review autonaming pattern and tag", () => {
    const named = run.resources.filter(
      (r) => r.custom && r.type.startsWith("aws:") && r.inputs.name !== undefined,
    );
    // The alias and the $default stage are named inside their function and API, which carry the review names.
    assert.deepEqual(named.map((r) => r.type).sort(), [
      "aws:apigatewayv2/stage:Stage",
      "aws:lambda/alias:Alias",
    ]);
    assert.match(
      autonamed(run, "cupping-api-function"),
      /^review-pr-12-cupping-api-function-[0-9a-f]{6}$/,
    );
    assert.equal(
      (JSON.parse(run.engineConfig.config["aws:defaultTags"]) as { tags: Record<string, string> })
        .tags[reviewStackTagKey],
      "pr-12",
    );
  });

  it("tags every resource with its own scope, not dev's, through the AWS provider's default tags", () => {
    const tags = (
      JSON.parse(run.engineConfig.config["aws:defaultTags"]) as { tags: Record<string, string> }
    ).tags;
    assert.equal(tags[scopeTagKey], "pipelines-pr-12");
    assert.equal(
      (JSON.parse(base.engineConfig.config["aws:defaultTags"]) as { tags: Record<string, string> })
        .tags[scopeTagKey],
      "pipelines-dev",
    );
    // No resource sets a scope tag of its own that the default one would lose to.
    const ownScope = run.resources.filter(
      (r) => (r.inputs.tags as Record<string, unknown> | undefined)?.[scopeTagKey] !== undefined,
    );
    assert.deepEqual(
      ownScope.map((r) => r.name),
      [],
    );
  });
});

describe("the review role, on what a review stack's program creates (real IAM policy evaluator)", () => {
  let run: ProgramRun;
  let role: CapturedRole;
  before(async () => {
    const base = await programRun("dev");
    run = await reviewStackRun(12, base);
    role = capturedRoles(base).find((r) => r.name === "review-stacks-role")!;
  });

  // The request that creates each resource, as the provider makes it; components and the stack reference make none.
  const creation: Record<string, (r: CapturedResource) => Request | undefined> = {
    "pipelines:service:CuppingService": () => undefined,
    "pipelines:service:Function": () => undefined,
    "pipelines:service:HttpApi": () => undefined,
    "pulumi:pulumi:StackReference": () => undefined,
    "aws:lambda/function:Function": (r) => ({
      action: "lambda:CreateFunction",
      resource: arn("lambda", `function:${autonamed(run, r.name)}`),
    }),
    "aws:cloudwatch/logGroup:LogGroup": (r) => ({
      action: "logs:CreateLogGroup",
      resource: arn("logs", `log-group:${autonamed(run, r.name)}`),
    }),
    "aws:iam/role:Role": (r) => ({
      action: "iam:CreateRole",
      resource: `arn:aws:iam::${mockAccountId}:role${String(r.inputs.path)}${autonamed(run, r.name)}`,
      context: { "iam:PermissionsBoundary": String(r.inputs.permissionsBoundary) },
    }),
    // IAM gives PutRolePolicy the role's boundary as iam:PermissionsBoundary.
    "aws:iam/rolePolicy:RolePolicy": (r) => {
      const target = theResource(run, "aws:iam/role:Role", String(reveal(r.inputs.role)));
      return {
        action: "iam:PutRolePolicy",
        resource: `arn:aws:iam::${mockAccountId}:role${String(target.inputs.path)}${autonamed(run, target.name)}`,
        context: { "iam:PermissionsBoundary": String(target.inputs.permissionsBoundary) },
      };
    },
    "aws:lambda/invocation:Invocation": (r) => ({
      action: "lambda:InvokeFunction",
      resource: arn("lambda", `function:${String(r.inputs.functionName)}`),
    }),
    "aws:lambda/alias:Alias": (r) => ({
      action: "lambda:CreateAlias",
      resource: arn("lambda", `function:${autonamed(run, String(r.inputs.functionName))}`),
    }),
    "aws:lambda/permission:Permission": (r) => ({
      action: "lambda:AddPermission",
      resource: arn("lambda", `function:${autonamed(run, String(reveal(r.inputs.function)))}`),
    }),
    // AWS's IAM reference lists no HTTP API resource type (/apis/...) for apigateway:POST, so no evaluator can decide
    // these; the review role's tagged statements cover arn:aws:apigateway:<region>::/* (see review-permissions.ts).
    "aws:apigatewayv2/api:Api": () => undefined,
    "aws:apigatewayv2/integration:Integration": () => undefined,
    "aws:apigatewayv2/route:Route": () => undefined,
    "aws:apigatewayv2/stage:Stage": () => undefined,
  };

  it("may create every resource of the review stack, and knows how each is created", async () => {
    const unknown = [...new Set(run.resources.map((r) => r.type))].filter(
      (type) => !(type in creation),
    );
    assert.deepEqual(
      unknown,
      [],
      "resource types of the review program this test does not know how the provider creates",
    );
    const denied: string[] = [];
    for (const resource of run.resources) {
      const request = creation[resource.type](resource);
      if (request && (await decide(role, request)) !== "Allowed")
        denied.push(`${resource.name}: ${request.action} ${request.resource}`);
    }
    assert.deepEqual(denied, []);
  });

  it("attack denied: the same requests on the names dev's own resources have", async () => {
    const api = theResource(run, "aws:lambda/function:Function", "cupping-api-function");
    assert.notEqual(
      await decide(role, {
        action: "lambda:CreateFunction",
        resource: arn("lambda", `function:${api.name}-1a2b3c`),
      }),
      "Allowed",
    );
    assert.notEqual(
      await decide(role, {
        action: "iam:CreateRole",
        resource: `arn:aws:iam::${mockAccountId}:role${dev.rolePath}cupping-api-role-1a2b3c`,
        context: {
          "iam:PermissionsBoundary": boundaryArn(dev, {
            partition: "aws",
            accountId: mockAccountId,
          }),
        },
      }),
      "Allowed",
    );
  });
});

describe("a review stack's migrate function's role (real IAM policy evaluator, with the review boundary)", () => {
  let migrator: CapturedRole;
  let databaseUser: (user: string) => string;
  before(async () => {
    const base = await programRun("dev");
    const run = await reviewStackRun(12, base);
    // The review boundary is the base stack's managed policy.
    migrator = capturedRoles(run, managedPolicies(base)).find(
      (r) => r.name === "cupping-migrate-role",
    )!;
    const resourceId = String(
      (base.outputs.reviewBase as { databaseResourceId: string }).databaseResourceId,
    );
    databaseUser = (user) => arn("rds-db", `dbuser:${resourceId}/${user}`);
  });

  it("sits under the review path with the review boundary", () => {
    const review = reviewRoleScope("pipelines");
    assert.equal(migrator.path, review.rolePath);
    assert.equal(migrator.boundary?.name, "review-stacks-boundary-policy");
  });

  it("may sign in as its own database user, review_pr_12", async () => {
    assert.equal(
      await decide(migrator, { action: "rds-db:connect", resource: databaseUser("review_pr_12") }),
      "Allowed",
    );
  });

  it("attack denied: signing in as dev's master user, dev's application role or another review stack's user", async () => {
    for (const user of ["cupping_admin", "cupping_api", "review_pr_13"])
      assert.notEqual(
        await decide(migrator, { action: "rds-db:connect", resource: databaseUser(user) }),
        "Allowed",
        user,
      );
  });
});
