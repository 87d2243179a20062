import * as pulumi from "@pulumi/pulumi";
import { readStackSettings, type StackSettings } from "../../stacks";
import { loadStackConfig } from "../../tooling/mocks/stack-config";

/** A stack's settings read from its real stack file (with edits), without running the program. */
export function settingsOf(stack: string, edit?: Readonly<Record<string, unknown>>): StackSettings {
  const engine = loadStackConfig(stack, { edit });
  return readStackSettings(
    {
      get: (key) => engine.config[key],
      isSecret: (key) => engine.secretKeys.includes(key),
      keys: () => Object.keys(engine.config),
      secret: (key) => pulumi.secret(engine.config[key] ?? ""),
    },
    engine.project,
    stack,
  );
}

/** An ARN for a report group named in a test. */
export const reportGroupArn = (name: string) =>
  `arn:aws:codebuild:us-east-1:123456789012:report-group/${name}`;
