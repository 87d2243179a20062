import { gitWithToken } from "../github/git-with-token";
import type { Buildspec } from "../pipeline/buildspec";
import { installDependencies, installPulumiCli } from "../pipeline/buildspecs/common";
import { shellQuote } from "../pipeline/shell-quote";

/** What the review builds need to know; the pull request comes from CodeBuild's webhook variables. */
export interface ReviewBuild {
  /** The stack review stacks copy (dev). */
  readonly baseStack: string;
  /** The repository as owner/name. */
  readonly repository: string;
  /** The default branch: teardowns and sweeps run its program, never a pull request's. */
  readonly defaultBranch: string;
  /** Self-managed state backend URL; absent means Pulumi Cloud (PULUMI_ACCESS_TOKEN). */
  readonly backendUrl?: string;
  readonly pulumiVersion: string;
  readonly maxStacks: number;
  readonly ttlHours: number;
}

/** Where the teardown checks out the default branch, apart from the pull request's checkout. */
export const defaultBranchCheckout = "$HOME/default-branch";

const login = (backendUrl?: string) =>
  backendUrl
    ? `pulumi login --non-interactive ${shellQuote(backendUrl)}`
    : "pulumi login --non-interactive";
const base = (p: ReviewBuild) =>
  `--base-stack ${shellQuote(p.baseStack)} --repository ${shellQuote(p.repository)}`;

function buildspec(
  install: readonly string[],
  preBuild: readonly string[],
  build: readonly string[],
): Buildspec {
  return {
    version: 0.2,
    env: { shell: "bash", variables: { PULUMI_SKIP_UPDATE_CHECK: "true" } },
    phases: {
      install: { "runtime-versions": installDependencies["runtime-versions"], commands: install },
      pre_build: { commands: preBuild },
      build: { commands: build },
    },
  };
}

/** Deploys the pull request's program as its review stack (the checkout CodeBuild made of the pull request). */
export function reviewDeployBuildspec(p: ReviewBuild): Buildspec {
  return buildspec(
    [...installDependencies.commands, ...installPulumiCli(p.pulumiVersion)],
    ["npm run bundle", login(p.backendUrl)],
    [`npm run review:deploy -- ${base(p)} --max-stacks ${p.maxStacks}`],
  );
}

/**
 * Tears the review stack down with the default branch's code: a fresh clone of it, apart from the pull request's
 * checkout, so nothing the pull request changed (scripts, dependencies, this build's steps) runs. The token goes
 * in a header, never in the URL that git prints.
 */
export function reviewTeardownBuildspec(p: ReviewBuild): Buildspec {
  const inDefault = (command: string) => `cd "${defaultBranchCheckout}" && ${command}`;
  return buildspec(
    [
      `rm -rf "${defaultBranchCheckout}" && ${gitWithToken} clone --quiet --depth 1 --branch ${shellQuote(p.defaultBranch)} "$REPOSITORY_URL" "${defaultBranchCheckout}"`,
      inDefault(`echo "Tearing down with ${p.defaultBranch} at $(git rev-parse HEAD)"`),
      inDefault("npm ci --prefer-offline --no-audit --no-fund"),
      ...installPulumiCli(p.pulumiVersion),
    ],
    [inDefault(login(p.backendUrl))],
    // The report replaces the review comment on the pull request (scrubbed).
    [inDefault(`npm run review:teardown -- ${base(p)}`)],
  );
}

/** The scheduled sweep, on the default branch (the project's source version). */
export function reviewSweepBuildspec(p: ReviewBuild): Buildspec {
  return buildspec(
    [...installDependencies.commands, ...installPulumiCli(p.pulumiVersion)],
    [login(p.backendUrl)],
    [`npm run review:sweep -- ${base(p)} --ttl-hours ${p.ttlHours}`],
  );
}
