/**
 * The offline plan: runs the program under Pulumi mocks with a stack's real config and prints what it would create.
 *
 *   npm run plan -- <stack> [--json | --mermaid | --cost] [--config-file <path>] [--out <file>]
 *
 * `--out` writes the output to a file; `npm run -s` keeps npm's own lines out of standard output (for `--json | jq`).
 * `--cost --json` prints the cost estimate as JSON, for comparing two commits' programs (the pull-request comment).
 * Secure values are decrypted (and so checked) when PULUMI_CONFIG_PASSPHRASE is set; otherwise they are placeholders.
 * `npm run plan` runs it with `--no-turbofan`: a process of one program run ends before V8's optimizing compiler pays
 * for itself, and it took a quarter of the CPU (1.35 s against 1.0, the same wall time).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { reveal, runProgram } from "../tooling/mocks/program-run";
import { costTable, estimateIdleMonthlyCost } from "./cost/estimate";
import { stackFilePath } from "../tooling/mocks/stack-config";
import { planOf } from "./plan/model";
import { pipelineMermaid } from "../components/pipeline/mermaid";
import { renderText } from "./plan/render";

const usage =
  "usage: npm run plan -- <stack> [--json | --mermaid | --cost] [--config-file <path>] [--out <file>]";

const options = {
  json: { type: "boolean" },
  mermaid: { type: "boolean" },
  cost: { type: "boolean" },
  "config-file": { type: "string" },
  out: { type: "string" },
} as const;

function parse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true });
  } catch (error) {
    // Node says e.g. "Unknown option '--yaml'" or "Option '--out <value>' argument missing".
    throw new Error(
      `${usage} (${(error as Error).message.split(".")[0].replace(/^Unknown option '(.*)'$/, "unknown option $1")})`,
      { cause: error },
    );
  }
}

/** What `npm run plan -- <args>` prints; throws with the message it prints on failure. `run` runs the program. */
export async function planCommand(
  args: readonly string[],
  passphrase = process.env.PULUMI_CONFIG_PASSPHRASE,
  run: typeof runProgram = runProgram,
): Promise<string> {
  const { values, positionals } = parse(args);
  const [stack, ...extra] = positionals;
  if (!stack || extra.length > 0)
    throw new Error(`${usage}${extra.length ? ` (one stack, not ${positionals.join(", ")})` : ""}`);
  const configFile = values["config-file"];
  const file = configFile ?? stackFilePath(stack);
  if (!existsSync(file)) throw new Error(`no stack file ${configFile ?? `Pulumi.${stack}.yaml`}`);
  const programRun = await run(stack, {
    stackFileText: readFileSync(file, "utf8"),
    stackFileName: configFile,
    passphrase: passphrase || undefined,
  });
  if (values.cost) {
    const estimate = estimateIdleMonthlyCost(
      programRun.resources.map((r) => ({
        ...r,
        inputs: reveal(r.inputs) as Record<string, unknown>,
      })),
    );
    return values.json ? `${JSON.stringify(estimate, null, 2)}\n` : costTable(stack, estimate);
  }
  const plan = planOf(programRun);
  if (values.json) return `${JSON.stringify(plan, null, 2)}\n`;
  if (values.mermaid) return pipelineMermaid(plan.stages);
  return renderText(plan);
}

/** Where the command writes; the process's streams, or a test's. */
export interface CommandOutput {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** `npm run plan` itself: prints the plan (or writes it to `--out`) and returns the exit status. */
export async function main(
  args: readonly string[],
  output: CommandOutput = process,
  passphrase = process.env.PULUMI_CONFIG_PASSPHRASE,
  run: typeof runProgram = runProgram,
): Promise<number> {
  try {
    const text = await planCommand(args, passphrase, run);
    const out = parse(args).values.out;
    if (out === undefined) output.stdout.write(text);
    else {
      writeFileSync(out, text);
      output.stderr.write(`wrote the plan to ${out}\n`);
    }
    return 0;
  } catch (error) {
    output.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  // Loaded SDK clients keep handles open; the plan is done once written.
  void main(process.argv.slice(2)).then((status) => process.exit(status));
}
