/**
 * Tears a pull request's review stack down and proves nothing is left; exits non-zero, listing what remains, when
 * anything is. The review teardown build runs it from the default branch's checkout, never the pull request's:
 *
 *   npm run review:teardown -- --pull-request 12 --base-stack dev --repository acme/cupping
 */
import { previewMarker } from "./github/preview-comment-body";
import { postPreviewComment } from "./preview-comment";
import {
  defaultContext,
  reviewOf,
  teardownSteps,
  type ReviewContext,
} from "./review/review-context";
import { pullRequestComments, readReviewArgs, reviewScrubber } from "./review/review-args";
import { runCommand, type CommandResult } from "./review/run-command";
import { describeTeardown, isClean, tearDown } from "./review/teardown";

export const usage = `Usage: review-teardown --base-stack <stack> [--pull-request <number>] [--repository <owner/name>]

Destroys the review stack pr-<number> (with this checkout's program), drops its database and role on the base
stack's instance, removes the stack, and checks the Resource Groups Tagging API for anything still tagged with it.

  --base-stack <stack>     the stack the review stack copies (required)
  --pull-request <number>  default: from CODEBUILD_WEBHOOK_TRIGGER (pr/<number>)
  --repository <owner/name>  the pull request's repository: the report replaces the review stack's comment there

Environment: AWS_REGION, AWS credentials, what pulumi login needs; GITHUB_TOKEN with --repository. The report is
scrubbed of the stacks' secrets and the environment's tokens.`;

export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  context?: ReviewContext,
): Promise<CommandResult> {
  const args = readReviewArgs(argv, env, ["pull-request", "repository"], ["pull-request"], {
    baseStack: "the stack the review stack copies",
  });
  if (!args) return { exitCode: 0, text: usage };
  const github =
    args.repository &&
    pullRequestComments(env, args.repository, "the teardown reports on the pull request");
  const ctx = context ?? defaultContext(env);
  const review = reviewOf(ctx, args.pullRequest!, args.baseStack);
  // A failed step's output can hold what the stack's config or the build's environment holds.
  const scrub = reviewScrubber(env, ctx.projectDirectory, [review.baseStack, review.stack]);
  const report = await tearDown(review, teardownSteps(ctx, review.baseStack));
  const text = scrub(describeTeardown(report));
  if (github)
    await postPreviewComment(
      github,
      review.pullRequest,
      review.stack,
      `${previewMarker(review.stack)}\n${teardownComment(text, isClean(report))}`,
    );
  return { exitCode: isClean(report) ? 0 : 1, text };
}

/** The review stack's comment once the pull request has closed: gone, or what is left and why. */
export const teardownComment = (report: string, clean: boolean) =>
  `### ${clean ? "🧹" : "⚠️"} ${report.split("\n")[0]}\n\n${report.split("\n").slice(1).join("\n")}`;

if (require.main === module) runCommand("review-teardown", (argv, env) => main(argv, env));
