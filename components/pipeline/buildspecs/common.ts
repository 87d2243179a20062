import type { BuildCache } from "../../../stacks/settings";
import type { Buildspec, Phase } from "../buildspec";
import type { ReportKind } from "../plan";

/** Report group ARNs of a project, by kind. */
export type ReportGroupArns = Readonly<Partial<Record<ReportKind, string>>>;

/** Node.js 20 and the project's dependencies, from npm's cache when the project keeps one. */
export const installDependencies: Phase = {
  "runtime-versions": { nodejs: "20" },
  commands: ["node --version && npm --version", "npm ci --prefer-offline --no-audit --no-fund"],
};

/** npm's download cache, kept between builds by the project's S3 or local cache. */
export function npmCache(cache: BuildCache): Pick<Buildspec, "cache"> {
  return cache === "NONE" ? {} : { cache: { paths: ["/root/.npm/**/*"] } };
}

/** The `reports` section: JUnit results and Cobertura coverage, into the project's report groups. */
export function testReports(
  arns: ReportGroupArns,
  files: { readonly junit: string; readonly coverage: string },
): Pick<Buildspec, "reports"> {
  const reports: Record<string, NonNullable<Buildspec["reports"]>[string]> = {};
  if (arns.junit) reports[arns.junit] = { files: [files.junit], "file-format": "JUNITXML" };
  if (arns.coverage)
    reports[arns.coverage] = { files: [files.coverage], "file-format": "COBERTURAXML" };
  return Object.keys(reports).length > 0 ? { reports } : {};
}

/** Prints which commit and pipeline run the build works on (variables the pipeline action sets). */
export const announceRun =
  'echo "Commit ${SOURCE_COMMIT_ID:-unknown}, pipeline run ${PIPELINE_EXECUTION_ID:-none}"';

export { installPulumiCli, pulumiCliVersion } from "./pulumi-cli";

/** Logs in to the stack's backend: Pulumi Cloud with PULUMI_ACCESS_TOKEN, or the self-managed backend's URL. */
export const pulumiLogin = (backendUrl: string | undefined) =>
  backendUrl ? 'pulumi login "$PULUMI_BACKEND_URL"' : "pulumi login";

/** The release plan command (scripts/release-plan.ts), as the buildspecs run it from the repository. */
export const releasePlanCommand = "npm run -s release:plan --";

/** Runs `pulumi preview --json` of a stack into a file; on failure prints what it reported and stops the build. */
export function previewInto(file: string, stack: string, flags: string, failure: string): string {
  return [
    `if ! pulumi preview --stack ${stack} ${flags} --json --non-interactive > ${file}; then`,
    `  echo ${JSON.stringify(failure)} >&2`,
    `  cat ${file} >&2`,
    "  exit 1",
    "fi",
  ].join("\n");
}
