import * as pulumi from "@pulumi/pulumi";

/**
 * The parts of the Pulumi SDK's runtime this project uses beyond its typed API, in one place: the SDK exports them
 * from `pulumi.runtime` (modules `runtime/config` and `runtime/settings`) but marks them internal, so an SDK upgrade
 * may move them. Each accessor fails with the SDK version and what moved, and tests/stacks/pulumi-runtime.test.ts
 * calls every one. (The mocks runner also reaches the private `Resource.callsites`, `debuggablePromise` and `getStore`,
 * through `withoutSourcePositions`.)
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
  registerResource(
    request: { getParent(): string; getDependenciesList(): string[] },
    callback: unknown,
  ): unknown;
}

const sdkVersion: string = require("@pulumi/pulumi/package.json").version;

function internal<K extends keyof RuntimeInternals>(name: K, module: string): RuntimeInternals[K] {
  const found = (pulumi.runtime as unknown as Partial<RuntimeInternals>)[name];
  if (typeof found !== "function") {
    throw new Error(
      `@pulumi/pulumi ${sdkVersion} no longer exports ${name} from pulumi.runtime (its ${module} module); adapt stacks/pulumi-runtime.ts to the SDK`,
    );
  }
  return found as RuntimeInternals[K];
}

/** Whether the engine listed a config key (`project:key`) as secret. */
export const isConfigSecret = (fullKey: string): boolean =>
  internal("isConfigSecret", "runtime/config")(fullKey);

/** The resource monitor of the running program (under mocks, the mock monitor). */
export function resourceMonitor(): ResourceMonitor {
  const monitor = internal("getMonitor", "runtime/settings")();
  if (!monitor || typeof monitor.registerResource !== "function") {
    throw new Error(
      `@pulumi/pulumi ${sdkVersion}: pulumi.runtime.getMonitor() returned no monitor with registerResource; adapt stacks/pulumi-runtime.ts to the SDK`,
    );
  }
  return monitor;
}

/** Resolves once every outstanding resource registration has finished. */
export const waitForRegistrations = (): Promise<void> =>
  internal("waitForRPCs", "runtime/settings")();

/** The SDK's private hook that reads a new resource's source position from a full stack trace. */
interface ResourceInternals {
  callsites(): unknown[];
}

/** runtime/debuggable: wraps each of the SDK's RPC promises, for its report of promises left pending at exit. */
interface DebuggableInternals {
  debuggablePromise<T>(promise: Promise<T>, context: unknown): Promise<T>;
}

/** runtime/state: the SDK's per-program store, which holds those pending promises. */
interface StateInternals {
  getStore(): { leakCandidates: Set<Promise<unknown>> };
}

function privatePart<T>(owner: object, name: string, where: string): T {
  if (typeof (owner as Record<string, unknown>)[name] !== "function") {
    throw new Error(
      `@pulumi/pulumi ${sdkVersion} no longer has the private ${where}.${name}; adapt stacks/pulumi-runtime.ts to the SDK`,
    );
  }
  return owner as T;
}

/**
 * Runs `work` with no stack traces taken: the SDK formats a full stack trace for every resource (its source position,
 * for the engine) and a short one, with its context, onto every RPC promise, which under mocks cost two thirds of a
 * program run and are never read. Errors thrown meanwhile carry their message and no frames, and a report of promises
 * left pending names no context; set MOCKS_STACK_TRACES=1 to keep both.
 */
export async function withoutSourcePositions<T>(work: () => Promise<T>): Promise<T> {
  if (process.env.MOCKS_STACK_TRACES === "1") return work();
  const resource = privatePart<ResourceInternals>(pulumi.Resource, "callsites", "Resource");
  const debuggable = privatePart<DebuggableInternals>(
    require("@pulumi/pulumi/runtime/debuggable"),
    "debuggablePromise",
    "runtime/debuggable",
  );
  const state = privatePart<StateInternals>(
    require("@pulumi/pulumi/runtime/state"),
    "getStore",
    "runtime/state",
  );
  const { callsites } = resource;
  const { debuggablePromise } = debuggable;
  const stackTraceLimit = Error.stackTraceLimit;
  resource.callsites = () => [];
  // The SDK's own bookkeeping of pending promises, without the properties it defines on each.
  debuggable.debuggablePromise = (promise) => {
    const pending = state.getStore().leakCandidates;
    pending.add(promise);
    return promise.then(
      (value) => {
        pending.delete(promise);
        return value;
      },
      (error: unknown) => {
        pending.delete(promise);
        if (error instanceof Object) Object.assign(error, { promise });
        throw error;
      },
    );
  };
  Error.stackTraceLimit = 0;
  try {
    return await work();
  } finally {
    resource.callsites = callsites;
    debuggable.debuggablePromise = debuggablePromise;
    Error.stackTraceLimit = stackTraceLimit;
  }
}
