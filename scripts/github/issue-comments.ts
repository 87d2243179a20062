/** A small client for the comments of a GitHub issue or pull request (GitHub REST API, or GitHub Enterprise Server's). */
import type { Repository } from "./pull-request";

/** The fields of an issue comment this project reads. */
export interface IssueComment {
  readonly id: number;
  readonly body: string;
  readonly html_url: string;
}

/** GitHub answered with an error status. */
export class GitHubApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    detail: string,
  ) {
    super(`GitHub API ${method} ${path} failed with status ${status}: ${detail}${hintFor(status)}`);
    this.name = "GitHubApiError";
  }
}

function hintFor(status: number): string {
  if (status === 401) return " (is GITHUB_TOKEN a valid token?)";
  if (status === 403 || status === 404)
    return " (does the token exist for this repository and may it write pull-request comments?)";
  return "";
}

export interface IssueCommentsOptions {
  /** Root of the REST API: https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server. */
  readonly apiUrl: string;
  readonly token: string;
  readonly repository: Repository;
  /** Give up on a request after this long. */
  readonly timeoutMs?: number;
}

/** GitHub's error body: a message, and for validation failures a list of what was wrong. */
interface ErrorBody {
  readonly message?: string;
  readonly errors?: ReadonlyArray<string | { message?: string; field?: string; code?: string }>;
}

/** What an error response says, as one line. */
function describeError(text: string, statusText: string): string {
  try {
    const body = JSON.parse(text) as ErrorBody;
    const errors = (body.errors ?? []).map((e) =>
      typeof e === "string" ? e : (e.message ?? [e.field, e.code].filter(Boolean).join(" ")),
    );
    const message = [body.message, ...errors].filter((part) => part).join(": ");
    if (message) return message;
  } catch {
    // Not JSON (a proxy's HTML page, say): show the start of it.
  }
  return text.trim().slice(0, 200) || statusText || "no message";
}

/** The URL a Link header names for `rel`, if any. */
function linkFor(header: string | null, rel: string): string | undefined {
  for (const match of (header ?? "").matchAll(/<([^>]*)>\s*;\s*rel="([^"]*)"/g)) {
    if (match[2].split(/\s+/).includes(rel)) return match[1];
  }
  return undefined;
}

export class IssueComments {
  private readonly base: URL;

  constructor(private readonly options: IssueCommentsOptions) {
    let base: URL;
    try {
      base = new URL(options.apiUrl);
    } catch {
      throw new Error(
        `GITHUB_API_URL must be an http(s) URL, got ${JSON.stringify(options.apiUrl)}`,
      );
    }
    if (base.protocol !== "https:" && base.protocol !== "http:")
      throw new Error(
        `GITHUB_API_URL must be an http(s) URL, got ${JSON.stringify(options.apiUrl)}`,
      );
    if (!options.token)
      throw new Error(
        "GITHUB_TOKEN is empty: set it to a token that may comment on the repository's pull requests",
      );
    base.pathname = base.pathname.replace(/\/*$/, "/");
    this.base = base;
  }

  /** Every comment of the issue or pull request, across all pages. */
  async list(issue: number): Promise<IssueComment[]> {
    const comments: IssueComment[] = [];
    const seen = new Set<string>();
    let url: URL | undefined = this.url(`issues/${issue}/comments`);
    url.searchParams.set("per_page", "100");
    while (url) {
      // The token goes with every request: a page link to another host would hand it over, so refuse one.
      if (url.origin !== this.base.origin)
        throw new Error(
          `GitHub API pagination link points to ${url.origin}, not ${this.base.origin}: refusing to send the token there`,
        );
      if (seen.has(url.href))
        throw new Error(`GitHub API pagination links loop back to ${url.href}`);
      seen.add(url.href);
      const response = await this.request("GET", url);
      const page = (await response.json()) as IssueComment[];
      if (!Array.isArray(page))
        throw new Error(
          `GitHub API GET ${url.pathname} answered with something other than a list of comments`,
        );
      comments.push(...page);
      const next = linkFor(response.headers.get("link"), "next");
      url = next === undefined ? undefined : new URL(next, url);
    }
    return comments;
  }

  /** Adds a comment to the issue or pull request. */
  async create(issue: number, body: string): Promise<IssueComment> {
    const response = await this.request("POST", this.url(`issues/${issue}/comments`), { body });
    return (await response.json()) as IssueComment;
  }

  /** Replaces the body of one of the repository's issue comments. */
  async update(commentId: number, body: string): Promise<IssueComment> {
    const response = await this.request("PATCH", this.url(`issues/comments/${commentId}`), {
      body,
    });
    return (await response.json()) as IssueComment;
  }

  /** Whether the pull request is open or closed (the review sweeper's question; same token, same repository). */
  async pullRequestState(pullRequest: number): Promise<"open" | "closed"> {
    const response = await this.request("GET", this.url(`pulls/${pullRequest}`));
    const { state } = (await response.json()) as { state?: unknown };
    if (state !== "open" && state !== "closed")
      throw new Error(
        `GitHub API GET pulls/${pullRequest} answered with state ${JSON.stringify(state)}, not open or closed`,
      );
    return state;
  }

  private url(path: string): URL {
    const { owner, name } = this.options.repository;
    return new URL(
      `repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/${path}`,
      this.base,
    );
  }

  private async request(method: string, url: URL, body?: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          Accept: "application/vnd.github+json",
          Authorization: `Bearer ${this.options.token}`,
          "User-Agent": "pipelines-preview-comment",
          "X-GitHub-Api-Version": "2022-11-28",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      const cause =
        error instanceof Error
          ? ((error.cause as Error | undefined)?.message ?? error.message)
          : String(error);
      throw new Error(
        `could not reach the GitHub API at ${url.origin} (${method} ${url.pathname}): ${cause}`,
        { cause: error },
      );
    }
    if (!response.ok)
      throw new GitHubApiError(
        method,
        url.pathname,
        response.status,
        describeError(await response.text(), response.statusText),
      );
    return response;
  }
}
