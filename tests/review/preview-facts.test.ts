import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import ignore from "ignore";
import { previewBuildspec, previewFactsFile } from "../../components/github/preview-buildspec";
import { statefulTypes } from "../../components/pipeline/release/risk";
import { prices, hoursPerMonth } from "../../scripts/cost/prices";
import { factSections } from "../../scripts/github/comment-sections";
import { readStackFacts } from "../../scripts/github/stack-facts-file";
import { main } from "../../scripts/preview-facts";
import { PulumiCli } from "../../scripts/review/pulumi-cli";
import { pullRequestRepository } from "../support/pull-request-repository";
import { pulumiStandIn, type PulumiStandIn } from "../support/pulumi-stand-in";
import { projectRoot } from "../../tooling/mocks/stack-config";

/** Whether `.gitignore` keeps a path of the project (relative, with "/" after a folder's name) out of its commits. */
const ignoredByGit = ignore()
  .add(readFileSync(path.join(projectRoot, ".gitignore"), "utf8"))
  .add(".git/");

/**
 * A checkout of the project as a commit has it: the files `.gitignore` does not exclude (read from the folder, not
 * from git, since a build's source artifact has no .git), the installed dependencies, the dev stack file edited.
 */
function checkout(instanceClass: string, extraMigration?: { file: string; sql: string }): string {
  const dir = mkdtempSync(path.join(tmpdir(), "preview-facts-checkout-"));
  cpSync(projectRoot, dir, {
    recursive: true,
    filter: (source) => {
      const relative = path.relative(projectRoot, source);
      if (relative === "") return true;
      // A node_modules link (a second worktree's) is a file to .gitignore's node_modules/: it is linked below instead.
      if (relative === "node_modules") return false;
      return !ignoredByGit.ignores(
        `${relative.split(path.sep).join("/")}${lstatSync(source).isDirectory() ? "/" : ""}`,
      );
    },
  });
  symlinkSync(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"));
  const stackFile = path.join(dir, "Pulumi.dev.yaml");
  writeFileSync(
    stackFile,
    // An RDS instance (dev runs Aurora Serverless by default), of the class the commit chose.
    readFileSync(stackFile, "utf8").replace(
      /pipelines:dbEngine: \S+/,
      `pipelines:dbEngine: postgres\n  pipelines:dbInstanceClass: ${instanceClass}`,
    ),
  );
  if (extraMigration)
    writeFileSync(
      path.join(dir, "lambdas", "cupping", "migrations", extraMigration.file),
      extraMigration.sql,
    );
  return dir;
}

const urn = (type: string, name: string) => `urn:pulumi:dev::pipelines::${type}::${name}`;
const database = "aws:rds/instance:Instance";
const api = "aws:lambda/function:Function";

// What `pulumi preview --json` prints (PreviewDigest, sdk/go/common/display/json.go): a replacement is three steps.
const digest = {
  config: { "aws:region": "us-east-1" },
  steps: [
    { op: "same", urn: urn("pulumi:pulumi:Stack", "pipelines-dev") },
    {
      op: "create-replacement",
      urn: urn(database, "cupping-database-instance"),
      oldState: { type: database },
      newState: { type: database },
      replaceReasons: ["instanceClass"],
      detailedDiff: { instanceClass: { kind: "update-replace", inputDiff: true } },
    },
    {
      op: "replace",
      urn: urn(database, "cupping-database-instance"),
      newState: { type: database },
      replaceReasons: ["instanceClass"],
    },
    {
      op: "delete-replaced",
      urn: urn(database, "cupping-database-instance"),
      oldState: { type: database },
    },
    {
      op: "update",
      urn: urn(api, "cupping-api-function"),
      oldState: { type: api },
      newState: { type: api },
      diffReasons: ["memorySize"],
    },
  ],
  diagnostics: [],
  changeSummary: { same: 1, replace: 1, update: 1 },
};

describe("preview-facts (stand-in pulumi, the cost estimator on two checkouts)", () => {
  let pulumi: PulumiStandIn | undefined;
  afterEach(async () => {
    await pulumi?.close();
    pulumi = undefined;
  });

  it("writes the comment's facts: the preview's counts and RISK, the database replaced, the cost delta of a larger instance, the destructive migration added", async () => {
    pulumi = await pulumiStandIn({ preview: digest });
    const base = checkout("db.t4g.micro");
    const head = checkout("db.t4g.small", {
      file: "0099-drop-notes.sql",
      sql: "ALTER TABLE cuppings DROP COLUMN notes;\n",
    });
    const out = path.join(mkdtempSync(path.join(tmpdir(), "preview-facts-")), "facts.json");

    const result = await main(
      ["--stack", "dev", "--base-dir", base, "--head-dir", head, "--out", out],
      { ...process.env, PULUMI_CONFIG_PASSPHRASE: "" },
      new PulumiCli({ command: pulumi.command }),
    );
    assert.equal(result.exitCode, 0, result.text);
    assert.deepEqual(pulumi.calls(), ["preview --stack dev --json --non-interactive"]);

    // The file is what preview-comment.ts --facts reads.
    const facts = readStackFacts(readFileSync(out, "utf8"), out);
    assert.deepEqual(facts.plan?.counts, { create: 0, update: 1, replace: 1, delete: 0 });
    assert.equal(facts.plan?.risk, "danger", "a replaced database loses its data");

    const hourly = prices.rdsInstanceHour;
    const expected = (hourly["db.t4g.small"].usd - hourly["db.t4g.micro"].usd) * hoursPerMonth;
    const delta = facts.cost!.headMonthlyUsd - facts.cost!.baseMonthlyUsd;
    assert.ok(expected > 0);
    assert.ok(
      Math.abs(delta - expected) < 0.011,
      `delta ${delta}, the price table says ${expected}`,
    );
    assert.ok(facts.cost!.baseMonthlyUsd > 0, "the base estimate ran on the base's stack file");

    // Only the migration the pull request adds, not the base's own.
    assert.deepEqual(facts.destructiveMigrations, [
      { file: "0099-drop-notes.sql:1", reason: "DROP COLUMN: no `-- destructive:` reason given" },
    ]);

    const sections = factSections(facts, statefulTypes).join("\n\n");
    assert.match(
      sections,
      /\*\*Plan:\*\* 0 to create, 1 to update, 1 to replace, 0 to delete · \*\*RISK danger\*\*/,
    );
    assert.match(sections, /replace `aws:rds\/instance:Instance` `cupping-database-instance`/);
    assert.match(sections, /\*\*Idle monthly cost:\*\* \+\$/);
    assert.match(sections, /`0099-drop-notes.sql:1`: DROP COLUMN/);
  });

  it("refuses output that is not a preview digest, naming what is wrong", async () => {
    pulumi = await pulumiStandIn({ preview: { steps: [{ op: "create" }] } });
    const out = path.join(mkdtempSync(path.join(tmpdir(), "preview-facts-")), "facts.json");
    await assert.rejects(
      main(
        ["--stack", "dev", "--base-dir", projectRoot, "--out", out],
        process.env,
        new PulumiCli({ command: pulumi.command }),
      ),
      /not the shape pulumi preview --json prints:\n {2}- steps\.0\.urn/,
    );
  });

  it("names the flags it needs", async () => {
    await assert.rejects(main(["--stack", "dev"], process.env), /--base-dir, --out required/);
  });
});

describe("the preview build's facts step (a local origin, stand-in npm)", () => {
  const factsStep = () =>
    previewBuildspec({
      stack: "dev",
      repository: "acme-coffee/cupping-service",
      pulumiVersion: "3.248.0",
    }).phases.post_build!.commands.find((command) => command.includes("preview:facts"))!;

  /** An origin whose main differs from the pull request's checkout, and the checkout CodeBuild made of the pull request. */
  function repositories() {
    const root = mkdtempSync(path.join(tmpdir(), "preview-facts-git-"));
    const { origin, work } = pullRequestRepository(
      root,
      "Pulumi.dev.yaml",
      "pipelines:dbInstanceClass: db.t4g.micro\n",
      "pipelines:dbInstanceClass: db.t4g.small\n",
    );
    const bin = path.join(root, "bin");
    mkdirSync(bin);
    // npm records where it ran, what stack file it saw and its arguments.
    writeFileSync(
      path.join(bin, "npm"),
      `#!/usr/bin/env bash\necho "npm $* in $PWD: $(cat Pulumi.dev.yaml)" >> "${root}/npm.log"\n`,
    );
    chmodSync(path.join(bin, "npm"), 0o755);
    return { root, origin, work, bin };
  }

  it("checks out the base commit beside the pull request's, installs it, and gathers the facts from both", () => {
    const { root, origin, work, bin } = repositories();
    const home = path.join(root, "home");
    mkdirSync(home);
    const run = spawnSync("bash", ["-e", "-c", factsStep()], {
      cwd: work,
      encoding: "utf8",
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        HOME: home,
        REPOSITORY_URL: `file://${origin}`,
        CODEBUILD_WEBHOOK_BASE_REF: "refs/heads/main",
        GITHUB_TOKEN: "ghs_notprinted",
      },
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const base = path.join(home, "base-checkout");
    assert.deepEqual(readFileSync(path.join(root, "npm.log"), "utf8").trim().split("\n"), [
      `npm ci --prefer-offline --no-audit --no-fund in ${base}: pipelines:dbInstanceClass: db.t4g.micro`,
      `npm run -s preview:facts -- --stack dev --base-dir ${base} --out ${previewFactsFile} in ${work}: pipelines:dbInstanceClass: db.t4g.small`,
    ]);
    assert.ok(!`${run.stdout}${run.stderr}`.includes("ghs_notprinted"));
  });

  it("writes empty facts when the base cannot be fetched, so the comment still goes", () => {
    const { root, work, bin } = repositories();
    const run = spawnSync("bash", ["-e", "-c", factsStep()], {
      cwd: work,
      encoding: "utf8",
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        HOME: root,
        REPOSITORY_URL: `file://${root}/no-such-origin.git`,
        CODEBUILD_WEBHOOK_BASE_REF: "refs/heads/main",
      },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /The comment goes without its facts/);
    assert.deepEqual(
      readStackFacts(readFileSync(path.join(work, previewFactsFile), "utf8"), "x"),
      {},
    );
  });
});
