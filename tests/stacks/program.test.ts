import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { plainStrings, programRun, secretConfigValues } from "../support/harness";
import { runProgram, type ProgramRun } from "../../tooling/mocks/program-run";
import { knownInvokes } from "../../tooling/mocks/invokes";
import { stackPassphrase } from "../support/stack-config";
import { stackNames } from "../../tooling/mocks/stack-config";

for (const stack of stackNames) {
  describe(`the ${stack} stack under mocks`, () => {
    let run: ProgramRun;
    before(async () => {
      run = await programRun(stack);
    });

    it("builds its whole graph with no unknown invoke", () => {
      assert.ok(run.outputs.environment === stack);
      for (const token of run.invokes) assert.ok(token in knownInvokes, token);
    });

    it("parents every resource to a component of the program or to the stack", () => {
      const urns = new Set(run.resources.map((r) => r.urn));
      for (const r of run.resources)
        if (r.parent) assert.ok(urns.has(r.parent), `${r.urn} has an unknown parent ${r.parent}`);
    });

    it("never puts a secret config value into a resource input or an output in plaintext", () => {
      const secrets = secretConfigValues(run);
      assert.ok(secrets.length > 0);
      const leaks = [
        ...run.resources.flatMap((r) =>
          plainStrings(r.inputs).map((s) => ({ ...s, where: r.urn })),
        ),
        ...plainStrings(run.outputs).map((s) => ({ ...s, where: "stack outputs" })),
      ].filter(({ text }) => secrets.some((secret) => text.includes(secret)));
      assert.deepEqual(leaks, []);
    });
  });
}

describe("the mocks harness", () => {
  it("decrypts the stack's secrets when given the passphrase", async () => {
    const run = await runProgram("dev", { passphrase: stackPassphrase("dev") });
    assert.ok(secretConfigValues(run).every((v) => !v.startsWith("placeholder-secret-for-")));
  });

  it("answers the invokes it knows and fails any other", async () => {
    await runProgram("dev");
    const identity = (await pulumi.runtime.invoke(
      "aws:index/getCallerIdentity:getCallerIdentity",
      {},
    )) as { accountId: string };
    assert.equal(identity.accountId, "123456789012");
    // The SDK drops the mock's message on the way back; the rejection itself is what a program sees.
    await assert.rejects(
      pulumi.runtime.invoke("aws:ec2/getVpc:getVpc", { default: true }) as Promise<unknown>,
    );
  });

  it("stops on bad config with the settings error naming the key", async () => {
    await assert.rejects(
      runProgram("dev", { edit: { "pipelines:stages": ["test", "qa"] } }),
      /pipelines:stages\[1\]: unknown stage "qa"/,
    );
  });
});
