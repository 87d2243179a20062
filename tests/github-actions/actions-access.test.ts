import { strict as assert } from "node:assert";
import { ActionsAccess, type ActionsAccessArgs } from "../../components/github-actions";
import { roleScope } from "../../components/iam";
import { runComponent, type RegisteredResource } from "../support/component-run";

// The component built alone under mocks, with only its own arguments.
const scope = roleScope({ project: "pipelines", name: "staging" });
const baseArgs: ActionsAccessArgs = {
  stack: "staging",
  repository: { owner: "acme-coffee", name: "cupping-service" },
  region: "eu-west-1",
  roles: {
    scope,
    path: scope.rolePath,
    permissionsBoundary: "arn:aws:iam::123456789012:policy/pipelines-admin/staging/boundary",
  },
  pulumi: { backendUrl: "s3://acme-state/pipelines" },
};

const build = (args: Partial<ActionsAccessArgs>) =>
  runComponent(() => new ActionsAccess("github-actions", { ...baseArgs, ...args }));
const ofType = (resources: RegisteredResource[], type: string) =>
  resources.filter((r) => r.type === type);
const named = (resources: RegisteredResource[], name: string) => {
  const found = resources.find((r) => r.name === name);
  assert.ok(found, `${name} not among ${resources.map((r) => r.name).join(", ")}`);
  return found;
};
const trustOf = (role: RegisteredResource) =>
  JSON.parse(String(role.inputs.assumeRolePolicy)) as {
    Statement: Array<{ Principal: { Federated: string }; Condition: unknown }>;
  };
const namesOf = (resources: RegisteredResource[], type: string, key: string) =>
  ofType(resources, type)
    .map((r) => String(r.inputs[key]))
    .sort();

describe("GitHub Actions access, built alone", () => {
  it("creates the account's GitHub OIDC provider for STS, without a thumbprint, when given none", async () => {
    const resources = await build({});
    const [provider] = ofType(resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    assert.deepEqual(provider.inputs, {
      url: "https://token.actions.githubusercontent.com",
      clientIdLists: ["sts.amazonaws.com"],
    });
    const preview = named(resources, "github-actions-preview-role");
    assert.equal(
      trustOf(preview).Statement[0].Principal.Federated,
      "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
    );
  });

  it("trusts an existing provider by ARN and creates none", async () => {
    const existing = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com";
    const resources = await build({ oidcProviderArn: existing });
    assert.deepEqual(ofType(resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider"), []);
    assert.equal(
      trustOf(named(resources, "github-actions-preview-role")).Statement[0].Principal.Federated,
      existing,
    );
  });

  it("without a deploy side: only the preview role and the repository's preview names, no environment", async () => {
    const resources = await build({});
    const roles = ofType(resources, "aws:iam/role:Role");
    assert.deepEqual(
      roles.map((r) => r.name),
      ["github-actions-preview-role"],
    );
    assert.equal(roles[0].inputs.path, scope.rolePath);
    assert.equal(roles[0].inputs.permissionsBoundary, baseArgs.roles.permissionsBoundary);
    assert.deepEqual(
      ofType(resources, "github:index/repositoryEnvironment:RepositoryEnvironment"),
      [],
    );
    assert.deepEqual(
      namesOf(resources, "github:index/actionsVariable:ActionsVariable", "variableName"),
      ["AWS_PREVIEW_ROLE_ARN_STAGING", "AWS_REGION_STAGING", "PULUMI_BACKEND_URL_STAGING"],
    );
    // No passphrase given, so no secret is set.
    assert.deepEqual(ofType(resources, "github:index/actionsSecret:ActionsSecret"), []);
  });

  it("with a deploy side: the environment allows the stack's branch only, its reviewers, no self-review, no admin bypass", async () => {
    const resources = await build({
      deploy: { branch: "release", reviewers: { users: [1234], teams: [56] } },
    });
    const deployRole = named(resources, "github-actions-deploy-role");
    assert.equal(deployRole.inputs.path, scope.adminPath, "the deploy role is admin-held");
    const environment = named(resources, "github-actions-environment");
    assert.deepEqual(environment.inputs, {
      repository: "cupping-service",
      environment: "staging",
      canAdminsBypass: false,
      preventSelfReview: true,
      reviewers: [{ users: [1234], teams: [56] }],
      deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false },
    });
    assert.deepEqual(named(resources, "github-actions-environment-branch").inputs, {
      repository: "cupping-service",
      environment: "staging",
      branchPattern: "release",
    });
    assert.deepEqual(
      namesOf(
        resources,
        "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
        "variableName",
      ),
      ["AWS_DEPLOY_ROLE_ARN", "AWS_REGION", "PULUMI_BACKEND_URL", "PULUMI_STACK"],
    );
    const value = (name: string) =>
      ofType(resources, "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable").find(
        (r) => r.inputs.variableName === name,
      )?.inputs.value;
    assert.equal(value("PULUMI_STACK"), "staging");
    assert.equal(value("AWS_REGION"), "eu-west-1");
    assert.equal(
      value("AWS_DEPLOY_ROLE_ARN"),
      "arn:aws:iam::123456789012:role/pipelines-admin/staging/github-actions-deploy-role",
    );
  });

  it("without reviewers the environment still holds the branch rule, and self-review is moot", async () => {
    const resources = await build({
      deploy: { branch: "main", reviewers: { users: [], teams: [] } },
    });
    const environment = named(resources, "github-actions-environment");
    assert.equal(environment.inputs.reviewers, undefined);
    assert.equal(environment.inputs.canAdminsBypass, false);
    assert.equal(
      named(resources, "github-actions-environment-branch").inputs.branchPattern,
      "main",
    );
  });

  it("refuses a stack whose name GitHub cannot put in a variable name", () => {
    assert.throws(
      () => new ActionsAccess("x", { ...baseArgs, stack: "pr-1.x" }),
      /stack "pr-1\.x": GitHub variable and secret names take letters, digits and _ only/,
    );
  });
});
