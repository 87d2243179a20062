import { Instance } from "@pulumi/aws/rds/instance";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { awsguardRds, runAwsguardValidation } from "../awsguard";
import { productionRuleConfigSchema, requireProductionStack } from "../config";

/** awsguard's rds-storage-encrypted: storageEncrypted must be true (read replicas inherit their source's encryption). */
export const rdsStorageEncrypted: ResourceValidationPolicy = {
  ...awsguardRds.rdsStorageEncrypted,
  enforcementLevel: "mandatory",
};

/** awsguard's rds-instance-public-access: publiclyAccessible must not be true. */
export const rdsNotPublic: ResourceValidationPolicy = {
  ...awsguardRds.rdsInstancePublicAccess,
  enforcementLevel: "mandatory",
};

/** awsguard's rds-instance-backup-enabled: backupRetentionPeriod must not be 0 (unset keeps AWS's default of backups on). */
export const rdsBackupsEnabled: ResourceValidationPolicy = {
  ...awsguardRds.rdsInstanceBackupEnabled,
  enforcementLevel: "mandatory",
};

export const rdsMultiAzOnProduction: ResourceValidationPolicy = {
  name: "rds-multi-az-on-production",
  description:
    "RDS instances of production stacks run in more than one availability zone (awsguard's rds-instance-multi-az-enabled, on production stacks only).",
  enforcementLevel: "mandatory",
  configSchema: productionRuleConfigSchema,
  validateResource: validateResourceOfType(Instance, async (_instance, args, reportViolation) => {
    requireProductionStack(args);
    await runAwsguardValidation(awsguardRds.rdsInstanceMultiAZEnabled, args, reportViolation);
  }),
};

export const rdsDeletionProtectionOnProduction: ResourceValidationPolicy = {
  name: "rds-deletion-protection-on-production",
  description:
    "RDS instances of production stacks have deletion protection on and keep a final snapshot when deleted.",
  enforcementLevel: "mandatory",
  configSchema: productionRuleConfigSchema,
  validateResource: validateResourceOfType(Instance, (instance, args, reportViolation) => {
    requireProductionStack(args);
    if (instance.deletionProtection !== true)
      reportViolation("RDS instances of production stacks must set deletionProtection: true.");
    if (instance.skipFinalSnapshot === true)
      reportViolation(
        "RDS instances of production stacks must take a final snapshot when deleted: skipFinalSnapshot must not be true.",
      );
  }),
};
