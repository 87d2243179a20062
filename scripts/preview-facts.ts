/**
 * Gathers what a stack's pull-request comment shows above the preview output, as the `--facts` file of
 * preview-comment.ts: the plan of `pulumi preview --json` as the release plan summarises it (counts, RISK, changes),
 * the idle monthly cost of the stack on the base branch's checkout and on the pull request's (`npm run plan -- <stack>
 * --cost --json` in each), and the destructive migrations the pull request adds.
 *
 *   npm run -s preview:facts -- --stack dev --base-dir "$HOME/base" --out facts.json
 *
 * PULUMI_CONFIG_PASSPHRASE (or PULUMI_ACCESS_TOKEN) as for `pulumi preview`; the cost runs see it too.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import * as path from "node:path";
import { parseArgs, promisify } from "node:util";
import { readPreviewDigest } from "../components/pipeline/release/preview-digest";
import { summarise } from "../components/pipeline/release/summary";
import {
  listDestructiveMigrations,
  type DestructiveStatement,
} from "../lambdas/cupping/destructive-migrations";
import type { CostEstimate } from "./cost/estimate";
import {
  costFactsOf,
  type CostFacts,
  type MigrationFacts,
  type PlanFacts,
  type StackFacts,
} from "./github/comment-sections";
import { PulumiCli } from "./review/pulumi-cli";
import { runCommand, type CommandResult } from "./review/run-command";

const run = promisify(execFile);

export const usage = `Usage: preview-facts --stack <stack> --base-dir <base branch checkout> [--head-dir <dir>] --out <file>

  --stack <stack>     the stack previewed (required)
  --base-dir <dir>    a checkout of the pull request's base commit, with its dependencies installed (required)
  --head-dir <dir>    the pull request's checkout; default: the current directory
  --out <file>        where the facts JSON goes (required)`;

/** The plan of `pulumi preview --json` on the stack, summarised by the release plan. */
export async function planFacts(pulumi: PulumiCli, stack: string): Promise<PlanFacts> {
  const result = await pulumi.run(["preview", "--stack", stack, "--json", "--non-interactive"]);
  if (result.status !== 0 && !result.stdout.trim())
    throw new Error(
      `pulumi preview --json failed (exit ${result.status}): ${result.stderr.trim() || "no output"}`,
    );
  const summary = summarise(readPreviewDigest(result.stdout, "pulumi preview --json"));
  return {
    counts: summary.counts,
    risk: summary.risk,
    changes: summary.changes.map(({ urn, type, kind }) => ({ urn, type, kind })),
  };
}

/** The estimator's idle monthly cost of the stack's program in a checkout; 0 where the stack has no file (a new stack). */
export async function idleMonthlyCost(
  checkout: string,
  stack: string,
  env: NodeJS.ProcessEnv,
): Promise<{ totalMonthlyUsd: number }> {
  if (!existsSync(path.join(checkout, `Pulumi.${stack}.yaml`))) return { totalMonthlyUsd: 0 };
  try {
    const { stdout } = await run("npm", ["run", "-s", "plan", "--", stack, "--cost", "--json"], {
      cwd: checkout,
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(stdout) as CostEstimate;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(
      `npm run plan -- ${stack} --cost --json failed in ${checkout}: ${stderr || (error as Error).message}`,
      { cause: error },
    );
  }
}

/** The base and the pull request's idle monthly cost of the stack, estimated side by side. */
export async function costDelta(
  baseDir: string,
  headDir: string,
  stack: string,
  env: NodeJS.ProcessEnv,
): Promise<CostFacts> {
  const [base, head] = await Promise.all([
    idleMonthlyCost(baseDir, stack, env),
    idleMonthlyCost(headDir, stack, env),
  ]);
  return costFactsOf(base, head);
}

const migrationsOf = (checkout: string): DestructiveStatement[] => {
  const directory = path.join(checkout, "lambdas", "cupping", "migrations");
  return existsSync(directory) ? listDestructiveMigrations(directory) : [];
};

/** Destructive statements in the pull request's migrations that the base's do not have. */
export function addedDestructiveMigrations(baseDir: string, headDir: string): MigrationFacts[] {
  const key = (m: DestructiveStatement) => `${m.file}\n${m.statement}`;
  const known = new Set(migrationsOf(baseDir).map(key));
  return migrationsOf(headDir)
    .filter((m) => !known.has(key(m)))
    .map((m) => ({
      file: `${m.file}:${m.line}`,
      reason: `${m.kind}: ${m.reason ?? "no `-- destructive:` reason given"}`,
    }));
}

/** Every fact of the stack's comment that the preview build knows. */
export async function gatherFacts(p: {
  readonly stack: string;
  readonly baseDir: string;
  readonly headDir: string;
  readonly pulumi: PulumiCli;
  readonly env: NodeJS.ProcessEnv;
}): Promise<StackFacts> {
  const plan = await planFacts(p.pulumi, p.stack);
  const cost = await costDelta(p.baseDir, p.headDir, p.stack, p.env);
  return { plan, cost, destructiveMigrations: addedDestructiveMigrations(p.baseDir, p.headDir) };
}

export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  pulumi = new PulumiCli(),
): Promise<CommandResult> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      stack: { type: "string" },
      "base-dir": { type: "string" },
      "head-dir": { type: "string" },
      out: { type: "string" },
    },
    strict: true,
  });
  const missing = (["stack", "base-dir", "out"] as const).filter((key) => !values[key]);
  if (missing.length > 0)
    throw new Error(`${missing.map((key) => `--${key}`).join(", ")} required\n${usage}`);
  const baseDir = values["base-dir"]!;
  if (!existsSync(baseDir)) throw new Error(`--base-dir ${baseDir}: no such directory`);
  const facts = await gatherFacts({
    stack: values.stack!,
    baseDir,
    headDir: values["head-dir"] ?? process.cwd(),
    pulumi,
    env,
  });
  await writeFile(values.out!, `${JSON.stringify(facts, null, 2)}\n`);
  return { exitCode: 0, text: `Wrote the facts of stack ${values.stack} to ${values.out}` };
}

if (require.main === module) runCommand("preview-facts", main);
