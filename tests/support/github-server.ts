import {
  startRecordingServer,
  type RecordedRequest,
  type RecordingServer,
  type Reply,
} from "./slack-server";

/** A comment as the stand-in stores it. */
export interface StoredComment {
  readonly id: number;
  readonly issue: number;
  body: string;
  readonly user: string;
}

export interface GitHubServerOptions {
  /** The only token the server accepts. */
  readonly token: string;
  /** The only repository it holds, as owner/name. */
  readonly repository: string;
  /** Path of the API root: "" for api.github.com, "/api/v3" for GitHub Enterprise Server. */
  readonly basePath?: string;
  /** Most comments on one page, whatever per_page asks (GitHub's is 100); small values force pagination. */
  readonly maxPageSize?: number;
}

/** A stand-in for the issue-comments part of the GitHub REST API, on a real HTTP server on 127.0.0.1. */
export interface GitHubServer extends RecordingServer {
  /** The API root to give a client (GITHUB_API_URL). */
  readonly apiUrl: string;
  /** Comments of one issue, oldest first. */
  comments(issue: number): readonly StoredComment[];
  /** Adds a comment as someone else would have written it. */
  addComment(issue: number, body: string, user?: string): StoredComment;
  /** Answers the next requests with these replies, in order; then the API behaves again. */
  answerNext(...replies: Reply[]): void;
  /** Sets a pull request's state; the server knows only pull requests set this way. */
  setPullRequest(pullRequest: number, state: "open" | "closed"): void;
}

const commentLimit = 65_536;
const json = (status: number, value: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  body: JSON.stringify(value),
});
const notFound = json(404, {
  message: "Not Found",
  documentation_url: "https://docs.github.com/rest",
});

export async function startGitHubServer(options: GitHubServerOptions): Promise<GitHubServer> {
  const basePath = options.basePath ?? "";
  const maxPageSize = options.maxPageSize ?? 100;
  const store: StoredComment[] = [];
  const pullRequests = new Map<number, "open" | "closed">();
  const queued: Reply[] = [];
  let nextId = 1000;
  let origin = "";

  const view = (c: StoredComment) => ({
    id: c.id,
    body: c.body,
    user: { login: c.user },
    html_url: `https://github.com/${options.repository}/pull/${c.issue}#issuecomment-${c.id}`,
  });

  /** The body's `body` field, or the 422 GitHub gives for a missing or too long one. */
  const commentBody = (request: RecordedRequest): string | Reply => {
    let body: unknown;
    try {
      body = (JSON.parse(request.body) as { body?: unknown }).body;
    } catch {
      return json(400, { message: "Problems parsing JSON" });
    }
    if (typeof body !== "string" || body === "")
      return json(422, {
        message: "Validation Failed",
        errors: [{ resource: "IssueComment", code: "missing_field", field: "body" }],
      });
    if (body.length > commentLimit)
      return json(422, {
        message: "Validation Failed",
        errors: [
          {
            resource: "IssueComment",
            code: "custom",
            field: "body",
            message: `body is too long (maximum is ${commentLimit} characters)`,
          },
        ],
      });
    return body;
  };

  const answer = (request: RecordedRequest): Reply => {
    const queuedReply = queued.shift();
    if (queuedReply) return queuedReply;
    if (
      request.headers.authorization !== `Bearer ${options.token}` &&
      request.headers.authorization !== `token ${options.token}`
    ) {
      return json(401, {
        message: "Bad credentials",
        documentation_url: "https://docs.github.com/rest",
      });
    }
    const url = new URL(request.path, origin);
    if (!url.pathname.startsWith(`${basePath}/repos/${options.repository}/`)) return notFound;
    const rest = url.pathname.slice(`${basePath}/repos/${options.repository}/`.length);

    const issueComments = /^issues\/(\d+)\/comments$/.exec(rest);
    if (issueComments && request.method === "GET") {
      const all = store.filter((c) => c.issue === Number(issueComments[1]));
      const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), maxPageSize);
      const page = Number(url.searchParams.get("page") ?? 1);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const pageLink = (n: number, rel: string) => {
        const link = new URL(url);
        link.searchParams.set("page", String(n));
        return `<${link.href}>; rel="${rel}"`;
      };
      const links = page < last ? [pageLink(page + 1, "next"), pageLink(last, "last")] : [];
      return json(
        200,
        all.slice((page - 1) * perPage, page * perPage).map(view),
        links.length > 0 ? { Link: links.join(", ") } : {},
      );
    }
    if (issueComments && request.method === "POST") {
      const body = commentBody(request);
      if (typeof body !== "string") return body;
      const comment: StoredComment = {
        id: nextId++,
        issue: Number(issueComments[1]),
        body,
        user: "preview-bot",
      };
      store.push(comment);
      return json(201, view(comment));
    }
    const pull = /^pulls\/(\d+)$/.exec(rest);
    if (pull && request.method === "GET") {
      const state = pullRequests.get(Number(pull[1]));
      return state ? json(200, { number: Number(pull[1]), state, merged: false }) : notFound;
    }
    const oneComment = /^issues\/comments\/(\d+)$/.exec(rest);
    if (oneComment && request.method === "PATCH") {
      const comment = store.find((c) => c.id === Number(oneComment[1]));
      if (!comment) return notFound;
      const body = commentBody(request);
      if (typeof body !== "string") return body;
      comment.body = body;
      return json(200, view(comment));
    }
    return notFound;
  };

  const server = await startRecordingServer(answer);
  origin = server.origin;
  return Object.assign(server, {
    apiUrl: `${server.origin}${basePath}`,
    comments: (issue: number) => store.filter((c) => c.issue === issue),
    addComment: (issue: number, body: string, user = "a-reviewer") => {
      const comment: StoredComment = { id: nextId++, issue, body, user };
      store.push(comment);
      return comment;
    },
    answerNext: (...replies: Reply[]) => void queued.push(...replies),
    setPullRequest: (pullRequest: number, state: "open" | "closed") =>
      void pullRequests.set(pullRequest, state),
  });
}
