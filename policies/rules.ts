import type { Policies } from "@pulumi/policy";
import { apiStageAccessLogged, apiStageThrottled } from "./rules/api-stages";
import { codebuildNoPlaintextSecret, codebuildNpmScriptsExist } from "./rules/codebuild";
import { iamNoWildcardAction, iamNoWildcardResource } from "./rules/iam";
import { kmsKeyRotationEnabled } from "./rules/kms";
import { lambdaNoSecretInEnvironment, lambdaRuntimeOffered } from "./rules/lambda";
import { logGroupRetentionSet } from "./rules/log-groups";
import {
  rdsBackupsEnabled,
  rdsDeletionProtectionOnProduction,
  rdsMultiAzOnProduction,
  rdsNotPublic,
  rdsStorageEncrypted,
} from "./rules/rds";
import {
  s3BucketEncrypted,
  s3BucketPublicAccessBlocked,
  s3BucketTlsOnly,
  s3BucketVersioned,
} from "./rules/s3";
import { githubWebhookAuthenticated, pipelineWebhookAuthenticated } from "./rules/webhooks";

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
  codebuildNpmScriptsExist,
  lambdaNoSecretInEnvironment,
  lambdaRuntimeOffered,
  kmsKeyRotationEnabled,
  logGroupRetentionSet,
  pipelineWebhookAuthenticated,
  githubWebhookAuthenticated,
  apiStageThrottled,
  apiStageAccessLogged,
];
