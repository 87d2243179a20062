import { canaryDeployCommands } from "../../service/traffic-shift";
import type { BuildCache } from "../../../stacks/settings";
import type { Buildspec } from "../buildspec";
import {
  announceRun,
  installDependencies,
  installPulumiCli,
  npmCache,
  previewInto,
  pulumiLogin,
  releasePlanCommand,
} from "./common";

export interface DeployBuildspecOptions {
  /** The stack `pulumi up` updates: this stack. */
  readonly stack: string;
  /** Pulumi CLI version to install (the SDK's own). */
  readonly pulumiVersion: string;
  /** Self-managed state backend; absent means Pulumi Cloud, with PULUMI_ACCESS_TOKEN from Secrets Manager. */
  readonly backendUrl?: string;
  /** Input artifact holding the approved plan (preview.json); absent applies whatever the commit yields. */
  readonly approvedPlan?: string;
  readonly cache: BuildCache;
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

/** Deploy stage: install the pinned Pulumi CLI, log in, `pulumi up` this stack on the tested commit, then a smoke test. */
export function deployBuildspec(options: DeployBuildspecOptions): Buildspec {
  return {
    version: 0.2,
    env: { shell: "bash", variables: { CI: "true", PULUMI_SKIP_UPDATE_CHECK: "true" } },
    phases: {
      install: {
        ...installDependencies,
        commands: [...installDependencies.commands, ...installPulumiCli(options.pulumiVersion)],
      },
      pre_build: {
        commands: [
          announceRun,
          "npm run bundle",
          // The token (Pulumi Cloud) and the passphrase come from Secrets Manager as environment variables.
          pulumiLogin(options.backendUrl),
        ],
      },
      build: {
        commands: [
          ...(options.approvedPlan
            ? [approvedChangesCheck(options.stack, options.approvedPlan)]
            : []),
          `pulumi up --stack ${options.stack} --yes --non-interactive --diff`,
          ...canaryDeployCommands(options.stack),
          smokeTestScript(options.stack),
        ],
      },
    },
    ...npmCache(options.cache),
  };
}
