import type { Buildspec } from "../buildspec";
import { releasePlanCommand } from "./common";
import { pulumiBuildspec, type PulumiBuildOptions } from "./pulumi-build";

/** The drift check refreshes this stack. */
export type DriftBuildspecOptions = PulumiBuildOptions;

/**
 * The drift check: a read-only `pulumi preview --refresh --expect-no-changes` of the branch. No drift: nothing is sent.
 * Drift: the drifted resources go to the notifications topic (NOTIFICATION_TOPIC_ARN), as JSON for Slack and text for
 * e-mail. A preview that fails for another reason fails the build.
 */
export function driftBuildspec(options: DriftBuildspecOptions): Buildspec {
  return pulumiBuildspec(options, {
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
  });
}
