import type { MermaidCondition } from "../../components/pipeline/mermaid";
import type { ActionPlan } from "../../components/pipeline/plan";
import { reveal, type CapturedResource, type ProgramRun } from "../../tooling/mocks/program-run";
import { resourceSettings } from "./settings";

/** What a stack would create, as the offline plan reports it. */
export interface OfflinePlan {
  readonly stack: string;
  readonly note: string;
  readonly resources: readonly PlanNode[];
  readonly resourceCount: number;
  readonly stages: readonly PlanStage[];
  /** EventBridge rules that run on a schedule (the drift check), with their expression. */
  readonly schedules: ReadonlyArray<{ readonly name: string; readonly schedule: string }>;
  readonly outputs: readonly string[];
  readonly secretConfigKeys: readonly string[];
  /** Who deploys the stack, the boundary its roles carry, and where each role sits. */
  readonly trust: PlanTrust;
  /** What the stack does that the project advises against, one line each. */
  readonly warnings: readonly string[];
}

export interface PlanTrust {
  /** Who runs pulumi up on the stack (`pipelines:deployer`). */
  readonly deployer: string;
  /** The permissions boundary policy, by path and name; absent when the program creates none. */
  readonly boundary?: string;
  /** Every role with its path, and whether it carries the boundary. */
  readonly roles: ReadonlyArray<{
    readonly name: string;
    readonly path: string;
    readonly bounded: boolean;
  }>;
}

export interface PlanNode {
  readonly type: string;
  readonly name: string;
  /** The inputs that decide cost, capacity, retention and safety (see `resourceSettings`); absent when none apply. */
  readonly settings?: Readonly<Record<string, string | number | boolean>>;
  readonly children: readonly PlanNode[];
}

export interface PlanStage {
  readonly name: string;
  /** Checked before the stage starts (a skip, a deploy window). */
  readonly beforeEntry?: MermaidCondition;
  /** Checked after the stage succeeds (the alarm watch). */
  readonly onSuccess?: MermaidCondition;
  /** What a failure does (ROLLBACK). */
  readonly onFailure?: { readonly result: string };
  readonly actions: ReadonlyArray<
    Pick<ActionPlan, "name" | "runOrder" | "inputArtifacts" | "outputArtifacts"> & {
      readonly category: string;
      readonly provider: string;
    }
  >;
}

export const offlineNote =
  "Offline plan under Pulumi mocks: no AWS or GitHub call was made. This is not a `pulumi preview`; run that with the Pulumi CLI to compare with what is deployed.";

function tree(resources: readonly CapturedResource[], parent: string | undefined): PlanNode[] {
  return resources
    .filter((r) => r.parent === parent && r.type !== "pulumi:providers:aws")
    .map((r) => {
      const settings = r.custom
        ? resourceSettings(reveal(r.inputs) as Record<string, unknown>)
        : {};
      return {
        type: r.type,
        name: r.name,
        ...(Object.keys(settings).length > 0 ? { settings } : {}),
        children: tree(resources, r.urn),
      };
    });
}

interface CapturedAction {
  name: string;
  category: string;
  provider: string;
  runOrder?: number;
  inputArtifacts?: string[];
  outputArtifacts?: string[];
}
interface CapturedCondition {
  condition?: { result: string; rules: Array<{ name: string; ruleTypeId: { provider: string } }> };
}

const conditionOf = (captured: CapturedCondition | undefined): MermaidCondition | undefined =>
  captured?.condition && {
    result: captured.condition.result,
    rules: captured.condition.rules.map((r) => ({ name: r.name, provider: r.ruleTypeId.provider })),
  };

function pipelineStages(resources: readonly CapturedResource[]): PlanStage[] {
  const pipeline = resources.find((r) => r.type === "aws:codepipeline/pipeline:Pipeline");
  if (!pipeline) return [];
  const stages = reveal(pipeline.inputs.stages) as Array<{
    name: string;
    actions: CapturedAction[];
    beforeEntry?: CapturedCondition;
    onSuccess?: CapturedCondition;
    onFailure?: { result: string };
  }>;
  return stages.map((stage) => ({
    name: stage.name,
    ...(stage.beforeEntry ? { beforeEntry: conditionOf(stage.beforeEntry) } : {}),
    ...(stage.onSuccess ? { onSuccess: conditionOf(stage.onSuccess) } : {}),
    ...(stage.onFailure ? { onFailure: { result: stage.onFailure.result } } : {}),
    actions: stage.actions.map((a) => ({
      name: a.name,
      category: a.category,
      provider: a.provider,
      runOrder: a.runOrder ?? 1,
      inputArtifacts: a.inputArtifacts ?? [],
      outputArtifacts: a.outputArtifacts ?? [],
    })),
  }));
}

function trustOf(run: ProgramRun): PlanTrust {
  const boundary = run.resources.find(
    (r) =>
      r.type === "aws:iam/policy:Policy" &&
      run.resources.some(
        (c) => c.urn === r.parent && c.type === "pipelines:iam:PermissionsBoundary",
      ),
  );
  return {
    deployer: String(run.outputs.deployer ?? "unknown"),
    boundary: boundary && `${String(boundary.inputs.path)}${String(boundary.inputs.name)}`,
    roles: run.resources
      .filter((r) => r.type === "aws:iam/role:Role")
      .map((r) => ({
        name: r.name,
        path: String(r.inputs.path ?? "/"),
        bounded: r.inputs.permissionsBoundary !== undefined,
      })),
  };
}

/** Settings the stack may use but should not: each a line of `npm run plan`. */
function warningsOf(run: ProgramRun): string[] {
  const warnings: string[] = [];
  if (run.engineConfig.config[`${run.engineConfig.project}:sourceKind`] === "webhook") {
    warnings.push(
      `${run.engineConfig.project}:sourceKind is "webhook": the GitHub (version 1) source keeps a long-lived GitHub token in the stack and AWS no longer recommends it; use "connection" (a CodeConnections connection, no token)`,
    );
  }
  return warnings;
}

/** The plan of a program run: its resource tree, the pipeline's stages, output names and secret keys. */
export function planOf(run: ProgramRun): OfflinePlan {
  return {
    stack: run.stack,
    note: offlineNote,
    resources: tree(run.resources, undefined),
    resourceCount: run.resources.filter((r) => r.type !== "pulumi:providers:aws").length,
    stages: pipelineStages(run.resources),
    schedules: run.resources
      .filter(
        (r) =>
          r.type === "aws:cloudwatch/eventRule:EventRule" &&
          typeof r.inputs.scheduleExpression === "string",
      )
      .map((r) => ({ name: r.name, schedule: String(r.inputs.scheduleExpression) })),
    outputs: Object.keys(run.outputs).sort(),
    secretConfigKeys: [...run.engineConfig.secretKeys].sort(),
    trust: trustOf(run),
    warnings: warningsOf(run),
  };
}
