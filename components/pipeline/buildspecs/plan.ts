import { migrationsDirectory } from "../../service/bundle";
import type { Buildspec } from "../buildspec";
import { previewInto, releasePlanCommand } from "./common";
import { pulumiBuildspec, type PulumiBuildOptions } from "./pulumi-build";

/** The Plan action previews this stack. */
export type PlanBuildspecOptions = PulumiBuildOptions;

/** Where the plan's files go: the Plan action's output artifact (preview.json, plan.txt, plan.html, summary.json). */
export const planDirectory = "plan";

/** The Plan action's output variables, which the approval and the stage conditions read. */
export const planVariables = [
  "RISK",
  "CREATE",
  "UPDATE",
  "REPLACE",
  "DELETE",
  "SUMMARY",
  "PLAN_URL",
] as const;

/**
 * The Plan action: `pulumi preview --json` of the run's own commit with the policy pack, with a read-only role; the
 * summary becomes output variables, the full diff an artifact. A failed preview (a mandatory policy) fails the run.
 */
export function planBuildspec(options: PlanBuildspecOptions): Buildspec {
  return pulumiBuildspec(
    options,
    {
      commands: [
        `mkdir -p ${planDirectory}`,
        previewInto(
          `${planDirectory}/preview.json`,
          options.stack,
          "--diff --policy-pack policies",
          "The preview failed (a mandatory policy, or an error in the program): there is nothing to approve.",
        ),
        // The destructive statements of the migrations this release adds join the summary the approvers read.
        `${releasePlanCommand} summarise --preview ${planDirectory}/preview.json --out ${planDirectory} --title "Release of ${options.stack}" --migrations ${migrationsDirectory}`,
        // CodeBuild's link to this build, whose log and artifact hold the rendered plan.
        `PLAN_URL="\${CODEBUILD_BUILD_URL:-}"; set -a; . ${planDirectory}/plan.env; set +a`,
      ],
    },
    {
      exportedVariables: [...planVariables],
      artifacts: { "base-directory": planDirectory, files: ["**/*"] },
    },
  );
}
