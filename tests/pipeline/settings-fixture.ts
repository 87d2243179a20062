import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { readStackSettings, SettingsError, type StackSettings } from "../../stacks";
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

/** The problems a stack file with these edits has; fails when it has none. */
export function settingsProblemsOf(stack: string, edit: Record<string, unknown>): string[] {
  try {
    settingsOf(stack, edit);
  } catch (error) {
    assert.ok(error instanceof SettingsError, String(error));
    return [...error.problems];
  }
  assert.fail("expected the settings to be rejected");
}

/** An ARN for a report group named in a test. */
export const reportGroupArn = (name: string) =>
  `arn:aws:codebuild:us-east-1:123456789012:report-group/${name}`;
