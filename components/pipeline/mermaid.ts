/** What a Mermaid diagram of a pipeline needs: a stage plan, or the stages of a captured `aws:codepipeline/pipeline:Pipeline`. */
export interface MermaidStage {
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

/**
 * The pipeline as a Mermaid flowchart: one box per stage holding its actions (in run order), solid arrows for the
 * stage order, dotted arrows labelled with the artifacts that flow from one action to another.
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
    lines.push("  end");
  }
  if (stages.length > 1) lines.push(`  ${stages.map((s) => id(s.name)).join(" --> ")}`);
  return `${[...lines, ...flows].join("\n")}\n`;
}
