import { policyTarget, runPolicies, unknownDuringPreview } from "../support/policy";
import { expectNoViolations, expectOnlyViolationsOf } from "./expect-violations";

const pipelineWebhookType = "aws:codepipeline/webhook:Webhook";
const githubWebhookType = "github:index/repositoryWebhook:RepositoryWebhook";
const filters = [{ jsonPath: "$.ref", matchEquals: "refs/heads/{Branch}" }];

describe("policies: webhooks", () => {
  it("accepts HMAC- and IP-authenticated pipeline webhooks, signed GitHub webhooks and CodeBuild webhooks", async () => {
    const resources = [
      policyTarget(pipelineWebhookType, "push", {
        authentication: "GITHUB_HMAC",
        authenticationConfiguration: { secretToken: "s3cr3t" },
        filters,
        targetAction: "Source",
        targetPipeline: "p",
      }),
      policyTarget(pipelineWebhookType, "pending", {
        authentication: "GITHUB_HMAC",
        authenticationConfiguration: { secretToken: unknownDuringPreview },
        filters,
        targetAction: "Source",
        targetPipeline: "p",
      }),
      policyTarget(pipelineWebhookType, "office", {
        authentication: "IP",
        authenticationConfiguration: { allowedIpRange: "192.0.2.0/24" },
        filters,
        targetAction: "Source",
        targetPipeline: "p",
      }),
      policyTarget(githubWebhookType, "push-hook", {
        repository: "cupping",
        events: ["push"],
        configuration: {
          url: "https://example.test/hook",
          contentType: "json",
          secret: "s3cr3t",
          insecureSsl: false,
        },
      }),
      policyTarget(githubWebhookType, "pr-hook", {
        repository: "cupping",
        events: ["pull_request"],
        configuration: { url: "https://example.test/pr", secret: unknownDuringPreview },
      }),
      policyTarget("aws:codebuild/webhook:Webhook", "pr-build", { projectName: "preview" }),
    ];
    expectNoViolations(await runPolicies(resources));
  });

  const cases: ReadonlyArray<{
    rule: string;
    what: string;
    type: string;
    props: Record<string, unknown>;
    fragment: string;
  }> = [
    {
      rule: "pipeline-webhook-authenticated",
      what: "an unauthenticated pipeline webhook",
      type: pipelineWebhookType,
      props: { authentication: "UNAUTHENTICATED", filters },
      fragment: "authentication is UNAUTHENTICATED",
    },
    {
      rule: "pipeline-webhook-authenticated",
      what: "GITHUB_HMAC without a secret token",
      type: pipelineWebhookType,
      props: { authentication: "GITHUB_HMAC", authenticationConfiguration: {}, filters },
      fragment: "needs authenticationConfiguration.secretToken",
    },
    {
      rule: "pipeline-webhook-authenticated",
      what: "IP without an allowed range",
      type: pipelineWebhookType,
      props: { authentication: "IP", filters },
      fragment: "needs authenticationConfiguration.allowedIpRange",
    },
    {
      rule: "github-webhook-authenticated",
      what: "a GitHub webhook without a secret",
      type: githubWebhookType,
      props: {
        repository: "cupping",
        events: ["push"],
        configuration: { url: "https://example.test/hook" },
      },
      fragment: "must set configuration.secret",
    },
    {
      rule: "github-webhook-authenticated",
      what: "a GitHub webhook that skips TLS verification",
      type: githubWebhookType,
      props: {
        repository: "cupping",
        events: ["push"],
        configuration: { url: "https://example.test/hook", secret: "s", insecureSsl: true },
      },
      fragment: "insecureSsl",
    },
  ];
  for (const { rule, what, type, props, fragment } of cases) {
    it(`${rule} catches ${what}`, async () => {
      const bad = policyTarget(type, "hook", props);
      expectOnlyViolationsOf(await runPolicies([bad]), rule, bad.urn, fragment);
    });
  }
});
