/**
 * What the review commands (deploy, teardown, sweep) share of their start: the command line, read once (each names
 * the flags it takes, and every flag is checked the same way wherever it appears), the pull request's comments, and
 * the scrubber their output passes through.
 */
import { parseArgs } from "node:util";
import { IssueComments } from "../github/issue-comments";
import { stackScrubber } from "../github/stack-secrets";
import {
  parseRepository,
  pullRequestFromWebhookTrigger,
  type Repository,
} from "../github/pull-request";

/** The flags beyond --base-stack, each taken by some of the commands. */
export type ReviewFlag = "repository" | "pull-request" | "max-stacks" | "ttl-hours";

export interface ReviewArgs {
  /** The stack the review stacks copy. */
  readonly baseStack: string;
  readonly repository?: Repository;
  /** From --pull-request, or the CodeBuild pull-request build's CODEBUILD_WEBHOOK_TRIGGER. */
  readonly pullRequest?: number | string;
  readonly maxStacks?: number;
  readonly ttlHours?: number;
}

const options = {
  "base-stack": { type: "string" },
  repository: { type: "string" },
  "pull-request": { type: "string" },
  "max-stacks": { type: "string" },
  "ttl-hours": { type: "string" },
  help: { type: "boolean" },
} as const;

/** A whole number from 1, or a clear error naming the flag; `why` says what 0 would mean. */
function wholeFromOne(flag: string, value: string | undefined, what: string, why = ""): number {
  const number = value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!(number >= 1))
    throw new Error(`--${flag} must be ${what} from 1${why}, got ${JSON.stringify(value)}`);
  return number;
}

/**
 * Reads the review command's flags (`takes`: those it has beside --base-stack; `required`: those it cannot do
 * without); undefined for --help. `purpose` says, in the error, why --base-stack and --repository are needed.
 */
export function readReviewArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  takes: readonly ReviewFlag[],
  required: readonly ReviewFlag[],
  purpose: { readonly baseStack: string; readonly repository?: string },
): ReviewArgs | undefined {
  const allowed = Object.fromEntries(
    Object.entries(options).filter(([flag]) => ["base-stack", "help", ...takes].includes(flag)),
  );
  const { values } = parseArgs({ args: [...argv], options: allowed, strict: true }) as {
    values: Partial<Record<keyof typeof options, string | boolean>>;
  };
  if (values.help) return undefined;
  const text = (flag: keyof typeof options) => values[flag] as string | undefined;
  const baseStack = text("base-stack");
  if (!baseStack) throw new Error(`--base-stack <stack> is required: ${purpose.baseStack}`);
  const repository = text("repository");
  if (required.includes("repository") && !repository)
    throw new Error(
      `--repository <owner/name> is required: ${purpose.repository ?? "the pull request's repository"}`,
    );
  const pullRequest =
    text("pull-request") ??
    (env.CODEBUILD_WEBHOOK_TRIGGER
      ? pullRequestFromWebhookTrigger(env.CODEBUILD_WEBHOOK_TRIGGER)
      : undefined);
  if (required.includes("pull-request") && pullRequest === undefined)
    throw new Error(
      "no pull-request number: pass --pull-request <number>, or run in a CodeBuild pull-request build",
    );
  return {
    baseStack,
    repository: repository ? parseRepository(repository, "--repository") : undefined,
    pullRequest: takes.includes("pull-request") ? pullRequest : undefined,
    maxStacks: takes.includes("max-stacks")
      ? wholeFromOne("max-stacks", text("max-stacks"), "a whole number")
      : undefined,
    ttlHours: takes.includes("ttl-hours")
      ? wholeFromOne(
          "ttl-hours",
          text("ttl-hours"),
          "a whole number of hours",
          " (0 would remove every review stack at once)",
        )
      : undefined,
  };
}

/** The pull request's comments on GitHub, as GITHUB_TOKEN may write them; `why` says what the command needs them for. */
export function pullRequestComments(
  env: NodeJS.ProcessEnv,
  repository: Repository,
  why: string,
): IssueComments {
  if (!env.GITHUB_TOKEN) throw new Error(`GITHUB_TOKEN is not set: ${why}`);
  return new IssueComments({
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    token: env.GITHUB_TOKEN,
    repository,
  });
}

/**
 * What removes secrets from a review command's output before it reaches a comment or the build log: the base stack's
 * and the review stack's config secrets (the review stack's config is a copy of the base's), the passphrase, the
 * environment's tokens and anything shaped like a credential.
 */
export function reviewScrubber(
  env: NodeJS.ProcessEnv,
  projectDirectory: string,
  stacks: readonly string[],
): (text: string) => string {
  const scrubbers = stacks.map((stack) => stackScrubber({ stack, env, root: projectDirectory }));
  return (text) => scrubbers.reduce((scrubbed, scrub) => scrub(scrubbed), text);
}
