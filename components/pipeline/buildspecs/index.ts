import type { BuildCache } from "../../../stacks/settings";
import type { Buildspec } from "../buildspec";
import type { GeneratedBuildspec } from "../plan";
import { buildBuildspec } from "./build";
import type { ReportGroupArns } from "./common";
import { deployBuildspec } from "./deploy";
import { driftBuildspec } from "./drift";
import { planBuildspec } from "./plan";
import { publishBuildspec } from "./publish";
import { testBuildspec } from "./test";

export { buildBuildspec } from "./build";
export { approvedChangesCheck, deployBuildspec, smokeTest } from "./deploy";
export { planBuildspec, planDirectory, planVariables } from "./plan";
export { driftBuildspec } from "./drift";
export { alreadyPublished, publishBuildspec } from "./publish";
export { integrationTests, testBuildspec } from "./test";
export type { ReportGroupArns } from "./common";

/** The generated buildspec the plan describes for a project, once its report groups exist. */
export function generatedBuildspec(
  spec: GeneratedBuildspec,
  cache: BuildCache,
  reportGroups: ReportGroupArns,
): Buildspec {
  switch (spec.stage) {
    case "build":
      return buildBuildspec({ ...spec, cache, reportGroups });
    case "test":
      return testBuildspec({ cache, reportGroups });
    case "plan":
      return planBuildspec({ ...spec, cache });
    case "drift":
      return driftBuildspec({ ...spec, cache });
    case "deploy":
      return deployBuildspec({ ...spec, cache });
    case "publish":
      return publishBuildspec({ ...spec, cache });
  }
}
