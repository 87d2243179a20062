import type { BuildCache } from "../../../stacks/settings";
import type { Buildspec } from "../buildspec";
import {
  announceRun,
  installDependencies,
  installPulumiCli,
  npmCache,
  pulumiLogin,
  releasePlanCommand,
} from "./common";

export interface DriftBuildspecOptions {
  /** The stack to check: this stack. */
  readonly stack: string;
  /** Pulumi CLI version to install (the SDK's own). */
  readonly pulumiVersion: string;
  /** Self-managed state backend; absent means Pulumi Cloud. */
  readonly backendUrl?: string;
  readonly cache: BuildCache;
}

/**
 * The drift check: a read-only `pulumi preview --refresh --expect-no-changes` of the branch. No drift: nothing is sent.
 * Drift: the drifted resources go to the notifications topic (NOTIFICATION_TOPIC_ARN), as JSON for Slack and text for
 * e-mail. A preview that fails for another reason fails the build.
 */
export function driftBuildspec(options: DriftBuildspecOptions): Buildspec {
  return {
    version: 0.2,
    env: { shell: "bash", variables: { CI: "true", PULUMI_SKIP_UPDATE_CHECK: "true" } },
    phases: {
      install: {
        ...installDependencies,
        commands: [...installDependencies.commands, ...installPulumiCli(options.pulumiVersion)],
      },
      pre_build: { commands: [announceRun, "npm run bundle", pulumiLogin(options.backendUrl)] },
      build: {
        commands: [
          [
            `if pulumi preview --stack ${options.stack} --refresh --expect-no-changes --json --non-interactive > drift-preview.json; then`,
            `  echo "No drift: the resources of stack ${options.stack} match what the program declares."`,
            "else",
            `  ${releasePlanCommand} drift --preview drift-preview.json --stack ${options.stack} --out drift-message.json || exit 1`,
            `  aws sns publish --topic-arn "$NOTIFICATION_TOPIC_ARN" --subject "Drift in stack ${options.stack}" --message-structure json --message file://drift-message.json || exit 1`,
            "fi",
          ].join("\n"),
        ],
      },
    },
    ...npmCache(options.cache),
  };
}
