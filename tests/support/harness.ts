import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { UnknownInvokeError, knownInvokes } from "./invokes";
import { computedState } from "./resource-state";
import { loadStackConfig, projectRoot, type EngineConfig, type StackConfigOptions } from "./stack-config";

// Internal SDK pieces the public mocks API does not expose: the monitor (to see each resource's parent) and the RPC queue.
const runtimeSettings = require("@pulumi/pulumi/runtime/settings") as {
  getMonitor(): { registerResource(req: { getParent(): string; getDependenciesList(): string[] }, callback: unknown): unknown };
  waitForRPCs(): Promise<void>;
};

/** One resource the program registered, as the engine would have received it. */
export interface CapturedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** URN of the parent resource; absent for resources parented to the stack. */
  readonly parent?: string;
  /** False for component resources. */
  readonly custom: boolean;
  /** URNs of the resources it depends on, explicitly or through its inputs. */
  readonly dependencies: readonly string[];
  /** Inputs after serialization: secrets are still wrapped (see `isSecretValue`). */
  readonly inputs: Record<string, unknown>;
  readonly provider?: string;
}

export interface ProgramRun {
  readonly stack: string;
  readonly engineConfig: EngineConfig;
  readonly resources: readonly CapturedResource[];
  /** Stack outputs, resolved; secret ones are wrapped as the engine wraps them. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Provider functions the program called. */
  readonly invokes: readonly string[];
}

const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const sigKey = "4dabf18193072939515e22adb298388d";

/** Whether a serialized value is marked secret. */
export function isSecretValue(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[sigKey] === secretSig;
}

/** The value with every secret marker removed, for assertions on content. */
export function reveal(value: unknown): unknown {
  if (isSecretValue(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  return value;
}

/** Every string in a value that is not inside a secret, with its property path. */
export function plainStrings(value: unknown, at = ""): Array<{ path: string; text: string }> {
  if (isSecretValue(value)) return [];
  if (typeof value === "string") return [{ path: at, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => plainStrings(v, `${at}[${i}]`));
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => plainStrings(v, at ? `${at}.${k}` : k));
  return [];
}

function urnFor(stack: string, project: string, parent: string | undefined, type: string, name: string): string {
  const qualifiedType = parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

// Only index.ts creates resources when loaded; the modules it imports define classes and functions and keep no state,
// so they stay loaded (transpiling them again for every run would cost more than the run itself).
const programPath = path.join(projectRoot, "index.ts");

async function resolveOutput(value: unknown): Promise<unknown> {
  const output = pulumi.output(value) as unknown as { promise(): Promise<unknown>; isSecret: Promise<boolean> };
  const [resolved, secret] = await Promise.all([output.promise(), output.isSecret]);
  return secret ? { [sigKey]: secretSig, value: resolved } : resolved;
}

/**
 * Runs index.ts under Pulumi mocks with a stack's real config file, and returns what it registered.
 * Unknown invokes, and errors inside the program's outputs, fail the run.
 */
export async function runProgram(stack: string, options: StackConfigOptions = {}): Promise<ProgramRun> {
  const engineConfig = loadStackConfig(stack, options);
  const region = engineConfig.config["aws:region"] ?? "us-east-1";
  const resources: CapturedResource[] = [];
  const invokes: string[] = [];
  const failures: unknown[] = [];
  // The monitor sees each request's parent and dependencies just before it asks the mocks for the resource.
  let pending: { parent?: string; dependencies: string[] } = { dependencies: [] };

  pulumi.runtime.setAllConfig(engineConfig.config, [...engineConfig.secretKeys]);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const { parent, dependencies } = pending;
        resources.push({ type: args.type, name: args.name, urn: urnFor(stack, engineConfig.project, parent, args.type, args.name), parent, custom: args.custom ?? true, dependencies, inputs: args.inputs, provider: args.provider });
        if (!args.custom) return { id: undefined, state: {} };
        return computedState(args.type, args.name, args.inputs, region);
      },
      call(args) {
        invokes.push(args.token);
        const answer = knownInvokes[args.token];
        if (!answer) {
          const error = new UnknownInvokeError(args.token);
          failures.push(error);
          throw error;
        }
        return answer(args.inputs, region);
      },
    },
    engineConfig.project,
    stack,
    false,
  );
  const monitor = runtimeSettings.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    pending = { parent: req.getParent() || undefined, dependencies: req.getDependenciesList() };
    try {
      return register(req, callback);
    } finally {
      pending = { dependencies: [] };
    }
  };

  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  // The SDK captures a stack trace for every resource and promise; mapping each through source maps made a run nearly three times
  // slower, so stacks captured during a run keep V8's own format.
  const errors = Error as { prepareStackTrace?: ErrorConstructor["prepareStackTrace"] };
  const prepareStackTrace = errors.prepareStackTrace;
  errors.prepareStackTrace = undefined;
  try {
    delete require.cache[programPath];
    const program = require(programPath) as Record<string, unknown>;
    const outputs: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(program)) outputs[name] = await resolveOutput(value);
    await settle(resources);
    if (failures.length > 0) throw failures[0];
    return { stack, engineConfig, resources, outputs, invokes };
  } finally {
    errors.prepareStackTrace = prepareStackTrace;
    process.off("unhandledRejection", onRejection);
  }
}

// Registrations finish asynchronously; wait until the queue is drained and no resource arrives for a tick.
async function settle(resources: readonly CapturedResource[]): Promise<void> {
  for (let seen = -1; seen !== resources.length; ) {
    seen = resources.length;
    await runtimeSettings.waitForRPCs();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Resources of one type token. */
export function resourcesOfType(run: ProgramRun, type: string): CapturedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The one resource of a type (optionally whose name ends with `nameSuffix`); fails when there is not exactly one. */
export function theResource(run: ProgramRun, type: string, nameSuffix = ""): CapturedResource {
  const found = resourcesOfType(run, type).filter((r) => r.name.endsWith(nameSuffix));
  if (found.length !== 1) {
    throw new Error(`expected one ${type}${nameSuffix ? ` named *${nameSuffix}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
  }
  return found[0];
}

/** Direct children of a resource. */
export function childrenOf(run: ProgramRun, parent: CapturedResource): CapturedResource[] {
  return run.resources.filter((r) => r.parent === parent.urn);
}

/** All resources below a resource, at any depth. */
export function descendantsOf(run: ProgramRun, ancestor: CapturedResource): CapturedResource[] {
  return childrenOf(run, ancestor).flatMap((child) => [child, ...descendantsOf(run, child)]);
}

/** The plaintext (or placeholder) of every secret config value of the run, to look for leaks. */
export function secretConfigValues(run: ProgramRun): string[] {
  return run.engineConfig.secretKeys.map((key) => run.engineConfig.config[key]);
}

const sharedRuns = new Map<string, Promise<ProgramRun>>();

/**
 * The program run once per stack and config edit for the whole test process (a run takes seconds); tests read it
 * and never change it. Use `runProgram` for a run of one's own.
 */
export function programRun(stack: string, edit: Readonly<Record<string, unknown>> = {}): Promise<ProgramRun> {
  const key = `${stack} ${JSON.stringify(edit)}`;
  if (!sharedRuns.has(key)) sharedRuns.set(key, runProgram(stack, { edit }));
  return sharedRuns.get(key)!;
}
