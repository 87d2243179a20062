import { readFileSync } from "node:fs";
import {
  baseStackReferenceName,
  reviewStackConfig,
  reviewStackOf,
  type ConfigSetting,
} from "../../components/review";
import { mockOrganization, type ProgramRun } from "../../tooling/mocks/program-run";
import { loadStackConfig, stackFilePath } from "../../tooling/mocks/stack-config";
import { sharedRunProgram } from "./harness";

/** A config map with one `pulumi config set` applied; `--path` keys write into the map they name, as the CLI does. */
function applySetting(
  config: Record<string, unknown>,
  setting: ConfigSetting,
): Record<string, unknown> {
  const pathKey = setting.path ? /^([^.]+)\.(.+)$/.exec(setting.key) : null;
  if (!pathKey) return { ...config, [setting.key]: setting.value };
  const [, top, rest] = pathKey;
  const steps = [...rest.matchAll(/([^.[\]"]+)|\["([^"]+)"\]/g)].map((m) => m[1] ?? m[2]);
  const root = structuredClone(
    typeof config[top] === "string" ? JSON.parse(config[top]) : (config[top] ?? {}),
  ) as Record<string, unknown>;
  let at = root;
  for (const step of steps.slice(0, -1)) at = (at[step] ??= {}) as Record<string, unknown>;
  at[steps[steps.length - 1]] = setting.value;
  return { ...config, [top]: root };
}

/**
 * The review stack of a pull request under the mocks, configured as the review build configures it: the base stack's
 * config with the review settings set over it, and the base stack's outputs behind its stack reference. Shared by the
 * whole test process, as `sharedRunProgram` runs are.
 */
export async function reviewStackRun(pullRequest: number, base: ProgramRun): Promise<ProgramRun> {
  const review = reviewStackOf(`pr-${pullRequest}`, base.stack);
  const baseConfig = loadStackConfig(base.stack).config;
  const edit = reviewStackConfig(review, base.engineConfig.project).reduce<Record<string, unknown>>(
    (config, setting) => applySetting(config, setting),
    { "aws:defaultTags": baseConfig["aws:defaultTags"] },
  );
  return sharedRunProgram(review.stack, {
    stackFileText: readFileSync(stackFilePath(base.stack), "utf8"),
    stackFileName: `Pulumi.${review.stack}.yaml`,
    edit,
    stackReferences: {
      [baseStackReferenceName(mockOrganization, base.engineConfig.project, base.stack)]:
        base.outputs,
    },
  });
}
