// First, before anything loads the Pulumi SDK: its parts a mocks run never uses then load only when used.
import "./lazy-sdk";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  resourceMonitor,
  waitForRegistrations,
  withoutSourcePositions,
} from "../../stacks/pulumi-runtime";
import { UnknownInvokeError, knownInvokes } from "./invokes";
import { computedState, engineSecret } from "./resource-state";
import {
  loadStackConfig,
  projectRoot,
  type EngineConfig,
  type StackConfigOptions,
} from "./stack-config";

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

/** Whether a serialized value is marked secret. */
export function isSecretValue(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] ===
      pulumi.runtime.specialSecretSig
  );
}

/** The value with every secret marker removed, for assertions on content. */
export function reveal(value: unknown): unknown {
  if (isSecretValue(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  return value;
}

function urnFor(
  stack: string,
  project: string,
  parent: string | undefined,
  type: string,
  name: string,
): string {
  const qualifiedType = parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

// Only index.ts creates resources when loaded; the modules it imports define classes and functions and keep no state,
// so they stay loaded (transpiling them again for every run would cost more than the run itself).
const programPath = path.join(projectRoot, "index.ts");

function loadIndex(): Record<string, unknown> {
  delete require.cache[programPath];
  return require(programPath) as Record<string, unknown>;
}

async function resolveOutput(value: unknown): Promise<unknown> {
  const output = pulumi.output(value) as unknown as {
    promise(): Promise<unknown>;
    isSecret: Promise<boolean>;
  };
  const [resolved, secret] = await Promise.all([output.promise(), output.isSecret]);
  return secret ? engineSecret(resolved) : resolved;
}

/** What to run under the mocks, and with which config. */
export interface RunOptions extends StackConfigOptions {
  /**
   * The config the engine hands the program, instead of the stack file's (e.g. only `aws:region`, for a component
   * built alone from its own arguments).
   * @default the stack file read as the CLI reads it
   */
  readonly engineConfig?: EngineConfig;
  /**
   * Builds the resources instead of index.ts (e.g. one component alone, from its own arguments) and returns what
   * would be stack outputs.
   * @default loading index.ts
   */
  readonly program?: () => Readonly<Record<string, unknown>>;
  /**
   * Outputs of the stacks the program references (`pulumi.StackReference`), by the reference's name; a reference
   * to any other stack fails the run, as it would fail on a backend that holds no such stack.
   * @default none
   */
  readonly stackReferences?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** The organization the engine reports, as on a self-managed backend. */
export const mockOrganization = "organization";

/** Type token of a stack reference, which the engine reads from the backend instead of a provider. */
const stackReferenceType = "pulumi:pulumi:StackReference";

/**
 * Runs index.ts (or `options.program`) under Pulumi mocks with a stack's real config file, and returns what it
 * registered. Unknown invokes, and errors inside the program's outputs, fail the run.
 */
export async function runProgram(stack: string, options: RunOptions = {}): Promise<ProgramRun> {
  const engineConfig = options.engineConfig ?? loadStackConfig(stack, options);
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
        resources.push({
          type: args.type,
          name: args.name,
          urn: urnFor(stack, engineConfig.project, parent, args.type, args.name),
          parent,
          custom: args.custom ?? true,
          dependencies,
          inputs: args.inputs,
          provider: args.provider,
        });
        if (!args.custom) return { id: undefined, state: {} };
        if (args.type === stackReferenceType)
          return referencedStack(
            String(args.inputs.name ?? args.name),
            options.stackReferences ?? {},
            failures,
          );
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
    mockOrganization,
  );
  const monitor = resourceMonitor();
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
  // Stack traces the SDK takes meanwhile keep V8's own format: mapping each through source maps made a run three times slower.
  const errors = Error as { prepareStackTrace?: ErrorConstructor["prepareStackTrace"] };
  const prepareStackTrace = errors.prepareStackTrace;
  errors.prepareStackTrace = undefined;
  try {
    return await withoutSourcePositions(async () => {
      const program = options.program?.() ?? loadIndex();
      const outputs: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(program))
        outputs[name] = await resolveOutput(value);
      await settle(resources);
      if (failures.length > 0) throw failures[0];
      return { stack, engineConfig, resources, outputs, invokes };
    });
  } finally {
    errors.prepareStackTrace = prepareStackTrace;
    process.off("unhandledRejection", onRejection);
  }
}

// An unknown stack is recorded as the run's failure rather than thrown: a throw here leaves the SDK waiting forever.
function referencedStack(
  name: string,
  stacks: NonNullable<RunOptions["stackReferences"]>,
  failures: unknown[],
): { id: string; state: Record<string, unknown> } {
  const outputs = stacks[name];
  if (!outputs)
    failures.push(
      new Error(
        `the program references the stack ${name}, which this run does not hold (known: ${Object.keys(stacks).join(", ") || "none"})`,
      ),
    );
  return { id: name, state: { name, outputs: outputs ?? {}, secretOutputNames: [] } };
}

// Registrations finish asynchronously; wait until the queue is drained and no resource arrives for a tick.
async function settle(resources: readonly CapturedResource[]): Promise<void> {
  for (let seen = -1; seen !== resources.length;) {
    seen = resources.length;
    await waitForRegistrations();
    await new Promise((resolve) => setImmediate(resolve));
  }
}
