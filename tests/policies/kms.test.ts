import { policyTarget, runPolicies } from "../support/policy";
import { expectNoViolations, expectOnlyViolationsOf } from "./expect-violations";

const keyType = "aws:kms/key:Key";

describe("policies: KMS keys", () => {
  it("accepts a rotating symmetric key, and an asymmetric key, which cannot rotate", async () => {
    const rotating = policyTarget(keyType, "data", {
      description: "cupping data",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    const signing = policyTarget(keyType, "signing", {
      customerMasterKeySpec: "RSA_2048",
      keyUsage: "SIGN_VERIFY",
    });
    expectNoViolations(await runPolicies([rotating, signing]));
  });

  for (const [what, props] of [
    ["rotation turned off", { enableKeyRotation: false }],
    ["rotation left unset", {}],
  ] as const) {
    it(`kms-key-rotation-enabled catches a symmetric key with ${what}`, async () => {
      const bad = policyTarget(keyType, "data", props);
      expectOnlyViolationsOf(
        await runPolicies([bad]),
        "kms-key-rotation-enabled",
        bad.urn,
        "enableKeyRotation: true",
      );
    });
  }
});
