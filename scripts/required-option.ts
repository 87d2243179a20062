/** The value after `--<name>` in a command's arguments; a missing one fails naming the option, after the usage. */
export function requiredOption(args: readonly string[], name: string, usage: string): string {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? args[at + 1] : undefined;
  if (!value) throw new Error(`${usage} (--${name} is required)`);
  return value;
}
