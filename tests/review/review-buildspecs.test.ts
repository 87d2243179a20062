import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { phaseNames, renderBuildspec, type Buildspec } from "../../components/pipeline/buildspec";
import { installPulumiCli } from "../../components/pipeline/buildspecs/pulumi-cli";
import { pullRequestRepository } from "../support/pull-request-repository";
import {
  reviewDeployBuildspec,
  reviewSweepBuildspec,
  reviewTeardownBuildspec,
  type ReviewBuild,
} from "../../components/review/review-buildspecs";

const build: ReviewBuild = {
  baseStack: "dev",
  repository: "acme-coffee/cupping-service",
  defaultBranch: "main",
  pulumiVersion: "3.248.0",
  maxStacks: 5,
  ttlHours: 72,
};
const commandsOf = (spec: Buildspec) =>
  phaseNames.flatMap((phase) => spec.phases[phase]?.commands ?? []);
describe("the review buildspecs", () => {
  it("render to YAML CodeBuild reads back unchanged", () => {
    for (const spec of [
      reviewDeployBuildspec(build),
      reviewTeardownBuildspec(build),
      reviewSweepBuildspec(build),
    ])
      assert.deepEqual(parse(renderBuildspec(spec)), JSON.parse(JSON.stringify(spec)));
  });

  it("deploy the pull request's program with the cap, and sweep with the TTL, after logging in to the backend", () => {
    assert.deepEqual(reviewDeployBuildspec(build).phases.build?.commands, [
      "npm run review:deploy -- --base-stack 'dev' --repository 'acme-coffee/cupping-service' --max-stacks 5",
    ]);
    assert.deepEqual(
      reviewSweepBuildspec({ ...build, backendUrl: "s3://state" }).phases.pre_build?.commands,
      ["pulumi login --non-interactive 's3://state'"],
    );
    assert.deepEqual(reviewSweepBuildspec(build).phases.build?.commands, [
      "npm run review:sweep -- --base-stack 'dev' --repository 'acme-coffee/cupping-service' --ttl-hours 72",
    ]);
  });

  it("attack: a pull request that rewrites the teardown script to exit 0 is torn down by the default branch's script", () => {
    const root = mkdtempSync(path.join(tmpdir(), "review-teardown-"));
    const { origin, work } = pullRequestRepository(
      root,
      "teardown.txt",
      "the default branch's teardown\n",
      "exit 0 # leak everything\n",
    );

    // Stand-ins: npm records where it ran and what it read; pulumi answers. The checked CLI install is left out
    // (tests/pipeline/pulumi-cli.test.ts runs it).
    const bin = path.join(root, "bin");
    mkdirSync(bin);
    const standIn = (name: string, body: string) => {
      writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\n${body}\n`);
      chmodSync(path.join(bin, name), 0o755);
    };
    standIn("npm", `echo "npm $* in $PWD: $(cat teardown.txt)" >> "${root}/npm.log"`);
    standIn("pulumi", "true");
    const install = installPulumiCli(build.pulumiVersion);
    const script = commandsOf(reviewTeardownBuildspec(build))
      .filter((command) => !install.includes(command))
      .join("\n");
    const home = path.join(root, "home");
    mkdirSync(home);
    const run = spawnSync("bash", ["-e", "-c", script], {
      cwd: work, // CodeBuild's checkout of the pull request
      encoding: "utf8",
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        HOME: home,
        REPOSITORY_URL: `file://${origin}`,
        GITHUB_TOKEN: "ghp_notprinted",
      },
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const npmLog = readFileSync(path.join(root, "npm.log"), "utf8").trim().split("\n");
    const checkout = path.join(home, "default-branch");
    assert.deepEqual(npmLog, [
      `npm ci --prefer-offline --no-audit --no-fund in ${checkout}: the default branch's teardown`,
      `npm run review:teardown -- --base-stack dev --repository acme-coffee/cupping-service in ${checkout}: the default branch's teardown`,
    ]);
    assert.ok(
      !`${run.stdout}${run.stderr}`.includes("ghp_notprinted"),
      "the token is never printed",
    );
    assert.match(run.stdout, /Tearing down with main at [0-9a-f]{40}/);
  });
});
