/** Which pull request of which repository a build is for, from flags or from what CodeBuild and GitHub Actions set. */

/** A GitHub repository as owner/name. */
export interface Repository {
  readonly owner: string;
  readonly name: string;
}

const ownerPattern = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const namePattern = /^[A-Za-z0-9._-]{1,100}$/;

/** Reads `owner/name`; `source` says where the value came from, for the error. */
export function parseRepository(value: string, source: string): Repository {
  const [owner = "", name = "", ...rest] = value.trim().split("/");
  if (
    rest.length > 0 ||
    !ownerPattern.test(owner) ||
    !namePattern.test(name) ||
    name === "." ||
    name === ".."
  ) {
    throw new Error(
      `${source} must be a GitHub repository as owner/name, e.g. acme/cupping-service; got ${JSON.stringify(value)}`,
    );
  }
  return { owner, name };
}

/** The repository of a clone URL such as CodeBuild's CODEBUILD_SOURCE_REPO_URL (https://github.com/owner/name.git). */
export function repositoryFromCloneUrl(url: string): Repository {
  const match = /^(?:https?:\/\/[^/]+\/|git@[^:]+:)([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(url.trim());
  if (!match)
    throw new Error(
      `CODEBUILD_SOURCE_REPO_URL is not a GitHub repository URL: ${JSON.stringify(url)}`,
    );
  return parseRepository(match[1], "the repository in CODEBUILD_SOURCE_REPO_URL");
}

/** Reads a pull-request number; `source` says where the value came from, for the error. */
export function parsePullRequestNumber(value: string, source: string): number {
  const number = /^[1-9]\d{0,9}$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number))
    throw new Error(
      `${source} must be a pull-request number (a whole number from 1), got ${JSON.stringify(value)}`,
    );
  return number;
}

/** The pull-request number of CodeBuild's CODEBUILD_WEBHOOK_TRIGGER, which is `pr/<number>` for pull-request builds. */
export function pullRequestFromWebhookTrigger(trigger: string): number {
  const match = /^pr\/(.*)$/.exec(trigger.trim());
  if (!match) {
    throw new Error(
      `CODEBUILD_WEBHOOK_TRIGGER is ${JSON.stringify(trigger)}, which is not a pull-request build (pr/<number>); pass --pull-request <number>`,
    );
  }
  return parsePullRequestNumber(match[1], "the number in CODEBUILD_WEBHOOK_TRIGGER");
}

/** Where a comment goes. */
export interface CommentTarget {
  readonly repository: Repository;
  readonly pullRequest: number;
}

/** Environment variables the target can come from. */
export interface TargetEnvironment {
  readonly GITHUB_REPOSITORY?: string;
  readonly CODEBUILD_SOURCE_REPO_URL?: string;
  readonly CODEBUILD_WEBHOOK_TRIGGER?: string;
}

/** Flags first, then GITHUB_REPOSITORY / CODEBUILD_SOURCE_REPO_URL and CODEBUILD_WEBHOOK_TRIGGER. */
export function resolveCommentTarget(
  flags: { repository?: string; pullRequest?: string },
  env: TargetEnvironment,
): CommentTarget {
  let repository: Repository;
  if (flags.repository !== undefined)
    repository = parseRepository(flags.repository, "--repository");
  else if (env.GITHUB_REPOSITORY)
    repository = parseRepository(env.GITHUB_REPOSITORY, "GITHUB_REPOSITORY");
  else if (env.CODEBUILD_SOURCE_REPO_URL)
    repository = repositoryFromCloneUrl(env.CODEBUILD_SOURCE_REPO_URL);
  else
    throw new Error(
      "no repository: pass --repository owner/name (or set GITHUB_REPOSITORY, or run in CodeBuild with a GitHub source)",
    );

  let pullRequest: number;
  if (flags.pullRequest !== undefined)
    pullRequest = parsePullRequestNumber(flags.pullRequest, "--pull-request");
  else if (env.CODEBUILD_WEBHOOK_TRIGGER)
    pullRequest = pullRequestFromWebhookTrigger(env.CODEBUILD_WEBHOOK_TRIGGER);
  else
    throw new Error(
      "no pull-request number: pass --pull-request <number>, or run in a CodeBuild pull-request build (CODEBUILD_WEBHOOK_TRIGGER=pr/<number>)",
    );

  return { repository, pullRequest };
}
