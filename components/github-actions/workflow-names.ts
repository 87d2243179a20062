/**
 * The names of the GitHub Actions variables and secrets the workflows read. The program sets them when
 * `githubActions` is on; without it an administrator sets the same names by hand.
 */

/** In the environment named after the stack: only a job in that environment (the deploy job) sees them. */
export const environmentNames = {
  deployRoleArn: "AWS_DEPLOY_ROLE_ARN",
  region: "AWS_REGION",
  stack: "PULUMI_STACK",
  backendUrl: "PULUMI_BACKEND_URL",
  configPassphrase: "PULUMI_CONFIG_PASSPHRASE",
  accessToken: "PULUMI_ACCESS_TOKEN",
} as const;

export type WorkflowValue = keyof typeof environmentNames;

/** Which of the names are secrets (the others are variables). */
export const secretValues: readonly WorkflowValue[] = ["configPassphrase", "accessToken"];

/** What a preview reads, in the repository (no environment: a pull_request job's token must not name one). */
export type PreviewValue = Exclude<WorkflowValue, "deployRoleArn" | "stack"> | "previewRoleArn";

const previewBases: Readonly<Record<PreviewValue, string>> = {
  previewRoleArn: "AWS_PREVIEW_ROLE_ARN",
  region: environmentNames.region,
  backendUrl: environmentNames.backendUrl,
  configPassphrase: environmentNames.configPassphrase,
  accessToken: environmentNames.accessToken,
};

/**
 * The repository-level names of one stack's preview: `<NAME>_<STACK>`, which the preview workflow builds with
 * `format('<NAME>_{0}', inputs.stack)` (GitHub matches these names whatever their case).
 */
export function previewNames(stack: string): Readonly<Record<PreviewValue, string>> {
  if (!/^[A-Za-z0-9_]+$/.test(stack))
    throw new Error(
      `stack "${stack}": GitHub variable and secret names take letters, digits and _ only, so a stack previewed by GitHub Actions needs such a name`,
    );
  return Object.fromEntries(
    Object.entries(previewBases).map(([value, base]) => [value, `${base}_${stack.toUpperCase()}`]),
  ) as Record<PreviewValue, string>;
}
