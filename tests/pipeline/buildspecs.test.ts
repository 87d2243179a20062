import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { phaseNames, renderBuildspec, type Buildspec } from "../../components/pipeline/buildspec";
import {
  buildBuildspec,
  deployBuildspec,
  generatedBuildspec,
  publishBuildspec,
  testBuildspec,
} from "../../components/pipeline/buildspecs";
import { artifacts, projectsOf, stagePlan } from "../../components/pipeline/plan";
import { installPulumiCli } from "../../components/pipeline/buildspecs/pulumi-cli";
import { snapshotBeforeMigrationsScript } from "../../components/pipeline/buildspecs/deploy";
import { reportGroupArn, settingsOf } from "./settings-fixture";
import { runWithStandIns } from "./stand-ins";

const reportGroups = { junit: reportGroupArn("junit"), coverage: reportGroupArn("coverage") };
/** A buildspec as CodeBuild reads it: rendered to YAML and parsed back. */
const roundTrip = (buildspec: Buildspec) => parse(renderBuildspec(buildspec)) as Buildspec;
const commandsOf = (buildspec: Buildspec) =>
  phaseNames.flatMap((phase) => buildspec.phases[phase]?.commands ?? []);

describe("the buildspecs", () => {
  it("render to YAML that parses back to the same buildspec, version 0.2", () => {
    const production = settingsOf("production");
    for (const project of projectsOf(stagePlan(production))) {
      assert.equal(project.buildspec.kind, "generated");
      if (project.buildspec.kind !== "generated") continue;
      const buildspec = generatedBuildspec(project.buildspec.spec, project.cache, reportGroups);
      const parsed = roundTrip(buildspec);
      assert.deepEqual(parsed, JSON.parse(JSON.stringify(buildspec)), project.stage);
      assert.equal(parsed.version, 0.2);
      assert.match(renderBuildspec(buildspec), /^version: 0\.2$/m);
    }
  });

  describe("build", () => {
    const spec = roundTrip(
      buildBuildspec({
        coverageThreshold: 85,
        cache: "S3",
        reportGroups,
        outputs: { bundles: artifacts.build, coverage: artifacts.coverage },
      }),
    );

    it("installs with the npm cache, lints, type-checks, tests with coverage, gates coverage, then bundles", () => {
      assert.deepEqual(Object.keys(spec.phases), ["install", "pre_build", "build"]);
      assert.deepEqual(spec.phases.install?.["runtime-versions"], { nodejs: "20" });
      assert.ok(
        spec.phases.install?.commands.includes("npm ci --prefer-offline --no-audit --no-fund"),
      );
      assert.deepEqual(spec.phases.pre_build?.commands.slice(1), [
        "npm run lint",
        "npm run typecheck",
      ]);
      assert.deepEqual(spec.phases.build?.commands, [
        "npm run test:unit",
        "node tooling/coverage/check.js --lines 85",
        "npm run bundle",
      ]);
      assert.deepEqual(spec.cache, { paths: ["/root/.npm/**/*"] });
    });

    it("sends JUnit results and Cobertura coverage to the project's report groups", () => {
      assert.deepEqual(spec.reports, {
        [reportGroups.junit]: { files: ["reports/junit.xml"], "file-format": "JUNITXML" },
        [reportGroups.coverage]: {
          files: ["coverage/cobertura-coverage.xml"],
          "file-format": "COBERTURAXML",
        },
      });
    });

    it("outputs the bundles and the HTML coverage report under the pipeline's artifact names", () => {
      assert.deepEqual(Object.keys(spec.artifacts?.["secondary-artifacts"] ?? {}), [
        artifacts.build,
        artifacts.coverage,
      ]);
      assert.deepEqual(spec.artifacts?.["secondary-artifacts"]?.[artifacts.coverage], {
        "base-directory": "coverage",
        files: ["**/*"],
      });
      assert.ok(
        spec.artifacts?.["secondary-artifacts"]?.[artifacts.build].files.includes(
          "dist/lambdas/**/*",
        ),
      );
    });

    it("keeps no cache section without a cache", () => {
      assert.equal(
        roundTrip(
          buildBuildspec({
            coverageThreshold: 80,
            cache: "NONE",
            reportGroups,
            outputs: { bundles: "B", coverage: "C" },
          }),
        ).cache,
        undefined,
      );
    });
  });

  it("test: runs the service tests with coverage and reports them", () => {
    const spec = roundTrip(testBuildspec({ cache: "LOCAL", reportGroups }));
    assert.deepEqual(spec.phases.build?.commands, [
      "node tooling/coverage/run.js mocha 'tests/service/**/*.test.ts'",
    ]);
    assert.deepEqual(Object.keys(spec.reports ?? {}), [reportGroups.junit, reportGroups.coverage]);
  });

  describe("deploy", () => {
    const cloud = roundTrip(
      deployBuildspec({ stack: "dev", pulumiVersion: "3.248.0", cache: "LOCAL" }),
    );
    const selfManaged = roundTrip(
      deployBuildspec({
        stack: "production",
        pulumiVersion: "3.248.0",
        backendUrl: "s3://state",
        cache: "S3",
      }),
    );
    const smokeTest = cloud.phases.build!.commands.find((command) =>
      command.includes("Smoke test"),
    )!;

    it("shifts traffic to the new API version (CodeDeploy) after pulumi up and before the smoke test", () => {
      const commands = cloud.phases.build!.commands;
      const shift = commands.findIndex((command) =>
        command.includes("aws deploy create-deployment"),
      );
      assert.ok(
        shift > commands.findIndex((command) => command.startsWith("pulumi up")) &&
          shift < commands.indexOf(smokeTest),
        commands.join("\n---\n"),
      );
    });

    it("installs the pinned Pulumi CLI, bundles, logs in, and runs pulumi up on its own stack", () => {
      assert.deepEqual(
        cloud.phases.install?.commands.slice(-installPulumiCli("3.248.0").length),
        installPulumiCli("3.248.0"),
      );
      assert.deepEqual(cloud.phases.pre_build?.commands.slice(1), [
        "npm run bundle",
        "pulumi login",
      ]);
      assert.deepEqual(selfManaged.phases.pre_build?.commands.slice(1), [
        "npm run bundle",
        'pulumi login "$PULUMI_BACKEND_URL"',
      ]);
      // The snapshot before pending migrations comes first, then the update.
      assert.deepEqual(cloud.phases.build?.commands.slice(0, 2), [
        snapshotBeforeMigrationsScript("dev"),
        "pulumi up --stack dev --yes --non-interactive --diff",
      ]);
      assert.deepEqual(selfManaged.phases.build?.commands.slice(0, 2), [
        snapshotBeforeMigrationsScript("production"),
        "pulumi up --stack production --yes --non-interactive --diff",
      ]);
    });

    it("snapshots the database before pulumi up migrates when the stack names one, with the stack's target", () => {
      const target = { engine: "postgres", identifier: "db-1", migrateFunction: "cupping-migrate" };
      const run = runWithStandIns(snapshotBeforeMigrationsScript("production"), {
        pulumi: `test "$*" = "stack output snapshotBeforeMigrations --stack production --json" && echo '${JSON.stringify(target)}'`,
        npm: 'printf "%s\\n" "$@" > "$HOME/npm-args"',
      });
      assert.equal(run.status, 0, run.output);
      assert.deepEqual(readFileSync(path.join(run.dir, "npm-args"), "utf8").trim().split("\n"), [
        "run",
        "-s",
        "db:snapshot",
        "--",
        "--target",
        JSON.stringify(target),
      ]);
    });

    it("takes no snapshot, saying why, when the stack exports no target, and fails the deploy when the snapshot fails", () => {
      const none = runWithStandIns(snapshotBeforeMigrationsScript("dev"), {
        pulumi:
          "echo 'error: current stack does not have output property snapshotBeforeMigrations' >&2; exit 255",
        npm: "exit 99",
      });
      assert.equal(none.status, 0, none.output);
      assert.match(
        none.output,
        /No snapshot before migrations: stack dev has no snapshotBeforeMigrations output/,
      );
      const failed = runWithStandIns(snapshotBeforeMigrationsScript("production"), {
        pulumi: `echo '{"engine":"postgres","identifier":"db-1","migrateFunction":"m"}'`,
        npm: "exit 1",
      });
      assert.equal(failed.status, 1);
    });

    it("smoke-tests GET <apiUrl>/session after the update", () => {
      const run = runWithStandIns(smokeTest, {
        pulumi: 'test "$*" = "stack output apiUrl --stack dev" && echo "https://api.example.com/"',
        curl: 'echo "$*" > "$HOME/curl-args"',
      });
      assert.equal(run.status, 0, run.output);
      assert.match(
        readFileSync(path.join(run.dir, "curl-args"), "utf8"),
        /--fail .*https:\/\/api\.example\.com\/session$/m,
      );
    });

    it("fails the smoke test, saying so, when the stack has no apiUrl output", () => {
      const run = runWithStandIns(smokeTest, {
        pulumi: "echo 'error: current stack does not have output property apiUrl' >&2; exit 255",
        curl: "exit 0",
      });
      assert.equal(run.status, 1);
      assert.match(run.output, /stack dev has no 'apiUrl' output/);
    });

    it("fails the smoke test when the API does not answer", () => {
      const run = runWithStandIns(smokeTest, {
        pulumi: 'echo "https://api.example.com"',
        curl: "exit 22",
      });
      assert.equal(run.status, 1, run.output);
      assert.match(
        run.output,
        /Smoke test failed: GET https:\/\/api\.example\.com\/session did not succeed/,
      );
    });
  });

  describe("publish", () => {
    const spec = roundTrip(publishBuildspec({ bundlesArtifact: artifacts.build, cache: "S3" }));
    const [, login, releasePackage] = spec.phases.pre_build!.commands;
    const publish = spec.phases.build!.commands[0];
    // npm that finds no published version, and answers `npm publish` as told.
    const npm = (publishOutcome: string) =>
      `if [ "$1" = view ]; then exit 1; fi\nif [ "$1" = publish ]; then ${publishOutcome}; fi`;
    const inRelease = (npmStandIn: string) =>
      runWithStandIns(
        `echo '{"name":"svc","version":"1.2.3","description":"d"}' > package.json && ${publish}`,
        { npm: npmStandIn },
        { PACKAGE_NAME: "cupping-service" },
      );

    it("logs npm in to the stack's CodeArtifact repository and packs the Build stage's bundles", () => {
      assert.equal(
        login,
        'aws codeartifact login --tool npm --domain "$CODEARTIFACT_DOMAIN" --repository "$CODEARTIFACT_REPOSITORY"',
      );
      assert.match(releasePackage, /cp -R "\$CODEBUILD_SRC_DIR_BuildArtifact\/dist\/\." release\//);
      assert.match(publish, /npm publish \.\/release/);
    });

    it("packs the bundles as a package named by the stack and versioned as the repository", () => {
      const setUp =
        'mkdir -p bundles/dist/lambdas/cupping && echo "exports.handler=1" > bundles/dist/lambdas/cupping/index.js && echo \'{"version":"1.2.3","description":"d"}\' > package.json';
      const run = runWithStandIns(
        `${setUp} && CODEBUILD_SRC_DIR_BuildArtifact="$PWD/bundles" && ${releasePackage}`,
        {},
        { PACKAGE_NAME: "cupping-service" },
      );
      assert.equal(run.status, 0, run.output);
      const manifest = JSON.parse(readFileSync(path.join(run.dir, "release/package.json"), "utf8"));
      assert.deepEqual(
        [manifest.name, manifest.version, manifest.files],
        ["cupping-service", "1.2.3", ["lambdas"]],
      );
      assert.equal(
        readFileSync(path.join(run.dir, "release/lambdas/cupping/index.js"), "utf8"),
        "exports.handler=1\n",
      );
      assert.notEqual(
        runWithStandIns(
          releasePackage,
          {},
          { PACKAGE_NAME: "x", CODEBUILD_SRC_DIR_BuildArtifact: "/nonexistent" },
        ).status,
        0,
        "no bundles, no package",
      );
    });

    it("publishes a new version", () => {
      const run = inRelease(npm('echo "+ cupping-service@1.2.3"'));
      assert.equal(run.status, 0, run.output);
      assert.match(run.output, /\+ cupping-service@1\.2\.3/);
    });

    it("succeeds without change when the registry already lists the version", () => {
      const run = inRelease(
        'if [ "$1" = view ]; then echo 1.2.3; exit 0; fi\necho "must not publish" >&2; exit 9',
      );
      assert.equal(run.status, 0, run.output);
      assert.match(run.output, /cupping-service@1\.2\.3 is already published: nothing to do/);
    });

    it("succeeds without change when publishing answers that the version exists (E409)", () => {
      const run = inRelease(
        npm(
          'echo "npm error code E409" >&2; echo "npm error 409 Conflict - PUT https://d-123.d.codeartifact.us-east-1.amazonaws.com/npm/releases/cupping-service" >&2; exit 1',
        ),
      );
      assert.equal(run.status, 0, run.output);
      assert.match(run.output, /already published: nothing to do/);
    });

    it("fails on any other publish error", () => {
      const run = inRelease(npm('echo "npm error code E403 Forbidden" >&2; exit 1'));
      assert.equal(run.status, 1, run.output);
    });

    it("runs the configured command instead, with the bundles in place", () => {
      const custom = roundTrip(
        publishBuildspec({
          bundlesArtifact: artifacts.build,
          command: "sam publish --template packaged.yaml",
          cache: "NONE",
        }),
      );
      assert.deepEqual(custom.phases.build?.commands, ["sam publish --template packaged.yaml"]);
      assert.ok(!commandsOf(custom).some((c) => c.includes("codeartifact")));
    });
  });
});
