import { policyTarget, runPolicies, unknownDuringPreview } from "../support/policy";
import { expectNoViolations, expectOnlyViolationsOf } from "./expect-violations";

const projectType = "aws:codebuild/project:Project";
const project = (environmentVariables: object[]) =>
  policyTarget(projectType, "build", {
    artifacts: { type: "CODEPIPELINE" },
    source: { type: "CODEPIPELINE" },
    environment: {
      computeType: "BUILD_GENERAL1_SMALL",
      image: "aws/codebuild/standard:7.0",
      type: "LINUX_CONTAINER",
      environmentVariables,
    },
  });

describe("policies: CodeBuild environment variables", () => {
  it("accepts plain settings, secrets from Parameter Store or Secrets Manager, and references to them", async () => {
    const good = project([
      { name: "STACK", value: "dev" },
      { name: "NODE_ENV", value: "test", type: "PLAINTEXT" },
      {
        name: "PULUMI_CONFIG_PASSPHRASE",
        value: "/cupping/dev/pulumi-passphrase",
        type: "PARAMETER_STORE",
      },
      { name: "GITHUB_TOKEN", value: "cupping/github-token", type: "SECRETS_MANAGER" },
      {
        name: "DB_PASSWORD_SECRET_ARN",
        value: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
      },
      { name: "SLACK_TOKEN_PARAMETER", value: "/cupping/dev/slack-token" },
      { name: "DB_SECRET_ARN", value: unknownDuringPreview },
    ]);
    expectNoViolations(await runPolicies([good]));
  });

  it("accepts names the pack config allows", async () => {
    const cacheKey = project([{ name: "CACHE_KEY", value: "deps-v1" }]);
    expectOnlyViolationsOf(
      await runPolicies([cacheKey]),
      "codebuild-no-plaintext-secret",
      cacheKey.urn,
      "CACHE_KEY",
    );
    expectNoViolations(
      await runPolicies([cacheKey], {
        config: { "codebuild-no-plaintext-secret": { allowedNames: ["CACHE_KEY"] } },
      }),
    );
  });

  const cases: ReadonlyArray<{ what: string; variable: object; fragment: string }> = [
    {
      what: "a PLAINTEXT token",
      variable: { name: "GITHUB_TOKEN", value: "abc", type: "PLAINTEXT" },
      fragment: "GITHUB_TOKEN is PLAINTEXT but its name suggests a secret (TOKEN)",
    },
    {
      what: "a password whose type is left to its PLAINTEXT default",
      variable: { name: "PGPASSWORD", value: "abc" },
      fragment: "(PASSWORD)",
    },
    {
      what: "the Pulumi passphrase in plain text",
      variable: { name: "PULUMI_CONFIG_PASSPHRASE", value: "correct horse" },
      fragment: "(PASSPHRASE)",
    },
    { what: "an API key", variable: { name: "npmApiKey", value: "abc" }, fragment: "(API_KEY)" },
    {
      what: "a credential under an innocent name",
      variable: { name: "DATABASE_URL", value: "postgres://app:hunter2@db:5432/cupping" },
      fragment: "a URL with a password in it",
    },
    {
      what: "a reference-like name holding something else",
      variable: { name: "DB_PASSWORD_ARN", value: "hunter2" },
      fragment: "not an ARN or a parameter/secret name",
    },
  ];
  for (const { what, variable, fragment } of cases) {
    it(`codebuild-no-plaintext-secret catches ${what}`, async () => {
      const bad = project([{ name: "STACK", value: "dev" }, variable]);
      expectOnlyViolationsOf(
        await runPolicies([bad]),
        "codebuild-no-plaintext-secret",
        bad.urn,
        fragment,
        "PARAMETER_STORE or SECRETS_MANAGER",
      );
    });
  }
});
