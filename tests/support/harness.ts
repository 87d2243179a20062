import {
  isSecretValue,
  runProgram,
  type CapturedResource,
  type ProgramRun,
} from "../../tooling/mocks/program-run";
import { loadStackConfig } from "../../tooling/mocks/stack-config";

/** Every string in a value that is not inside a secret, with its property path. */
export function plainStrings(value: unknown, at = ""): Array<{ path: string; text: string }> {
  if (isSecretValue(value)) return [];
  if (typeof value === "string") return [{ path: at, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => plainStrings(v, `${at}[${i}]`));
  if (typeof value === "object" && value !== null)
    return Object.entries(value).flatMap(([k, v]) => plainStrings(v, at ? `${at}.${k}` : k));
  return [];
}

/** The stack's `aws:region`, as its stack file sets it: region-bearing names in tests follow it instead of assuming one. */
export function stackRegion(stack: string): string {
  return loadStackConfig(stack).config["aws:region"];
}

/** Resources of one type token. */
export function resourcesOfType(run: ProgramRun, type: string): CapturedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The one resource of a type (optionally whose name ends with `nameSuffix`); fails when there is not exactly one. */
export function theResource(run: ProgramRun, type: string, nameSuffix = ""): CapturedResource {
  const found = resourcesOfType(run, type).filter((r) => r.name.endsWith(nameSuffix));
  if (found.length !== 1) {
    throw new Error(
      `expected one ${type}${nameSuffix ? ` named *${nameSuffix}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
    );
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
 * `runProgram`, run once per stack and engine config for the whole test process (a run takes a good part of a second,
 * and the program is deterministic: the same stack, config and referenced stacks give the same run). Tests read the
 * run and never change it. For code that takes a runner, such as `planCommand`; use `runProgram` for a run of one's own.
 */
export const sharedRunProgram: typeof runProgram = async (stack, options = {}) => {
  if (options.program)
    throw new Error(
      "a component's run is not shared: its program is a function, which no key can name",
    );
  // Keyed by what the engine would hand the program, so a stack file read from its text and one edited to the same
  // values share a run.
  const engineConfig = options.engineConfig ?? loadStackConfig(stack, options);
  const key = JSON.stringify([stack, engineConfig, options.stackReferences ?? {}]);
  let run = sharedRuns.get(key);
  if (!run) {
    run = runProgram(stack, { ...options, engineConfig });
    sharedRuns.set(key, run);
  }
  return run;
};

/** The program run of a stack with a config edit, shared by the whole test process (see `sharedRunProgram`). */
export function programRun(
  stack: string,
  edit: Readonly<Record<string, unknown>> = {},
): Promise<ProgramRun> {
  return sharedRunProgram(stack, { edit });
}
