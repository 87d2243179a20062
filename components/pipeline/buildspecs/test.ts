import type { BuildCache } from "../../../stacks/settings";
import type { Buildspec } from "../buildspec";
import {
  announceRun,
  installDependencies,
  npmCache,
  testReports,
  type ReportGroupArns,
} from "./common";

export interface TestBuildspecOptions {
  readonly cache: BuildCache;
  readonly reportGroups: ReportGroupArns;
}

/** The service's integration tests; each test file starts an embedded PostgreSQL inside the build container. */
export const integrationTests = "tests/service/**/*.test.ts";

/** Test stage: the service tests against a real PostgreSQL, with JUnit and coverage reports. */
export function testBuildspec(options: TestBuildspecOptions): Buildspec {
  return {
    version: 0.2,
    env: { shell: "bash", variables: { CI: "true" } },
    phases: {
      install: installDependencies,
      pre_build: { commands: [announceRun] },
      // mocha writes reports/junit.xml (tests/reporters.json); coverage/ is written as tooling/coverage/settings.js says.
      build: { commands: [`node tooling/coverage/run.js mocha '${integrationTests}'`] },
    },
    ...testReports(options.reportGroups, {
      junit: "reports/junit.xml",
      coverage: "coverage/cobertura-coverage.xml",
    }),
    ...npmCache(options.cache),
  };
}
