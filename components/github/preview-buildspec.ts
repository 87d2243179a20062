import type { Buildspec } from "../pipeline/buildspec";
import { gitWithToken } from "./git-with-token";
import { installWithPulumiCli } from "../pipeline/buildspecs/pulumi-build";
import { shellQuote } from "../pipeline/shell-quote";

/** What the preview of one stack needs to know. */
export interface PreviewBuild {
  /** The stack to preview. */
  readonly stack: string;
  /** The repository as owner/name, where the preview comment goes. */
  readonly repository: string;
  /** Self-managed state backend URL; absent means Pulumi Cloud (PULUMI_ACCESS_TOKEN). */
  readonly backendUrl?: string;
  /** Pulumi CLI version to install. */
  readonly pulumiVersion: string;
}

/** Where the preview's output goes, for the comment. */
export const previewOutputFile = "pulumi-preview.txt";

/** Where the comment's facts go (scripts/preview-facts.ts): `{}` when they could not be gathered. */
export const previewFactsFile = "pulumi-preview-facts.json";

/** Where the build checks out the pull request's base commit, whose program the cost delta compares with. */
export const baseCheckout = "$HOME/base-checkout";

/**
 * The pull request's base commit beside its checkout (CODEBUILD_WEBHOOK_BASE_REF), with its dependencies, then the
 * facts of the comment. Facts are extra: when they fail, the comment goes without them.
 */
const factsCommand = (stack: string, repository: string) =>
  `{ rm -rf "${baseCheckout}" && ${gitWithToken} fetch --quiet --depth 1 "\${REPOSITORY_URL:-https://github.com/${repository}.git}" "$CODEBUILD_WEBHOOK_BASE_REF" && git worktree add --quiet --detach "${baseCheckout}" FETCH_HEAD && (cd "${baseCheckout}" && npm ci --prefer-offline --no-audit --no-fund) && npm run -s preview:facts -- --stack ${stack} --base-dir "${baseCheckout}" --out ${previewFactsFile}; } || { echo "The comment goes without its facts (plan, cost, migrations)."; echo '{}' > ${previewFactsFile}; }`;

/** Removes the stack's secrets and credential-shaped strings from what it reads (scripts/scrub-output.ts). */
const scrubCommand = (stack: string) => `npm run -s preview:scrub -- --stack ${stack}`;

/**
 * Tests, then `pulumi preview` of the stack with the project's policy pack, then the output as the pull request's
 * comment. A failed preview fails the build (pipefail), so the status on the pull request turns red; post_build
 * still runs after a failed build phase and the comment says it failed (CODEBUILD_BUILD_SUCCEEDING).
 */
export function previewBuildspec(p: PreviewBuild): Buildspec {
  const stack = shellQuote(p.stack);
  return {
    version: 0.2,
    env: { shell: "bash", variables: { PULUMI_SKIP_UPDATE_CHECK: "true" } },
    phases: {
      install: installWithPulumiCli(p.pulumiVersion),
      pre_build: {
        commands: [
          "npm test",
          "npm run bundle",
          p.backendUrl
            ? `pulumi login --non-interactive ${shellQuote(p.backendUrl)}`
            : "pulumi login --non-interactive",
        ],
      },
      build: {
        // The output reaches the log and the comment file only through the scrubber.
        commands: [
          `set -o pipefail; pulumi preview --stack ${stack} --diff --policy-pack policies --non-interactive 2>&1 | ${scrubCommand(stack)} | tee ${previewOutputFile}`,
        ],
      },
      post_build: {
        commands: [
          factsCommand(stack, p.repository),
          `npm run -s preview:comment -- --stack ${stack} --repository ${shellQuote(p.repository)} --file ${previewOutputFile} --facts ${previewFactsFile}`,
        ],
      },
    },
  };
}
