import { actionTypes } from "./action-types";
import { isReference, type ActionPlan, type StagePlan } from "./plan";

// Name patterns from the CodePipeline API reference (StageDeclaration, ActionDeclaration, OutputArtifact, namespace).
const stageOrActionName = /^[A-Za-z0-9.@_-]{1,100}$/;
const artifactName = /^[A-Za-z0-9_-]{1,100}$/;
const namespaceName = /^[A-Za-z0-9@_-]{1,100}$/;
// Variables CodePipeline resolves in action configuration: #{Namespace.Variable}.
const variableReference = /#\{([^.}]+)\.([^}]+)\}/g;

function duplicates(names: readonly string[]): string[] {
  return [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
}

function actionTypeProblems(where: string, a: ActionPlan): string[] {
  const type = actionTypes[a.provider];
  if (!type) return [`${where}: unknown provider ${a.provider}`];
  const problems: string[] = [];
  if (a.owner !== type.owner || a.version !== type.version) problems.push(`${where}: ${a.provider} is owner ${type.owner}, version ${type.version} (got ${a.owner}, ${a.version})`);
  if (!type.categories.includes(a.category)) problems.push(`${where}: ${a.provider} takes category ${type.categories.join(" or ")} (got ${a.category})`);
  const keys = Object.keys(a.configuration);
  const allowed = [...type.requiredKeys, ...type.optionalKeys];
  for (const key of keys.filter((k) => !allowed.includes(k))) problems.push(`${where}: configuration key ${key} is not one ${a.provider} documents (${allowed.join(", ")})`);
  for (const key of type.requiredKeys.filter((k) => !keys.includes(k))) problems.push(`${where}: ${a.provider} needs configuration key ${key}`);
  for (const [what, list, count] of [["input", a.inputArtifacts, type.inputArtifacts], ["output", a.outputArtifacts, type.outputArtifacts]] as const) {
    if (list.length < count.min || list.length > count.max) problems.push(`${where}: ${a.provider} takes ${count.min} to ${count.max} ${what} artifacts (got ${list.length})`);
  }
  if (a.provider === "CodeBuild" && a.inputArtifacts.length > 1) {
    const primary = a.configuration.PrimarySource;
    if (typeof primary !== "string" || !a.inputArtifacts.includes(primary)) problems.push(`${where}: with several input artifacts, PrimarySource must name one of them (${a.inputArtifacts.join(", ")})`);
  }
  if (!Number.isInteger(a.runOrder) || a.runOrder < 1 || a.runOrder > 999) problems.push(`${where}: runOrder must be a whole number from 1 to 999 (got ${a.runOrder})`);
  return problems;
}

function variableProblems(where: string, a: ActionPlan, namespaces: ReadonlySet<string>): string[] {
  const texts = Object.values(a.configuration).filter((v): v is string => !isReference(v));
  return texts.flatMap((text) =>
    [...text.matchAll(variableReference)]
      .map(([, namespace]) => namespace)
      .filter((namespace) => namespace !== "codepipeline" && !namespaces.has(namespace))
      .map((namespace) => `${where}: uses variables of namespace ${namespace}, which no earlier action declares`),
  );
}

/**
 * What AWS would refuse in a plan (or what would make it fail at run time), one line each; empty when the plan is sound.
 * Stages and artifacts flow in order: an action sees artifacts and variables of earlier stages and of lower run orders.
 */
export function planProblems(plan: StagePlan): string[] {
  const problems: string[] = [];
  if (plan.stages.length < 2) problems.push(`a pipeline needs at least two stages (got ${plan.stages.length})`);
  for (const name of duplicates(plan.stages.map((s) => s.name))) problems.push(`stage name ${name} is used twice`);
  const outputs = plan.stages.flatMap((s) => s.actions.flatMap((a) => a.outputArtifacts));
  for (const name of duplicates(outputs)) problems.push(`output artifact ${name} is produced twice`);
  const namespaces = plan.stages.flatMap((s) => s.actions.flatMap((a) => (a.namespace ? [a.namespace] : [])));
  for (const name of duplicates(namespaces)) problems.push(`namespace ${name} is declared twice`);

  const produced = new Set<string>();
  const declared = new Set<string>();
  plan.stages.forEach((stage, index) => {
    if (!stageOrActionName.test(stage.name)) problems.push(`stage name "${stage.name}" must be 1 to 100 of A-Z a-z 0-9 . @ - _`);
    if (stage.actions.length === 0) problems.push(`stage ${stage.name} has no action`);
    for (const name of duplicates(stage.actions.map((a) => a.name))) problems.push(`stage ${stage.name}: action name ${name} is used twice`);
    const sources = stage.actions.filter((a) => a.category === "Source");
    if (index === 0 && sources.length !== stage.actions.length) problems.push(`the first stage (${stage.name}) may hold only source actions`);
    if (index > 0 && sources.length > 0) problems.push(`stage ${stage.name} holds source actions (${sources.map((a) => a.name).join(", ")}); only the first stage may`);

    const runOrders = [...new Set(stage.actions.map((a) => a.runOrder))].sort((a, b) => a - b);
    for (const runOrder of runOrders) {
      const batch = stage.actions.filter((a) => a.runOrder === runOrder);
      for (const a of batch) {
        const where = `${stage.name}/${a.name}`;
        if (!stageOrActionName.test(a.name)) problems.push(`${where}: action name must be 1 to 100 of A-Z a-z 0-9 . @ - _`);
        for (const artifact of [...a.inputArtifacts, ...a.outputArtifacts].filter((n) => !artifactName.test(n))) problems.push(`${where}: artifact name "${artifact}" must be 1 to 100 of A-Z a-z 0-9 - _`);
        for (const input of a.inputArtifacts.filter((n) => !produced.has(n))) problems.push(`${where}: input artifact ${input} is not produced by an earlier action`);
        if (a.namespace !== undefined && !namespaceName.test(a.namespace)) problems.push(`${where}: namespace "${a.namespace}" must be 1 to 100 of A-Z a-z 0-9 @ - _`);
        problems.push(...actionTypeProblems(where, a), ...variableProblems(where, a, declared));
      }
      // Actions of one run order run side by side: they see only what earlier run orders made.
      for (const a of batch) {
        a.outputArtifacts.forEach((n) => produced.add(n));
        if (a.namespace) declared.add(a.namespace);
      }
    }
  });

  const sourceActions = plan.stages[0]?.actions ?? [];
  for (const trigger of plan.triggers) {
    const target = sourceActions.find((a) => a.name === trigger.sourceActionName);
    if (!target || target.provider !== trigger.providerType) problems.push(`trigger names source action ${trigger.sourceActionName}, which is not a ${trigger.providerType} action of the first stage`);
    if (trigger.branches.length === 0) problems.push(`trigger on ${trigger.sourceActionName} filters on no branch`);
  }
  return problems;
}

/** Throws when the plan breaks a rule AWS enforces, listing every problem. */
export function assertSoundPlan(plan: StagePlan): void {
  const problems = planProblems(plan);
  if (problems.length > 0) throw new Error(`the pipeline plan for ${plan.pipelineName} is not one AWS accepts:\n  - ${problems.join("\n  - ")}`);
}
