import type { BuildCache } from "../../../stacks/settings";
import type { Buildspec } from "../buildspec";
import {
  announceRun,
  installDependencies,
  npmCache,
  testReports,
  type ReportGroupArns,
} from "./common";

export interface BuildBuildspecOptions {
  /** Line coverage in percent below which the build fails. */
  readonly coverageThreshold: number;
  readonly cache: BuildCache;
  readonly reportGroups: ReportGroupArns;
  /** Output artifact names: the Lambda bundles and the HTML coverage report. */
  readonly outputs: { readonly bundles: string; readonly coverage: string };
}

/** Build stage: install, lint, type-check, unit tests with coverage and reports, coverage gate, Lambda bundles. */
export function buildBuildspec(options: BuildBuildspecOptions): Buildspec {
  return {
    version: 0.2,
    env: { shell: "bash", variables: { CI: "true" } },
    phases: {
      install: installDependencies,
      pre_build: { commands: [announceRun, "npm run lint", "npm run typecheck"] },
      build: {
        commands: [
          // Writes reports/junit.xml and coverage/ (Cobertura, LCOV, HTML) as tooling/coverage/settings.js and
          // tests/reporters.json say.
          "npm run test:unit",
          `node tooling/coverage/check.js --lines ${options.coverageThreshold}`,
          "npm run bundle",
        ],
      },
    },
    ...testReports(options.reportGroups, {
      junit: "reports/junit.xml",
      coverage: "coverage/cobertura-coverage.xml",
    }),
    artifacts: {
      "secondary-artifacts": {
        [options.outputs.bundles]: {
          files: ["dist/lambdas/**/*", "package.json", "package-lock.json"],
        },
        [options.outputs.coverage]: { "base-directory": "coverage", files: ["**/*"] },
      },
    },
    ...npmCache(options.cache),
  };
}
