/**
 * The offline plan: runs the program under Pulumi mocks with a stack's real config and prints what it would create.
 *
 *   npm run plan -- <stack> [--json | --mermaid | --cost] [--config-file <path>]
 *
 * Secure values are decrypted (and so checked) when PULUMI_CONFIG_PASSPHRASE is set; otherwise they are placeholders.
 */
import { existsSync, readFileSync } from "node:fs";
import { reveal, runProgram } from "../tooling/mocks/program-run";
import { costTable, estimateIdleMonthlyCost } from "./cost/estimate";
import { stackFilePath } from "../tooling/mocks/stack-config";
import { planOf } from "./plan/model";
import { pipelineMermaid } from "../components/pipeline/mermaid";
import { renderText } from "./plan/render";

const usage = "usage: npm run plan -- <stack> [--json | --mermaid | --cost] [--config-file <path>]";

/** What `npm run plan -- <args>` prints; throws with the message it prints on failure. */
export async function planCommand(args: readonly string[], passphrase = process.env.PULUMI_CONFIG_PASSPHRASE): Promise<string> {
  const fileAt = args.indexOf("--config-file");
  const configFile = fileAt >= 0 ? args[fileAt + 1] : undefined;
  if (fileAt >= 0 && !configFile) throw new Error(`${usage} (--config-file needs a path)`);
  const rest = fileAt >= 0 ? [...args.slice(0, fileAt), ...args.slice(fileAt + 2)] : args;
  const stack = rest.find((a) => !a.startsWith("--"));
  const unknown = rest.filter((a) => a.startsWith("--") && a !== "--json" && a !== "--mermaid" && a !== "--cost");
  if (!stack || unknown.length > 0) throw new Error(`${usage}${unknown.length ? ` (unknown option ${unknown.join(", ")})` : ""}`);
  const file = configFile ?? stackFilePath(stack);
  if (!existsSync(file)) throw new Error(`no stack file ${configFile ?? `Pulumi.${stack}.yaml`}`);
  const run = await runProgram(stack, { stackFileText: readFileSync(file, "utf8"), passphrase: passphrase || undefined });
  if (args.includes("--cost")) return costTable(stack, estimateIdleMonthlyCost(run.resources.map((r) => ({ ...r, inputs: reveal(r.inputs) as Record<string, unknown> }))));
  const plan = planOf(run);
  if (args.includes("--json")) return `${JSON.stringify(plan, null, 2)}\n`;
  if (args.includes("--mermaid")) return pipelineMermaid(plan.stages);
  return renderText(plan);
}

if (require.main === module) {
  planCommand(process.argv.slice(2)).then(
    (text) => {
      process.stdout.write(text);
      // Loaded SDK clients keep handles open; the plan is done once printed.
      process.exit(0);
    },
    (error: Error) => {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(1);
    },
  );
}
