import { canaryDeployCommands } from "../../service/traffic-shift";
import type { Buildspec } from "../buildspec";
import { previewInto, releasePlanCommand } from "./common";
import { pulumiBuildspec, type PulumiBuildOptions } from "./pulumi-build";

/** What the Deploy stage's build needs: the stack it updates (this one) and the plan it may apply. */
export interface DeployBuildspecOptions extends PulumiBuildOptions {
  /** Input artifact holding the approved plan (preview.json); absent applies whatever the commit yields. */
  readonly approvedPlan?: string;
}

/**
 * Refuses to apply a change set other than the approved one: a fresh preview's (operation, URN) set must equal the
 * Plan's. A rollback run re-applies the last successful release, which was approved when it shipped.
 */
export function approvedChangesCheck(stack: string, approvedPlan: string): string {
  return [
    'EXECUTION_TYPE="$(aws codepipeline get-pipeline-execution --pipeline-name "$PIPELINE_NAME" --pipeline-execution-id "$PIPELINE_EXECUTION_ID" --query pipelineExecution.executionType --output text)" || exit 1',
    'if [ "$EXECUTION_TYPE" = "ROLLBACK" ]; then',
    '  echo "Rollback run: re-applying the last successful release, approved when it shipped."',
    "else",
    previewInto(
      "current-preview.json",
      stack,
      "",
      "The preview before the update failed: nothing is applied.",
    ).replace(/^/gm, "  "),
    `  ${releasePlanCommand} check-approved --approved "$CODEBUILD_SRC_DIR_${approvedPlan}/preview.json" --current current-preview.json || exit 1`,
    "fi",
  ].join("\n");
}

/** The stack output the smoke test calls, and the route it calls on it. */
export const smokeTest = { output: "apiUrl", route: "/session" } as const;

function smokeTestScript(stack: string): string {
  return [
    `API_URL="$(pulumi stack output ${smokeTest.output} --stack ${stack} 2>/dev/null || true)"`,
    'if [ -z "$API_URL" ]; then',
    `  echo "Smoke test failed: stack ${stack} has no '${smokeTest.output}' output, so the deployed API cannot be checked." >&2`,
    "  exit 1",
    "fi",
    `if ! curl --fail --silent --show-error --retry 5 --retry-delay 10 --retry-all-errors "\${API_URL%/}${smokeTest.route}"; then`,
    `  echo "Smoke test failed: GET \${API_URL%/}${smokeTest.route} did not succeed." >&2`,
    "  exit 1",
    "fi",
    `echo "Smoke test passed: GET \${API_URL%/}${smokeTest.route}"`,
  ].join("\n");
}

/** The stack output naming the database to snapshot before pending migrations; only stacks with dbFinalSnapshot on export it. */
export const snapshotTargetOutput = "snapshotBeforeMigrations";

/**
 * Before `pulumi up` migrates: a manual snapshot of the database named after the newest pending migration, waited for
 * (scripts/db-snapshot.ts). No output (dbFinalSnapshot off, or a first deploy with no database yet): no snapshot.
 */
export function snapshotBeforeMigrationsScript(stack: string): string {
  return [
    `SNAPSHOT_TARGET="$(pulumi stack output ${snapshotTargetOutput} --stack ${stack} --json 2>/dev/null || true)"`,
    'if [ -n "$SNAPSHOT_TARGET" ] && [ "$SNAPSHOT_TARGET" != "null" ]; then',
    '  npm run -s db:snapshot -- --target "$SNAPSHOT_TARGET" || exit 1',
    "else",
    `  echo "No snapshot before migrations: stack ${stack} has no ${snapshotTargetOutput} output (pipelines:dbFinalSnapshot off, or no database yet)."`,
    "fi",
  ].join("\n");
}

/** Deploy stage: install the pinned Pulumi CLI, log in, `pulumi up` this stack on the tested commit, then a smoke test. */
export function deployBuildspec(options: DeployBuildspecOptions): Buildspec {
  return pulumiBuildspec(options, {
    commands: [
      ...(options.approvedPlan ? [approvedChangesCheck(options.stack, options.approvedPlan)] : []),
      snapshotBeforeMigrationsScript(options.stack),
      `pulumi up --stack ${options.stack} --yes --non-interactive --diff`,
      ...canaryDeployCommands(options.stack),
      smokeTestScript(options.stack),
    ],
  });
}
