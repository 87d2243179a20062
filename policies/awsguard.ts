import type {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";

/** The @pulumi/awsguard RDS rules this pack reuses, by their export name in awsguard's database module. */
export type AwsguardRdsRuleName =
  | "rdsStorageEncrypted"
  | "rdsInstancePublicAccess"
  | "rdsInstanceBackupEnabled"
  | "rdsInstanceMultiAZEnabled";

const reused: readonly AwsguardRdsRuleName[] = [
  "rdsStorageEncrypted",
  "rdsInstancePublicAccess",
  "rdsInstanceBackupEnabled",
  "rdsInstanceMultiAZEnabled",
];

// awsguard marks its rule objects @internal, so its typings omit them. Its database module only defines rules and
// adds them to awsguard's registry; the package index would also load modules that need aws-sdk and read AWS config.
const databaseModule = require("@pulumi/awsguard/database") as Partial<
  Record<AwsguardRdsRuleName, ResourceValidationPolicy>
>;

function awsguardRule(name: AwsguardRdsRuleName): ResourceValidationPolicy {
  const rule = databaseModule[name];
  if (!rule || typeof rule.validateResource !== "function") {
    throw new Error(
      `@pulumi/awsguard/database no longer exports the rule '${name}' this policy pack reuses: check the installed @pulumi/awsguard version`,
    );
  }
  return rule;
}

/** awsguard's RDS rules. They read aws:rds/instance:Instance inputs whose names @pulumi/aws v7 kept. */
export const awsguardRds: Readonly<Record<AwsguardRdsRuleName, ResourceValidationPolicy>> =
  Object.fromEntries(reused.map((name) => [name, awsguardRule(name)])) as Record<
    AwsguardRdsRuleName,
    ResourceValidationPolicy
  >;

/** Runs a reused rule's validations on the resource the engine handed to one of this pack's rules. */
export async function runAwsguardValidation(
  rule: ResourceValidationPolicy,
  args: ResourceValidationArgs,
  reportViolation: ReportViolation,
): Promise<void> {
  const validations = Array.isArray(rule.validateResource)
    ? rule.validateResource
    : [rule.validateResource];
  for (const validate of validations) await validate?.(args, reportViolation);
}
