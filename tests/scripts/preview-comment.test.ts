import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { IssueComments, main } from "../../scripts/preview-comment";
import { startGitHubServer, type GitHubServer } from "../support/github-server";
import { stackPassphrase } from "../support/stack-config";
import { loadStackConfig, projectRoot } from "../../tooling/mocks/stack-config";

const token = "ghs_preview-test-token";
const repository = "acme-coffee/cupping-service";
const pullRequest = 5;
const scratch = mkdtempSync(path.join(tmpdir(), "preview-comment-"));

/** The variables a CodeBuild pull-request build sets, pointed at the stand-in. */
const codeBuildEnv = (server: GitHubServer, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  GITHUB_TOKEN: token,
  GITHUB_API_URL: server.apiUrl,
  CODEBUILD_SOURCE_REPO_URL: `https://github.com/${repository}.git`,
  CODEBUILD_WEBHOOK_TRIGGER: `pr/${pullRequest}`,
  CODEBUILD_BUILD_SUCCEEDING: "1",
  CODEBUILD_RESOLVED_SOURCE_VERSION: "4f2a9c1e0b7d",
  ...extra,
});
const stdin = (text: string) => Object.assign(Readable.from([text]), { isTTY: false });
const noInput = Object.assign(Readable.from([]), { isTTY: true });

function previewFile(name: string, text: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
}

describe("preview comment poster", () => {
  const running: GitHubServer[] = [];
  const start = async (options: { basePath?: string; maxPageSize?: number } = {}) => {
    const server = await startGitHubServer({ token, repository, ...options });
    running.push(server);
    return server;
  };
  afterEach(() => Promise.all(running.splice(0).map((server) => server.close())));

  it("creates the stack's comment on the first run and updates that same comment on the next, leaving others alone", async () => {
    const server = await start();
    const reviewer = server.addComment(pullRequest, "Looks good, but check the database size.");
    const production = server.addComment(
      pullRequest,
      "<!-- pipelines-preview:production -->\n### production preview",
      "preview-bot",
    );
    const quoted = server.addComment(
      pullRequest,
      "> <!-- pipelines-preview:dev -->\nWhy does dev replace the bucket?",
    );

    const first = await main(
      ["--stack", "dev"],
      codeBuildEnv(server),
      stdin("Previewing update (dev):\n    + 3 to create\n"),
    );
    assert.match(
      first,
      /^Posted the preview comment of stack dev on acme-coffee\/cupping-service#5: https:\/\/github\.com\/.*#issuecomment-\d+$/,
    );
    const created = server.comments(pullRequest).at(-1)!;
    assert.ok(
      created.body.startsWith(
        "<!-- pipelines-preview:dev -->\n### ✅ `pulumi preview` of stack `dev` succeeded",
      ),
      created.body,
    );
    assert.match(created.body, /On commit `4f2a9c1e0b7d`/);
    assert.match(created.body, /\+ 3 to create/);

    const file = previewFile("second.txt", "\x1b[31merror: update failed\x1b[0m\n");
    const second = await main(
      ["--stack", "dev", "--file", file],
      codeBuildEnv(server, { CODEBUILD_BUILD_SUCCEEDING: "0" }),
      noInput,
    );
    assert.match(second, /^Updated the preview comment of stack dev/);
    assert.equal(server.comments(pullRequest).length, 4, "no second dev comment");
    const updated = server.comments(pullRequest).find((c) => c.id === created.id)!;
    assert.match(updated.body, /### ❌ `pulumi preview` of stack `dev` failed/);
    assert.match(updated.body, /\nerror: update failed\n/);
    assert.ok(!updated.body.includes("+ 3 to create"), "the old output is replaced");

    assert.equal(
      server.comments(pullRequest).find((c) => c.id === reviewer.id)!.body,
      "Looks good, but check the database size.",
    );
    assert.equal(
      server.comments(pullRequest).find((c) => c.id === production.id)!.body,
      "<!-- pipelines-preview:production -->\n### production preview",
    );
    assert.equal(
      server.comments(pullRequest).find((c) => c.id === quoted.id)!.body,
      "> <!-- pipelines-preview:dev -->\nWhy does dev replace the bucket?",
    );
    const writes = server.requests
      .filter((r) => r.method !== "GET")
      .map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(writes, [
      `POST /repos/${repository}/issues/5/comments`,
      `PATCH /repos/${repository}/issues/comments/${created.id}`,
    ]);
  });

  it("finds its comment on a later page by following the Link headers, on a GitHub Enterprise API root", async () => {
    const server = await start({ basePath: "/api/v3", maxPageSize: 2 });
    for (let i = 0; i < 5; i++) server.addComment(pullRequest, `review comment ${i}`);
    const earlier = server.addComment(
      pullRequest,
      "<!-- pipelines-preview:dev -->\nold preview",
      "preview-bot",
    );
    server.addComment(pullRequest, "one more");

    await main(
      ["--stack", "dev", "--repository", repository, "--pull-request", "5"],
      { GITHUB_TOKEN: token, GITHUB_API_URL: `${server.apiUrl}/` },
      stdin("new preview"),
    );
    assert.match(
      server.comments(pullRequest).find((c) => c.id === earlier.id)!.body,
      /new preview/,
    );
    assert.equal(server.comments(pullRequest).length, 7);
    const pages = server.requests
      .filter((r) => r.method === "GET")
      .map((r) => new URL(r.path, server.origin));
    assert.deepEqual(
      pages.map((u) => u.pathname),
      Array(4).fill(`/api/v3/repos/${repository}/issues/5/comments`),
    );
    assert.deepEqual(
      pages.map((u) => u.searchParams.get("page")),
      [null, "2", "3", "4"],
    );
    for (const request of server.requests) {
      assert.equal(request.headers.authorization, `Bearer ${token}`);
      assert.equal(request.headers["x-github-api-version"], "2022-11-28");
    }
  });

  it("posts long output folded and truncated, and GitHub accepts it", async () => {
    const server = await start();
    const output = Array.from(
      { length: 3000 },
      (_, i) => `    ~ aws:codebuild/project:Project: (update) build-${i} [diff: ~environment]`,
    ).join("\n");
    await main(
      ["--stack", "production", "--file", previewFile("long.txt", output)],
      codeBuildEnv(server),
      noInput,
    );
    const [comment] = server.comments(pullRequest);
    assert.ok(comment.body.length <= 65_536);
    assert.match(
      comment.body,
      /<details>\n<summary>Full preview output \(3,000 lines\)<\/summary>/,
    );
    assert.match(
      comment.body,
      /The output was truncated to fit GitHub's comment size limit: [\d,]+ lines of 3,000 left out/,
    );
    assert.match(comment.body, /build-2999 \[diff: ~environment\]\n```\n\n<\/details>$/);
  });

  it("reports GitHub's status and message, and what to check", async () => {
    const server = await start();
    await assert.rejects(
      main(["--stack", "dev"], codeBuildEnv(server, { GITHUB_TOKEN: "ghs_revoked" }), stdin("x")),
      /^GitHubApiError: GitHub API GET \/repos\/acme-coffee\/cupping-service\/issues\/5\/comments failed with status 401: Bad credentials \(is GITHUB_TOKEN a valid token\?\)$/,
    );
    server.answerNext(
      { status: 200, headers: { "Content-Type": "application/json" }, body: "[]" },
      {
        status: 422,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          message: "Validation Failed",
          errors: [
            {
              resource: "IssueComment",
              code: "custom",
              field: "body",
              message: "body is too long",
            },
          ],
        }),
      },
    );
    await assert.rejects(
      main(["--stack", "dev"], codeBuildEnv(server), stdin("x")),
      /POST \/repos\/acme-coffee\/cupping-service\/issues\/5\/comments failed with status 422: Validation Failed: body is too long$/,
    );
    server.answerNext({ status: 502, body: "<html>Bad Gateway</html>" });
    await assert.rejects(
      main(["--stack", "dev"], codeBuildEnv(server), stdin("x")),
      /failed with status 502: <html>Bad Gateway<\/html>$/,
    );
    server.answerNext("drop connection");
    await assert.rejects(
      main(["--stack", "dev"], codeBuildEnv(server), stdin("x")),
      /could not reach the GitHub API at http:\/\/127\.0\.0\.1:\d+ \(GET \/repos\/.*\/comments\): /,
    );
    assert.equal(server.comments(pullRequest).length, 0);
  });

  it("refuses to follow a page link to another host with the token", async () => {
    const server = await start();
    server.answerNext({
      status: 200,
      headers: {
        "Content-Type": "application/json",
        Link: '<https://elsewhere.example/comments?page=2>; rel="next"',
      },
      body: "[]",
    });
    const comments = new IssueComments({
      apiUrl: server.apiUrl,
      token,
      repository: { owner: "acme-coffee", name: "cupping-service" },
    });
    await assert.rejects(
      comments.list(1),
      /pagination link points to https:\/\/elsewhere\.example, not http:\/\/127\.0\.0\.1:\d+: refusing to send the token there/,
    );
  });

  it("posts none of the stack's secrets, its passphrase or the posting token that a hostile preview printed", async () => {
    const server = await start();
    const engine = loadStackConfig("dev", { passphrase: stackPassphrase("dev") });
    const secrets = [
      ...engine.secretKeys.map((key) => engine.config[key]),
      stackPassphrase("dev"),
      token,
    ];
    const output = `${secrets.map((secret) => `leak: ${secret}`).join("\n")}\nResources:\n    + 3 to create\n`;
    await main(
      ["--stack", "dev"],
      codeBuildEnv(server, { PULUMI_CONFIG_PASSPHRASE: stackPassphrase("dev") }),
      stdin(output),
    );
    const posted = server.comments(pullRequest).at(-1)!.body;
    for (const secret of secrets) assert.ok(!posted.includes(secret), `${secret} was posted`);
    assert.match(posted, /leak: \[redacted\]\n[\s\S]*\+ 3 to create/);
  });

  it("names what is missing before it calls GitHub", async () => {
    const server = await start();
    await assert.rejects(
      main(["--stack", "dev"], codeBuildEnv(server, { GITHUB_TOKEN: "" }), stdin("x")),
      /GITHUB_TOKEN is not set/,
    );
    await assert.rejects(main([], codeBuildEnv(server), stdin("x")), /--stack <stack> is required/);
    await assert.rejects(
      main(["--stack", "dev"], codeBuildEnv(server, { CODEBUILD_WEBHOOK_TRIGGER: "" }), stdin("x")),
      /no pull-request number/,
    );
    await assert.rejects(
      main(
        ["--stack", "dev"],
        codeBuildEnv(server, { CODEBUILD_WEBHOOK_TRIGGER: "branch/main" }),
        stdin("x"),
      ),
      /CODEBUILD_WEBHOOK_TRIGGER is "branch\/main"/,
    );
    await assert.rejects(
      main(["--stack", "dev", "--status", "ok"], codeBuildEnv(server), stdin("x")),
      /--status must be succeeded or failed, got "ok"/,
    );
    await assert.rejects(
      main(
        ["--stack", "dev", "--file", path.join(scratch, "missing.txt")],
        codeBuildEnv(server),
        noInput,
      ),
      /cannot read the preview output from .*missing\.txt: ENOENT/,
    );
    await assert.rejects(
      main(["--stack", "dev"], codeBuildEnv(server), noInput),
      /no preview output: pass --file <path>, or pipe the output into standard input/,
    );
    await assert.rejects(
      main(
        ["--stack", "dev"],
        codeBuildEnv(server, { GITHUB_API_URL: "api.github.com" }),
        stdin("x"),
      ),
      /GITHUB_API_URL must be an http\(s\) URL, got "api\.github\.com"/,
    );
    await assert.rejects(
      main(["--stack", "dev", "--verbose"], codeBuildEnv(server), stdin("x")),
      /Unknown option '--verbose'/,
    );
    assert.equal(server.requests.length, 0);
  });

  it("runs as the CodeBuild buildspec runs it: output on standard input, exit status 0, or 1 with the message", async () => {
    const server = await start();
    const script = path.join(projectRoot, "scripts/preview-comment.ts");
    const run = (env: NodeJS.ProcessEnv) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          ["-r", path.join(projectRoot, "tooling/register.js"), script, "--stack", "dev"],
          { cwd: projectRoot, env: { PATH: process.env.PATH, ...env } },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        );
        child.stdin!.end("Previewing update (dev):\nResources:\n    5 unchanged\n");
      });
    const [ok, failed] = await Promise.all([
      run(codeBuildEnv(server)),
      run(codeBuildEnv(server, { GITHUB_TOKEN: undefined })),
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(
      ok.stdout,
      /^Posted the preview comment of stack dev on acme-coffee\/cupping-service#5: /,
    );
    assert.match(server.comments(pullRequest)[0].body, /5 unchanged/);
    assert.equal(failed.code, 1);
    assert.equal(
      failed.stderr.trim(),
      "preview-comment: GITHUB_TOKEN is not set: export a token that may comment on the repository's pull requests",
    );
  });
});
