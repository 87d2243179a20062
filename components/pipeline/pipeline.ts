import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BuildCache } from "../../stacks/settings";
import { ApprovalTopic } from "./approval";
import { ArtifactStore } from "./artifact-store";
import { BuildProject, type BuildProjectArgs } from "./build-project";
import { renderBuildspec } from "./buildspec";
import { generatedBuildspec } from "./buildspecs";
import { DeployCredentials } from "./deploy-credentials";
import { PackageRepository } from "./package-repository";
import { grantStatements } from "./grants";
import { assertSoundPlan } from "./plan-rules";
import {
  projectsOf,
  sourceActionOf,
  stagePlan,
  type CodeBuildStage,
  type ConditionPlan,
  type ConfigurationValue,
  type DeploySecret,
  type ProjectPlan,
  type Reference,
  type StagePlan,
} from "./plan";
import { adminHeld, currentAccount, serviceRole, type Account, type RolePlacement } from "../iam";
import { pipelineRolePolicy, type SourceCredential } from "./policies";
import { RepositoryCredential } from "./repository-credential";

/** Where the pipeline reads the service repository, with the credential that kind of source needs. */
export type PipelineSource =
  | {
      /** A GitHub (version 1) source action, started by the signed push webhook. */
      readonly kind: "webhook";
      /** GitHub token (secret) the source action and the projects' badges read the repository with. */
      readonly githubToken: pulumi.Output<string>;
      /** Unused by this kind: a webhook filters on the branch only. */
      readonly filePaths: readonly [];
    }
  | {
      /** A CodeStar connection source action, started by the pipeline's V2 trigger. */
      readonly kind: "connection";
      /** The connection the pipeline and the projects read the repository through. */
      readonly connectionArn: pulumi.Input<string>;
      /** File globs a push must touch to start the pipeline; empty means any push. */
      readonly filePaths: readonly string[];
    };

export interface PipelineArgs {
  /** The stack (environment) the pipeline belongs to: names the pipeline, and is the stack the Deploy stage updates. */
  readonly environment: string;
  /** AWS region of the pipeline, for ARNs and the console link. */
  readonly region: string;
  /** The service repository on GitHub. */
  readonly repository: { readonly owner: string; readonly name: string; readonly fullName: string };
  /** Branch whose pushes start the pipeline. */
  readonly branch: string;
  /** Which optional stages exist; Source and Build always do. */
  readonly stages: {
    readonly test: boolean;
    readonly approval: boolean;
    readonly deploy: boolean;
    readonly publish: boolean;
  };
  /** Where the source comes from, and its credential. */
  readonly source: PipelineSource;
  /** The build projects' environment and the Build stage's gate. */
  readonly build: {
    /** CodeBuild compute type. */
    readonly computeType: string;
    /** CodeBuild image; an arm64 image runs in ARM containers. */
    readonly image: string;
    /** Build timeout in minutes. */
    readonly timeoutMinutes: number;
    /** Dependency cache of the projects. */
    readonly cache: BuildCache;
    /** Line coverage (percent) below which Build fails. */
    readonly coverageThreshold: number;
    /** Buildspec files in the repository replacing the generated ones; a stage left out uses the generated one. */
    readonly buildspecFiles: Readonly<Partial<Record<Exclude<CodeBuildStage, "plan">, string>>>;
  };
  /** The Deploy stage's Pulumi backend and credentials. */
  readonly deploy: {
    /** Self-managed state backend; absent means Pulumi Cloud. */
    readonly backendUrl?: string;
    /** Pulumi Cloud access token (secret); needed without a backendUrl. */
    readonly accessToken?: pulumi.Output<string>;
    /** The stack's config passphrase (secret), so the Deploy stage can decrypt its config. */
    readonly configPassphrase?: pulumi.Output<string>;
  };
  /** The Publish stage's command; absent means npm publish to a CodeArtifact repository the pipeline creates. */
  readonly publish: { readonly command?: string };
  /** Who approves releases (approval stage): each address gets an e-mail subscription. @default [] */
  readonly approvalEmails?: readonly string[];
  /** How releases are approved, watched and windowed. */
  readonly release: {
    /** Ask for approval on every release, or only when the Plan's RISK is review or danger. @default "always" */
    readonly approval: "always" | "when-risky";
    /** Minutes the Deploy stage watches `watchedAlarms` after a deploy, rolling back when one fires; 0 = no watch. */
    readonly postDeployAlarmMinutes: number;
    /** When the Deploy stage may start (CodePipeline cron and time zone); absent means any time. */
    readonly deployWindow?: { readonly cron: string; readonly timeZone: string };
  };
  /** Alarms the Deploy stage watches after a deploy, by physical name (at most five). @default [] */
  readonly watchedAlarms?: readonly string[];
  /** Days build logs are kept, and days pipeline artifacts are kept. */
  readonly retention: { readonly logDays: number; readonly artifactDays: number };
  /** Path and permissions boundary of the pipeline's roles; the Deploy project's role goes under the admin path. */
  readonly roles: RolePlacement;
}

/** What every project of the pipeline shares: build environment, artifact store, logs, secrets, source and role placement. */
export type ProjectContext = Omit<BuildProjectArgs, "project" | "buildspec" | "extraStatements">;

/** The generated buildspec a project's plan describes, rendered once its report groups exist. */
export function generatedBuildspecOf(project: ProjectPlan): BuildProjectArgs["buildspec"] {
  return (reportGroups) =>
    project.buildspec.kind === "generated"
      ? renderBuildspec(generatedBuildspec(project.buildspec.spec, project.cache, reportGroups))
      : project.buildspec.path;
}

/** The credential value behind each reference a plan can make. */
type ReferenceValues = Readonly<Record<Reference["ref"], pulumi.Input<string> | undefined>>;

/**
 * The CI/CD pipeline of one stack: a CodePipeline (V2) rendered from the stage plan, its artifact store, a CodeBuild
 * project per build stage, the approval topic, the Deploy stage's credentials and the Publish stage's npm repository.
 */
export class Pipeline extends pulumi.ComponentResource {
  /** What the pipeline is made of, as plain data. */
  readonly plan: StagePlan;
  readonly pipelineName: pulumi.Output<string>;
  readonly pipelineArn: pulumi.Output<string>;
  /** The pipeline in the AWS console. */
  readonly pipelineUrl: pulumi.Output<string>;
  readonly artifactBucketName: pulumi.Output<string>;
  /** Build badge URL of each CodeBuild stage. */
  readonly badgeUrls: pulumi.Output<Partial<Record<CodeBuildStage, string>>>;
  /** Name of the Source action, which the push webhook targets. */
  readonly sourceActionName: string;
  /** What a project outside the stages (the drift check) shares with the pipeline's projects. */
  readonly projectContext: ProjectContext;
  /** Account, region and partition of the pipeline. */
  readonly account: pulumi.Output<Account>;

  constructor(name: string, args: PipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:cicd:Pipeline", name, {}, opts);
    const parent = { parent: this };
    const plan = stagePlan(args);
    assertSoundPlan(plan);

    const account = currentAccount(args.region, parent);

    const store = new ArtifactStore(
      `${name}-artifacts`,
      { account, retentionDays: args.retention.artifactDays },
      parent,
    );
    const role = serviceRole(
      `${name}-role`,
      {
        service: "codepipeline.amazonaws.com",
        description: `CodePipeline ${plan.pipelineName}`,
        placement: args.roles,
      },
      parent,
    );

    const approval = args.stages.approval
      ? new ApprovalTopic(
          `${name}-approval`,
          { emails: args.approvalEmails ?? [], account, publisherRoleArn: role.arn },
          parent,
        )
      : undefined;
    const credentials =
      plan.secrets.length > 0
        ? new DeployCredentials(
            `${name}-deploy-credentials`,
            { values: secretValues(args, plan.secrets) },
            parent,
          )
        : undefined;
    const source = args.source;
    const connectionArn = source.kind === "connection" ? source.connectionArn : undefined;
    const sourceCredential: pulumi.Input<SourceCredential> =
      source.kind === "connection"
        ? pulumi.output(source.connectionArn).apply((arn) => ({ kind: "connection" as const, arn }))
        : new RepositoryCredential(
            `${name}-github-source`,
            { token: source.githubToken },
            parent,
          ).secretArn.apply((arn) => ({ kind: "secret" as const, arn }));

    const repository = plan.packageRepository;
    const packages = repository
      ? new PackageRepository(`${name}-publish-packages`, { plan: repository }, parent)
      : undefined;
    const projects = projectsOf(plan);
    const context: ProjectContext = {
      environment: args.build,
      artifacts: {
        bucketName: store.bucketName,
        bucketArn: store.bucketArn,
        keyArn: store.keyArn,
        prefix: plan.artifactPrefix,
      },
      logRetentionDays: args.retention.logDays,
      secrets: credentials?.secretArns,
      badgeSource: {
        location: `https://github.com/${args.repository.fullName}.git`,
        credential: sourceCredential,
      },
      roles: args.roles,
    };
    const builds = projects.map(
      (project) =>
        new BuildProject(
          `${name}-${project.stage}`,
          {
            ...context,
            project,
            buildspec: generatedBuildspecOf(project),
            extraStatements:
              project.grants.length > 0
                ? account.apply((a) =>
                    project.grants.flatMap((grant) => grantStatements(grant, a, args.roles)),
                  )
                : undefined,
            // The role that runs pulumi up sits under the admin path: only an administrator changes it.
            roles: project.grants.some((g) => g.kind === "deployStack")
              ? adminHeld(args.roles)
              : args.roles,
          },
          {
            parent: this,
            dependsOn:
              project.grants.some((g) => g.kind === "publishPackages") && packages
                ? [packages]
                : [],
          },
        ),
    );

    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([
            store.bucketArn,
            store.keyArn,
            builds.map((b) => b.projectArn),
            builds.map((b) => b.roleArn),
            approval?.topicArn,
            approval?.keyArn,
            connectionArn,
            account,
          ])
          .apply(
            ([
              bucketArn,
              keyArn,
              projectArns,
              projectRoleArns,
              topicArn,
              topicKeyArn,
              connection,
              { partition, accountId },
            ]) =>
              JSON.stringify(
                pipelineRolePolicy({
                  bucketArn,
                  keyArn,
                  projectArns,
                  projectRoleArns,
                  approval: topicArn && topicKeyArn ? { topicArn, keyArn: topicKeyArn } : undefined,
                  connectionArn: connection,
                  watchedAlarmArns: watchedAlarmsOf(plan).map(
                    (alarm) =>
                      `arn:${partition}:cloudwatch:${args.region}:${accountId}:alarm:${alarm}`,
                  ),
                }),
              ),
          ),
      },
      parent,
    );

    const references: ReferenceValues = {
      githubToken: source.kind === "webhook" ? source.githubToken : undefined,
      connectionArn,
      approvalTopicArn: approval?.topicArn,
    };
    const resolve = (value: ConfigurationValue): pulumi.Input<string> => {
      if (typeof value === "string") return value;
      const resolved = references[value.ref];
      if (resolved === undefined)
        throw new Error(
          `the ${name} pipeline plan refers to ${value.ref}, which the pipeline does not have`,
        );
      return resolved;
    };

    const pipeline = new aws.codepipeline.Pipeline(
      `${name}-pipeline`,
      {
        name: plan.pipelineName,
        pipelineType: "V2",
        executionMode: plan.executionMode,
        roleArn: role.arn,
        artifactStores: [
          {
            type: "S3",
            location: store.bucketName,
            encryptionKey: { type: "KMS", id: store.keyArn },
          },
        ],
        stages: plan.stages.map((stage) => ({
          name: stage.name,
          actions: stage.actions.map((a) => ({
            name: a.name,
            category: a.category,
            owner: a.owner,
            provider: a.provider,
            version: a.version,
            runOrder: a.runOrder,
            inputArtifacts: [...a.inputArtifacts],
            outputArtifacts: [...a.outputArtifacts],
            namespace: a.namespace,
            configuration: Object.fromEntries(
              Object.entries(a.configuration).map(([key, value]) => [key, resolve(value)]),
            ),
          })),
          beforeEntry: stage.beforeEntry && { condition: renderCondition(stage.beforeEntry) },
          onSuccess: stage.onSuccess && { condition: renderCondition(stage.onSuccess) },
          onFailure: stage.onFailure && { result: stage.onFailure.result },
        })),
        triggers: plan.triggers.map((trigger) => ({
          providerType: trigger.providerType,
          gitConfiguration: {
            sourceActionName: trigger.sourceActionName,
            pushes: [
              {
                branches: { includes: [...trigger.branches] },
                filePaths:
                  trigger.filePaths.length > 0 ? { includes: [...trigger.filePaths] } : undefined,
              },
            ],
          },
        })),
      },
      { parent: this, dependsOn: [rolePolicy] },
    );

    this.plan = plan;
    this.projectContext = context;
    this.account = account;
    this.pipelineName = pipeline.name;
    this.pipelineArn = pipeline.arn;
    this.pipelineUrl = pulumi.interpolate`https://${args.region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${pipeline.name}/view?region=${args.region}`;
    this.artifactBucketName = store.bucketName;
    this.badgeUrls = pulumi
      .all(
        builds.flatMap((build, index) =>
          build.badgeUrl
            ? [
                build.badgeUrl.apply(
                  (url) => [projects[index].stage, badgeForBranch(url, args.branch)] as const,
                ),
              ]
            : [],
        ),
      )
      .apply((pairs) => Object.fromEntries(pairs));
    this.sourceActionName = sourceActionOf(plan).name;
    this.registerOutputs({
      pipelineName: this.pipelineName,
      pipelineArn: this.pipelineArn,
      pipelineUrl: this.pipelineUrl,
      artifactBucketName: this.artifactBucketName,
      badgeUrls: this.badgeUrls,
      sourceActionName: this.sourceActionName,
    });
  }
}

/** Alarms the plan's conditions watch, by name. */
function watchedAlarmsOf(plan: StagePlan): string[] {
  const conditions = plan.stages.flatMap((stage) => [stage.beforeEntry, stage.onSuccess]);
  return conditions.flatMap(
    (c) =>
      c?.rules.flatMap((rule) =>
        rule.provider === "CloudWatchAlarm" ? [rule.configuration.AlarmName] : [],
      ) ?? [],
  );
}

/** The badge of the stack's branch: CodeBuild's badge URL names the repository's default branch. */
export function badgeForBranch(badgeUrl: string, branch: string): string {
  const url = new URL(badgeUrl);
  url.searchParams.set("branch", branch);
  return url.toString();
}

/** A stage condition as @pulumi/aws renders it: one condition block, each rule with its rule type. */
function renderCondition(
  condition: ConditionPlan,
): aws.types.input.codepipeline.PipelineStageBeforeEntryCondition {
  return {
    result: condition.result,
    rules: condition.rules.map((rule) => ({
      name: rule.name,
      ruleTypeId: { category: "Rule", owner: "AWS", provider: rule.provider, version: "1" },
      configuration: { ...rule.configuration },
    })),
  };
}

/** The Deploy stage's secret values the plan names, from the pipeline's arguments. */
function secretValues(
  args: PipelineArgs,
  wanted: readonly DeploySecret[],
): Partial<Record<DeploySecret, pulumi.Output<string>>> {
  const values: Readonly<Record<DeploySecret, pulumi.Output<string> | undefined>> = {
    pulumiAccessToken: args.deploy.accessToken,
    pulumiConfigPassphrase: args.deploy.configPassphrase,
  };
  return Object.fromEntries(wanted.map((secret) => [secret, values[secret]]));
}
