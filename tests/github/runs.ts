import { runProgram, type ProgramRun } from "../support/harness";

const runs = new Map<string, Promise<ProgramRun>>();

/** The program run once per stack and config edit, shared by this folder's test files (a run takes seconds). */
export function programRun(stack: string, edit: Readonly<Record<string, unknown>> = {}): Promise<ProgramRun> {
  const key = `${stack} ${JSON.stringify(edit)}`;
  if (!runs.has(key)) runs.set(key, runProgram(stack, { edit }));
  return runs.get(key)!;
}
