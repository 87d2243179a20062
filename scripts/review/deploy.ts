/**
 * Creates or updates a pull request's review stack: unless the cap is reached (then a comment says so and the
 * build passes), or the pull request has closed meanwhile (a queued build must not bring back what a teardown
 * removed). After `pulumi up`, the stack's own migrate function applies the pull request's migrations, then the smoke
 * test runs against the review URL.
 */
import { nextReviewState, type ReviewStackState } from "../../components/review/lifecycle";
import { configSetArgs, reviewStackConfig } from "../../components/review/review-stack-config";
import type { ReviewStack } from "../../components/review/review-settings";
import { pullRequestOfStack } from "../../components/review/review-stack-name";
import type { PulumiCli } from "./pulumi-cli";

export type DeployOutcome =
  | { readonly kind: "deployed"; readonly url: string; readonly migrations: readonly string[] }
  | { readonly kind: "capReached"; readonly maxStacks: number; readonly stacks: readonly string[] }
  | { readonly kind: "pullRequestClosed" }
  | { readonly kind: "failed"; readonly step: string; readonly detail: string };

export interface DeploySteps {
  readonly pulumi: PulumiCli;
  /** The Pulumi project name (config keys are `<project>:<key>`). */
  readonly project: string;
  readonly maxStacks: number;
  readonly isOpen: () => Promise<boolean>;
  /** Invokes the stack's migrate function; resolves to the migrations it applied, rejects with the migrator's error. */
  readonly migrate: (functionName: string) => Promise<string[]>;
  /** Calls the deployed API; resolves to an error message, or undefined when it answered. */
  readonly smokeTest: (url: string) => Promise<string | undefined>;
}

const lastLines = (text: string) => text.trim().split("\n").slice(-5).join(" / ");

export async function deployReviewStack(
  review: ReviewStack,
  steps: DeploySteps,
): Promise<DeployOutcome> {
  if (!(await steps.isOpen())) return { kind: "pullRequestClosed" };
  const stacks = await steps.pulumi.stacks();
  const reviewStacks = stacks
    .map((s) => s.name.split("/").pop() ?? "")
    .filter((name) => pullRequestOfStack(name) !== undefined);
  const exists = reviewStacks.includes(review.stack);
  // The lifecycle decides: an existing stack redeploys, a new one needs a free slot.
  const states = new Map<number, ReviewStackState>(
    reviewStacks.map((name) => [
      pullRequestOfStack(name)!,
      { phase: "running", pullRequestOpen: true, redeploy: false, leftovers: [] },
    ]),
  );
  const { effects } = nextReviewState(
    states,
    { kind: "pushed", pullRequest: review.pullRequest },
    { maxStacks: steps.maxStacks, ttlHours: 1 },
  );
  if (effects.some((e) => e.kind === "commentCapReached"))
    return { kind: "capReached", maxStacks: steps.maxStacks, stacks: reviewStacks };

  if (!exists) {
    const init = await steps.pulumi.run([
      "stack",
      "init",
      review.stack,
      "--copy-config-from",
      review.baseStack,
      "--non-interactive",
    ]);
    if (init.status !== 0)
      return {
        kind: "failed",
        step: "pulumi stack init",
        detail: lastLines(init.stderr || init.stdout),
      };
  }
  for (const setting of reviewStackConfig(review, steps.project)) {
    const set = await steps.pulumi.run(configSetArgs(review.stack, setting));
    if (set.status !== 0)
      return {
        kind: "failed",
        step: `pulumi config set ${setting.key}`,
        detail: lastLines(set.stderr || set.stdout),
      };
  }
  const up = await steps.pulumi.runWhenUnlocked([
    "up",
    "--stack",
    review.stack,
    "--yes",
    "--non-interactive",
    "--skip-preview",
  ]);
  if (up.status !== 0)
    return { kind: "failed", step: "pulumi up", detail: lastLines(up.stderr || up.stdout) };
  const functionNames = (await steps.pulumi.output(review.stack, "functionNames")) as
    { migrate?: unknown } | undefined;
  if (typeof functionNames?.migrate !== "string" || functionNames.migrate === "")
    return {
      kind: "failed",
      step: "migrations",
      detail: `stack ${review.stack} has no functionNames.migrate output`,
    };
  let migrations: string[];
  try {
    migrations = await steps.migrate(functionNames.migrate);
  } catch (error) {
    return { kind: "failed", step: "migrations", detail: (error as Error).message };
  }
  const url = await steps.pulumi.output(review.stack, "apiUrl");
  if (typeof url !== "string" || url === "")
    return {
      kind: "failed",
      step: "smoke test",
      detail: `stack ${review.stack} has no apiUrl output`,
    };
  const smoke = await steps.smokeTest(url);
  if (smoke) return { kind: "failed", step: "smoke test", detail: smoke };
  return { kind: "deployed", url, migrations };
}

/** GET <url>/session, tried a few times while the API's first cold start settles. */
export async function smokeTest(
  url: string,
  attempts = 5,
  delayMs = 10_000,
): Promise<string | undefined> {
  const target = `${url.replace(/\/+$/, "")}/session`;
  let problem = "";
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    try {
      const response = await fetch(target, { signal: AbortSignal.timeout(30_000) });
      if (response.ok) return undefined;
      problem = `GET ${target} answered ${response.status}`;
    } catch (error) {
      problem = `GET ${target} failed: ${(error as Error).message}`;
    }
  }
  return problem;
}

const migrationsLine = (ids: readonly string[]) =>
  ids.length > 0
    ? `Migrations applied to its database: ${ids.map((id) => `\`${id}\``).join(", ")}.`
    : "Its database was up to date.";

/** The review stack's pull-request comment for an outcome. */
export function reviewComment(
  review: ReviewStack,
  outcome: DeployOutcome,
  commit?: string,
): string {
  const on =
    commit && /^[0-9a-f]{7,64}$/i.test(commit) ? ` (commit \`${commit.slice(0, 12)}\`)` : "";
  switch (outcome.kind) {
    case "deployed":
      return `### 🔎 Review stack \`${review.stack}\` is up${on}\n\nReview URL: ${outcome.url}\n\n${migrationsLine(outcome.migrations)} The smoke test passed (GET /session). It is updated on every push and removed when the pull request closes, or after its TTL without a push.`;
    case "capReached":
      return `### ⏸️ No review stack for this pull request yet\n\n${outcome.maxStacks} review stacks exist already (${outcome.stacks.join(", ")}), the most \`pipelines:maxReviewStacks\` allows. The next push after one of them is removed deploys \`${review.stack}\`.`;
    case "pullRequestClosed":
      return `### Review stack \`${review.stack}\` was not deployed: the pull request is closed.`;
    case "failed":
      return `### ❌ Review stack \`${review.stack}\` failed at ${outcome.step}${on}\n\n\`\`\`\n${outcome.detail.replace(/`/g, "'")}\n\`\`\``;
  }
}
