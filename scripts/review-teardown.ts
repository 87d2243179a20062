/**
 * Tears a pull request's review stack down and proves nothing is left; exits non-zero, listing what remains, when
 * anything is. The review teardown build runs it from the default branch's checkout, never the pull request's:
 *
 *   npm run review:teardown -- --pull-request 12 --base-stack dev
 */
import { parseArgs } from "node:util";
import { pullRequestFromWebhookTrigger } from "./github/pull-request";
import {
  defaultContext,
  reviewOf,
  teardownSteps,
  type ReviewContext,
} from "./review/review-context";
import { runCommand, type CommandResult } from "./review/run-command";
import { describeTeardown, isClean, tearDown } from "./review/teardown";

export const usage = `Usage: review-teardown --base-stack <stack> [--pull-request <number>]

Destroys the review stack pr-<number> (with this checkout's program), drops its database and role on the base
stack's instance, removes the stack, and checks the Resource Groups Tagging API for anything still tagged with it.

  --base-stack <stack>     the stack the review stack copies (required)
  --pull-request <number>  default: from CODEBUILD_WEBHOOK_TRIGGER (pr/<number>)

Environment: AWS_REGION, AWS credentials, and what pulumi login needs.`;

export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  context?: ReviewContext,
): Promise<CommandResult> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      "base-stack": { type: "string" },
      "pull-request": { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return { exitCode: 0, text: usage };
  if (!values["base-stack"])
    throw new Error("--base-stack <stack> is required: the stack the review stack copies");
  const pullRequest =
    values["pull-request"] ??
    (env.CODEBUILD_WEBHOOK_TRIGGER
      ? pullRequestFromWebhookTrigger(env.CODEBUILD_WEBHOOK_TRIGGER)
      : undefined);
  if (pullRequest === undefined)
    throw new Error(
      "no pull-request number: pass --pull-request <number>, or run in a CodeBuild pull-request build",
    );
  const ctx = context ?? defaultContext(env);
  const review = reviewOf(ctx, pullRequest, values["base-stack"]);
  const report = await tearDown(review, teardownSteps(ctx, review.baseStack));
  return { exitCode: isClean(report) ? 0 : 1, text: describeTeardown(report) };
}

if (require.main === module) runCommand("review-teardown", (argv, env) => main(argv, env));
