import { Key } from "@pulumi/aws/kms/key";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";

export const kmsKeyRotationEnabled: ResourceValidationPolicy = {
  name: "kms-key-rotation-enabled",
  description: "Customer managed KMS keys rotate their key material (enableKeyRotation: true).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(Key, (key, _args, reportViolation) => {
    // Asymmetric and HMAC keys cannot rotate; only symmetric encryption keys (the default spec) are held to it.
    const spec = key.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
    if (spec === "SYMMETRIC_DEFAULT" && key.enableKeyRotation !== true)
      reportViolation("KMS key must set enableKeyRotation: true.");
  }),
};
