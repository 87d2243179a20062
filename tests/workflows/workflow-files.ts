import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { ValidationError } from "@action-validator/core";
import { parse } from "yaml";
import { projectRoot } from "../../tooling/mocks/stack-config";

/** The parts of GitHub Actions' workflow and action syntax these tests read. */
export interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, string>>;
}

export type Permissions = Readonly<Record<string, "read" | "write" | "none">>;
export interface Concurrency {
  readonly group: string;
  readonly "cancel-in-progress"?: boolean | string;
}

export interface Job {
  readonly name?: string;
  readonly if?: string;
  readonly needs?: string | readonly string[];
  readonly permissions?: Permissions;
  readonly concurrency?: Concurrency;
  readonly strategy?: {
    readonly matrix?: Readonly<Record<string, unknown>>;
    readonly "fail-fast"?: boolean;
  };
  readonly env?: Readonly<Record<string, string>>;
  /** The GitHub environment the job runs in (its protection rules, secrets and variables). */
  readonly environment?: string | { readonly name: string; readonly url?: string };
  /** A reusable workflow this job calls. */
  readonly uses?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly secrets?: "inherit" | Readonly<Record<string, string>>;
  readonly steps?: readonly Step[];
}

export interface InputDeclaration {
  readonly description?: string;
  readonly required?: boolean;
  readonly type?: string;
  readonly default?: unknown;
}

export interface Workflow {
  readonly name?: string;
  readonly on: Readonly<Record<string, unknown>>;
  readonly permissions?: Permissions;
  readonly env?: Readonly<Record<string, string>>;
  readonly concurrency?: Concurrency;
  readonly jobs: Readonly<Record<string, Job>>;
}

export interface CompositeAction {
  readonly name: string;
  readonly inputs?: Readonly<Record<string, InputDeclaration>>;
  readonly runs: { readonly using: string; readonly steps: readonly Step[] };
}

export interface SourceFile<T> {
  /** Path from the project root, e.g. .github/workflows/deploy-dev.yml. */
  readonly file: string;
  readonly text: string;
  readonly parsed: T;
}

const workflowsDir = path.join(projectRoot, ".github/workflows");
const actionsDir = path.join(projectRoot, ".github/actions");
const templatesDir = path.join(projectRoot, ".github/workflow-templates");

function read<T>(absolute: string): SourceFile<T> {
  const text = readFileSync(absolute, "utf8");
  return { file: path.relative(projectRoot, absolute), text, parsed: parse(text) as T };
}

/** Every workflow file of the repository. */
export const workflows: ReadonlyArray<SourceFile<Workflow>> = readdirSync(workflowsDir)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort()
  .map((file) => read<Workflow>(path.join(workflowsDir, file)));

/** The workflow templates (.github/workflow-templates/), which a stack's workflow is copied from. */
export const templates: ReadonlyArray<SourceFile<Workflow>> = (
  existsSync(templatesDir) ? readdirSync(templatesDir) : []
)
  .filter((file) => /\.ya?ml$/.test(file))
  .map((file) => read<Workflow>(path.join(templatesDir, file)));

/** A stack's deploy workflow as the template makes it: STACK and BRANCH replaced, at its place in .github/workflows. */
export function deployWorkflowFor(stack: string, branch: string): SourceFile<Workflow> {
  const template = templates.find((t) => t.file.endsWith("deploy-stack.yml"));
  if (!template) throw new Error("no .github/workflow-templates/deploy-stack.yml");
  const text = template.text.replace(/\bSTACK\b/g, stack).replace(/\bBRANCH\b/g, branch);
  return { file: `.github/workflows/deploy-${stack}.yml`, text, parsed: parse(text) as Workflow };
}

/** A workflow from its text, as if it were the file at `file` (tests try doctored copies). */
export const workflowFromText = (file: string, text: string): SourceFile<Workflow> => ({
  file,
  text,
  parsed: parse(text) as Workflow,
});

/** Every local action of the repository (.github/actions/<name>/action.yml). */
export const localActions: ReadonlyArray<SourceFile<CompositeAction>> = (
  existsSync(actionsDir) ? readdirSync(actionsDir) : []
)
  .map((dir) =>
    ["action.yml", "action.yaml"]
      .map((file) => path.join(actionsDir, dir, file))
      .find((file) => existsSync(file)),
  )
  .filter((file): file is string => file !== undefined)
  .map((file) => read<CompositeAction>(file));

export function workflow(file: string): SourceFile<Workflow> {
  const found = workflows.find((w) => w.file === file);
  if (!found)
    throw new Error(
      `${file} does not exist; workflows: ${workflows.map((w) => w.file).join(", ")}`,
    );
  return found;
}

/** The file a local `uses: ./...` names, relative to the project root. */
export const localPath = (uses: string) => uses.replace(/^\.\//, "");

/** Whether a workflow runs on events (not only when called by another workflow). */
export const runsOnEvents = (w: SourceFile<Workflow>) =>
  Object.keys(w.parsed.on).some((event) => event !== "workflow_call");

/** Workflows that run on events (not only when called by another workflow). */
export const eventWorkflows = () => workflows.filter(runsOnEvents);

/** Secrets a reusable workflow declares. */
export const workflowSecrets = (w: Workflow): Readonly<Record<string, InputDeclaration>> =>
  ((w.on.workflow_call ?? {}) as { secrets?: Record<string, InputDeclaration> }).secrets ?? {};

/** The jobs a job runs: itself, or the jobs of the local reusable workflow it calls. */
export function calledJobs(job: Job): Array<{ readonly file?: string; readonly job: Job }> {
  if (job.uses === undefined) return [{ job }];
  const called = workflows.find((w) => w.file === localPath(job.uses!));
  return called
    ? Object.values(called.parsed.jobs).map((j) => ({ file: called.file, job: j }))
    : [];
}

/** Inputs a reusable workflow declares. */
export const workflowInputs = (w: Workflow): Readonly<Record<string, InputDeclaration>> =>
  ((w.on.workflow_call ?? {}) as { inputs?: Record<string, InputDeclaration> }).inputs ?? {};

/** The steps a job runs, with each local composite action's steps in place of the action. */
export function expandedSteps(steps: readonly Step[]): Step[] {
  return steps.flatMap((step) => {
    const action = step.uses?.startsWith("./")
      ? localActions.find((a) => path.dirname(a.file) === localPath(step.uses!))
      : undefined;
    return action ? [step, ...expandedSteps(action.parsed.runs.steps)] : [step];
  });
}

/** action-validator's errors, nested alternatives flattened, one line each. */
export function describeValidationErrors(
  errors: readonly ValidationError[],
  indent = "",
): string[] {
  return errors.flatMap((error) => {
    const where = "path" in error && error.path ? `${error.path}: ` : "";
    const line = `${indent}${where}${error.title}${error.detail ? ` (${error.detail})` : ""}`;
    const states = "states" in error ? (error.states ?? []) : [];
    return [
      line,
      ...states.flatMap((state, i) => [
        `${indent}  either #${i + 1}:`,
        ...describeValidationErrors(state.errors, `${indent}    `),
      ]),
    ];
  });
}
