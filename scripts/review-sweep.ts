/**
 * The scheduled sweeper of review stacks: tears down those whose pull request is closed or whose last deploy is
 * older than the TTL, and retries teardowns that left resources. Reports what it removed and what it could not,
 * and exits non-zero when anything could not be removed.
 *
 *   npm run review:sweep -- --base-stack dev --repository acme/cupping --ttl-hours 72
 */
import { parseArgs } from "node:util";
import { IssueComments } from "./github/issue-comments";
import { parseRepository } from "./github/pull-request";
import { taggedReviewStacks } from "./review/leftovers";
import {
  defaultContext,
  reviewOf,
  teardownSteps,
  type ReviewContext,
} from "./review/review-context";
import { describeSweep, sweepDecisions, type SweepDecision } from "./review/sweep";
import { tearDown, type TeardownReport } from "./review/teardown";
import { runCommand, type CommandResult } from "./review/run-command";

export const usage = `Usage: review-sweep --base-stack <stack> --repository <owner/name> --ttl-hours <hours>

  --base-stack <stack>       the stack the review stacks copy (required)
  --repository <owner/name>  the repository whose pull requests the review stacks run (required)
  --ttl-hours <hours>        hours after its last deploy at which a review stack goes (required, from 1)

Environment: GITHUB_TOKEN, GITHUB_API_URL (default https://api.github.com), AWS_REGION, AWS credentials, pulumi login.`;

function parseTtl(value: string | undefined): number {
  const hours = value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!(hours >= 1))
    throw new Error(
      `--ttl-hours must be a whole number of hours from 1 (0 would remove every review stack at once), got ${JSON.stringify(value)}`,
    );
  return hours;
}

export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  context?: ReviewContext,
  now = Date.now(),
): Promise<CommandResult> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      "base-stack": { type: "string" },
      repository: { type: "string" },
      "ttl-hours": { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return { exitCode: 0, text: usage };
  if (!values["base-stack"])
    throw new Error("--base-stack <stack> is required: the stack the review stacks copy");
  if (!values.repository)
    throw new Error(
      "--repository <owner/name> is required: whose pull requests the review stacks run",
    );
  const ttlHours = parseTtl(values["ttl-hours"]);
  if (!env.GITHUB_TOKEN)
    throw new Error(
      "GITHUB_TOKEN is not set: the sweeper asks GitHub which pull requests are closed",
    );
  const github = new IssueComments({
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    token: env.GITHUB_TOKEN,
    repository: parseRepository(values.repository, "--repository"),
  });
  const ctx = context ?? defaultContext(env);
  const baseStack = values["base-stack"];

  const decisions = await sweepDecisions({
    stacks: await ctx.pulumi.stacks(),
    taggedStacks: await taggedReviewStacks(ctx.tagging),
    isOpen: async (pullRequest) => (await github.pullRequestState(pullRequest)) === "open",
    now,
    // The cap does not matter to a sweep: it only removes.
    limits: { ttlHours, maxStacks: Number.MAX_SAFE_INTEGER },
  });
  const results: Array<{ decision: SweepDecision; report?: TeardownReport; error?: string }> = [];
  for (const decision of decisions) {
    try {
      const review = reviewOf(ctx, decision.pullRequest, baseStack);
      results.push({ decision, report: await tearDown(review, teardownSteps(ctx, baseStack)) });
    } catch (error) {
      results.push({ decision, error: (error as Error).message });
    }
  }
  const failed = results.some(
    (r) => !r.report || r.report.failures.length > 0 || r.report.leftovers.length > 0,
  );
  return { exitCode: failed ? 1 : 0, text: describeSweep(results) };
}

if (require.main === module) runCommand("review-sweep", (argv, env) => main(argv, env));
