/**
 * Posts a stack's `pulumi preview` output as a pull-request comment, and on later runs updates that same comment.
 * The CodeBuild pull-request preview project runs it after the preview:
 *
 *   npm run -s preview:comment -- --stack dev --file preview.txt
 *
 * GITHUB_TOKEN: a token that may comment on the repository's pull requests (required).
 * PULUMI_CONFIG_PASSPHRASE: decrypts the stack file's secrets, which are removed from the comment with the passphrase,
 * the tokens of the environment and anything shaped like a credential.
 * GITHUB_API_URL: the REST API root (default https://api.github.com; GitHub Enterprise: https://<host>/api/v3).
 * The repository, pull request, outcome and commit come from CodeBuild's variables unless flags give them.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { IssueComments, type IssueComment } from "./github/issue-comments";
import {
  previewMarker,
  renderPreviewComment,
  type PreviewStatus,
} from "./github/preview-comment-body";
import { resolveCommentTarget } from "./github/pull-request";
import { readStackFacts } from "./github/stack-facts-file";
import { stackScrubber } from "./github/stack-secrets";

export { GitHubApiError, IssueComments } from "./github/issue-comments";
export { cleanOutput, previewMarker, renderPreviewComment } from "./github/preview-comment-body";
export { pullRequestFromWebhookTrigger, resolveCommentTarget } from "./github/pull-request";

export const usage = `Usage: preview-comment --stack <stack> [--file <preview output>] [options]

Posts the preview output (from --file, or standard input) as a comment on the pull request, or updates the comment
an earlier run posted for the same stack.

  --stack <stack>          stack the preview ran on (required)
  --file <path>            file holding the preview output; default: standard input
  --repository <owner/name>  default: GITHUB_REPOSITORY, or CodeBuild's CODEBUILD_SOURCE_REPO_URL
  --pull-request <number>  default: from CODEBUILD_WEBHOOK_TRIGGER (pr/<number>)
  --status <succeeded|failed>  default: from CODEBUILD_BUILD_SUCCEEDING (1 or 0)
  --commit <sha>           default: CODEBUILD_RESOLVED_SOURCE_VERSION
  --facts <path>           JSON with the plan summary, policy results, cost, destructive migrations and review URL
  --help                   show this help

Environment: GITHUB_TOKEN (required), GITHUB_API_URL (default https://api.github.com).`;

/** What happened to the comment. */
export interface PostedComment {
  readonly action: "created" | "updated";
  readonly comment: IssueComment;
}

/** Updates the pull request's comment for this stack (the one that starts with its marker), or creates one. */
export async function postPreviewComment(
  comments: IssueComments,
  pullRequest: number,
  stack: string,
  body: string,
): Promise<PostedComment> {
  const marker = previewMarker(stack);
  const earlier = (await comments.list(pullRequest)).find((comment) =>
    comment.body?.startsWith(marker),
  );
  if (earlier) return { action: "updated", comment: await comments.update(earlier.id, body) };
  return { action: "created", comment: await comments.create(pullRequest, body) };
}

function parseStatus(
  flag: string | undefined,
  succeeding: string | undefined,
): PreviewStatus | undefined {
  if (flag !== undefined) {
    if (flag === "succeeded" || flag === "failed") return flag;
    throw new Error(`--status must be succeeded or failed, got ${JSON.stringify(flag)}`);
  }
  if (succeeding === "1") return "succeeded";
  if (succeeding === "0") return "failed";
  return undefined;
}

/** Standard input, or what the preview output can be read from in tests. */
export type InputStream = AsyncIterable<string | Buffer> & { readonly isTTY?: boolean };

async function readOutput(file: string | undefined, stdin: InputStream): Promise<string> {
  if (file !== undefined && file !== "-") {
    try {
      return await readFile(file, "utf8");
    } catch (error) {
      throw new Error(`cannot read the preview output from ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  if (stdin.isTTY)
    throw new Error(
      "no preview output: pass --file <path>, or pipe the output into standard input",
    );
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** Runs the command; returns the line to print. */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  stdin: InputStream,
): Promise<string> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      stack: { type: "string" },
      file: { type: "string" },
      repository: { type: "string" },
      "pull-request": { type: "string" },
      status: { type: "string" },
      commit: { type: "string" },
      facts: { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return usage;
  if (!values.stack) throw new Error("--stack <stack> is required: the stack the preview ran on");
  if (!env.GITHUB_TOKEN)
    throw new Error(
      "GITHUB_TOKEN is not set: export a token that may comment on the repository's pull requests",
    );

  const target = resolveCommentTarget(
    { repository: values.repository, pullRequest: values["pull-request"] },
    env,
  );
  const status = parseStatus(values.status, env.CODEBUILD_BUILD_SUCCEEDING);
  const body = renderPreviewComment({
    stack: values.stack,
    output: await readOutput(values.file, stdin),
    status,
    commit: values.commit ?? env.CODEBUILD_RESOLVED_SOURCE_VERSION,
    facts:
      values.facts === undefined
        ? undefined
        : readStackFacts(await readFile(values.facts, "utf8"), values.facts),
    scrub: stackScrubber({ stack: values.stack, env }),
  });
  const comments = new IssueComments({
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    token: env.GITHUB_TOKEN,
    repository: target.repository,
  });
  const posted = await postPreviewComment(comments, target.pullRequest, values.stack, body);
  const { owner, name } = target.repository;
  return `${posted.action === "created" ? "Posted" : "Updated"} the preview comment of stack ${values.stack} on ${owner}/${name}#${target.pullRequest}: ${posted.comment.html_url}`;
}

if (require.main === module) {
  main(process.argv.slice(2), process.env, process.stdin).then(
    (line) => console.log(line),
    (error: unknown) => {
      console.error(`preview-comment: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
