import type { StackSettings } from "../../../stacks/settings";
import type { Buildspec } from "../buildspec";
import { artifacts, type CodeBuildStage, type ProjectPlan } from "../plan";
import { buildBuildspec } from "./build";
import type { ReportGroupArns } from "./common";
import { deployBuildspec } from "./deploy";
import { publishBuildspec } from "./publish";
import { testBuildspec } from "./test";

export { buildBuildspec } from "./build";
export { deployBuildspec, smokeTest } from "./deploy";
export { alreadyPublished, publishBuildspec } from "./publish";
export { integrationTests, testBuildspec } from "./test";
export type { ReportGroupArns } from "./common";

/** What the generated buildspecs need besides the project's plan. */
export interface BuildspecContext {
  readonly settings: Pick<StackSettings, "environment" | "build" | "deploy" | "publish">;
  /** Pulumi CLI version the Deploy stage installs. */
  readonly pulumiVersion: string;
}

const byStage: Readonly<Record<CodeBuildStage, (project: ProjectPlan, reportGroups: ReportGroupArns, context: BuildspecContext) => Buildspec>> = {
  build: (project, reportGroups, { settings }) =>
    buildBuildspec({ coverageThreshold: settings.build.coverageThreshold, cache: project.cache, reportGroups, outputs: { bundles: artifacts.build, coverage: artifacts.coverage } }),
  test: (project, reportGroups) => testBuildspec({ cache: project.cache, reportGroups }),
  deploy: (project, _reportGroups, { settings, pulumiVersion }) =>
    deployBuildspec({ stack: settings.environment, pulumiVersion, backendUrl: settings.deploy.backendUrl, cache: project.cache }),
  publish: (project, _reportGroups, { settings }) => publishBuildspec({ bundlesArtifact: artifacts.build, command: settings.publish.command, cache: project.cache }),
};

/** The generated buildspec of a project, once its report groups exist. */
export function generatedBuildspec(project: ProjectPlan, reportGroups: ReportGroupArns, context: BuildspecContext): Buildspec {
  return byStage[project.stage](project, reportGroups, context);
}
