import { actionTypes } from "./action-types";
import {
  isReference,
  type ActionPlan,
  type ConditionPlan,
  type ConditionResult,
  type RuleProvider,
  type StagePlan,
  type StagePlanStage,
} from "./plan";

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
  if (a.owner !== type.owner || a.version !== type.version)
    problems.push(
      `${where}: ${a.provider} is owner ${type.owner}, version ${type.version} (got ${a.owner}, ${a.version})`,
    );
  if (!type.categories.includes(a.category))
    problems.push(
      `${where}: ${a.provider} takes category ${type.categories.join(" or ")} (got ${a.category})`,
    );
  const keys = Object.keys(a.configuration);
  const allowed = [...type.requiredKeys, ...type.optionalKeys];
  for (const key of keys.filter((k) => !allowed.includes(k)))
    problems.push(
      `${where}: configuration key ${key} is not one ${a.provider} documents (${allowed.join(", ")})`,
    );
  for (const key of type.requiredKeys.filter((k) => !keys.includes(k)))
    problems.push(`${where}: ${a.provider} needs configuration key ${key}`);
  for (const [what, list, count] of [
    ["input", a.inputArtifacts, type.inputArtifacts],
    ["output", a.outputArtifacts, type.outputArtifacts],
  ] as const) {
    if (list.length < count.min || list.length > count.max)
      problems.push(
        `${where}: ${a.provider} takes ${count.min} to ${count.max} ${what} artifacts (got ${list.length})`,
      );
  }
  if (a.provider === "CodeBuild" && a.inputArtifacts.length > 1) {
    const primary = a.configuration.PrimarySource;
    if (typeof primary !== "string" || !a.inputArtifacts.includes(primary))
      problems.push(
        `${where}: with several input artifacts, PrimarySource must name one of them (${a.inputArtifacts.join(", ")})`,
      );
  }
  if (!Number.isInteger(a.runOrder) || a.runOrder < 1 || a.runOrder > 999)
    problems.push(`${where}: runOrder must be a whole number from 1 to 999 (got ${a.runOrder})`);
  return problems;
}

function variableProblems(
  where: string,
  configuration: ActionPlan["configuration"],
  namespaces: ReadonlySet<string>,
): string[] {
  const texts = Object.values(configuration).filter((v): v is string => !isReference(v));
  return texts.flatMap((text) =>
    [...text.matchAll(variableReference)]
      .map(([, namespace]) => namespace)
      .filter((namespace) => namespace !== "codepipeline" && !namespaces.has(namespace))
      .map(
        (namespace) =>
          `${where}: uses variables of namespace ${namespace}, which no earlier action declares`,
      ),
  );
}

type ConditionKind = "beforeEntry" | "onSuccess" | "onFailure";

/**
 * What each kind of stage condition allows, from CodePipeline's "Configure conditions for a stage" and rule reference:
 * entry conditions FAIL or SKIP the stage, success conditions ROLLBACK or FAIL it, failure conditions ROLLBACK it;
 * a deployment window can only hold a stage at entry.
 */
export const conditionKinds: Readonly<
  Record<
    ConditionKind,
    { readonly results: readonly ConditionResult[]; readonly providers: readonly RuleProvider[] }
  >
> = {
  beforeEntry: {
    results: ["FAIL", "SKIP"],
    providers: ["VariableCheck", "CloudWatchAlarm", "DeploymentWindow"],
  },
  onSuccess: { results: ["ROLLBACK", "FAIL"], providers: ["VariableCheck", "CloudWatchAlarm"] },
  onFailure: { results: ["ROLLBACK"], providers: ["VariableCheck", "CloudWatchAlarm"] },
};

/** Each rule type's configuration keys and the values it takes (CodePipeline rule reference). */
const ruleTypes: Readonly<
  Record<
    RuleProvider,
    {
      readonly required: readonly string[];
      readonly optional: readonly string[];
      readonly values?: Readonly<Record<string, RegExp>>;
    }
  >
> = {
  VariableCheck: {
    required: ["Variable", "Value", "Operator"],
    optional: [],
    values: { Operator: /^(EQ|CONTAINS|MATCHES|NE)$/ },
  },
  CloudWatchAlarm: {
    required: ["AlarmName"],
    optional: ["AlarmStates", "WaitTime"],
    values: {
      AlarmStates: /^(ALARM|OK|INSUFFICIENT_DATA)(,(ALARM|OK|INSUFFICIENT_DATA))*$/,
      WaitTime: /^[1-9]\d*$/,
    },
  },
  DeploymentWindow: { required: ["Cron"], optional: ["TimeZone"] },
};

function conditionProblems(
  stage: StagePlanStage,
  kind: ConditionKind,
  condition: ConditionPlan,
  namespaces: ReadonlySet<string>,
): string[] {
  const where = `${stage.name} ${kind}`;
  const allowed = conditionKinds[kind];
  const problems: string[] = [];
  if (!allowed.results.includes(condition.result))
    problems.push(
      `${where}: result ${condition.result} is not one a ${kind} condition takes (${allowed.results.join(", ")})`,
    );
  if (condition.rules.length < 1 || condition.rules.length > 5)
    problems.push(`${where}: a condition takes 1 to 5 rules (got ${condition.rules.length})`);
  for (const name of duplicates(condition.rules.map((r) => r.name)))
    problems.push(`${where}: rule name ${name} is used twice`);
  for (const rule of condition.rules) {
    const at = `${where}/${rule.name}`;
    if (!stageOrActionName.test(rule.name))
      problems.push(`${at}: rule name must be 1 to 100 of A-Z a-z 0-9 . @ - _`);
    if (!allowed.providers.includes(rule.provider))
      problems.push(
        `${at}: a ${kind} condition takes rules ${allowed.providers.join(", ")} (got ${rule.provider})`,
      );
    const type = ruleTypes[rule.provider];
    const keys = Object.keys(rule.configuration);
    for (const key of keys.filter((k) => ![...type.required, ...type.optional].includes(k)))
      problems.push(
        `${at}: configuration key ${key} is not one ${rule.provider} documents (${[...type.required, ...type.optional].join(", ")})`,
      );
    for (const key of type.required.filter((k) => !keys.includes(k)))
      problems.push(`${at}: ${rule.provider} needs configuration key ${key}`);
    for (const [key, pattern] of Object.entries(type.values ?? {})) {
      const value = rule.configuration[key];
      if (value !== undefined && !pattern.test(value))
        problems.push(`${at}: ${key} "${value}" is not a value ${rule.provider} takes`);
    }
    problems.push(...variableProblems(at, rule.configuration, namespaces));
  }
  return problems;
}

function stageConditionProblems(
  plan: StagePlan,
  stage: StagePlanStage,
  index: number,
  namespaces: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const kind of ["beforeEntry", "onSuccess"] as const) {
    const condition = stage[kind];
    if (condition) problems.push(...conditionProblems(stage, kind, condition, namespaces));
  }
  const rolls = stage.onFailure?.result === "ROLLBACK" || stage.onSuccess?.result === "ROLLBACK";
  if (stage.onFailure && !conditionKinds.onFailure.results.includes(stage.onFailure.result))
    problems.push(
      `${stage.name} onFailure: result ${stage.onFailure.result} is not one a onFailure condition takes (ROLLBACK)`,
    );
  if (rolls && index === 0)
    problems.push(
      `${stage.name}: the first stage cannot roll back (there is nothing before it to roll back to)`,
    );
  if (rolls && plan.executionMode === "PARALLEL")
    problems.push(
      `${stage.name}: stage rollback needs execution mode SUPERSEDED or QUEUED (got PARALLEL)`,
    );
  return problems;
}

/**
 * What AWS would refuse in a plan (or what would make it fail at run time), one line each; empty when the plan is sound.
 * Stages and artifacts flow in order: an action sees artifacts and variables of earlier stages and of lower run orders.
 */
export function planProblems(plan: StagePlan): string[] {
  const problems: string[] = [];
  if (plan.stages.length < 2)
    problems.push(`a pipeline needs at least two stages (got ${plan.stages.length})`);
  for (const name of duplicates(plan.stages.map((s) => s.name)))
    problems.push(`stage name ${name} is used twice`);
  const outputs = plan.stages.flatMap((s) => s.actions.flatMap((a) => a.outputArtifacts));
  for (const name of duplicates(outputs))
    problems.push(`output artifact ${name} is produced twice`);
  const namespaces = plan.stages.flatMap((s) =>
    s.actions.flatMap((a) => (a.namespace ? [a.namespace] : [])),
  );
  for (const name of duplicates(namespaces)) problems.push(`namespace ${name} is declared twice`);

  const produced = new Set<string>();
  const declared = new Set<string>();
  let declaredBefore: ReadonlySet<string> = new Set<string>();
  plan.stages.forEach((stage, index) => {
    if (!stageOrActionName.test(stage.name))
      problems.push(`stage name "${stage.name}" must be 1 to 100 of A-Z a-z 0-9 . @ - _`);
    if (stage.actions.length === 0) problems.push(`stage ${stage.name} has no action`);
    for (const name of duplicates(stage.actions.map((a) => a.name)))
      problems.push(`stage ${stage.name}: action name ${name} is used twice`);
    const sources = stage.actions.filter((a) => a.category === "Source");
    if (index === 0 && sources.length !== stage.actions.length)
      problems.push(`the first stage (${stage.name}) may hold only source actions`);
    if (index > 0 && sources.length > 0)
      problems.push(
        `stage ${stage.name} holds source actions (${sources.map((a) => a.name).join(", ")}); only the first stage may`,
      );

    const runOrders = [...new Set(stage.actions.map((a) => a.runOrder))].sort((a, b) => a - b);
    for (const runOrder of runOrders) {
      const batch = stage.actions.filter((a) => a.runOrder === runOrder);
      for (const a of batch) {
        const where = `${stage.name}/${a.name}`;
        if (!stageOrActionName.test(a.name))
          problems.push(`${where}: action name must be 1 to 100 of A-Z a-z 0-9 . @ - _`);
        for (const artifact of [...a.inputArtifacts, ...a.outputArtifacts].filter(
          (n) => !artifactName.test(n),
        ))
          problems.push(
            `${where}: artifact name "${artifact}" must be 1 to 100 of A-Z a-z 0-9 - _`,
          );
        for (const input of a.inputArtifacts.filter((n) => !produced.has(n)))
          problems.push(`${where}: input artifact ${input} is not produced by an earlier action`);
        if (a.namespace !== undefined && !namespaceName.test(a.namespace))
          problems.push(
            `${where}: namespace "${a.namespace}" must be 1 to 100 of A-Z a-z 0-9 @ - _`,
          );
        problems.push(
          ...actionTypeProblems(where, a),
          ...variableProblems(where, a.configuration, declared),
        );
      }
      // Actions of one run order run side by side: they see only what earlier run orders made.
      for (const a of batch) {
        a.outputArtifacts.forEach((n) => produced.add(n));
        if (a.namespace) declared.add(a.namespace);
      }
    }
    // Entry rules run before the stage's own actions: they see only what earlier stages declared.
    if (stage.beforeEntry)
      problems.push(...conditionProblems(stage, "beforeEntry", stage.beforeEntry, declaredBefore));
    problems.push(
      ...stageConditionProblems(plan, { ...stage, beforeEntry: undefined }, index, declared),
    );
    declaredBefore = new Set(declared);
  });

  const sourceActions = plan.stages[0]?.actions ?? [];
  for (const trigger of plan.triggers) {
    const target = sourceActions.find((a) => a.name === trigger.sourceActionName);
    if (!target || target.provider !== trigger.providerType)
      problems.push(
        `trigger names source action ${trigger.sourceActionName}, which is not a ${trigger.providerType} action of the first stage`,
      );
    if (trigger.branches.length === 0)
      problems.push(`trigger on ${trigger.sourceActionName} filters on no branch`);
  }
  return problems;
}

/** Throws when the plan breaks a rule AWS enforces, listing every problem. */
export function assertSoundPlan(plan: StagePlan): void {
  const problems = planProblems(plan);
  if (problems.length > 0)
    throw new Error(
      `the pipeline plan for ${plan.pipelineName} is not one AWS accepts:\n  - ${problems.join("\n  - ")}`,
    );
}
