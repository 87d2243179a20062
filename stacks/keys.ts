/**
 * Every project config key the program reads, with the type Pulumi.yaml's `config:` block declares for it.
 * Pulumi.yaml alone holds descriptions and defaults (the CLI applies them before the program runs); a test fails
 * when a key or type here and there differ.
 */
export type ConfigType = "string" | "integer" | "boolean" | "array";

export interface DeclaredKey {
  /** Type as Pulumi.yaml declares it; arrays hold strings (previewActorIds: numbers). */
  readonly type: ConfigType;
}

/** The optional stages a stack can switch on, in pipeline order. */
export const optionalStages = ["test", "approval", "deploy", "publish"] as const;
export type OptionalStage = (typeof optionalStages)[number];

/** Project keys (namespace `pipelines:`) with their declared type. */
export const projectKeys = {
  repository: { type: "string" },
  branch: { type: "string" },
  stages: { type: "array" },
  sourceKind: { type: "string" },
  connectionArn: { type: "string" },
  sourceFilePaths: { type: "array" },
  pullRequestPreviews: { type: "boolean" },
  previewActorIds: { type: "array" },
  approvalEmails: { type: "array" },
  notificationEmails: { type: "array" },
  buildComputeType: { type: "string" },
  buildImage: { type: "string" },
  buildTimeoutMinutes: { type: "integer" },
  buildCache: { type: "string" },
  coverageThreshold: { type: "integer" },
  buildBuildspec: { type: "string" },
  testBuildspec: { type: "string" },
  deployBuildspec: { type: "string" },
  publishBuildspec: { type: "string" },
  publishCommand: { type: "string" },
  pulumiBackendUrl: { type: "string" },
  logRetentionDays: { type: "integer" },
  artifactRetentionDays: { type: "integer" },
  dbEngine: { type: "string" },
  dbInstanceClass: { type: "string" },
  dbAllocatedStorageGb: { type: "integer" },
  dbMaxAllocatedStorageGb: { type: "integer" },
  dbMultiAz: { type: "boolean" },
  dbDeletionProtection: { type: "boolean" },
  dbBackupRetentionDays: { type: "integer" },
  dbFinalSnapshot: { type: "boolean" },
  dbPerformanceInsights: { type: "boolean" },
  dbMinCapacityAcu: { type: "integer" },
  dbMaxCapacityAcu: { type: "integer" },
  dbAutoPauseSeconds: { type: "integer" },
  customerManagedKeys: { type: "boolean" },
  vpcId: { type: "string" },
  privateSubnetIds: { type: "array" },
  lambdaMemoryMb: { type: "integer" },
  lambdaTimeoutSeconds: { type: "integer" },
  lambdaReservedConcurrency: { type: "integer" },
  apiThrottleRateLimit: { type: "integer" },
  apiThrottleBurstLimit: { type: "integer" },
  apiAuth: { type: "string" },
  trafficShift: { type: "string" },
  deployer: { type: "string" },
  githubActions: { type: "boolean" },
  githubOidcProviderArn: { type: "string" },
  githubRepositoryIds: { type: "string" },
  deployReviewers: { type: "array" },
  corsOrigins: { type: "array" },
  approval: { type: "string" },
  postDeployAlarmMinutes: { type: "integer" },
  deployWindow: { type: "string" },
  driftSchedule: { type: "string" },
  reviewStacks: { type: "boolean" },
  reviewStackTtlHours: { type: "integer" },
  maxReviewStacks: { type: "integer" },
  reviewOf: { type: "string" },
} as const satisfies Record<string, DeclaredKey>;

export type ProjectKey = keyof typeof projectKeys;

/**
 * Optional secrets. They are not declared in Pulumi.yaml: the CLI makes every declared project key without a
 * default required, and a secret cannot carry a default. The program checks that each one is encrypted.
 */
export const optionalSecretKeys = [
  "webhookSecret",
  "databasePassword",
  "slackWebhookUrl",
  "pulumiAccessToken",
  "pulumiConfigPassphrase",
  "commentToken",
] as const;
export type OptionalSecretKey = (typeof optionalSecretKeys)[number];

/** Provider keys the program reads, declared in Pulumi.yaml with their own namespace. */
export const providerKeys = {
  "aws:region": { type: "string" },
  "github:owner": { type: "string" },
  "github:token": { type: "string", secret: true },
} as const;
