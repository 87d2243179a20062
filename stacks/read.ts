import { Region } from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import * as z from "zod/mini";
import { reviewSettings, reviewStackOf } from "../components/review/review-settings";
import { isReviewStackName, reviewStackPrefix } from "../components/review/review-stack-name";
import { trafficShifts, type TrafficShift } from "../components/service/traffic-shift";
import { corsOriginsProblem } from "../lambdas/cupping/cors";
import {
  isScheduleExpression,
  parseDeployWindow,
  type DeployWindow,
} from "../components/pipeline/release/schedules";
import { SettingsError } from "./errors";
import { didYouMean, unknownKeyProblems } from "./unknown-keys";
import { scopeTagProblems } from "./scope-tag";
import { apiAuthModes, databaseEngines, defaultInstanceClass, deployers } from "./settings";
import {
  optionalSecretKeys,
  optionalStages,
  projectKeys,
  type OptionalSecretKey,
  type ProjectKey,
} from "./keys";
import type { StackSettings } from "./settings";

/** What the settings reader needs from Pulumi config; `pulumiConfigSource` adapts the real one. */
export interface ConfigSource {
  /** The raw value as the engine passes it (scalars as strings, arrays as JSON), or undefined when unset. */
  get(fullKey: string): string | undefined;
  /** Whether the stack holds this key encrypted. */
  isSecret(fullKey: string): boolean;
  /** The value as a secret Output. */
  secret(fullKey: string): pulumi.Output<string>;
  /** Every key the stack sets, in every namespace, to find the ones the program does not know. */
  keys(): readonly string[];
}

// The regions the AWS provider knows, as @pulumi/aws lists them (it follows AWS's own list with each release).
const awsRegions: readonly string[] = Object.values(Region);

/** `aws:region`, which every resource of the stack lives in: required, and one AWS has. */
function regionProblems(region: string | undefined): string[] {
  if (region === undefined)
    return [
      "aws:region: is required: the AWS region of the stack's resources; set it with 'pulumi config set aws:region <region>'",
    ];
  if (awsRegions.includes(region)) return [];
  const nearest = didYouMean(region, awsRegions);
  return [
    `aws:region: "${region}" is not an AWS region${nearest ? `; did you mean ${nearest}?` : ""} (allowed: ${awsRegions.join(", ")})`,
  ];
}

// CloudWatch Logs accepts only these retention periods.
const logRetentionDays = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];
const computeTypes = [
  "BUILD_GENERAL1_SMALL",
  "BUILD_GENERAL1_MEDIUM",
  "BUILD_GENERAL1_LARGE",
  "BUILD_GENERAL1_XLARGE",
  "BUILD_GENERAL1_2XLARGE",
];
// git check-ref-format rules that matter for branch names typed into a stack file.
const branchName =
  // eslint-disable-next-line no-control-regex -- git forbids control characters in ref names
  /^(?![/.-])(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock(?:\/|$))[^\s~^:?*[\\\x00-\x1f\x7f]+(?<![/.])$/;
const buildspecPath = /^(?!\/)(?!.*\.\.)[\w./-]+\.ya?ml$/;

// zod/mini, not zod: the same checks, and the plan and every test process load a third of the code.
const int = (min: number, max: number) =>
  z
    .int({ error: "must be a whole number" })
    .check(z.minimum(min, `must be at least ${min}`), z.maximum(max, `must be at most ${max}`));
const oneOf = <T extends string>(values: readonly T[]) =>
  z.string().check(
    z.refine((v) => (values as readonly string[]).includes(v), {
      error: `must be one of: ${values.join(", ")}`,
    }),
  ) as unknown as z.ZodMiniType<T>;
const optionalString = (pattern: RegExp, what: string) =>
  z
    .string()
    .check(z.refine((v) => v === "" || pattern.test(v), { error: `must be ${what}, or empty` }));
const strings = (item: z.ZodMiniType<string>) =>
  z.array(item, { error: "must be a list of strings" });
const boolean = () => z.boolean({ error: "must be true or false" });
const matching = (pattern: RegExp, message: string, params?: { error: string }) =>
  z.string(params).check(z.regex(pattern, message));

const schema = z.object({
  repository: matching(
    /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/,
    "must be a GitHub repository as owner/name, e.g. acme/cupping-service",
    { error: "is required: the GitHub repository as owner/name" },
  ),
  branch: matching(
    branchName,
    "must be a valid git branch name (no spaces, no '..', none of ~^:?*[\\, not starting with '-' or '/')",
    { error: "is required: the branch whose pushes start this stack's pipeline" },
  ),
  stages: strings(z.string()).check(
    z.superRefine((list, ctx) => {
      list.forEach((stage, index) => {
        if (!(optionalStages as readonly string[]).includes(stage)) {
          ctx.addIssue({
            code: "custom",
            path: [index],
            message: `unknown stage "${stage}"; allowed: ${optionalStages.join(", ")} (Source and Build always exist)`,
          });
        } else if (list.indexOf(stage) !== index) {
          ctx.addIssue({
            code: "custom",
            path: [index],
            message: `lists the stage "${stage}" twice`,
          });
        }
      });
    }),
  ) as unknown as z.ZodMiniType<Array<(typeof optionalStages)[number]>>,
  sourceKind: oneOf(["webhook", "connection"] as const),
  connectionArn: optionalString(
    /^arn:aws[a-z-]*:(?:codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/,
    "a CodeStar/CodeConnections connection ARN",
  ),
  sourceFilePaths: strings(z.string().check(z.minLength(1, "must not be empty"))),
  pullRequestPreviews: boolean(),
  // YAML gives ids as numbers; `pulumi config set --path` gives text. Either way, digits only.
  previewActorIds: z.array(
    z.pipe(
      z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
      z.string().check(
        z.refine((id) => /^[1-9]\d*$/.test(id), {
          error:
            "must be a numeric GitHub user id (the id field of https://api.github.com/users/<login>), not a login",
        }),
      ),
    ),
    { error: "must be a list of numeric GitHub user ids" },
  ),
  approvalEmails: strings(z.email("must be an e-mail address")),
  notificationEmails: strings(z.email("must be an e-mail address")),
  buildComputeType: oneOf(computeTypes),
  buildImage: matching(
    /^[\w./:@-]+$/,
    "must be a CodeBuild image name, e.g. aws/codebuild/amazonlinux-x86_64-standard:5.0",
  ),
  buildTimeoutMinutes: int(5, 480),
  buildCache: oneOf(["S3", "LOCAL", "NONE"] as const),
  coverageThreshold: int(0, 100),
  buildBuildspec: optionalString(
    buildspecPath,
    "a relative path to a .yml/.yaml file in the repository",
  ),
  testBuildspec: optionalString(
    buildspecPath,
    "a relative path to a .yml/.yaml file in the repository",
  ),
  deployBuildspec: optionalString(
    buildspecPath,
    "a relative path to a .yml/.yaml file in the repository",
  ),
  publishBuildspec: optionalString(
    buildspecPath,
    "a relative path to a .yml/.yaml file in the repository",
  ),
  publishCommand: z.string(),
  pulumiBackendUrl: optionalString(
    /^(?:s3|azblob|gs|file):\/\/\S+$/,
    "a state backend URL (s3://, azblob://, gs:// or file://)",
  ),
  logRetentionDays: z.number().check(
    z.refine((v) => logRetentionDays.includes(v), {
      error: `must be one of the CloudWatch retention periods: ${logRetentionDays.join(", ")}`,
    }),
  ),
  artifactRetentionDays: int(1, 3650),
  dbEngine: oneOf(databaseEngines),
  dbInstanceClass: optionalString(
    /^db\.[a-z0-9]+\.[a-z0-9]+$/,
    `an RDS instance class, e.g. db.t4g.micro (empty: ${defaultInstanceClass})`,
  ),
  dbAllocatedStorageGb: int(20, 65536),
  dbMaxAllocatedStorageGb: int(0, 65536),
  dbMultiAz: boolean(),
  dbDeletionProtection: boolean(),
  dbBackupRetentionDays: int(1, 35),
  dbFinalSnapshot: boolean(),
  dbPerformanceInsights: boolean(),
  dbMinCapacityAcu: int(0, 256),
  dbMaxCapacityAcu: int(1, 256),
  // Aurora's documented range for SecondsUntilAutoPause.
  dbAutoPauseSeconds: int(300, 86400),
  customerManagedKeys: boolean(),
  vpcId: optionalString(/^vpc-[0-9a-f]{8,17}$/, "a VPC id (vpc-...)"),
  privateSubnetIds: strings(
    matching(/^subnet-[0-9a-f]{8,17}$/, "must be a subnet id (subnet-...)"),
  ),
  lambdaMemoryMb: int(128, 10240),
  lambdaTimeoutSeconds: int(1, 30),
  lambdaReservedConcurrency: int(-1, 1000),
  apiThrottleRateLimit: int(1, 10000),
  apiThrottleBurstLimit: int(1, 5000),
  apiAuth: oneOf(apiAuthModes),
  trafficShift: oneOf(Object.keys(trafficShifts) as TrafficShift[]),
  deployer: oneOf(deployers),
  githubActions: boolean(),
  githubOidcProviderArn: optionalString(
    /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
    "the ARN of the account's IAM OIDC provider for token.actions.githubusercontent.com",
  ),
  githubRepositoryIds: optionalString(
    /^\d+\/\d+$/,
    "<owner id>/<repository id>, both numeric (the ids GitHub's API reports)",
  ),
  // GitHub takes at most six required reviewers per environment.
  deployReviewers: strings(
    matching(/^(?:user|team):\d+$/, "must be user:<numeric id> or team:<numeric id>"),
  ).check(z.maxLength(6, "GitHub allows at most 6 required reviewers")),
  corsOrigins: strings(z.string()).check(
    z.superRefine((list, ctx) => {
      const problem = corsOriginsProblem(list);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  ),
  approval: oneOf(["always", "when-risky"] as const),
  // CodePipeline's alarm rule waits in minutes; a day is past any release watch worth holding the pipeline for.
  postDeployAlarmMinutes: int(0, 1440),
  deployWindow: z.pipe(
    z.string(),
    z.transform((text: string, ctx) => {
      const window = parseDeployWindow(text);
      if (window && "problem" in window) {
        ctx.issues.push({ code: "custom", message: window.problem, input: text });
        return z.NEVER;
      }
      return window;
    }),
  ) as unknown as z.ZodMiniType<DeployWindow | undefined>,
  driftSchedule: z.string().check(
    z.refine((v) => v === "" || isScheduleExpression(v), {
      error:
        "must be an EventBridge schedule, rate(<n> <minutes|hours|days>) or cron(<6 fields>), or empty for no drift checks",
    }),
  ),
  reviewStacks: boolean(),
  // 0 would tear a review stack down as soon as it exists; a month is past any review worth a running copy.
  reviewStackTtlHours: int(1, 720),
  maxReviewStacks: int(1, 50),
  reviewOf: optionalString(/^[A-Za-z0-9_.-]+$/, "the name of the stack this review stack copies"),
} satisfies Record<ProjectKey, z.ZodMiniType>);

type RawSettings = z.infer<typeof schema>;

/** Turns the engine's string form back into the declared type, leaving what does not parse for zod to report. */
function decode(key: ProjectKey, raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  switch (projectKeys[key].type) {
    case "integer":
      return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    case "boolean":
      return raw === "true" ? true : raw === "false" ? false : raw;
    case "array":
      try {
        return JSON.parse(raw);
      } catch {
        return raw;
      }
    case "string":
      return raw;
  }
}

function issuePath(project: string, path: readonly PropertyKey[]): string {
  const [key, ...rest] = path;
  return `${project}:${String(key)}${rest.map((p) => `[${String(p)}]`).join("")}`;
}

/** The offending value itself, followed down the issue's path. */
function describe(raw: Record<string, unknown>, path: readonly PropertyKey[]): string {
  const value = path.reduce<unknown>(
    (at, step) => (at as Record<PropertyKey, unknown> | undefined)?.[step as string],
    raw,
  );
  return value === undefined ? "unset" : JSON.stringify(value);
}

/** Reads, validates and shapes one stack's settings; throws a SettingsError that lists every problem. */
export function readStackSettings(
  source: ConfigSource,
  project: string,
  stack: string,
): StackSettings {
  const raw = Object.fromEntries(
    (Object.keys(projectKeys) as ProjectKey[]).map((k) => [
      k,
      decode(k, source.get(`${project}:${k}`)),
    ]),
  );
  const parsed = schema.safeParse(raw);
  // Unknown keys first: a mistyped key leaves its default in place, and the default's own problems follow from it.
  const problems = [
    ...unknownKeyProblems(source.keys(), project),
    ...regionProblems(source.get("aws:region")),
    ...(parsed.success
      ? []
      : parsed.error.issues.map(
          (i) => `${issuePath(project, i.path)}: ${i.message} (got ${describe(raw, i.path)})`,
        )),
  ];

  const secrets = readOptionalSecrets(source, project, problems);
  const githubTokenKey = "github:token";
  const githubToken =
    source.get(githubTokenKey) === undefined ? undefined : source.secret(githubTokenKey);
  if (githubToken && !source.isSecret(githubTokenKey))
    problems.push(
      `${githubTokenKey}: must be encrypted; set it with 'pulumi config set --secret ${githubTokenKey}'`,
    );
  if (!parsed.success) throw new SettingsError(stack, problems);

  const settings = shape(parsed.data, source, project, stack, secrets, githubToken);
  problems.push(
    ...crossChecks(settings, project),
    ...githubActionsChecks(settings, parsed.data, project),
    ...databaseEngineChecks(parsed.data, project),
    ...reviewChecks(stack, parsed.data.reviewOf, project),
  );
  // A review stack too tags its resources with its own scope, never its base's (the review build sets it).
  problems.push(...scopeTagProblems(source, project, stack));
  if (problems.length > 0) throw new SettingsError(stack, problems);
  return parsed.data.reviewOf
    ? reviewSettings(settings, reviewStackOf(stack, parsed.data.reviewOf))
    : settings;
}

function readOptionalSecrets(source: ConfigSource, project: string, problems: string[]) {
  const secrets: Partial<Record<OptionalSecretKey, pulumi.Output<string>>> = {};
  for (const key of optionalSecretKeys) {
    const fullKey = `${project}:${key}`;
    const value = source.get(fullKey);
    if (value === undefined) continue;
    if (!source.isSecret(fullKey))
      problems.push(
        `${fullKey}: must be encrypted; set it with 'pulumi config set --secret ${fullKey}'`,
      );
    else if (value.length === 0)
      problems.push(`${fullKey}: must not be empty; remove the key to leave it unset`);
    else secrets[key] = source.secret(fullKey);
  }
  return secrets;
}

const unlessEmpty = (value: string): string | undefined => (value === "" ? undefined : value);

function shape(
  data: RawSettings,
  source: ConfigSource,
  project: string,
  stack: string,
  secrets: Partial<Record<OptionalSecretKey, pulumi.Output<string>>>,
  githubToken: pulumi.Output<string> | undefined,
): StackSettings {
  const [owner, name] = data.repository.split("/");
  const stages = new Set(data.stages);
  return {
    project,
    environment: stack,
    // Checked above: a stack without a region has failed by the end of readStackSettings.
    region: source.get("aws:region") ?? "",
    repository: { owner, name, fullName: data.repository },
    branch: data.branch,
    stages: Object.fromEntries(
      optionalStages.map((s) => [s, stages.has(s)]),
    ) as StackSettings["stages"],
    source: {
      kind: data.sourceKind,
      connectionArn: unlessEmpty(data.connectionArn),
      filePaths: data.sourceFilePaths,
    },
    pullRequestPreviews: data.pullRequestPreviews,
    previewActorIds: data.previewActorIds,
    approval: { emails: data.approvalEmails },
    notifications: { emails: data.notificationEmails, slackWebhookUrl: secrets.slackWebhookUrl },
    build: {
      computeType: data.buildComputeType,
      image: data.buildImage,
      timeoutMinutes: data.buildTimeoutMinutes,
      cache: data.buildCache,
      coverageThreshold: data.coverageThreshold,
      buildspecFiles: Object.fromEntries(
        (["build", "test", "deploy", "publish"] as const)
          .map((stage) => [stage, unlessEmpty(data[`${stage}Buildspec`])])
          .filter(([, file]) => file !== undefined),
      ),
    },
    deploy: {
      backendUrl: unlessEmpty(data.pulumiBackendUrl),
      accessToken: secrets.pulumiAccessToken,
      configPassphrase: secrets.pulumiConfigPassphrase,
    },
    publish: { command: unlessEmpty(data.publishCommand.trim()) },
    retention: { logDays: data.logRetentionDays, artifactDays: data.artifactRetentionDays },
    database: {
      engine: data.dbEngine,
      instanceClass: data.dbInstanceClass || defaultInstanceClass,
      capacity: {
        minAcu: data.dbMinCapacityAcu,
        maxAcu: data.dbMaxCapacityAcu,
        autoPauseSeconds: data.dbAutoPauseSeconds,
      },
      customerManagedKey: data.customerManagedKeys,
      allocatedStorageGb: data.dbAllocatedStorageGb,
      maxAllocatedStorageGb: data.dbMaxAllocatedStorageGb,
      multiAz: data.dbMultiAz,
      deletionProtection: data.dbDeletionProtection,
      backupRetentionDays: data.dbBackupRetentionDays,
      finalSnapshot: data.dbFinalSnapshot,
      performanceInsights: data.dbPerformanceInsights,
      password: secrets.databasePassword,
    },
    network: { vpcId: unlessEmpty(data.vpcId), privateSubnetIds: data.privateSubnetIds },
    service: {
      memoryMb: data.lambdaMemoryMb,
      timeoutSeconds: data.lambdaTimeoutSeconds,
      reservedConcurrency:
        data.lambdaReservedConcurrency === -1 ? undefined : data.lambdaReservedConcurrency,
      throttle: { rateLimit: data.apiThrottleRateLimit, burstLimit: data.apiThrottleBurstLimit },
      corsOrigins: data.corsOrigins,
      auth: data.apiAuth,
      trafficShift: data.trafficShift,
    },
    deployer: data.deployer,
    githubActions: data.githubActions
      ? {
          oidcProviderArn: unlessEmpty(data.githubOidcProviderArn),
          repositoryIds: repositoryIdsOf(data.githubRepositoryIds),
          reviewers: reviewersOf(data.deployReviewers),
        }
      : undefined,
    github: {
      owner: source.get("github:owner") ?? owner,
      token: githubToken,
      webhookSecret: secrets.webhookSecret,
      commentToken: secrets.commentToken,
    },
    reviewStacks: {
      enabled: data.reviewStacks,
      ttlHours: data.reviewStackTtlHours,
      maxStacks: data.maxReviewStacks,
    },
    release: {
      approval: data.approval,
      postDeployAlarmMinutes: data.postDeployAlarmMinutes,
      deployWindow: data.deployWindow,
      driftSchedule: unlessEmpty(data.driftSchedule),
    },
  };
}

function repositoryIdsOf(text: string) {
  if (!text) return undefined;
  const [owner, repository] = text.split("/").map(Number);
  return { owner, repository };
}

/** `user:<id>` and `team:<id>` entries, split the way GitHub's environment API takes them. */
function reviewersOf(entries: readonly string[]) {
  const idsOf = (kind: string) =>
    entries.filter((e) => e.startsWith(`${kind}:`)).map((e) => Number(e.split(":")[1]));
  return { users: idsOf("user"), teams: idsOf("team") };
}

/** A review stack is named pr-<number> and names its base; no other stack may take such a name. */
function reviewChecks(stack: string, reviewOf: string, project: string): string[] {
  const key = `${project}:reviewOf`;
  if (isReviewStackName(stack) && !reviewOf) {
    return [
      `${key}: is required for stack ${stack}: names ${reviewStackPrefix}<number> are kept for review stacks (the review build sets it to the stack it copies); rename a real stack`,
    ];
  }
  if (!isReviewStackName(stack) && reviewOf)
    return [
      `${key}: must be empty: only a review stack (${reviewStackPrefix}<number>) copies another stack, and this is ${stack}`,
    ];
  if (reviewOf && isReviewStackName(reviewOf))
    return [`${key}: must name a real stack, not the review stack ${reviewOf}`];
  return [];
}

/** The GitHub Actions keys: they need the switch (and the deploy role's reviewers a github-actions deployer), and the provider needs its token. */
function githubActionsChecks(s: StackSettings, data: RawSettings, project: string): string[] {
  const key = (k: string) => `${project}:${k}`;
  if (!s.githubActions) {
    return (["githubOidcProviderArn", "githubRepositoryIds", "deployReviewers"] as const)
      .filter((k) => data[k].length > 0)
      .map(
        (k) =>
          `${key(k)}: is set but ${key("githubActions")} is false, so nothing reads it; set ${key("githubActions")}: true or remove it`,
      );
  }
  const problems: string[] = [];
  if (!s.github.token)
    problems.push(
      `github:token: required secret is missing (${key("githubActions")} manages the repository's environment, secrets and variables through the GitHub provider); set it with 'pulumi config set --secret github:token'`,
    );
  if (data.deployReviewers.length > 0 && s.deployer !== "github-actions")
    problems.push(
      `${key("deployReviewers")}: approve deploys through the GitHub environment, but ${key("deployer")} is "${s.deployer}" (the pipeline's approval stage and approvalEmails approve its deploys); remove it or set ${key("deployer")} to "github-actions"`,
    );
  return problems;
}

/** Keys that only one database engine reads, set with the other: each message names both keys. */
function databaseEngineChecks(data: RawSettings, project: string): string[] {
  const key = (k: string) => `${project}:${k}`;
  const engine = `${key("dbEngine")} is "${data.dbEngine}"`;
  const problems: string[] = [];
  if (data.dbEngine === "aurora-serverless-v2") {
    if (data.dbMultiAz)
      problems.push(
        `${key("dbMultiAz")}: must be false when ${engine}: one Serverless v2 writer, whose storage Aurora already keeps in three availability zones; use "postgres" for a Multi-AZ standby`,
      );
    if (data.dbInstanceClass)
      problems.push(
        `${key("dbInstanceClass")}: must be empty when ${engine} (got "${data.dbInstanceClass}"): its instance is db.serverless, sized by ${key("dbMinCapacityAcu")} and ${key("dbMaxCapacityAcu")}`,
      );
  }
  if (data.dbMinCapacityAcu > data.dbMaxCapacityAcu)
    problems.push(
      `${key("dbMinCapacityAcu")}: must be at most ${key("dbMaxCapacityAcu")} (${data.dbMaxCapacityAcu}); got ${data.dbMinCapacityAcu}`,
    );
  return problems;
}

/** Rules that span keys: each message names the key to change. */
function crossChecks(s: StackSettings, project: string): string[] {
  const problems: string[] = [];
  const key = (k: string) => `${project}:${k}`;
  if (s.deployer === "pipeline" && !s.stages.deploy) {
    problems.push(
      `${key("deployer")}: is "pipeline" but ${key("stages")} has no "deploy": nothing would deploy the stack; add "deploy" or set ${key("deployer")} to "github-actions"`,
    );
  }
  if (s.deployer === "github-actions" && s.stages.deploy) {
    problems.push(
      `${key("deployer")}: is "github-actions" but ${key("stages")} has "deploy": the stack would have two deployers; remove "deploy" or set ${key("deployer")} to "pipeline"`,
    );
  }
  if (s.github.owner !== s.repository.owner) {
    problems.push(
      `github:owner: must be the repository's owner "${s.repository.owner}" (got "${s.github.owner}")`,
    );
  }
  if (!s.github.token && (s.source.kind === "webhook" || s.pullRequestPreviews)) {
    problems.push(
      `github:token: required secret is missing (the ${s.source.kind === "webhook" ? "push webhook" : "pull-request previews"} need it); set it with 'pulumi config set --secret github:token'`,
    );
  }
  if (s.source.kind === "webhook" && s.source.filePaths.length > 0) {
    problems.push(
      `${key("sourceFilePaths")}: file path filters need ${key("sourceKind")} "connection" (a push webhook filters on the branch only)`,
    );
  }
  if (s.source.kind === "webhook" && s.source.connectionArn) {
    problems.push(
      `${key("connectionArn")}: is set but ${key("sourceKind")} is "webhook"; set ${key("sourceKind")} to "connection" or remove it`,
    );
  }
  if (s.stages.approval && s.approval.emails.length === 0) {
    problems.push(
      `${key("approvalEmails")}: the approval stage needs at least one e-mail address to notify`,
    );
  }
  if (!s.github.commentToken && s.pullRequestPreviews) {
    problems.push(
      `${key("commentToken")}: required secret is missing (the pull-request previews comment with it: a fine-grained token with pull-requests: write only); set it with 'pulumi config set --secret ${key("commentToken")}'`,
    );
  }
  if (!s.github.token && s.reviewStacks.enabled) {
    problems.push(
      `github:token: required secret is missing (review stacks clone pull requests and comment on them); set it with 'pulumi config set --secret github:token'`,
    );
  }
  // The Deploy stage, the pull-request previews and the review stacks run the Pulumi CLI: they log in and decrypt config.
  const users = [
    s.stages.deploy && "the deploy stage",
    s.pullRequestPreviews && "the pull-request previews",
    s.reviewStacks.enabled && "the review stacks",
  ]
    .filter(Boolean)
    .join(" and ");
  if (users) {
    if (!s.deploy.configPassphrase) {
      problems.push(
        `${key("pulumiConfigPassphrase")}: required secret is missing (${users} decrypt this stack's passphrase-encrypted config with it); set it with 'pulumi config set --secret ${key("pulumiConfigPassphrase")}'`,
      );
    }
    if (!s.deploy.backendUrl && !s.deploy.accessToken) {
      problems.push(
        `${key("pulumiAccessToken")}: required secret is missing (${users} log in to Pulumi Cloud with it; or set ${key("pulumiBackendUrl")} for a self-managed backend); set it with 'pulumi config set --secret ${key("pulumiAccessToken")}'`,
      );
    }
  }
  if (s.release.approval === "when-risky" && !s.stages.deploy) {
    problems.push(
      `${key("approval")}: "when-risky" skips the approval when the Plan finds no risk, and only a stack with the "deploy" stage has a Plan; add "deploy" to ${key("stages")} or set "always"`,
    );
  }
  if (s.release.deployWindow && !s.stages.deploy) {
    problems.push(
      `${key("deployWindow")}: a deploy window holds the Deploy stage, which this stack does not have; add "deploy" to ${key("stages")} or leave it empty`,
    );
  }
  if (s.stages.publish && !s.stages.deploy) {
    problems.push(
      `${key("stages")}: "publish" releases what "deploy" shipped, so it needs "deploy" too`,
    );
  }
  if (s.network.vpcId && s.network.privateSubnetIds.length < 2) {
    problems.push(
      `${key("privateSubnetIds")}: an existing VPC needs at least two private subnets in different availability zones (got ${s.network.privateSubnetIds.length})`,
    );
  }
  if (!s.network.vpcId && s.network.privateSubnetIds.length > 0) {
    problems.push(`${key("privateSubnetIds")}: subnets need ${key("vpcId")} to name their VPC`);
  }
  if (
    s.database.maxAllocatedStorageGb !== 0 &&
    s.database.maxAllocatedStorageGb < s.database.allocatedStorageGb
  ) {
    problems.push(
      `${key("dbMaxAllocatedStorageGb")}: must be 0 (no autoscaling) or at least ${key("dbAllocatedStorageGb")} (${s.database.allocatedStorageGb})`,
    );
  }
  return problems;
}
