import type { BuildCache } from "../../../stacks/settings";
import type { Buildspec } from "../buildspec";
import {
  announceRun,
  installDependencies,
  installPulumiCli,
  npmCache,
  previewInto,
  pulumiLogin,
  releasePlanCommand,
} from "./common";

export interface PlanBuildspecOptions {
  /** The stack to preview: this stack. */
  readonly stack: string;
  /** Pulumi CLI version to install (the SDK's own). */
  readonly pulumiVersion: string;
  /** Self-managed state backend; absent means Pulumi Cloud. */
  readonly backendUrl?: string;
  readonly cache: BuildCache;
}

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
  return {
    version: 0.2,
    env: {
      shell: "bash",
      variables: { CI: "true", PULUMI_SKIP_UPDATE_CHECK: "true" },
      "exported-variables": [...planVariables],
    },
    phases: {
      install: {
        ...installDependencies,
        commands: [...installDependencies.commands, ...installPulumiCli(options.pulumiVersion)],
      },
      pre_build: { commands: [announceRun, "npm run bundle", pulumiLogin(options.backendUrl)] },
      build: {
        commands: [
          `mkdir -p ${planDirectory}`,
          previewInto(
            `${planDirectory}/preview.json`,
            options.stack,
            "--diff --policy-pack policies",
            "The preview failed (a mandatory policy, or an error in the program): there is nothing to approve.",
          ),
          `${releasePlanCommand} summarise --preview ${planDirectory}/preview.json --out ${planDirectory} --title "Release of ${options.stack}"`,
          // CodeBuild's link to this build, whose log and artifact hold the rendered plan.
          `PLAN_URL="\${CODEBUILD_BUILD_URL:-}"; set -a; . ${planDirectory}/plan.env; set +a`,
        ],
      },
    },
    artifacts: { "base-directory": planDirectory, files: ["**/*"] },
    ...npmCache(options.cache),
  };
}
