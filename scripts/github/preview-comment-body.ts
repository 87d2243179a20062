/**
 * The Markdown of a pull-request comment that shows one stack's `pulumi preview`: a hidden marker that finds it again,
 * the outcome, the resource summary, and the output itself, folded when long and cut to fit GitHub's size limit.
 */

import { factSections, type StackFacts, type StatefulTypes } from "./comment-sections";
import { stackScrubber } from "./stack-secrets";

/** GitHub refuses an issue comment whose body is longer than this many characters. */
export const githubCommentLimit = 65_536;

/** Output longer than this many lines goes into a `<details>` block. */
export const foldAfterLines = 25;

export type PreviewStatus = "succeeded" | "failed";

export interface PreviewComment {
  /** Stack the preview ran on; it names the comment's marker. */
  readonly stack: string;
  /** What `pulumi preview` printed, colours and all. */
  readonly output: string;
  /** How the run ended; absent when it is not known. */
  readonly status?: PreviewStatus;
  /** Commit the preview ran on. */
  readonly commit?: string;
  /** What the plan, policies, cost estimator, migration detector and review build found, shown above the output. */
  readonly facts?: StackFacts;
  /** Resource types whose replacement or deletion the comment calls out. @default none */
  readonly statefulTypes?: StatefulTypes;
  /**
   * Removes secrets from the text before it reaches GitHub.
   * @default the stack's scrubber: its decrypted config secrets, PULUMI_CONFIG_PASSPHRASE, the environment's tokens, credential shapes
   */
  readonly scrub?: (text: string) => string;
}

/** Stack names as Pulumi allows them, optionally qualified (org/project/stack); nothing that could end an HTML comment. */
const stackName = /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+){0,2}$/;

/** The hidden first line of a stack's preview comment, by which the next run finds the comment to update. */
export function previewMarker(stack: string): string {
  if (!stackName.test(stack)) {
    throw new Error(
      `stack name ${JSON.stringify(stack)} is not a Pulumi stack name (letters, digits, '-', '_', '.', optionally org/project/stack)`,
    );
  }
  return `<!-- pipelines-preview:${stack} -->`;
}

// CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks) and the remaining two-byte escapes.
// eslint-disable-next-line no-control-regex -- matching terminal control characters is the point
const ansiSequence = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** The text without terminal colour and control sequences, with Unix line ends and no trailing blank lines. */
export function cleanOutput(text: string): string {
  return text
    .replace(ansiSequence, "")
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+$/gm, "")
    .replace(/^\n+|\n+$/g, "");
}

/** The `Resources:` block Pulumi prints at the end of a preview (counts to create, update, delete), if there is one. */
export function resourceSummary(output: string): string | undefined {
  const lines = output.split("\n");
  const start = lines.findLastIndex((line) => /^Resources:$/.test(line.trim()));
  if (start < 0) return undefined;
  const end = lines.findIndex((line, index) => index > start && line.trim() === "");
  return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

const utf8Length = (text: string) => Buffer.byteLength(text, "utf8");

/** The longest start of `text` whose UTF-8 form fits in `maxBytes`, never splitting a character. */
function prefixWithin(text: string, maxBytes: number): string {
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(Math.max(0, maxBytes)));
  return text.slice(0, read);
}

/** What is left of an output cut to a size: its start and its end, with how many lines were not shown in full. */
export interface CutOutput {
  readonly head: string;
  readonly tail: string;
  readonly omittedLines: number;
}

/**
 * Keeps the start and the end of `text` in at most `maxBytes` UTF-8 bytes (the strictest way a limit in characters
 * can be counted), dropping whole lines from the middle: the start shows the changes, the end the summary and errors.
 */
export function cutMiddle(text: string, maxBytes: number): CutOutput {
  const lines = text.split("\n");
  const tail: string[] = [];
  let tailBytes = 0;
  for (let i = lines.length - 1; i > 0; i--) {
    const size = utf8Length(lines[i]) + 1;
    if (tailBytes + size > maxBytes / 2) break;
    tail.unshift(lines[i]);
    tailBytes += size;
  }
  const head: string[] = [];
  let headBytes = 0;
  for (let i = 0; i < lines.length - tail.length; i++) {
    const size = utf8Length(lines[i]) + 1;
    if (headBytes + size > maxBytes - tailBytes) break;
    head.push(lines[i]);
    headBytes += size;
  }
  const omittedLines = lines.length - head.length - tail.length;
  // A first line longer than the whole budget (one huge JSON value, say) is shown in part rather than not at all.
  const headText =
    head.length > 0 ? head.join("\n") : prefixWithin(lines[0], maxBytes - tailBytes - 1);
  return { head: headText, tail: tail.join("\n"), omittedLines };
}

/** A code fence longer than any run of backticks in `text`, so nothing in the output can close it. */
function fenceFor(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return "`".repeat(Math.max(3, longestRun + 1));
}

const plural = (count: number, word: string) =>
  `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;

function heading(preview: PreviewComment): string {
  const what = `\`pulumi preview\` of stack \`${preview.stack}\``;
  if (preview.status === "succeeded") return `### ✅ ${what} succeeded`;
  if (preview.status === "failed") return `### ❌ ${what} failed`;
  return `### ${what}`;
}

function byline(preview: PreviewComment): string {
  const commit =
    preview.commit && /^[0-9a-f]{7,64}$/i.test(preview.commit)
      ? `On commit \`${preview.commit.slice(0, 12)}\`. `
      : "";
  return `${commit}This comment is updated on every push to the pull request.`;
}

/** The whole comment body for one stack's preview, at most `limit` characters long, secrets scrubbed. */
export function renderPreviewComment(preview: PreviewComment, limit = githubCommentLimit): string {
  const scrub = preview.scrub ?? stackScrubber({ stack: preview.stack });
  const sections = preview.facts ? factSections(preview.facts, preview.statefulTypes ?? []) : [];
  const top = [
    previewMarker(preview.stack),
    heading(preview),
    "",
    byline(preview),
    ...sections.map((section) => `\n${scrub(section)}`),
  ].join("\n");
  // Scrubbed after the terminal codes are gone, so colour codes between a secret's characters cannot hide it.
  const output = cleanOutput(scrub(cleanOutput(preview.output)));
  if (output === "") return `${top}\n\nThe preview printed nothing.`;

  const lineCount = output.split("\n").length;
  const fence = fenceFor(output);
  const summary = resourceSummary(output);
  const fold = lineCount > foldAfterLines;

  const render = (shown: string, note?: string): string => {
    const block = `${fence}\n${shown}\n${fence}`;
    const parts = [top];
    if (fold && summary) parts.push(`${fence}\n${summary}\n${fence}`);
    if (note) parts.push(note);
    parts.push(
      fold
        ? `<details>\n<summary>Full preview output (${plural(lineCount, "line")})</summary>\n\n${block}\n\n</details>`
        : block,
    );
    return parts.join("\n\n");
  };

  const whole = render(output);
  if (utf8Length(whole) <= limit) return whole;

  const note = (omitted: number) =>
    `> [!WARNING]\n> The output was truncated to fit GitHub's comment size limit: ${plural(omitted, "line")} of ${lineCount.toLocaleString("en-US")} left out of the middle. The build log has all of it.`;
  const cutMark = (omitted: number) => `[… ${plural(omitted, "line")} left out …]`;
  // Room for the output: the limit less everything else, counted with the longest numbers the notes can hold.
  const frame = utf8Length(render(`\n${cutMark(lineCount)}\n`, note(lineCount)));
  const cut = cutMiddle(output, limit - frame);
  const shown = [cut.head, cutMark(cut.omittedLines), cut.tail]
    .filter((part) => part !== "")
    .join("\n");
  const body = render(shown, note(cut.omittedLines));
  if (utf8Length(body) > limit)
    throw new Error(
      `the preview comment is ${utf8Length(body)} bytes after truncation, over the ${limit} limit`,
    );
  return body;
}
