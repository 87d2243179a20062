import type { BuildCache } from "../../../stacks/settings";
import type { Buildspec } from "../buildspec";
import { announceRun, installDependencies, npmCache } from "./common";

export interface PublishBuildspecOptions {
  /** Input artifact holding the Build stage's Lambda bundles (a secondary source of the build). */
  readonly bundlesArtifact: string;
  /** Replaces the default npm publish to CodeArtifact (e.g. `sam publish ...`). */
  readonly command?: string;
  readonly cache: BuildCache;
}

/** npm's answers when the version is already in the registry: E409 (npm 7+), EPUBLISHCONFLICT (older npm), npmjs's text. */
export const alreadyPublished = [
  "E409",
  "EPUBLISHCONFLICT",
  "cannot publish over the previously published version",
] as const;

// The release package: the bundles of the Build stage, named and versioned after the repository's package.json.
function releasePackage(bundlesDir: string): string {
  return [
    "rm -rf release && mkdir -p release",
    `cp -R "${bundlesDir}/dist/." release/`,
    `node -e 'const p = require("./package.json"); require("fs").writeFileSync("release/package.json", JSON.stringify({ name: process.env.PACKAGE_NAME, version: p.version, description: p.description, license: p.license || "UNLICENSED", files: ["lambdas"] }, null, 2))'`,
  ].join(" && ");
}

const npmPublish = [
  'VERSION="$(node -p "require(\'./package.json\').version")"',
  'if [ "$(npm view "$PACKAGE_NAME@$VERSION" version 2>/dev/null)" = "$VERSION" ]; then',
  '  echo "$PACKAGE_NAME@$VERSION is already published: nothing to do"',
  "else",
  "  npm publish ./release > publish.log 2>&1; status=$?",
  "  cat publish.log",
  "  if [ $status -ne 0 ]; then",
  `    if grep -Eqi '${alreadyPublished.join("|")}' publish.log; then echo "$PACKAGE_NAME@$VERSION is already published: nothing to do"; else exit $status; fi`,
  "  fi",
  "fi",
].join("\n");

/** Publish stage: npm publish of the release to the stack's CodeArtifact repository, or the configured command. */
export function publishBuildspec(options: PublishBuildspecOptions): Buildspec {
  // CodeBuild unpacks each secondary input artifact into CODEBUILD_SRC_DIR_<artifact name>.
  const bundlesDir = `$CODEBUILD_SRC_DIR_${options.bundlesArtifact}`;
  if (options.command) {
    return {
      version: 0.2,
      env: { shell: "bash", variables: { CI: "true" } },
      phases: {
        install: installDependencies,
        pre_build: {
          commands: [announceRun, `mkdir -p dist && cp -R "${bundlesDir}/dist/." dist/`],
        },
        build: { commands: [options.command] },
      },
      ...npmCache(options.cache),
    };
  }
  return {
    version: 0.2,
    env: { shell: "bash", variables: { CI: "true" } },
    phases: {
      install: {
        "runtime-versions": installDependencies["runtime-versions"],
        commands: ["node --version && npm --version"],
      },
      pre_build: {
        commands: [
          announceRun,
          'aws codeartifact login --tool npm --domain "$CODEARTIFACT_DOMAIN" --repository "$CODEARTIFACT_REPOSITORY"',
          releasePackage(bundlesDir),
        ],
      },
      build: { commands: [npmPublish] },
    },
  };
}
