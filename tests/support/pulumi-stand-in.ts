import { chmodSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** How the stand-in answers; a test changes it between runs through the files it reads. */
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
  /** Folder holding its state and log. */
  readonly dir: string;
  /** Every command line it ran, oldest first. */
  calls(): string[];
  set(state: Partial<PulumiStandInState>): void;
  state(): PulumiStandInState;
}

/**
 * A stand-in `pulumi` executable (bash plus node for the JSON) that prints what the real CLI documents: `stack ls
 * --json` a list of stack summaries, `stack output --json` the value, `preview --json` a preview digest, a locked
 * stack's error, `stack rm` and `destroy` removing the stack from the list.
 */
export function pulumiStandIn(initial: Partial<PulumiStandInState> = {}): PulumiStandIn {
  const dir = mkdtempSync(path.join(tmpdir(), "pulumi-stand-in-"));
  const stateFile = path.join(dir, "state.json");
  const log = path.join(dir, "calls.log");
  const command = path.join(dir, "pulumi");
  const defaults: PulumiStandInState = {
    stacks: [],
    outputs: {},
    lockedRuns: 0,
    destroyStatus: 0,
    upStatus: 0,
  };
  writeFileSync(stateFile, JSON.stringify({ ...defaults, ...initial }));
  writeFileSync(log, "");
  const script = `
const fs = require("fs");
const [stateFile, log, ...args] = process.argv.slice(2);
const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
fs.appendFileSync(log, args.join(" ") + "\\n");
const save = () => fs.writeFileSync(stateFile, JSON.stringify(state));
const flag = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const stack = flag("--stack");
if (args[0] === "stack" && args[1] === "ls") { process.stdout.write(JSON.stringify(state.stacks, null, 4) + "\\n"); process.exit(0); }
if (args[0] === "stack" && args[1] === "output") {
  const value = (state.outputs[stack] || {})[args[2]];
  if (value === undefined) { process.stderr.write("error: current stack does not have output property '" + args[2] + "'\\n"); process.exit(255); }
  process.stdout.write(JSON.stringify(value, null, 2) + "\\n"); process.exit(0);
}
if (args[0] === "stack" && args[1] === "rm") {
  const name = args[2];
  state.stacks = state.stacks.filter((s) => s.name !== name); save();
  process.stdout.write("Stack '" + name + "' has been removed!\\n"); process.exit(0);
}
if (args[0] === "stack" && args[1] === "init") {
  state.stacks.push({ name: args[2], updateInProgress: false, resourceCount: 0 }); save(); process.stdout.write("Created stack '" + args[2] + "'\\n"); process.exit(0);
}
if (args[0] === "preview" && args.includes("--json")) {
  if (state.preview !== undefined) process.stdout.write(JSON.stringify(state.preview, null, 4) + "\\n");
  process.exit(state.previewStatus || 0);
}
if (args[0] === "destroy" || args[0] === "up") {
  if (state.lockedRuns > 0) { state.lockedRuns--; save(); process.stderr.write("error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with \`pulumi cancel\`.\\n"); process.exit(255); }
  const status = args[0] === "destroy" ? state.destroyStatus : state.upStatus;
  if (status !== 0) { process.stderr.write(state.failureOutput || "error: update failed\\n"); process.exit(status); }
  const entry = state.stacks.find((s) => s.name === stack);
  if (entry) { entry.resourceCount = args[0] === "destroy" ? 0 : 12; entry.lastUpdate = new Date().toISOString(); save(); }
  process.stdout.write((args[0] === "destroy" ? "The resources in the stack have been deleted" : "Update succeeded") + "\\n"); process.exit(0);
}
process.stdout.write("ok\\n");
`;
  writeFileSync(path.join(dir, "stand-in.js"), script);
  writeFileSync(
    command,
    `#!/usr/bin/env bash\nexec node "${path.join(dir, "stand-in.js")}" "${stateFile}" "${log}" "$@"\n`,
  );
  chmodSync(command, 0o755);
  return {
    command,
    dir,
    calls: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []),
    set: (state) =>
      writeFileSync(
        stateFile,
        JSON.stringify({
          ...(JSON.parse(readFileSync(stateFile, "utf8")) as PulumiStandInState),
          ...state,
        }),
      ),
    state: () => JSON.parse(readFileSync(stateFile, "utf8")) as PulumiStandInState,
  };
}
