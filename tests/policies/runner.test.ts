import * as assert from "node:assert/strict";
import { specialResourceSig, specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { kmsKeyRotationEnabled } from "../../policies/rules/kms";
import {
  policyTarget,
  runPolicies,
  unknownDuringPreview,
  type PolicyTarget,
} from "../support/policy";
import { expectNoViolations, expectOnlyViolationsOf } from "./expect-violations";

const unrotatedKey = policyTarget("aws:kms/key:Key", "data", { enableKeyRotation: false });
const foreverLogs = policyTarget("aws:cloudwatch/logGroup:LogGroup", "logs", {
  name: "/aws/lambda/x",
});

describe("policies: the runner (tests/support/policy.ts)", () => {
  it("applies enforcement levels from the pack config: a rule's own entry over `all`", async () => {
    const report = await runPolicies([unrotatedKey, foreverLogs], {
      config: { all: "advisory", "log-group-retention-set": { enforcementLevel: "mandatory" } },
    });
    assert.deepEqual(
      report.violations.map(({ policyName, enforcementLevel }) => [policyName, enforcementLevel]),
      [
        ["kms-key-rotation-enabled", "advisory"],
        ["log-group-retention-set", "mandatory"],
      ],
    );
  });

  it("skips rules the pack config disables", async () => {
    expectOnlyViolationsOf(
      await runPolicies([unrotatedKey, foreverLogs], {
        config: { "kms-key-rotation-enabled": "disabled" },
      }),
      "log-group-retention-set",
      foreverLogs.urn,
    );
  });

  const badConfigs: ReadonlyArray<{
    what: string;
    config: Record<string, unknown>;
    error: RegExp;
  }> = [
    {
      what: "a rule the pack does not have",
      config: { "s3-bucket-encryption": "advisory" },
      error: /names 's3-bucket-encryption', which is not a rule of the pack/,
    },
    {
      what: "an unknown enforcement level",
      config: { "kms-key-rotation-enabled": "strict" },
      error: /enforcement level 'strict'; allowed: advisory, mandatory, remediate, disabled/,
    },
    {
      what: "a setting the rule does not have",
      config: { "kms-key-rotation-enabled": { rotationDays: 90 } },
      error: /sets 'rotationDays' for rule 'kms-key-rotation-enabled', which has no such setting/,
    },
    {
      what: "a setting of the wrong type",
      config: { "rds-multi-az-on-production": { productionStacks: "production" } },
      error:
        /sets 'productionStacks' for rule 'rds-multi-az-on-production' to "production", which is not of type array/,
    },
  ];
  for (const { what, config, error } of badConfigs) {
    it(`rejects pack config naming ${what}`, async () => {
      await assert.rejects(runPolicies([], { config: config as never }), error);
    });
  }

  it("takes resources as the mocks harness captures them: inputs with secrets and resource references serialized", async () => {
    const captured: PolicyTarget = {
      type: "aws:lambda/function:Function",
      name: "api",
      urn: "urn:pulumi:production::pipelines::pipelines:service:CuppingService$aws:lambda/function:Function::api",
      parent: "urn:pulumi:production::pipelines::pipelines:service:CuppingService::service",
      inputs: {
        role: {
          [specialSigKey]: specialResourceSig,
          urn: "urn:pulumi:production::pipelines::aws:iam/role:Role::api-role",
          id: "api-role",
        },
        environment: {
          variables: { PGPASSWORD: { [specialSigKey]: specialSecretSig, value: "hunter2" } },
        },
      },
    };
    // The engine hands rules plaintext: a secret in an environment variable is still a secret there.
    expectOnlyViolationsOf(
      await runPolicies([captured]),
      "lambda-no-secret-in-environment",
      captured.urn,
      "PGPASSWORD",
    );
  });

  it("reports a rule that reads a value unknown during preview as not run, not as a violation", async () => {
    const pending = policyTarget("aws:cloudwatch/logGroup:LogGroup", "logs", {
      retentionInDays: unknownDuringPreview,
    });
    const report = await runPolicies([pending]);
    expectNoViolations(report);
    assert.deepEqual(report.notRunDuringPreview, [
      {
        policyName: "log-group-retention-set",
        urn: pending.urn,
        message: "string value at .retentionInDays can't be known during preview",
      },
    ]);
  });

  it("runs only the rules it is given", async () => {
    expectOnlyViolationsOf(
      await runPolicies([unrotatedKey, foreverLogs], { policies: [kmsKeyRotationEnabled] }),
      "kms-key-rotation-enabled",
      unrotatedKey.urn,
    );
  });

  it("names a resource that has nothing to check", async () => {
    await assert.rejects(
      runPolicies([
        {
          type: "aws:kms/key:Key",
          name: "k",
          urn: "urn:pulumi:dev::pipelines::aws:kms/key:Key::k",
        },
      ]),
      /urn:pulumi:dev::pipelines::aws:kms\/key:Key::k has neither props nor inputs/,
    );
  });
});
