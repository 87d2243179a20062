import type { MermaidCondition } from "../../components/pipeline/mermaid";
import type { OfflinePlan, PlanNode, PlanStage } from "./model";

const conditionText = (c: MermaidCondition) =>
  `${c.rules.map((r) => `${r.name} (${r.provider})`).join(", ")}, else ${c.result}`;

/** A stage's conditions, one line each: what is checked when, and what happens when a check fails. */
function conditionLines(stage: PlanStage): string[] {
  return [
    stage.beforeEntry && `       before entry: ${conditionText(stage.beforeEntry)}`,
    stage.onSuccess && `       on success: ${conditionText(stage.onSuccess)}`,
    stage.onFailure && `       on failure: ${stage.onFailure.result}`,
  ].filter((line): line is string => Boolean(line));
}

const settingsText = (node: PlanNode) =>
  node.settings
    ? `  ${Object.entries(node.settings)
        .map(([name, value]) => `${name}=${value}`)
        .join(" ")}`
    : "";

function treeLines(nodes: readonly PlanNode[], indent: string): string[] {
  return nodes.flatMap((node, i) => {
    const last = i === nodes.length - 1;
    return [
      `${indent}${last ? "└─ " : "├─ "}${node.name}  (${node.type})${settingsText(node)}`,
      ...treeLines(node.children, indent + (last ? "   " : "│  ")),
    ];
  });
}

/** Who deploys, the boundary, and every role's path: what only an administrator changes is marked. */
function trustLines(trust: OfflinePlan["trust"]): string[] {
  const adminPath = trust.boundary?.replace(/[^/]*$/, "");
  return [
    `Deployer: ${trust.deployer} (pipelines:deployer; the other path cannot deploy this stack)`,
    `Permissions boundary: ${trust.boundary ?? "(none)"}${trust.boundary ? " (changed only by an administrator)" : ""}`,
    "Roles (path, boundary):",
    ...trust.roles.map(
      (r) =>
        `  ${r.path}${r.name}  ${r.bounded ? "bounded" : "NO BOUNDARY"}${r.path === adminPath ? "  (admin-held: changed only by an administrator)" : ""}`,
    ),
  ];
}

/** The plan as text for a terminal. */
export function renderText(plan: OfflinePlan): string {
  const stageLines =
    plan.stages.length === 0
      ? ["  (no pipeline in this stack)"]
      : plan.stages.flatMap((stage, i) => [
          `  ${i + 1}. ${stage.name}`,
          ...stage.actions.map(
            (a) => `       ${a.runOrder}. ${a.name}: ${a.category} by ${a.provider}`,
          ),
          ...conditionLines(stage),
        ]);
  return [
    plan.note,
    "",
    ...plan.warnings.flatMap((warning) => [`WARNING: ${warning}`, ""]),
    `Stack '${plan.stack}' would create ${plan.resourceCount} resources:`,
    ...treeLines(plan.resources, "  "),
    "",
    "Pipeline stages, in order:",
    ...stageLines,
    "",
    "Schedules:",
    ...(plan.schedules.length
      ? plan.schedules.map((s) => `  ${s.name}: ${s.schedule}`)
      : ["  (none)"]),
    "",
    `Stack outputs: ${plan.outputs.join(", ") || "(none)"}`,
    `Secret config keys (values never shown): ${plan.secretConfigKeys.join(", ") || "(none)"}`,
    "",
    ...trustLines(plan.trust),
    "",
  ].join("\n");
}
