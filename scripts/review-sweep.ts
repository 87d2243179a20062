/**
 * The scheduled sweeper of review stacks: tears down those whose pull request is closed or whose last deploy is
 * older than the TTL, and retries teardowns that left resources. Reports what it removed and what it could not,
 * and exits non-zero when anything could not be removed.
 *
 *   npm run review:sweep -- --base-stack dev --repository acme/cupping --ttl-hours 72
 */
import { reviewStackPrefix } from "../components/review/review-stack-name";
import { taggedReviewStacks } from "./review/leftovers";
import {
  defaultContext,
  reviewOf,
  teardownSteps,
  type ReviewContext,
} from "./review/review-context";
import { describeSweep, sweepDecisions, type SweepDecision } from "./review/sweep";
import { tearDown, type TeardownReport } from "./review/teardown";
import { pullRequestComments, readReviewArgs, reviewScrubber } from "./review/review-args";
import { runCommand, type CommandResult } from "./review/run-command";

export const usage = `Usage: review-sweep --base-stack <stack> --repository <owner/name> --ttl-hours <hours>

  --base-stack <stack>       the stack the review stacks copy (required)
  --repository <owner/name>  the repository whose pull requests the review stacks run (required)
  --ttl-hours <hours>        hours after its last deploy at which a review stack goes (required, from 1)

Environment: GITHUB_TOKEN, GITHUB_API_URL (default https://api.github.com), AWS_REGION, AWS credentials, pulumi login.`;

export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  context?: ReviewContext,
  now = Date.now(),
): Promise<CommandResult> {
  const args = readReviewArgs(argv, env, ["repository", "ttl-hours"], ["repository", "ttl-hours"], {
    baseStack: "the stack the review stacks copy",
    repository: "whose pull requests the review stacks run",
  });
  if (!args) return { exitCode: 0, text: usage };
  const { baseStack, ttlHours } = args;
  const github = pullRequestComments(
    env,
    args.repository!,
    "the sweeper asks GitHub which pull requests are closed",
  );
  const ctx = context ?? defaultContext(env);

  const decisions = await sweepDecisions({
    stacks: await ctx.pulumi.stacks(),
    taggedStacks: await taggedReviewStacks(ctx.tagging),
    isOpen: async (pullRequest) => (await github.pullRequestState(pullRequest)) === "open",
    now,
    // The cap does not matter to a sweep: it only removes.
    limits: { ttlHours: ttlHours!, maxStacks: Number.MAX_SAFE_INTEGER },
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
  const scrub = reviewScrubber(env, ctx.projectDirectory, [
    baseStack,
    ...decisions.map((d) => `${reviewStackPrefix}${d.pullRequest}`),
  ]);
  return { exitCode: failed ? 1 : 0, text: scrub(describeSweep(results)) };
}

if (require.main === module) runCommand("review-sweep", (argv, env) => main(argv, env));
