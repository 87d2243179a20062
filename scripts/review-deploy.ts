/**
 * Creates or updates a pull request's review stack, smoke-tests it, and puts its URL (or why there is none) in the
 * review stack's comment on the pull request. A full cap is a comment, not a failed build.
 *
 *   npm run review:deploy -- --base-stack dev --repository acme/cupping --max-stacks 5
 */
import { postPreviewComment } from "./preview-comment";
import { previewMarker } from "./github/preview-comment-body";
import { deployReviewStack, reviewComment, smokeTest } from "./review/deploy";
import { defaultContext, reviewOf, type ReviewContext } from "./review/review-context";
import { pullRequestComments, readReviewArgs, reviewScrubber } from "./review/review-args";
import { migrateReviewDatabase } from "./review/review-database";
import { runCommand, type CommandResult } from "./review/run-command";

export const usage = `Usage: review-deploy --base-stack <stack> --repository <owner/name> --max-stacks <n> [--pull-request <number>]

  --base-stack <stack>       the stack the review stack copies (required)
  --repository <owner/name>  the repository of the pull request (required)
  --max-stacks <n>           review stacks that may exist at once (required, from 1)
  --pull-request <number>    default: from CODEBUILD_WEBHOOK_TRIGGER (pr/<number>)

Environment: GITHUB_TOKEN, GITHUB_API_URL (default https://api.github.com), AWS_REGION, AWS credentials, pulumi login.`;

export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  context?: ReviewContext,
  smoke = smokeTest,
): Promise<CommandResult> {
  const args = readReviewArgs(
    argv,
    env,
    ["repository", "max-stacks", "pull-request"],
    ["repository", "max-stacks", "pull-request"],
    {
      baseStack: "the stack the review stack copies",
      repository: "where the pull request is",
    },
  );
  if (!args) return { exitCode: 0, text: usage };
  const github = pullRequestComments(
    env,
    args.repository!,
    "the review build comments on the pull request",
  );
  const ctx = context ?? defaultContext(env);
  const review = reviewOf(ctx, args.pullRequest!, args.baseStack);
  const scrub = reviewScrubber(env, ctx.projectDirectory, [review.baseStack, review.stack]);
  const outcome = await deployReviewStack(review, {
    pulumi: ctx.pulumi,
    project: env.PULUMI_PROJECT ?? "pipelines",
    maxStacks: args.maxStacks!,
    isOpen: async () => (await github.pullRequestState(review.pullRequest)) === "open",
    migrate: (functionName) => migrateReviewDatabase(ctx.lambda, functionName, review),
    smokeTest: smoke,
  });
  // A failed step's output can hold what the stack's config or the build's environment holds.
  const body = `${previewMarker(review.stack)}\n${scrub(reviewComment(review, outcome, env.CODEBUILD_RESOLVED_SOURCE_VERSION))}`;
  const posted = await postPreviewComment(github, review.pullRequest, review.stack, body);
  const summary =
    outcome.kind === "deployed"
      ? `Review stack ${review.stack} is up at ${outcome.url}`
      : outcome.kind === "failed"
        ? `Review stack ${review.stack} failed at ${outcome.step}: ${outcome.detail}`
        : `Review stack ${review.stack} not deployed (${outcome.kind})`;
  return {
    exitCode: outcome.kind === "failed" ? 1 : 0,
    text: scrub(`${summary}; comment ${posted.action}: ${posted.comment.html_url}`),
  };
}

if (require.main === module) runCommand("review-deploy", (argv, env) => main(argv, env));
