/** A stage condition as the diagram shows it: its rules, and the result when one of them fails. */
export interface MermaidCondition {
  readonly result: string;
  readonly rules: ReadonlyArray<{ readonly name: string; readonly provider: string }>;
}

/** What a Mermaid diagram of a pipeline needs: a stage plan, or the stages of a captured `aws:codepipeline/pipeline:Pipeline`. */
export interface MermaidStage {
  readonly beforeEntry?: MermaidCondition;
  readonly onSuccess?: MermaidCondition;
  readonly onFailure?: { readonly result: string };
  readonly name: string;
  readonly actions: ReadonlyArray<{
    readonly name: string;
    readonly provider: string;
    readonly runOrder?: number;
    readonly inputArtifacts?: readonly string[];
    readonly outputArtifacts?: readonly string[];
  }>;
}

const id = (...parts: string[]) => parts.join("_").replace(/[^A-Za-z0-9_]/g, "_");
const describe = (when: string, c: MermaidCondition) =>
  `${when}: ${c.rules.map((r) => `${r.name} (${r.provider})`).join(", ")}, else ${c.result}`;

/**
 * The pipeline as a Mermaid flowchart: one box per stage holding its actions (in run order) and its conditions
 * (hexagons), solid arrows for the stage order, dotted arrows labelled with the artifacts that flow from one action to
 * another, and a rollback edge from each stage that rolls back.
 */
export function pipelineMermaid(stages: readonly MermaidStage[]): string {
  const lines = ["flowchart LR"];
  const producers = new Map<string, string>();
  const flows: string[] = [];
  for (const stage of stages) {
    lines.push(`  subgraph ${id(stage.name)}["${stage.name}"]`);
    const actions = [...stage.actions].sort((a, b) => (a.runOrder ?? 1) - (b.runOrder ?? 1));
    for (const action of actions) {
      const node = id(stage.name, action.name);
      lines.push(`    ${node}["${action.name}<br/>${action.provider}"]`);
      for (const input of action.inputArtifacts ?? []) {
        const from = producers.get(input);
        if (from) flows.push(`  ${from} -. ${input} .-> ${node}`);
      }
      for (const output of action.outputArtifacts ?? []) producers.set(output, node);
    }
    if (stage.beforeEntry)
      lines.push(
        `    ${id(stage.name, "beforeEntry")}{{"${describe("before entry", stage.beforeEntry)}"}}`,
      );
    if (stage.onSuccess)
      lines.push(
        `    ${id(stage.name, "onSuccess")}{{"${describe("on success", stage.onSuccess)}"}}`,
      );
    lines.push("  end");
    const rollbacks = [
      stage.onFailure?.result === "ROLLBACK" && "on failure",
      stage.onSuccess?.result === "ROLLBACK" && "on alarm",
    ].filter(Boolean);
    if (rollbacks.length > 0) {
      const target = id(stage.name, "rollback");
      lines.push(`  ${target}(["${stage.name} again with the last successful run's artifacts"])`);
      flows.push(`  ${id(stage.name)} -. rollback ${rollbacks.join(" or ")} .-> ${target}`);
    }
  }
  if (stages.length > 1) lines.push(`  ${stages.map((s) => id(s.name)).join(" --> ")}`);
  return `${[...lines, ...flows].join("\n")}\n`;
}
