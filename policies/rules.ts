import type { Policies } from "@pulumi/policy";
import { codebuildNoPlaintextSecret } from "./rules/codebuild";
import { iamNoWildcardAction, iamNoWildcardResource } from "./rules/iam";
import { lambdaNoSecretInEnvironment } from "./rules/lambda";
import { rdsBackupsEnabled, rdsDeletionProtectionOnProduction, rdsMultiAzOnProduction, rdsNotPublic, rdsStorageEncrypted } from "./rules/rds";
import { s3BucketEncrypted, s3BucketPublicAccessBlocked, s3BucketTlsOnly, s3BucketVersioned } from "./rules/s3";

/** Every rule of the pack, in the order the engine runs them. */
export const rules: Policies = [
  rdsStorageEncrypted,
  rdsNotPublic,
  rdsBackupsEnabled,
  rdsMultiAzOnProduction,
  rdsDeletionProtectionOnProduction,
  s3BucketEncrypted,
  s3BucketVersioned,
  s3BucketPublicAccessBlocked,
  s3BucketTlsOnly,
  iamNoWildcardAction,
  iamNoWildcardResource,
  codebuildNoPlaintextSecret,
  lambdaNoSecretInEnvironment,
];
