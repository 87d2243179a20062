/** A stack's config is wrong; the message names each key, what is wrong and what is allowed. */
export class SettingsError extends Error {
  constructor(
    readonly stackName: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Stack '${stackName}' has invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "SettingsError";
  }
}
