import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ReportGroupArns } from "./buildspecs";
import type { DeploySecret, ProjectPlan, ReportKind } from "./plan";
import { policyDocument, serviceRole, type PolicyStatement, type RolePlacement } from "../iam";
import { buildProjectPolicy, type SourceCredential } from "./policies";

export interface BuildProjectArgs {
  /** What the project runs, from the stage plan: name, buildspec choice, reports, cache, variables. */
  readonly project: ProjectPlan;
  /** The generated buildspec, given the project's report group ARNs; unused when the plan names a buildspec file. */
  readonly buildspec: (reportGroups: ReportGroupArns) => string;
  /** Compute type, image and timeout of the builds. */
  readonly environment: BuildEnvironment;
  /** The pipeline's artifact bucket and key, and the key prefix of its artifacts. */
  readonly artifacts: {
    readonly bucketName: pulumi.Input<string>;
    readonly bucketArn: pulumi.Input<string>;
    readonly keyArn: pulumi.Input<string>;
    readonly prefix: string;
  };
  /** Days the build logs are kept. */
  readonly logRetentionDays: number;
  /** ARNs of the secrets the plan's SECRETS_MANAGER variables name: the only secrets the project may read. */
  readonly secrets?: Readonly<Partial<Record<DeploySecret, pulumi.Input<string>>>>;
  /** The repository the build badge tracks and how CodeBuild reads it; absent means no badge. */
  readonly badgeSource?: {
    readonly location: string;
    readonly credential: pulumi.Input<SourceCredential>;
  };
  /** Permissions the stage's work needs beyond the project's own resources (deploying, publishing). */
  readonly extraStatements?: pulumi.Input<readonly PolicyStatement[]>;
  /** Path and permissions boundary of the project's role. */
  readonly roles: RolePlacement;
}

const reportGroupType: Readonly<Record<ReportKind, string>> = {
  junit: "TEST",
  coverage: "CODE_COVERAGE",
};

/** Compute type, image and timeout of a project's builds. */
export interface BuildEnvironment {
  /** CodeBuild compute type, e.g. BUILD_GENERAL1_SMALL. */
  readonly computeType: string;
  /** CodeBuild image; an arm64 (aarch64) image runs in an ARM container. */
  readonly image: string;
  /** Minutes a build may run. */
  readonly timeoutMinutes: number;
}

/** CodeBuild's environment type for an image: ARM images run in ARM containers. */
export const environmentType = (image: string) =>
  /aarch64|arm64/.test(image) ? "ARM_CONTAINER" : "LINUX_CONTAINER";

/**
 * The environment block of every CodeBuild project the program creates: the container type follows the image, the
 * image comes from CodeBuild's own registry, and secrets are only ever variables by reference.
 */
export function projectEnvironment(
  environment: BuildEnvironment,
  variables: aws.types.input.codebuild.ProjectEnvironmentEnvironmentVariable[],
): aws.types.input.codebuild.ProjectEnvironment {
  return {
    type: environmentType(environment.image),
    computeType: environment.computeType,
    image: environment.image,
    imagePullCredentialsType: "CODEBUILD",
    environmentVariables: variables,
  };
}

function cacheFor(
  project: ProjectPlan,
  bucketName: pulumi.Input<string>,
  prefix: string,
): aws.types.input.codebuild.ProjectCache {
  switch (project.cache) {
    case "S3":
      return { type: "S3", location: pulumi.interpolate`${bucketName}/${prefix}` };
    case "LOCAL":
      return { type: "LOCAL", modes: ["LOCAL_CUSTOM_CACHE", "LOCAL_SOURCE_CACHE"] };
    case "NONE":
      return { type: "NO_CACHE" };
  }
}

/**
 * One CodeBuild project of the pipeline, with its own role, log group, report groups and cache.
 * Its badge needs a repository source (CodeBuild has no badges for CodePipeline sources); the pipeline overrides the
 * source with its artifacts when it starts a build.
 */
export class BuildProject extends pulumi.ComponentResource {
  readonly projectName: pulumi.Output<string>;
  readonly projectArn: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;
  /** Public URL of the build badge; absent without a badge. */
  readonly badgeUrl?: pulumi.Output<string>;

  constructor(name: string, args: BuildProjectArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:cicd:BuildProject", name, {}, opts);
    const parent = { parent: this };
    const { project } = args;

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/codebuild/${project.name}`, retentionInDays: args.logRetentionDays },
      parent,
    );
    const reportGroups = project.reports.map((kind) => ({
      kind,
      group: new aws.codebuild.ReportGroup(
        `${name}-${kind}`,
        {
          name: `${project.name}-${kind}`,
          type: reportGroupType[kind],
          exportConfig: { type: "NO_EXPORT" },
          deleteReports: true,
        },
        parent,
      ),
    }));
    const reportGroupArns = pulumi
      .all(reportGroups.map(({ kind, group }) => group.arn.apply((arn) => [kind, arn] as const)))
      .apply((pairs) => Object.fromEntries(pairs) as ReportGroupArns);

    const cachePrefix = project.cache === "S3" ? `cache/${project.stage}` : undefined;
    const secretArnOf = (secret: DeploySecret): pulumi.Input<string> => {
      const arn = args.secrets?.[secret];
      if (arn === undefined)
        throw new Error(
          `build project ${project.name} needs the ${secret} secret, which it was not handed`,
        );
      return arn;
    };
    const secretArns = project.variables.flatMap((v) =>
      v.type === "SECRETS_MANAGER" ? [secretArnOf(v.secret)] : [],
    );

    const role = serviceRole(
      `${name}-role`,
      {
        service: "codebuild.amazonaws.com",
        description: `CodeBuild project ${project.name}`,
        placement: args.roles,
      },
      parent,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: role.id,
        policy: pulumi
          .output({
            logGroupArn: logGroup.arn,
            bucketArn: args.artifacts.bucketArn,
            keyArn: args.artifacts.keyArn,
            reportGroupArns: reportGroups.map((r) => r.group.arn),
            secretArns,
            sourceCredential: args.badgeSource?.credential,
            extra: args.extraStatements ?? [],
          })
          .apply(({ extra, ...resources }) =>
            JSON.stringify(
              policyDocument([
                ...buildProjectPolicy({
                  ...resources,
                  artifactPrefix: args.artifacts.prefix,
                  cachePrefix,
                }).Statement,
                ...extra,
              ]),
            ),
          ),
      },
      parent,
    );

    const buildspec =
      project.buildspec.kind === "file"
        ? project.buildspec.path
        : reportGroupArns.apply(args.buildspec);
    const source: aws.types.input.codebuild.ProjectSource = args.badgeSource
      ? {
          type: "GITHUB",
          location: args.badgeSource.location,
          buildspec,
          gitCloneDepth: 1,
          reportBuildStatus: false,
          auth: pulumi.output(args.badgeSource.credential).apply((c) => ({
            type: c.kind === "secret" ? "SECRETS_MANAGER" : "CODECONNECTIONS",
            resource: c.arn,
          })),
        }
      : { type: "CODEPIPELINE", buildspec };

    const environmentVariables = project.variables.map((v) =>
      v.type === "PLAINTEXT"
        ? { name: v.name, type: v.type, value: v.value }
        : { name: v.name, type: v.type, value: secretArnOf(v.secret) },
    );

    const codebuild = new aws.codebuild.Project(
      `${name}-project`,
      {
        name: project.name,
        description: project.description,
        serviceRole: role.arn,
        source,
        artifacts: { type: args.badgeSource ? "NO_ARTIFACTS" : "CODEPIPELINE" },
        badgeEnabled: args.badgeSource !== undefined,
        buildTimeout: args.environment.timeoutMinutes,
        encryptionKey: args.artifacts.keyArn,
        environment: projectEnvironment(args.environment, environmentVariables),
        cache: cacheFor(project, args.artifacts.bucketName, cachePrefix ?? ""),
        logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name } },
      },
      { parent: this, dependsOn: [rolePolicy] },
    );

    this.projectName = codebuild.name;
    this.projectArn = codebuild.arn;
    this.roleArn = role.arn;
    this.badgeUrl = args.badgeSource ? codebuild.badgeUrl : undefined;
    this.registerOutputs({
      projectName: this.projectName,
      projectArn: this.projectArn,
      roleArn: this.roleArn,
      badgeUrl: this.badgeUrl,
    });
  }
}
