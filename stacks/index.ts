import * as pulumi from "@pulumi/pulumi";
import { isConfigSecret } from "./pulumi-runtime";
import { readStackSettings, type ConfigSource } from "./read";
import type { StackSettings } from "./settings";

export type { StackSettings } from "./settings";
export { SettingsError } from "./errors";
export { readStackSettings, type ConfigSource } from "./read";

/** The running program's config, as the settings reader sees it. */
export function pulumiConfigSource(): ConfigSource {
  return {
    get: (fullKey) => pulumi.runtime.getConfig(fullKey),
    isSecret: (fullKey) => isConfigSecret(fullKey),
    secret: (fullKey) => pulumi.secret(pulumi.runtime.getConfig(fullKey) ?? ""),
    keys: () => Object.keys(pulumi.runtime.allConfig()),
  };
}

/** This stack's settings, read from its config. */
export function stackSettings(): StackSettings {
  return readStackSettings(pulumiConfigSource(), pulumi.getProject(), pulumi.getStack());
}
