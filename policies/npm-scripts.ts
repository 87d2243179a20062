import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** The scripts of the project's package.json: what `npm run <script>` in a buildspec can call. */
export const projectScripts: readonly string[] = Object.keys(
  (
    JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as {
      scripts?: Record<string, string>;
    }
  ).scripts ?? {},
);

/** One npm script a buildspec command calls, with the phase it runs in. */
export interface ScriptCall {
  readonly phase: string;
  readonly command: string;
  readonly script: string;
}

// `npm run x`, `npm run-script x`, `npm run -s x`, and `npm test`, which fails the same way without a test script.
const scriptCall = /\bnpm\s+(?:(?:run|run-script)(?:\s+-{1,2}[\w-]+)*\s+([^\s;&|'"`)]+)|(test)\b)/g;

/**
 * The npm scripts an inline buildspec's commands call. A buildspec that is a file name in the repository (not YAML
 * with phases) yields none: its commands are not known here.
 */
export function npmScriptCalls(buildspec: string): ScriptCall[] {
  let spec: unknown;
  try {
    spec = parse(buildspec);
  } catch {
    return [];
  }
  const phases = (
    spec as { phases?: Record<string, { commands?: unknown; finally?: unknown }> } | null
  )?.phases;
  if (typeof phases !== "object" || phases === null) return [];
  return Object.entries(phases).flatMap(([phase, body]) =>
    [body?.commands, body?.finally]
      .flatMap((list) => (Array.isArray(list) ? list : []))
      .filter((command): command is string => typeof command === "string")
      .flatMap((command) =>
        [...command.matchAll(scriptCall)].map((m) => ({ phase, command, script: m[1] ?? m[2] })),
      ),
  );
}
