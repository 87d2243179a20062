/**
 * Tears a review stack down so that nothing leaks: destroy with the default branch's program, drop the logical
 * database and role, remove the stack, then ask the Resource Groups Tagging API what still carries the stack's tag.
 * A missing state is no proof of a clean account, so the check runs whatever the earlier steps found.
 */
import type { ReviewStack } from "../../components/review/review-settings";
import type { PulumiCli } from "./pulumi-cli";

export interface TeardownSteps {
  readonly pulumi: PulumiCli;
  /** Drops the stack's logical database and application role (idempotent). */
  readonly dropDatabase: (review: ReviewStack) => Promise<void>;
  /** ARNs of what still carries the stack's tag. */
  readonly leftovers: (stack: string) => Promise<string[]>;
}

export interface TeardownReport {
  readonly stack: string;
  /** Whether the backend held a stack to destroy. */
  readonly hadState: boolean;
  readonly destroyed: boolean;
  readonly databaseDropped: boolean;
  readonly stackRemoved: boolean;
  /** Resources still tagged with the stack. */
  readonly leftovers: readonly string[];
  /** Each step that failed, with why. */
  readonly failures: readonly string[];
}

/** Whether the teardown left nothing behind. */
export const isClean = (report: TeardownReport) =>
  report.failures.length === 0 && report.leftovers.length === 0;

const firstLines = (text: string) => text.trim().split("\n").slice(-5).join(" / ");

export async function tearDown(review: ReviewStack, steps: TeardownSteps): Promise<TeardownReport> {
  const { stack } = review;
  const failures: string[] = [];
  const hadState = (await steps.pulumi.stacks()).some(
    (s) => s.name === stack || s.name.endsWith(`/${stack}`),
  );

  let destroyed = false;
  if (hadState) {
    const destroy = await steps.pulumi.runWhenUnlocked([
      "destroy",
      "--stack",
      stack,
      "--yes",
      "--non-interactive",
      "--skip-preview",
    ]);
    destroyed = destroy.status === 0;
    if (!destroyed)
      failures.push(
        `pulumi destroy exited ${destroy.status}: ${firstLines(destroy.stderr || destroy.stdout)}`,
      );
  }

  let databaseDropped = false;
  try {
    await steps.dropDatabase(review);
    databaseDropped = true;
  } catch (error) {
    failures.push(`dropping database ${review.database.name}: ${(error as Error).message}`);
  }

  // The state is kept while anything failed: it is what the next attempt destroys from.
  let stackRemoved = false;
  if (hadState && destroyed) {
    const remove = await steps.pulumi.run(["stack", "rm", stack, "--yes", "--non-interactive"]);
    stackRemoved = remove.status === 0;
    if (!stackRemoved)
      failures.push(
        `pulumi stack rm exited ${remove.status}: ${firstLines(remove.stderr || remove.stdout)}`,
      );
  }

  let leftovers: string[] = [];
  try {
    leftovers = await steps.leftovers(stack);
  } catch (error) {
    failures.push(`checking for leftovers: ${(error as Error).message}`);
  }
  return { stack, hadState, destroyed, databaseDropped, stackRemoved, leftovers, failures };
}

/** The report as lines for the build log and the pull request. */
export function describeTeardown(report: TeardownReport): string {
  const lines = [
    isClean(report)
      ? `Review stack ${report.stack} is gone: nothing tagged with it remains.`
      : `Review stack ${report.stack} was NOT removed cleanly.`,
    `- state: ${report.hadState ? (report.destroyed ? "destroyed" : "destroy failed") : "none in the backend"}${report.stackRemoved ? ", stack removed" : ""}`,
    `- database and role: ${report.databaseDropped ? "dropped" : "not dropped"}`,
  ];
  if (report.leftovers.length > 0)
    lines.push(
      `- still tagged with ${report.stack} (${report.leftovers.length}):`,
      ...report.leftovers.map((arn) => `  - ${arn}`),
    );
  for (const failure of report.failures) lines.push(`- failed: ${failure}`);
  return lines.join("\n");
}
