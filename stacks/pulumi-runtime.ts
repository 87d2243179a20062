import * as pulumi from "@pulumi/pulumi";

/**
 * The parts of the Pulumi SDK's runtime this project uses beyond its typed API, in one place: the SDK exports them
 * from `pulumi.runtime` (modules `runtime/config` and `runtime/settings`) but marks them internal, so an SDK upgrade
 * may move them. Each accessor fails with the SDK version and what moved, and tests/stacks/pulumi-runtime.test.ts
 * calls every one.
 */
interface RuntimeInternals {
  /** runtime/config: whether the engine listed a config key as secret. */
  isConfigSecret(fullKey: string): boolean;
  /** runtime/settings: the resource monitor the mocks stand behind. */
  getMonitor(): ResourceMonitor | undefined;
  /** runtime/settings: resolves once every outstanding resource registration has finished. */
  waitForRPCs(): Promise<void>;
}

/** The resource monitor client, as far as the mocks runner looks into it. */
export interface ResourceMonitor {
  registerResource(request: { getParent(): string; getDependenciesList(): string[] }, callback: unknown): unknown;
}

const sdkVersion: string = require("@pulumi/pulumi/package.json").version;

function internal<K extends keyof RuntimeInternals>(name: K, module: string): RuntimeInternals[K] {
  const found = (pulumi.runtime as unknown as Partial<RuntimeInternals>)[name];
  if (typeof found !== "function") {
    throw new Error(`@pulumi/pulumi ${sdkVersion} no longer exports ${name} from pulumi.runtime (its ${module} module); adapt stacks/pulumi-runtime.ts to the SDK`);
  }
  return found as RuntimeInternals[K];
}

/** Whether the engine listed a config key (`project:key`) as secret. */
export const isConfigSecret = (fullKey: string): boolean => internal("isConfigSecret", "runtime/config")(fullKey);

/** The resource monitor of the running program (under mocks, the mock monitor). */
export function resourceMonitor(): ResourceMonitor {
  const monitor = internal("getMonitor", "runtime/settings")();
  if (!monitor || typeof monitor.registerResource !== "function") {
    throw new Error(`@pulumi/pulumi ${sdkVersion}: pulumi.runtime.getMonitor() returned no monitor with registerResource; adapt stacks/pulumi-runtime.ts to the SDK`);
  }
  return monitor;
}

/** Resolves once every outstanding resource registration has finished. */
export const waitForRegistrations = (): Promise<void> => internal("waitForRPCs", "runtime/settings")();
