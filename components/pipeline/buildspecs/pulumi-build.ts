import type { BuildCache } from "../../../stacks/settings";
import type { Buildspec, Phase } from "../buildspec";
import { announceRun, installDependencies, npmCache, pulumiLogin } from "./common";
import { installPulumiCli } from "./pulumi-cli";

/** What every pipeline build that runs the Pulumi CLI on its own stack needs to know. */
export interface PulumiBuildOptions {
  /** The stack the build works on: this stack. */
  readonly stack: string;
  /** Pulumi CLI version to install (the SDK's own). */
  readonly pulumiVersion: string;
  /** Self-managed state backend; absent means Pulumi Cloud, with PULUMI_ACCESS_TOKEN from Secrets Manager. */
  readonly backendUrl?: string;
  readonly cache: BuildCache;
}

/** Node.js, the project's dependencies and the pinned, checksum-verified Pulumi CLI. */
export function installWithPulumiCli(version: string): Phase {
  return {
    ...installDependencies,
    commands: [...installDependencies.commands, ...installPulumiCli(version)],
  };
}

/**
 * A pipeline build that runs the Pulumi CLI on its stack: the CLI installed, the Lambda bundles built, logged in to
 * the backend (the token and the passphrase come from Secrets Manager as environment variables), then `build`.
 */
export function pulumiBuildspec(
  options: PulumiBuildOptions,
  build: Phase,
  extra: { readonly exportedVariables?: readonly string[] } & Pick<Buildspec, "artifacts"> = {},
): Buildspec {
  const { exportedVariables, ...rest } = extra;
  return {
    version: 0.2,
    env: {
      shell: "bash",
      variables: { CI: "true", PULUMI_SKIP_UPDATE_CHECK: "true" },
      ...(exportedVariables ? { "exported-variables": exportedVariables } : {}),
    },
    phases: {
      install: installWithPulumiCli(options.pulumiVersion),
      pre_build: { commands: [announceRun, "npm run bundle", pulumiLogin(options.backendUrl)] },
      build,
    },
    ...rest,
    ...npmCache(options.cache),
  };
}
