/**
 * Creates or updates a pull request's review stack, smoke-tests it, and puts its URL (or why there is none) in the
 * review stack's comment on the pull request. A full cap is a comment, not a failed build.
 *
 *   npm run review:deploy -- --base-stack dev --repository acme/cupping --max-stacks 5
 */
import { parseArgs } from "node:util";
import { IssueComments } from "./github/issue-comments";
import { parseRepository, pullRequestFromWebhookTrigger } from "./github/pull-request";
import { postPreviewComment } from "./preview-comment";
import { previewMarker } from "./github/preview-comment-body";
import { deployReviewStack, reviewComment, smokeTest } from "./review/deploy";
import { defaultContext, reviewOf, type ReviewContext } from "./review/review-context";
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
  const { values } = parseArgs({
    args: [...argv],
    options: {
      "base-stack": { type: "string" },
      repository: { type: "string" },
      "max-stacks": { type: "string" },
      "pull-request": { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return { exitCode: 0, text: usage };
  if (!values["base-stack"])
    throw new Error("--base-stack <stack> is required: the stack the review stack copies");
  if (!values.repository)
    throw new Error("--repository <owner/name> is required: where the pull request is");
  const maxStacks = /^[1-9]\d*$/.test(values["max-stacks"] ?? "")
    ? Number(values["max-stacks"])
    : NaN;
  if (Number.isNaN(maxStacks))
    throw new Error(
      `--max-stacks must be a whole number from 1, got ${JSON.stringify(values["max-stacks"])}`,
    );
  const pullRequest =
    values["pull-request"] ??
    (env.CODEBUILD_WEBHOOK_TRIGGER
      ? pullRequestFromWebhookTrigger(env.CODEBUILD_WEBHOOK_TRIGGER)
      : undefined);
  if (pullRequest === undefined)
    throw new Error(
      "no pull-request number: pass --pull-request <number>, or run in a CodeBuild pull-request build",
    );
  if (!env.GITHUB_TOKEN)
    throw new Error("GITHUB_TOKEN is not set: the review build comments on the pull request");

  const ctx = context ?? defaultContext(env);
  const review = reviewOf(ctx, pullRequest, values["base-stack"]);
  const github = new IssueComments({
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    token: env.GITHUB_TOKEN,
    repository: parseRepository(values.repository, "--repository"),
  });
  const outcome = await deployReviewStack(review, {
    pulumi: ctx.pulumi,
    project: env.PULUMI_PROJECT ?? "pipelines",
    maxStacks,
    isOpen: async () => (await github.pullRequestState(review.pullRequest)) === "open",
    smokeTest: smoke,
  });
  const body = `${previewMarker(review.stack)}\n${reviewComment(review, outcome, env.CODEBUILD_RESOLVED_SOURCE_VERSION)}`;
  const posted = await postPreviewComment(github, review.pullRequest, review.stack, body);
  const summary =
    outcome.kind === "deployed"
      ? `Review stack ${review.stack} is up at ${outcome.url}`
      : outcome.kind === "failed"
        ? `Review stack ${review.stack} failed at ${outcome.step}: ${outcome.detail}`
        : `Review stack ${review.stack} not deployed (${outcome.kind})`;
  return {
    exitCode: outcome.kind === "failed" ? 1 : 0,
    text: `${summary}; comment ${posted.action}: ${posted.comment.html_url}`,
  };
}

if (require.main === module) runCommand("review-deploy", (argv, env) => main(argv, env));
