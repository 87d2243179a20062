import { strict as assert } from "node:assert";
import {
  childrenOf,
  plainStrings,
  programRun,
  resourcesOfType,
  stackRegion,
  theResource,
} from "../support/harness";
import {
  isSecretValue,
  reveal,
  type CapturedResource,
  type ProgramRun,
} from "../../tooling/mocks/program-run";
import { secretPlaceholder } from "../../tooling/mocks/stack-config";

interface PipelineStage {
  readonly name: string;
  readonly actions: ReadonlyArray<{ readonly name: string; readonly provider: string }>;
}

// Dev uses the webhook source and leaves the secret out, so the stack generates one. Production's source is a
// connection; switched to the webhook with an encrypted secret of its own, it uses that secret.
const expected = {
  dev: { edit: {}, ref: "refs/heads/main", secret: "generated" },
  production: {
    edit: {
      "pipelines:sourceKind": "webhook",
      "pipelines:webhookSecret": { secure: "v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA==" },
    },
    ref: "refs/heads/production",
    secret: secretPlaceholder("pipelines:webhookSecret"),
  },
} as const;

for (const [stack, want] of Object.entries(expected)) {
  describe(`the ${stack} stack's push webhooks (sourceKind webhook)`, () => {
    let run: ProgramRun;
    let pipelineWebhook: CapturedResource;
    let repositoryWebhook: CapturedResource;
    let provider: CapturedResource;
    // The engine marks a whole block secret when a value inside it is: reveal the block, and look for leaks with plainStrings.
    const configuration = () =>
      reveal(repositoryWebhook.inputs.configuration) as Record<string, unknown>;
    const secretToken = () =>
      (reveal(pipelineWebhook.inputs.authenticationConfiguration) as { secretToken: string })
        .secretToken;
    const inClear = (resource: CapturedResource, text: string) =>
      plainStrings(resource.inputs).filter((s) => s.text.includes(text));
    before(async () => {
      run = await programRun(stack, want.edit);
      const component = theResource(run, "pipelines:github:Webhooks");
      const children = childrenOf(run, component);
      const only = (type: string) => {
        const found = children.filter((r) => r.type === type);
        assert.equal(
          found.length,
          1,
          `expected one ${type} in the webhooks component, found ${found.length}`,
        );
        return found[0];
      };
      pipelineWebhook = only("aws:codepipeline/webhook:Webhook");
      repositoryWebhook = only("github:index/repositoryWebhook:RepositoryWebhook");
      provider = only("pulumi:providers:github");
    });

    it("authenticates GitHub's deliveries by HMAC and lets only pushes to the branch through", () => {
      assert.equal(pipelineWebhook.inputs.authentication, "GITHUB_HMAC");
      assert.deepEqual(pipelineWebhook.inputs.filters, [
        { jsonPath: "$.ref", matchEquals: want.ref },
      ]);
    });

    it("starts the pipeline's GitHub source action", () => {
      const pipeline = theResource(run, "aws:codepipeline/pipeline:Pipeline");
      const [source] = reveal(pipeline.inputs.stages) as PipelineStage[];
      const [action] = source.actions;
      assert.equal(action.provider, "GitHub");
      assert.equal(pipelineWebhook.inputs.targetPipeline, pipeline.inputs.name ?? pipeline.name);
      assert.equal(pipelineWebhook.inputs.targetAction, action.name);
    });

    it("puts a push webhook on the repository: the pipeline webhook's URL, JSON, TLS verified, active", () => {
      assert.equal(repositoryWebhook.inputs.repository, "cupping-service");
      assert.deepEqual(repositoryWebhook.inputs.events, ["push"]);
      assert.equal(repositoryWebhook.inputs.active, true);
      assert.equal(configuration().contentType, "json");
      assert.equal(configuration().insecureSsl, false);
      assert.equal(
        configuration().url,
        `https://${stackRegion(stack)}.webhooks.aws/trigger?t=${pipelineWebhook.name}`,
      );
      assert.deepEqual(
        inClear(repositoryWebhook, "webhooks.aws"),
        [],
        "the URL carries CodePipeline's token in its query: keep it secret",
      );
    });

    it("signs and checks with the same secret, a secret on both sides", () => {
      assert.equal(configuration().secret, secretToken());
      assert.deepEqual(
        inClear(pipelineWebhook, secretToken()),
        [],
        "the CodePipeline webhook's secretToken is in plaintext",
      );
      assert.deepEqual(
        inClear(repositoryWebhook, secretToken()),
        [],
        "the GitHub webhook's secret is in plaintext",
      );
    });

    it(
      want.secret === "generated"
        ? "generates a long secret of letters and digits when none is configured"
        : "uses the configured secret and generates none",
      () => {
        const generated = resourcesOfType(run, "random:index/randomPassword:RandomPassword").filter(
          (r) => r.parent === pipelineWebhook.parent,
        );
        if (want.secret === "generated") {
          assert.equal(generated.length, 1);
          assert.equal(generated[0].inputs.special, false);
          assert.ok((generated[0].inputs.length as number) >= 32);
          assert.equal(secretToken(), `random-${generated[0].name}-0123456789abcdef`);
        } else {
          assert.deepEqual(generated, []);
          assert.equal(secretToken(), want.secret);
        }
      },
    );

    it("creates the GitHub webhook with an explicit provider for the owner, its token a secret", () => {
      assert.equal(provider.inputs.owner, "acme-coffee");
      assert.ok(isSecretValue(provider.inputs.token), "the provider's token is in plaintext");
      assert.equal(reveal(provider.inputs.token), secretPlaceholder("github:token"));
      assert.ok(
        repositoryWebhook.provider?.startsWith(`${provider.urn}::`),
        `the repository webhook uses ${repositoryWebhook.provider}`,
      );
    });

    it("outputs no webhook URL in the clear", () => {
      assert.deepEqual(
        plainStrings(run.outputs).filter(({ text }) => text.includes("webhooks.aws")),
        [],
      );
    });
  });
}
