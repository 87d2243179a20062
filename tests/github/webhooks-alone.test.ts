import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Webhooks, type WebhooksArgs } from "../../components/github/webhooks";
import { ofType, runComponent, type RegisteredResource } from "../support/component-run";
import { isSecretValue, reveal } from "../../tooling/mocks/program-run";

/** The webhooks' arguments written out by hand: no stack file, no settings reader. */
const args: WebhooksArgs = {
  repository: { owner: "acme", name: "beans" },
  branch: "release",
  githubToken: pulumi.secret("ghp_aloneToken0000000000000000000000000"),
  pipelineName: "beans-staging",
  sourceActionName: "Source",
};

describe("the Webhooks component built alone from its arguments", () => {
  let resources: RegisteredResource[];
  before(async () => {
    resources = await runComponent(() => new Webhooks("push", args));
  });

  it("registers as pipelines:github:Webhooks, its type token naming its class", () => {
    const [component] = resources.filter((r) => r.name === "push");
    assert.equal(component.type, "pipelines:github:Webhooks");
    assert.equal(component.type.split(":").pop(), Webhooks.name);
  });

  it("starts the given pipeline's source action on pushes to the given branch", () => {
    const [webhook] = ofType(resources, "aws:codepipeline/webhook:Webhook");
    assert.deepEqual(
      [webhook.inputs.targetPipeline, webhook.inputs.targetAction, webhook.inputs.filters],
      ["beans-staging", "Source", [{ jsonPath: "$.ref", matchEquals: "refs/heads/release" }]],
    );
  });

  it("puts the push webhook on the given repository with the given token, one generated secret on both sides", () => {
    const [provider] = ofType(resources, "pulumi:providers:github");
    assert.equal(provider.inputs.owner, "acme");
    assert.ok(isSecretValue(provider.inputs.token));
    const [repositoryWebhook] = ofType(
      resources,
      "github:index/repositoryWebhook:RepositoryWebhook",
    );
    assert.equal(repositoryWebhook.inputs.repository, "beans");
    const [generated] = ofType(resources, "random:index/randomPassword:RandomPassword");
    assert.deepEqual([generated.inputs.length, generated.inputs.special], [40, false]);
  });

  it("shares a given secret instead of generating one, and keeps it secret", async () => {
    const given = await runComponent(
      () => new Webhooks("push", { ...args, secret: "given-secret-0000000000" }),
    );
    assert.deepEqual(ofType(given, "random:index/randomPassword:RandomPassword"), []);
    const [webhook] = ofType(given, "aws:codepipeline/webhook:Webhook");
    const configuration = webhook.inputs.authenticationConfiguration;
    assert.ok(
      isSecretValue(configuration) ||
        isSecretValue((configuration as { secretToken: unknown }).secretToken),
    );
    assert.deepEqual(reveal(configuration), { secretToken: "given-secret-0000000000" });
  });
});
