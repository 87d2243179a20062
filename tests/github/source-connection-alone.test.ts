import { strict as assert } from "node:assert";
import { SourceConnection } from "../../components/github/source-connection";
import { runComponent } from "../support/component-run";

describe("the SourceConnection component built alone from its arguments", () => {
  it("registers as pipelines:github:SourceConnection and creates a GitHub connection with the given name", async () => {
    const resources = await runComponent(
      () => new SourceConnection("source", { name: "beans-staging" }),
    );
    assert.deepEqual(
      resources.map((r) => [r.type, r.name]),
      [
        ["pipelines:github:SourceConnection", "source"],
        ["aws:codestarconnections/connection:Connection", "source-github"],
      ],
    );
    assert.equal(resources[0].type.split(":").pop(), SourceConnection.name);
    assert.deepEqual(resources[1].inputs, { name: "beans-staging", providerType: "GitHub" });
  });

  it("uses a given connection and creates none", async () => {
    const arn =
      "arn:aws:codeconnections:eu-west-1:111122223333:connection/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    let component: SourceConnection | undefined;
    const resources = await runComponent(() => {
      component = new SourceConnection("source", { name: "unused", connectionArn: arn });
    });
    assert.deepEqual(
      resources.map((r) => r.type),
      ["pipelines:github:SourceConnection"],
    );
    assert.equal(await new Promise((resolve) => component!.arn.apply(resolve)), arn);
    assert.equal(component!.status, undefined);
  });
});
