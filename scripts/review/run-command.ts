/** Runs a review command as a process: its text on standard output, its exit code, errors as one line. */

/** What a review command answers: the text to print and the exit code. */
export interface CommandResult {
  readonly exitCode: number;
  readonly text: string;
}

export function runCommand(
  name: string,
  main: (argv: readonly string[], env: NodeJS.ProcessEnv) => Promise<CommandResult>,
): void {
  main(process.argv.slice(2), process.env).then(
    ({ exitCode, text }) => {
      console.log(text);
      process.exitCode = exitCode;
    },
    (error: unknown) => {
      console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
