/**
 * Every project config key the program reads, as declared in Pulumi.yaml's `config:` block.
 * Pulumi.yaml holds the defaults (the CLI applies them before the program runs); a test keeps the two in step.
 */
export type ConfigType = "string" | "integer" | "boolean" | "array";

export interface DeclaredKey {
  /** Type as Pulumi.yaml declares it; arrays hold strings (previewActorIds: numbers). */
  readonly type: ConfigType;
  /** Default the CLI applies when the stack file leaves the key out; absent means the stack must set it. */
  readonly default?: string | number | boolean | readonly string[];
}

/** The optional stages a stack can switch on, in pipeline order. */
export const optionalStages = ["test", "approval", "deploy", "publish"] as const;
export type OptionalStage = (typeof optionalStages)[number];

/** Project keys (namespace `pipelines:`) with their declared type and default. */
export const projectKeys = {
  repository: { type: "string" },
  branch: { type: "string" },
  stages: { type: "array", default: [...optionalStages] },
  sourceKind: { type: "string", default: "connection" },
  connectionArn: { type: "string", default: "" },
  sourceFilePaths: { type: "array", default: [] },
  pullRequestPreviews: { type: "boolean", default: true },
  previewActorIds: { type: "array", default: [] },
  approvalEmails: { type: "array", default: [] },
  notificationEmails: { type: "array", default: [] },
  buildComputeType: { type: "string", default: "BUILD_GENERAL1_SMALL" },
  buildImage: { type: "string", default: "aws/codebuild/amazonlinux-x86_64-standard:5.0" },
  buildTimeoutMinutes: { type: "integer", default: 20 },
  buildCache: { type: "string", default: "S3" },
  coverageThreshold: { type: "integer", default: 80 },
  buildBuildspec: { type: "string", default: "" },
  testBuildspec: { type: "string", default: "" },
  deployBuildspec: { type: "string", default: "" },
  publishBuildspec: { type: "string", default: "" },
  publishCommand: { type: "string", default: "" },
  pulumiBackendUrl: { type: "string", default: "" },
  logRetentionDays: { type: "integer", default: 90 },
  artifactRetentionDays: { type: "integer", default: 30 },
  dbInstanceClass: { type: "string", default: "db.t4g.small" },
  dbAllocatedStorageGb: { type: "integer", default: 20 },
  dbMaxAllocatedStorageGb: { type: "integer", default: 100 },
  dbMultiAz: { type: "boolean", default: true },
  dbDeletionProtection: { type: "boolean", default: true },
  dbBackupRetentionDays: { type: "integer", default: 14 },
  dbFinalSnapshot: { type: "boolean", default: true },
  dbPerformanceInsights: { type: "boolean", default: true },
  vpcId: { type: "string", default: "" },
  privateSubnetIds: { type: "array", default: [] },
  lambdaMemoryMb: { type: "integer", default: 512 },
  lambdaTimeoutSeconds: { type: "integer", default: 10 },
  lambdaReservedConcurrency: { type: "integer", default: -1 },
  apiThrottleRateLimit: { type: "integer", default: 100 },
  apiThrottleBurstLimit: { type: "integer", default: 200 },
  apiAuth: { type: "string", default: "iam" },
  trafficShift: { type: "string", default: "canary-10-5m" },
  deployer: { type: "string", default: "pipeline" },
  githubActions: { type: "boolean", default: false },
  githubOidcProviderArn: { type: "string", default: "" },
  githubRepositoryIds: { type: "string", default: "" },
  deployReviewers: { type: "array", default: [] },
  corsOrigins: { type: "array", default: [] },
  approval: { type: "string", default: "always" },
  postDeployAlarmMinutes: { type: "integer", default: 10 },
  deployWindow: { type: "string", default: "" },
  driftSchedule: { type: "string", default: "rate(1 day)" },
  reviewStacks: { type: "boolean", default: false },
  reviewStackTtlHours: { type: "integer", default: 72 },
  maxReviewStacks: { type: "integer", default: 5 },
  reviewOf: { type: "string", default: "" },
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
