import type { BuildCache, SourceKind, StackSettings } from "../../stacks/settings";
import {
  actionTypes,
  type ActionCategory,
  type ActionOwner,
  type ActionProvider,
} from "./action-types";
import { pulumiCliVersion } from "./buildspecs/common";

/** The stages that run a CodeBuild project, as `settings.build.buildspecFiles` names them. */
export type CodeBuildStage = "build" | "test" | "plan" | "deploy" | "publish" | "drift";
export type StageKey = "source" | "approval" | CodeBuildStage;
/** Report groups a project writes to: JUnit test results and line coverage (Cobertura). */
export type ReportKind = "junit" | "coverage";
/** Secrets the Deploy project reads from Secrets Manager. */
export type DeploySecret = "pulumiAccessToken" | "pulumiConfigPassphrase";

/** A value the pipeline fills in from a resource or a secret it holds; the plan only names it. */
export interface Reference {
  readonly ref: "githubToken" | "connectionArn" | "approvalTopicArn";
}
export type ConfigurationValue = string | Reference;

export const isReference = (value: ConfigurationValue): value is Reference =>
  typeof value !== "string";

export type ProjectVariable =
  | { readonly name: string; readonly type: "PLAINTEXT"; readonly value: string }
  | { readonly name: string; readonly type: "SECRETS_MANAGER"; readonly secret: DeploySecret };

/** What the generated buildspec of each stage is made from (report group ARNs come when the groups exist). */
export type GeneratedBuildspec =
  | {
      readonly stage: "build";
      readonly coverageThreshold: number;
      readonly outputs: { readonly bundles: string; readonly coverage: string };
    }
  | { readonly stage: "test" }
  | {
      readonly stage: "plan" | "drift";
      readonly stack: string;
      readonly pulumiVersion: string;
      readonly backendUrl?: string;
    }
  | {
      readonly stage: "deploy";
      readonly stack: string;
      readonly pulumiVersion: string;
      readonly backendUrl?: string;
      /** Input artifact holding the approved plan; absent when the stack has no Plan stage. */
      readonly approvedPlan?: string;
    }
  | { readonly stage: "publish"; readonly bundlesArtifact: string; readonly command?: string };

/** Permissions a project's work needs beyond its own logs, artifacts, cache, reports and secrets. */
export type Grant =
  /** Create and change the stack's resources (the Deploy stage). */
  | { readonly kind: "deployStack" }
  /** Publish npm packages to one CodeArtifact repository. */
  | { readonly kind: "publishPackages"; readonly domain: string; readonly repository: string }
  /** Read the stack's state and what the program's provider functions read, and nothing more (Plan, drift checks). */
  | { readonly kind: "readStack"; readonly backendUrl?: string }
  /** Read the configuration of the stack's resources, as a refresh does; no secret values, no object data (drift checks). */
  | { readonly kind: "readResources" };

/** What one CodeBuild project runs. */
export interface ProjectPlan {
  readonly stage: CodeBuildStage;
  /** Physical project name. */
  readonly name: string;
  readonly description: string;
  /** The generated buildspec, or a buildspec file in the repository. */
  readonly buildspec:
    | { readonly kind: "generated"; readonly spec: GeneratedBuildspec }
    | { readonly kind: "file"; readonly path: string };
  readonly reports: readonly ReportKind[];
  readonly cache: BuildCache;
  /** Project environment variables; secrets only as Secrets Manager references. */
  readonly variables: readonly ProjectVariable[];
  /** What the project's role may do besides its own resources. */
  readonly grants: readonly Grant[];
}

export interface ActionPlan {
  readonly name: string;
  readonly category: ActionCategory;
  readonly owner: ActionOwner;
  readonly provider: ActionProvider;
  readonly version: string;
  readonly runOrder: number;
  readonly inputArtifacts: readonly string[];
  readonly outputArtifacts: readonly string[];
  /** Namespace of the action's output variables. */
  readonly namespace?: string;
  readonly configuration: Readonly<Record<string, ConfigurationValue>>;
  /** Who performs the action: the pipeline's role (a CodeBuild project then runs its commands as its own role). */
  readonly role: "pipeline";
  /** The CodeBuild project a CodeBuild action starts. */
  readonly project?: ProjectPlan;
}

/** A rule of a V2 stage condition (CodePipeline rule reference). */
export interface RulePlan {
  readonly name: string;
  readonly provider: RuleProvider;
  readonly configuration: Readonly<Record<string, string>>;
}
export type RuleProvider = "VariableCheck" | "CloudWatchAlarm" | "DeploymentWindow";
export type ConditionResult = "FAIL" | "SKIP" | "ROLLBACK" | "RETRY";

/** A V2 stage condition: its rules, and what happens when one of them fails. */
export interface ConditionPlan {
  readonly result: ConditionResult;
  readonly rules: readonly RulePlan[];
}

export interface StagePlanStage {
  readonly key: StageKey;
  readonly name: string;
  readonly actions: readonly ActionPlan[];
  /** Checked before the stage starts. */
  readonly beforeEntry?: ConditionPlan;
  /** Checked after the stage succeeds. */
  readonly onSuccess?: ConditionPlan;
  /** What happens when the stage fails: ROLLBACK re-runs it with the last successful run's artifacts. */
  readonly onFailure?: { readonly result: "ROLLBACK" };
}

/** A V2 pipeline trigger: pushes to these branches (and, when given, touching these paths) start the pipeline. */
export interface TriggerPlan {
  readonly providerType: "CodeStarSourceConnection";
  readonly sourceActionName: string;
  readonly branches: readonly string[];
  readonly filePaths: readonly string[];
}

/** The npm repository the Publish stage publishes to, when it runs the default `npm publish`. */
export interface PackageRepositoryPlan {
  readonly domain: string;
  readonly repository: string;
  readonly packageName: string;
}

/** Where the source comes from, and the credential the pipeline and its projects need to read it. */
export type SourcePlan =
  | { readonly kind: "webhook"; readonly credential: "githubToken" }
  | { readonly kind: "connection"; readonly credential: "connectionArn" };

/**
 * How runs share the pipeline. SUPERSEDED: a newer run replaces an older one waiting to enter a stage, and runs never
 * overtake each other, so an older run waiting for approval cannot deploy after a newer one; stage rollback needs it
 * (or QUEUED, which would ship every commit in turn).
 */
export type ExecutionMode = "SUPERSEDED" | "QUEUED" | "PARALLEL";

/** The scheduled drift check: a read-only refresh-and-preview of the stack on its branch, outside the stages. */
export interface DriftCheckPlan {
  /** EventBridge schedule expression. */
  readonly schedule: string;
  /** The branch the check builds, which the schedule's StartBuild names. */
  readonly branch: string;
  readonly project: ProjectPlan;
}

export interface StagePlan {
  readonly pipelineName: string;
  /** Present when the stack has a schedule and a Deploy stage (whose Pulumi credentials it uses). */
  readonly driftCheck?: DriftCheckPlan;
  readonly executionMode: ExecutionMode;
  readonly source: SourcePlan;
  /** Secrets the projects' SECRETS_MANAGER variables name: the pipeline keeps each in Secrets Manager. */
  readonly secrets: readonly DeploySecret[];
  /** Key prefix of the pipeline's artifacts in the bucket: CodePipeline uses the first 20 characters of the name. */
  readonly artifactPrefix: string;
  readonly stages: readonly StagePlanStage[];
  readonly triggers: readonly TriggerPlan[];
  readonly packageRepository?: PackageRepositoryPlan;
}

/** The settings a stage plan depends on. */
export interface PlanSettings extends Pick<
  StackSettings,
  "environment" | "repository" | "branch" | "stages" | "build" | "publish" | "release"
> {
  /** Alarms the Deploy stage watches after a deploy, by physical name (at most five: a condition's rule limit). */
  readonly watchedAlarms?: readonly string[];
  readonly source: { readonly kind: SourceKind; readonly filePaths: readonly string[] };
  /** The Deploy stage's backend, and which of its credentials exist (their values stay with the pipeline). */
  readonly deploy: {
    readonly backendUrl?: string;
    readonly accessToken?: unknown;
    readonly configPassphrase?: unknown;
  };
}

export const sourceNamespace = "SourceVariables";
/** Namespace of the Plan action's output variables: RISK, CREATE, UPDATE, REPLACE, DELETE, SUMMARY, PLAN_URL. */
export const planNamespace = "PlanVariables";
export const artifacts = {
  source: "SourceArtifact",
  build: "BuildArtifact",
  coverage: "CoverageReport",
  plan: "PlanArtifact",
} as const;

const commitId = `#{${sourceNamespace}.CommitId}`;
const physicalName = (text: string) => text.replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");

/** The pipeline's physical name: repository and environment. */
export function pipelineNameFor(
  settings: Pick<PlanSettings, "repository" | "environment">,
): string {
  return physicalName(`${settings.repository.name}-${settings.environment}`).slice(0, 100);
}

function action(
  provider: ActionProvider,
  fields: Omit<
    ActionPlan,
    "owner" | "provider" | "version" | "role" | "runOrder" | "inputArtifacts" | "outputArtifacts"
  > &
    Partial<Pick<ActionPlan, "runOrder" | "inputArtifacts" | "outputArtifacts">>,
): ActionPlan {
  const type = actionTypes[provider];
  return {
    owner: type.owner,
    provider,
    version: type.version,
    role: "pipeline",
    runOrder: 1,
    inputArtifacts: [],
    outputArtifacts: [],
    ...fields,
  };
}

function sourceAction(settings: PlanSettings): ActionPlan {
  const common = {
    name: "Source",
    category: "Source" as const,
    namespace: sourceNamespace,
    outputArtifacts: [artifacts.source],
  };
  if (settings.source.kind === "connection") {
    return action("CodeStarSourceConnection", {
      ...common,
      configuration: {
        ConnectionArn: { ref: "connectionArn" },
        FullRepositoryId: settings.repository.fullName,
        BranchName: settings.branch,
        // The V2 trigger starts the pipeline, with its branch and file path filters.
        DetectChanges: "false",
        OutputArtifactFormat: "CODE_ZIP",
      },
    });
  }
  return action("GitHub", {
    ...common,
    configuration: {
      Owner: settings.repository.owner,
      Repo: settings.repository.name,
      Branch: settings.branch,
      OAuthToken: { ref: "githubToken" },
      // The signed GitHub push webhook starts the pipeline.
      PollForSourceChanges: "false",
    },
  });
}

// Every CodeBuild action tells its build which commit and pipeline run it works on.
const runVariables = JSON.stringify([
  { name: "SOURCE_COMMIT_ID", value: commitId, type: "PLAINTEXT" },
  {
    name: "PIPELINE_EXECUTION_ID",
    value: "#{codepipeline.PipelineExecutionId}",
    type: "PLAINTEXT",
  },
]);

interface CodeBuildStageSpec {
  readonly stage: CodeBuildStage;
  readonly buildspec: GeneratedBuildspec;
  readonly grants?: readonly Grant[];
  readonly stageName: string;
  readonly actionName: string;
  readonly category: "Build" | "Test";
  readonly description: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly reports: readonly ReportKind[];
  readonly variables: readonly ProjectVariable[];
  readonly namespace?: string;
}

function codeBuildStage(
  settings: PlanSettings,
  pipelineName: string,
  spec: CodeBuildStageSpec,
): StagePlanStage {
  // The Plan's buildspec is always generated: its output variables are what the approval and the conditions read.
  const file =
    spec.stage === "plan" || spec.stage === "drift"
      ? undefined
      : settings.build.buildspecFiles[spec.stage];
  const project: ProjectPlan = {
    stage: spec.stage,
    name: `${pipelineName}-${spec.stage}`,
    description: `${spec.description} (${settings.repository.fullName}, ${settings.environment})`,
    buildspec: file ? { kind: "file", path: file } : { kind: "generated", spec: spec.buildspec },
    reports: spec.reports,
    cache: settings.build.cache,
    variables: spec.variables,
    grants: spec.grants ?? [],
  };
  const configuration: Record<string, string> = {
    ProjectName: project.name,
    EnvironmentVariables: runVariables,
  };
  if (spec.inputs.length > 1) configuration.PrimarySource = spec.inputs[0];
  return {
    key: spec.stage,
    name: spec.stageName,
    actions: [
      action("CodeBuild", {
        name: spec.actionName,
        category: spec.category,
        inputArtifacts: spec.inputs,
        outputArtifacts: spec.outputs,
        namespace: spec.namespace,
        configuration,
        project,
      }),
    ],
  };
}

/** What a build running the Pulumi CLI on this stack needs: the stack, the backend, the token and the passphrase. */
function pulumiVariables(settings: PlanSettings): ProjectVariable[] {
  const variables: ProjectVariable[] = [
    { name: "PULUMI_STACK", type: "PLAINTEXT", value: settings.environment },
  ];
  if (settings.deploy.backendUrl)
    variables.push({
      name: "PULUMI_BACKEND_URL",
      type: "PLAINTEXT",
      value: settings.deploy.backendUrl,
    });
  // Pulumi Cloud needs the token; the passphrase decrypts the stack's secure values whatever the backend.
  if (!settings.deploy.backendUrl && settings.deploy.accessToken)
    variables.push({
      name: "PULUMI_ACCESS_TOKEN",
      type: "SECRETS_MANAGER",
      secret: "pulumiAccessToken",
    });
  if (settings.deploy.configPassphrase)
    variables.push({
      name: "PULUMI_CONFIG_PASSPHRASE",
      type: "SECRETS_MANAGER",
      secret: "pulumiConfigPassphrase",
    });
  return variables;
}

function packageRepositoryFor(
  settings: PlanSettings,
  pipelineName: string,
): PackageRepositoryPlan | undefined {
  if (!settings.stages.publish || settings.publish.command) return undefined;
  // CodeArtifact domains: lower case, 2 to 50 characters, starting with a letter.
  const domain = pipelineName
    .toLowerCase()
    .replace(/^[^a-z]+/, "")
    .slice(0, 50)
    .replace(/-+$/, "");
  return { domain, repository: "releases", packageName: settings.repository.name.toLowerCase() };
}

function publishVariables(repository: PackageRepositoryPlan | undefined): ProjectVariable[] {
  if (!repository) return [];
  return [
    { name: "CODEARTIFACT_DOMAIN", type: "PLAINTEXT", value: repository.domain },
    { name: "CODEARTIFACT_REPOSITORY", type: "PLAINTEXT", value: repository.repository },
    { name: "PACKAGE_NAME", type: "PLAINTEXT", value: repository.packageName },
  ];
}

function approvalStage(settings: PlanSettings): StagePlanStage {
  const what = `Approve the release of ${settings.repository.fullName} commit ${commitId} to ${settings.environment} (stack ${settings.environment}, branch ${settings.branch}).`;
  const planned = settings.stages.deploy;
  return {
    key: "approval",
    name: "Approval",
    actions: [
      action("Manual", {
        name: "ApproveRelease",
        category: "Approval",
        configuration: {
          NotificationArn: { ref: "approvalTopicArn" },
          CustomData: planned ? `${what} Plan: #{${planNamespace}.SUMMARY}` : what,
          ExternalEntityLink: planned
            ? `#{${planNamespace}.PLAN_URL}`
            : `https://github.com/${settings.repository.fullName}/commit/${commitId}`,
        },
      }),
    ],
    // The Plan found nothing to review: the rule fails on RISK none, and a failed entry rule with SKIP skips the stage.
    beforeEntry:
      planned && settings.release.approval === "when-risky"
        ? {
            result: "SKIP",
            rules: [
              {
                name: "PlanFoundRisk",
                provider: "VariableCheck",
                configuration: {
                  Variable: `#{${planNamespace}.RISK}`,
                  Operator: "NE",
                  Value: "none",
                },
              },
            ],
          }
        : undefined,
  };
}

/** The Deploy stage's conditions: the deploy window at entry, the alarm watch after success, rollback on failure. */
function deployConditions(
  settings: PlanSettings,
): Pick<StagePlanStage, "beforeEntry" | "onSuccess" | "onFailure"> {
  const { deployWindow, postDeployAlarmMinutes } = settings.release;
  const alarms = settings.watchedAlarms ?? [];
  return {
    beforeEntry: deployWindow
      ? {
          result: "FAIL",
          rules: [
            {
              name: "DeployWindow",
              provider: "DeploymentWindow",
              configuration: { Cron: deployWindow.cron, TimeZone: deployWindow.timeZone },
            },
          ],
        }
      : undefined,
    onSuccess:
      postDeployAlarmMinutes > 0 && alarms.length > 0
        ? {
            result: "ROLLBACK",
            rules: alarms.map((alarm) => ({
              name: alarm.slice(0, 100),
              provider: "CloudWatchAlarm" as const,
              configuration: {
                AlarmName: alarm,
                AlarmStates: "ALARM",
                WaitTime: String(postDeployAlarmMinutes),
              },
            })),
          }
        : undefined,
    onFailure: { result: "ROLLBACK" },
  };
}

/** The pipeline a stack's settings describe: its stages and actions in order, the artifacts between them, its triggers. */
export function stagePlan(settings: PlanSettings): StagePlan {
  const pipelineName = pipelineNameFor(settings);
  const packageRepository = packageRepositoryFor(settings, pipelineName);
  const optional = (on: boolean, stage: () => StagePlanStage) => (on ? [stage()] : []);
  const stages: StagePlanStage[] = [
    { key: "source", name: "Source", actions: [sourceAction(settings)] },
    codeBuildStage(settings, pipelineName, {
      stage: "build",
      buildspec: {
        stage: "build",
        coverageThreshold: settings.build.coverageThreshold,
        outputs: { bundles: artifacts.build, coverage: artifacts.coverage },
      },
      stageName: "Build",
      actionName: "Build",
      category: "Build",
      description: "Install, lint, type-check, unit tests with coverage, Lambda bundles",
      inputs: [artifacts.source],
      outputs: [artifacts.build, artifacts.coverage],
      reports: ["junit", "coverage"],
      variables: [
        {
          name: "COVERAGE_THRESHOLD",
          type: "PLAINTEXT",
          value: String(settings.build.coverageThreshold),
        },
      ],
    }),
    ...optional(settings.stages.test, () =>
      codeBuildStage(settings, pipelineName, {
        stage: "test",
        buildspec: { stage: "test" },
        stageName: "Test",
        actionName: "IntegrationTests",
        category: "Test",
        description: "Service integration tests against PostgreSQL",
        inputs: [artifacts.source],
        outputs: [],
        reports: ["junit", "coverage"],
        variables: [],
      }),
    ),
    ...optional(settings.stages.deploy, () =>
      codeBuildStage(settings, pipelineName, {
        stage: "plan",
        buildspec: {
          stage: "plan",
          stack: settings.environment,
          pulumiVersion: pulumiCliVersion,
          backendUrl: settings.deploy.backendUrl,
        },
        grants: [{ kind: "readStack", backendUrl: settings.deploy.backendUrl }],
        stageName: "Plan",
        actionName: "Preview",
        category: "Test",
        description: `pulumi preview --stack ${settings.environment}: the change set to approve, its RISK and the full diff`,
        inputs: [artifacts.source],
        outputs: [artifacts.plan],
        reports: [],
        variables: pulumiVariables(settings),
        namespace: planNamespace,
      }),
    ),
    ...optional(settings.stages.approval, () => approvalStage(settings)),
    ...optional(settings.stages.deploy, () => ({
      ...codeBuildStage(settings, pipelineName, {
        stage: "deploy",
        buildspec: {
          stage: "deploy",
          stack: settings.environment,
          pulumiVersion: pulumiCliVersion,
          backendUrl: settings.deploy.backendUrl,
          approvedPlan: artifacts.plan,
        },
        grants: [{ kind: "deployStack" }],
        stageName: "Deploy",
        actionName: "PulumiUp",
        category: "Build",
        description: `pulumi up --stack ${settings.environment} of the approved change set, then a smoke test of the API`,
        inputs: [artifacts.source, artifacts.plan],
        outputs: [],
        reports: [],
        // The approval check asks CodePipeline whether this run is a rollback.
        variables: [
          ...pulumiVariables(settings),
          { name: "PIPELINE_NAME", type: "PLAINTEXT", value: pipelineName },
        ],
      }),
      ...deployConditions(settings),
    })),
    ...optional(settings.stages.publish, () =>
      codeBuildStage(settings, pipelineName, {
        stage: "publish",
        buildspec: {
          stage: "publish",
          bundlesArtifact: artifacts.build,
          command: settings.publish.command,
        },
        grants: packageRepository
          ? [
              {
                kind: "publishPackages",
                domain: packageRepository.domain,
                repository: packageRepository.repository,
              },
            ]
          : [],
        stageName: "Publish",
        actionName: "Publish",
        category: "Build",
        description: settings.publish.command
          ? "Publish the release"
          : "npm publish of the release to CodeArtifact",
        inputs: [artifacts.source, artifacts.build],
        outputs: [],
        reports: [],
        variables: publishVariables(packageRepository),
      }),
    ),
  ];
  const triggers: TriggerPlan[] =
    settings.source.kind === "connection"
      ? [
          {
            providerType: "CodeStarSourceConnection",
            sourceActionName: "Source",
            branches: [settings.branch],
            filePaths: settings.source.filePaths,
          },
        ]
      : [];
  const driftCheck: DriftCheckPlan | undefined =
    settings.stages.deploy && settings.release.driftSchedule
      ? {
          schedule: settings.release.driftSchedule,
          branch: settings.branch,
          project: {
            stage: "drift",
            name: `${pipelineName}-drift`,
            description: `pulumi preview --refresh --expect-no-changes --stack ${settings.environment}: resources changed outside Pulumi (${settings.repository.fullName}, ${settings.environment})`,
            buildspec: {
              kind: "generated",
              spec: {
                stage: "drift",
                stack: settings.environment,
                pulumiVersion: pulumiCliVersion,
                backendUrl: settings.deploy.backendUrl,
              },
            },
            reports: [],
            cache: settings.build.cache,
            variables: pulumiVariables(settings),
            grants: [
              { kind: "readStack", backendUrl: settings.deploy.backendUrl },
              { kind: "readResources" },
            ],
          },
        }
      : undefined;
  const source: SourcePlan =
    settings.source.kind === "connection"
      ? { kind: "connection", credential: "connectionArn" }
      : { kind: "webhook", credential: "githubToken" };
  const plan = {
    pipelineName,
    driftCheck,
    executionMode: "SUPERSEDED" as const,
    artifactPrefix: pipelineName.slice(0, 20),
    source,
    stages,
    triggers,
    packageRepository,
  };
  const secrets = [
    ...new Set(
      projectsOf({ ...plan, secrets: [] }).flatMap((p) =>
        p.variables.flatMap((v) => (v.type === "SECRETS_MANAGER" ? [v.secret] : [])),
      ),
    ),
  ];
  return { ...plan, secrets };
}

/** The CodeBuild projects of a plan, in stage order. */
export function projectsOf(plan: StagePlan): ProjectPlan[] {
  return plan.stages.flatMap((stage) =>
    stage.actions.flatMap((a) => (a.project ? [a.project] : [])),
  );
}

/** The Source stage's action: the one the push webhook or the trigger starts. */
export function sourceActionOf(plan: StagePlan): ActionPlan {
  return plan.stages[0].actions[0];
}
