import { executableStandIn, type ExecutableAnswer } from "./executable-stand-in";

/** How the stand-in answers; a test changes it between runs with `set`. */
export interface PulumiStandInState {
  /** What `pulumi stack ls --json` prints. */
  stacks: Array<{
    name: string;
    lastUpdate?: string;
    updateInProgress?: boolean;
    resourceCount?: number;
  }>;
  /** Stack outputs, by stack then name, as `pulumi stack output <name> --json` prints them. */
  outputs: Record<string, Record<string, unknown>>;
  /** Times `destroy`/`up` answer as a locked stack does before they go through. */
  lockedRuns: number;
  /** Exit status of destroy / up once unlocked (0 succeeds), with what they print on failure. */
  destroyStatus: number;
  upStatus: number;
  /** What a failed destroy / up prints on standard error. @default "error: update failed" */
  failureOutput?: string;
  /** What `pulumi preview --json` prints (its PreviewDigest), and its exit status. */
  preview?: unknown;
  previewStatus?: number;
}

export interface PulumiStandIn {
  /** Path of the executable. */
  readonly command: string;
  /** Every command line it ran (arguments joined by spaces), oldest first. */
  calls(): string[];
  set(state: Partial<PulumiStandInState>): void;
  state(): PulumiStandInState;
  /** Stops answering; a later run fails. */
  close(): Promise<void>;
}

const lockedError =
  "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n";

/** What the real CLI prints and how it exits for `args`, changing `state` as it would. */
function answer(state: PulumiStandInState, args: readonly string[]): ExecutableAnswer {
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const stack = flag("--stack");
  const [command, subcommand, name] = args;
  if (command === "stack" && subcommand === "ls")
    return { status: 0, stdout: `${JSON.stringify(state.stacks, null, 4)}\n` };
  if (command === "stack" && subcommand === "output") {
    const value = state.outputs[stack ?? ""]?.[name];
    return value === undefined
      ? {
          status: 255,
          stderr: `error: current stack does not have output property '${name}'\n`,
        }
      : { status: 0, stdout: `${JSON.stringify(value, null, 2)}\n` };
  }
  if (command === "stack" && subcommand === "rm") {
    state.stacks = state.stacks.filter((s) => s.name !== name);
    return { status: 0, stdout: `Stack '${name}' has been removed!\n` };
  }
  if (command === "stack" && subcommand === "init") {
    state.stacks.push({ name, updateInProgress: false, resourceCount: 0 });
    return { status: 0, stdout: `Created stack '${name}'\n` };
  }
  if (command === "preview" && args.includes("--json"))
    return {
      status: state.previewStatus ?? 0,
      stdout: state.preview === undefined ? "" : `${JSON.stringify(state.preview, null, 4)}\n`,
    };
  if (command === "destroy" || command === "up") {
    if (state.lockedRuns > 0) {
      state.lockedRuns--;
      return { status: 255, stderr: lockedError };
    }
    const status = command === "destroy" ? state.destroyStatus : state.upStatus;
    if (status !== 0) return { status, stderr: state.failureOutput ?? "error: update failed\n" };
    const entry = state.stacks.find((s) => s.name === stack);
    if (entry) {
      entry.resourceCount = command === "destroy" ? 0 : 12;
      entry.lastUpdate = new Date().toISOString();
    }
    return {
      status: 0,
      stdout:
        command === "destroy"
          ? "The resources in the stack have been deleted\n"
          : "Update succeeded\n",
    };
  }
  return { status: 0, stdout: "ok\n" };
}

/**
 * A stand-in `pulumi` executable that prints what the real CLI documents: `stack ls --json` a list of stack summaries,
 * `stack output --json` the value, `preview --json` a preview digest, a locked stack's error, `stack rm` and `destroy`
 * removing the stack from the list. Its state and call log live in the test process (see executableStandIn).
 */
export async function pulumiStandIn(
  initial: Partial<PulumiStandInState> = {},
): Promise<PulumiStandIn> {
  let state: PulumiStandInState = {
    stacks: [],
    outputs: {},
    lockedRuns: 0,
    destroyStatus: 0,
    upStatus: 0,
    ...structuredClone(initial),
  };
  const calls: string[] = [];
  const executable = await executableStandIn("pulumi", (args) => {
    calls.push(args.join(" "));
    return answer(state, args);
  });
  return {
    command: executable.command,
    calls: () => [...calls],
    set: (changes) => {
      state = { ...state, ...structuredClone(changes) };
    },
    state: () => structuredClone(state),
    close: () => executable.close(),
  };
}
