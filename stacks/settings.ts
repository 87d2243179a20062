import type * as pulumi from "@pulumi/pulumi";
import type { DeployWindow } from "../components/pipeline/release/schedules";
import type { ReviewStack } from "../components/review/review-settings";
import type { TrafficShift } from "../components/service/traffic-shift";
import type { OptionalStage } from "./keys";

/** Where the pipeline gets its source: a GitHub webhook, or an AWS CodeStar (CodeConnections) connection. */
export type SourceKind = "webhook" | "connection";
export type BuildCache = "S3" | "LOCAL" | "NONE";
/** What runs the service database: an RDS for PostgreSQL instance, or an Aurora PostgreSQL Serverless v2 cluster. */
export const databaseEngines = ["postgres", "aurora-serverless-v2"] as const;
export type DatabaseEngine = (typeof databaseEngines)[number];
/** The instance class a postgres database gets when the stack names none. */
export const defaultInstanceClass = "db.t4g.small";
/** Who may write through the API: `iam` signs writes with AWS credentials (SigV4), `none` leaves them open. */
export const apiAuthModes = ["none", "iam"] as const;
export type ApiAuth = (typeof apiAuthModes)[number];
/** Who runs `pulumi up` on the stack: the pipeline's Deploy stage, or a GitHub Actions workflow. One, never both. */
export const deployers = ["pipeline", "github-actions"] as const;
export type Deployer = (typeof deployers)[number];

/** Everything one stack (one environment) needs, validated; secrets stay `Output`s marked secret. */
export interface StackSettings {
  /** Pulumi project name; config keys live under it. */
  readonly project: string;
  /** Stack name, used as the environment name (dev, production, ...). */
  readonly environment: string;
  /** AWS region from `aws:region`. */
  readonly region: string;
  /** The service repository on GitHub. */
  readonly repository: { readonly owner: string; readonly name: string; readonly fullName: string };
  /** Branch whose pushes start this stack's pipeline. */
  readonly branch: string;
  /** Which optional stages exist; Source and Build always do. */
  readonly stages: Readonly<Record<OptionalStage, boolean>>;
  /** Who deploys the stack; the other path cannot `up` it. */
  readonly deployer: Deployer;
  readonly source: {
    readonly kind: SourceKind;
    /** An existing connection to use; absent means the stack creates one (connection kind only). */
    readonly connectionArn?: string;
    /** Glob filters on changed files for the connection trigger; empty means every push. */
    readonly filePaths: readonly string[];
  };
  /** Whether pull requests against the branch get a `pulumi preview` run by CodeBuild. */
  readonly pullRequestPreviews: boolean;
  /** GitHub user ids (numbers, as text) whose pull-request events start a preview; empty: anyone's. */
  readonly previewActorIds: readonly string[];
  readonly approval: { readonly emails: readonly string[] };
  readonly notifications: {
    readonly emails: readonly string[];
    /** Slack incoming-webhook URL (secret); absent means no Slack notifier. */
    readonly slackWebhookUrl?: pulumi.Output<string>;
  };
  readonly build: {
    readonly computeType: string;
    readonly image: string;
    readonly timeoutMinutes: number;
    readonly cache: BuildCache;
    /** Line coverage (percent) below which the build fails. */
    readonly coverageThreshold: number;
    /** Buildspec files in the repository that replace the generated ones, per CodeBuild stage. */
    readonly buildspecFiles: Readonly<
      Partial<Record<"build" | "test" | "deploy" | "publish", string>>
    >;
  };
  readonly deploy: {
    /** Self-managed state backend (s3://, azblob://, gs://, file://); absent means Pulumi Cloud. */
    readonly backendUrl?: string;
    readonly accessToken?: pulumi.Output<string>;
    readonly configPassphrase?: pulumi.Output<string>;
  };
  /** Publish command; absent means npm publish to the stack's CodeArtifact repository. */
  readonly publish: { readonly command?: string };
  readonly retention: { readonly logDays: number; readonly artifactDays: number };
  readonly database: {
    /** An RDS instance, or an Aurora Serverless v2 cluster. */
    readonly engine: DatabaseEngine;
    /** RDS instance class, e.g. db.t4g.micro (postgres only). */
    readonly instanceClass: string;
    /** Aurora capacity range in ACUs, and the idle seconds before a 0-ACU minimum pauses (aurora-serverless-v2 only). */
    readonly capacity: {
      readonly minAcu: number;
      readonly maxAcu: number;
      readonly autoPauseSeconds: number;
    };
    /** Encrypt with the service's own rotating KMS key; false: the AWS-managed keys. */
    readonly customerManagedKey: boolean;
    /** Initial storage in GiB. */
    readonly allocatedStorageGb: number;
    /** Storage autoscaling ceiling in GiB; 0 turns autoscaling off. */
    readonly maxAllocatedStorageGb: number;
    /** Run a synchronous standby in a second availability zone. */
    readonly multiAz: boolean;
    /** Refuse to delete the instance until this is turned off. */
    readonly deletionProtection: boolean;
    /** Days of automated backups. */
    readonly backupRetentionDays: number;
    /** Take a final snapshot when the instance is deleted. */
    readonly finalSnapshot: boolean;
    /** Turn on Performance Insights (7 days, the free retention). */
    readonly performanceInsights: boolean;
    /** Master password (secret); absent means RDS generates it and keeps it in Secrets Manager. */
    readonly password?: pulumi.Output<string>;
  };
  readonly network: {
    /** An existing VPC; absent means the service creates its own. */
    readonly vpcId?: string;
    readonly privateSubnetIds: readonly string[];
  };
  readonly service: {
    readonly memoryMb: number;
    readonly timeoutSeconds: number;
    /** Reserved concurrency; absent means unreserved. */
    readonly reservedConcurrency?: number;
    readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
    /** Web origins whose pages may call the API ("*" alone: any); empty: none. */
    readonly corsOrigins: readonly string[];
    /** Authorization of the writing routes (POST, DELETE); GET is always public. */
    readonly auth: ApiAuth;
    /** How a new API version takes traffic (CodeDeploy), rolled back by the API's alarms. */
    readonly trafficShift: TrafficShift;
  };
  /** The GitHub Actions side the stack manages (`githubActions` on); absent when the switch is off. */
  readonly githubActions?: {
    /** The account's existing GitHub OIDC provider; absent means the stack creates it. */
    readonly oidcProviderArn?: string;
    /** Numeric ids of the repository and its owner, for immutable OIDC subjects; absent means the name-only subject. */
    readonly repositoryIds?: { readonly owner: number; readonly repository: number };
    /** Who must approve each deploy through the stack's GitHub environment (github-actions deployer). */
    readonly reviewers: { readonly users: readonly number[]; readonly teams: readonly number[] };
  };
  readonly github: {
    readonly owner: string;
    /** GitHub token (secret) for the provider, the webhook and the preview project's source credential. */
    readonly token?: pulumi.Output<string>;
    /** Push webhook secret (secret); absent means the stack generates one. */
    readonly webhookSecret?: pulumi.Output<string>;
    /** Fine-grained token (secret, `pull-requests: write` only) the pull-request previews comment with. */
    readonly commentToken?: pulumi.Output<string>;
  };
  /** How releases are planned, approved, deployed, watched and checked for drift. */
  readonly release: {
    /** Ask for approval on every release, or only when the Plan finds a risk. */
    readonly approval: "always" | "when-risky";
    /** Minutes the Deploy stage watches the service's alarms after a deploy, rolling back if one fires; 0 = no watch. */
    readonly postDeployAlarmMinutes: number;
    /** When the Deploy stage may start; absent means any time. */
    readonly deployWindow?: DeployWindow;
    /** EventBridge schedule of the drift check; absent means no drift check. */
    readonly driftSchedule?: string;
  };
  /** A running copy of the service per pull request against the branch (see components/review). */
  readonly reviewStacks: {
    /** Whether pull requests get review stacks. */
    readonly enabled: boolean;
    /** Hours without a push after which the sweeper removes a review stack. */
    readonly ttlHours: number;
    /** Review stacks that may exist at once; the next pull request gets a comment instead. */
    readonly maxStacks: number;
  };
  /** Set when this stack is a pull request's review stack: only the service, on its base stack's network and database. */
  readonly review?: ReviewStack;
}
