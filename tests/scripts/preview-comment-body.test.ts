import { strict as assert } from "node:assert";
import {
  cleanOutput,
  cutMiddle,
  foldAfterLines,
  githubCommentLimit,
  previewMarker,
  renderPreviewComment,
  resourceSummary,
} from "../../scripts/github/preview-comment-body";
import {
  pullRequestFromWebhookTrigger,
  repositoryFromCloneUrl,
  resolveCommentTarget,
} from "../../scripts/github/pull-request";

/** A preview as `pulumi preview --diff` prints it in a terminal: colours, CRLF line ends, the summary at the end. */
function previewOutput(changedResources: number): string {
  const changes = Array.from(
    { length: changedResources },
    (_, i) =>
      `\x1b[32m    + aws:s3/bucketV2:BucketV2: (create)\x1b[0m\r\n        [urn=urn:pulumi:dev::pipelines::aws:s3/bucketV2:BucketV2::bucket-${i}]\r\n`,
  );
  return `Previewing update (dev):\r\n${changes.join("")}\x1b]8;;https://app.pulumi.com\x07View Live\x1b]8;;\x07\r\nResources:\r\n    \x1b[32m+ ${changedResources} to create\x1b[0m\r\n    12 unchanged\r\n\r\n`;
}

describe("preview comment body", () => {
  it("strips colours, hyperlinks and carriage returns, keeping the text", () => {
    const cleaned = cleanOutput(previewOutput(1));
    for (const control of ["\x1b", "\r", "\x07"])
      assert.ok(!cleaned.includes(control), JSON.stringify(cleaned));
    assert.match(
      cleaned,
      /^Previewing update \(dev\):\n {4}\+ aws:s3\/bucketV2:BucketV2: \(create\)\n/,
    );
    assert.match(cleaned, /^View Live$/m);
    assert.ok(cleaned.endsWith("    12 unchanged"), "trailing blank lines go");
  });

  it("shows short output inline, under the stack's marker and the outcome", () => {
    const body = renderPreviewComment({
      stack: "dev",
      output: previewOutput(2),
      status: "succeeded",
      commit: "0123456789abcdef0123456789abcdef01234567",
    });
    assert.ok(
      body.startsWith(
        `${previewMarker("dev")}\n### ✅ \`pulumi preview\` of stack \`dev\` succeeded\n`,
      ),
      body,
    );
    assert.match(body, /On commit `0123456789ab`\./);
    assert.ok(!body.includes("<details>"), "a short preview is not folded");
    assert.match(
      body,
      /```\nPreviewing update \(dev\):\n[\s\S]*\+ 2 to create\n {4}12 unchanged\n```$/,
    );
  });

  it("folds long output in <details>, with the resource summary outside it", () => {
    const body = renderPreviewComment({
      stack: "production",
      output: previewOutput(30),
      status: "failed",
    });
    assert.match(body, /^### ❌ `pulumi preview` of stack `production` failed$/m);
    const details = body.indexOf("<details>");
    assert.ok(details > 0, body.slice(0, 400));
    assert.match(
      body,
      /<summary>Full preview output \(\d+ lines\)<\/summary>\n\n```\nPreviewing update/,
    );
    assert.ok(body.endsWith("```\n\n</details>"));
    const summary = body.indexOf("Resources:\n    + 30 to create\n    12 unchanged");
    assert.ok(summary > 0 && summary < details, "the summary comes before the fold");
    assert.ok(body.split("\n").length > foldAfterLines);
  });

  it("truncates output over GitHub's limit from the middle, says so, and stays within the limit in UTF-8 bytes", () => {
    const lines = Array.from(
      { length: 4000 },
      (_, i) => `    ~ aws:lambda/function:Function: (update) fonction-${i} ☕ [diff: ~code]`,
    );
    const output = [
      "Previewing update (dev):",
      ...lines,
      "Resources:",
      "    ~ 4000 to update",
    ].join("\n");
    const body = renderPreviewComment({ stack: "dev", output });
    assert.ok(
      Buffer.byteLength(body, "utf8") <= githubCommentLimit,
      `${Buffer.byteLength(body, "utf8")} bytes`,
    );
    assert.ok(
      Buffer.byteLength(body, "utf8") > githubCommentLimit - 2_000,
      "the room is used, not wasted",
    );
    const omitted =
      /The output was truncated to fit GitHub's comment size limit: ([\d,]+) lines of 4,003 left out of the middle/.exec(
        body,
      );
    assert.ok(omitted, body.slice(0, 800));
    assert.match(body, new RegExp(`\\[… ${omitted[1]} lines left out …\\]`));
    assert.match(
      body,
      /Previewing update \(dev\):\n {4}~ aws:lambda\/function:Function: \(update\) fonction-0 /,
      "the start is kept",
    );
    assert.match(
      body,
      /fonction-3999 ☕ \[diff: ~code\]\nResources:\n {4}~ 4000 to update\n```/,
      "the end is kept",
    );
    const shown = (body.match(/fonction-\d+ /g) ?? []).length;
    assert.equal(
      shown + Number(omitted[1].replace(/,/g, "")),
      4000,
      "every changed line is either shown or counted as left out",
    );
  });

  it("cuts a single line longer than the budget instead of dropping it", () => {
    const cut = cutMiddle(`{"${"x".repeat(10_000)}"}`, 100);
    assert.equal(cut.head.length, 99);
    assert.equal(cut.omittedLines, 1);
    assert.ok(
      Buffer.byteLength(cutMiddle("é".repeat(1000), 101).head) <= 100,
      "never splits a character",
    );
  });

  it("uses a code fence no line of the output can close", () => {
    const body = renderPreviewComment({ stack: "dev", output: "a\n```\nb ```` c" });
    assert.match(body, /\n`````\na\n```\nb ```` c\n`````$/);
  });

  it("finds the last Resources block, and nothing when there is none", () => {
    assert.equal(
      resourceSummary("Resources:\n  + 1 to create\n\nResources:\n    3 unchanged\n\nDuration: 2s"),
      "Resources:\n    3 unchanged",
    );
    assert.equal(resourceSummary("error: no stack named 'dev'"), undefined);
  });

  it("says when the preview printed nothing, and refuses a stack name that could break out of the marker", () => {
    assert.match(
      renderPreviewComment({ stack: "acme/pipelines/dev", output: "\x1b[0m\r\n" }),
      /^<!-- pipelines-preview:acme\/pipelines\/dev -->\n[\s\S]*The preview printed nothing\.$/,
    );
    assert.throws(
      () => previewMarker("dev --> <img src=x>"),
      /stack name "dev --> <img src=x>" is not a Pulumi stack name/,
    );
  });
});

describe("pull request of a build", () => {
  it("reads CodeBuild's pull-request trigger and rejects others with what to do", () => {
    assert.equal(pullRequestFromWebhookTrigger("pr/42"), 42);
    assert.throws(
      () => pullRequestFromWebhookTrigger("branch/main"),
      /CODEBUILD_WEBHOOK_TRIGGER is "branch\/main", which is not a pull-request build \(pr\/<number>\); pass --pull-request <number>/,
    );
    assert.throws(
      () => pullRequestFromWebhookTrigger("pr/0"),
      /the number in CODEBUILD_WEBHOOK_TRIGGER must be a pull-request number/,
    );
  });

  it("takes the repository from a flag, GITHUB_REPOSITORY or CodeBuild's source URL, in that order", () => {
    const env = {
      GITHUB_REPOSITORY: "acme/from-actions",
      CODEBUILD_SOURCE_REPO_URL: "https://github.com/acme/from-codebuild.git",
      CODEBUILD_WEBHOOK_TRIGGER: "pr/7",
    };
    assert.deepEqual(resolveCommentTarget({ repository: "acme/flag", pullRequest: "9" }, env), {
      repository: { owner: "acme", name: "flag" },
      pullRequest: 9,
    });
    assert.deepEqual(resolveCommentTarget({}, env), {
      repository: { owner: "acme", name: "from-actions" },
      pullRequest: 7,
    });
    assert.deepEqual(
      resolveCommentTarget({}, { ...env, GITHUB_REPOSITORY: undefined }).repository,
      { owner: "acme", name: "from-codebuild" },
    );
    assert.deepEqual(repositoryFromCloneUrl("https://github.example.com/acme/cupping.service"), {
      owner: "acme",
      name: "cupping.service",
    });
  });

  it("names what is missing or malformed", () => {
    assert.throws(
      () => resolveCommentTarget({}, { CODEBUILD_WEBHOOK_TRIGGER: "pr/1" }),
      /no repository: pass --repository owner\/name/,
    );
    assert.throws(
      () => resolveCommentTarget({ repository: "acme/x" }, {}),
      /no pull-request number: pass --pull-request <number>, or run in a CodeBuild pull-request build/,
    );
    assert.throws(
      () => resolveCommentTarget({ repository: "acme/x/y", pullRequest: "1" }, {}),
      /--repository must be a GitHub repository as owner\/name.*got "acme\/x\/y"/,
    );
    assert.throws(
      () => resolveCommentTarget({ repository: "acme/x", pullRequest: "12a" }, {}),
      /--pull-request must be a pull-request number .* got "12a"/,
    );
    assert.throws(
      () => repositoryFromCloneUrl("s3://bucket/source.zip"),
      /CODEBUILD_SOURCE_REPO_URL is not a GitHub repository URL/,
    );
  });
});
