/** Runs the Pulumi CLI for the review builds: its output shown as it comes, and kept to read its answer. */
import { spawn } from "node:child_process";

export interface PulumiRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface PulumiCliOptions {
  /** The executable. @default "pulumi" (found on PATH) */
  readonly command?: string;
  /** Where its output goes as it comes; none keeps it quiet. */
  readonly echo?: (text: string) => void;
  /** Times to try again while another update holds the stack's lock. @default 30 */
  readonly lockAttempts?: number;
  /** Milliseconds between those tries. @default 20000 */
  readonly lockDelayMs?: number;
}

/** What the CLI prints when another update holds the stack: the DIY backends' lock, Pulumi Cloud's 409. */
const lockedStack =
  /the stack is currently locked|\[409\] Conflict|another update is currently in progress/i;

/** One summary line of `pulumi stack ls --json`. */
export interface StackSummary {
  readonly name: string;
  /** When the last update started, as the CLI prints it (ISO 8601); absent for a stack never updated. */
  readonly lastUpdate?: string;
  readonly updateInProgress?: boolean;
  readonly resourceCount?: number;
}

export class PulumiCli {
  constructor(private readonly options: PulumiCliOptions = {}) {}

  /** Runs `pulumi <args>`; never throws on a non-zero exit (callers decide), only when it cannot start. */
  run(args: readonly string[]): Promise<PulumiRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.command ?? "pulumi", [...args], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
        this.options.echo?.(chunk.toString("utf8"));
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
        this.options.echo?.(chunk.toString("utf8"));
      });
      child.on("error", (error) =>
        reject(
          new Error(
            `cannot run the Pulumi CLI (${this.options.command ?? "pulumi"}): ${error.message}`,
            { cause: error },
          ),
        ),
      );
      child.on("close", (code) => resolve({ status: code ?? 1, stdout, stderr }));
    });
  }

  /** Runs an update-like command, waiting while another update (a deploy racing a teardown) holds the stack. */
  async runWhenUnlocked(args: readonly string[]): Promise<PulumiRun> {
    const attempts = this.options.lockAttempts ?? 30;
    let result = await this.run(args);
    for (
      let attempt = 1;
      attempt < attempts && result.status !== 0 && lockedStack.test(result.stdout + result.stderr);
      attempt++
    ) {
      this.options.echo?.(
        `The stack is locked by another update; trying again (${attempt + 1} of ${attempts}).\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, this.options.lockDelayMs ?? 20_000));
      result = await this.run(args);
    }
    return result;
  }

  /** The stacks of the project in the logged-in backend. */
  async stacks(): Promise<StackSummary[]> {
    const result = await this.run(["stack", "ls", "--json", "--non-interactive"]);
    if (result.status !== 0)
      throw new Error(
        `pulumi stack ls failed (exit ${result.status}): ${result.stderr.trim() || result.stdout.trim()}`,
      );
    try {
      const parsed = JSON.parse(result.stdout) as StackSummary[];
      if (!Array.isArray(parsed)) throw new Error("not a list");
      return parsed;
    } catch (error) {
      throw new Error(
        `pulumi stack ls --json printed something other than a list of stacks: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** A stack output as JSON, or undefined when the stack has no such output. */
  async output(stack: string, name: string): Promise<unknown> {
    const result = await this.run([
      "stack",
      "output",
      name,
      "--stack",
      stack,
      "--json",
      "--non-interactive",
    ]);
    if (result.status !== 0) return undefined;
    return JSON.parse(result.stdout) as unknown;
  }
}
