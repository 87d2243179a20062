import { strict as assert } from "node:assert";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { parse } from "yaml";
import { renderBuildspec, type Buildspec } from "../../components/pipeline/buildspec";
import {
  approvedChangesCheck,
  driftBuildspec,
  planBuildspec,
  planVariables,
} from "../../components/pipeline/buildspecs";
import { releasePlanCommand } from "../../components/pipeline/buildspecs/common";
import type { PreviewDigest } from "../../components/pipeline/release/preview-digest";
import { databaseReplacement, digest, functionUpdate, step } from "./preview-fixtures";
import { runWithStandIns } from "./stand-ins";

const plan = parse(
  renderBuildspec(
    planBuildspec({
      stack: "production",
      pulumiVersion: "3.248.0",
      backendUrl: "s3://state",
      cache: "NONE",
    }),
  ),
) as Buildspec;
// The build phase as CodeBuild runs it (one shell; the first failing command fails the phase), then the exported
// variables as CodeBuild reads them at the end.
const planScript = [
  "set -e",
  ...plan.phases.build!.commands,
  ...planVariables.map((v) => `echo "EXPORTED ${v}=\${${v}}"`),
].join("\n");

/** The release plan command bundled once, so the stand-in `npm` runs the real code without compiling it per run. */
let releasePlanJs: string;
/** `npm` that runs exactly the release plan command the buildspecs name, and refuses anything else. */
const npm = () =>
  `[ "$1 $2 $3 $4" = "${releasePlanCommand.replace(/^npm /, "")}" ] || { echo "unexpected npm $*" >&2; exit 97; }\nshift 4\nexec node "${releasePlanJs}" "$@"`;
/** `pulumi` that prints a preview digest for `preview ... --json`, exiting as told. */
const pulumi = (printed: PreviewDigest | string, status = 0) =>
  `case "$*" in *preview*--json*) cat <<'JSON'\n${typeof printed === "string" ? printed : JSON.stringify(printed, null, 2)}\nJSON\nexit ${status};; *) echo "unexpected pulumi $*" >&2; exit 98;; esac`;
const exported = (output: string) =>
  Object.fromEntries([...output.matchAll(/^EXPORTED (\w+)=(.*)$/gm)].map(([, k, v]) => [k, v]));

describe("the release buildspecs' shell against a stand-in pulumi", () => {
  before(() => {
    const dir = mkdtempSync(path.join(tmpdir(), "release-plan-"));
    releasePlanJs = path.join(dir, "release-plan.js");
    buildSync({
      entryPoints: [path.join(__dirname, "../../scripts/release-plan.ts")],
      bundle: true,
      platform: "node",
      format: "cjs",
      outfile: releasePlanJs,
      logLevel: "error",
    });
  });

  describe("Plan", () => {
    const realMigrations = path.join(__dirname, "../../lambdas/cupping/migrations");
    /** The Plan build over a checkout whose migrations folder holds the project's files and `extra` ones. */
    const runPlan = (
      printed: PreviewDigest | string,
      status = 0,
      extra: Record<string, string> = {},
    ) =>
      runWithStandIns(
        planScript,
        { pulumi: pulumi(printed, status), npm: npm() },
        {
          CODEBUILD_BUILD_URL:
            "https://console.aws.amazon.com/codesuite/codebuild/projects/p/build/p:1",
        },
        (dir) => {
          const migrations = path.join(dir, "lambdas/cupping/migrations");
          mkdirSync(migrations, { recursive: true });
          cpSync(realMigrations, migrations, { recursive: true });
          for (const [file, sql] of Object.entries(extra))
            writeFileSync(path.join(migrations, file), sql);
        },
      );
    /** The migration invocation's step: the deployed code's migration ids, and the release's. */
    const migrationStep = (before: string[], after: string[]) =>
      step("update", "aws:lambda/invocation:Invocation", "cupping-migration", {
        oldState: {
          type: "aws:lambda/invocation:Invocation",
          inputs: { input: JSON.stringify({ source: "pulumi", migrationIds: before }) },
        },
        newState: {
          type: "aws:lambda/invocation:Invocation",
          inputs: { input: JSON.stringify({ source: "pulumi", migrationIds: after }) },
        },
      });
    const deployed = ["0001-create-sessions", "0002-create-cuppings"];
    const dropNotes =
      "-- destructive: notes moved to tasting_notes in 0003, read from there since the last release\nALTER TABLE sessions DROP COLUMN notes;\n";

    it("puts the destructive statements of the migrations the release adds, with their reasons, into the approvers' summary", () => {
      const run = runPlan(
        digest([functionUpdate(), migrationStep(deployed, [...deployed, "0004-drop-notes"])]),
        0,
        {
          "0003-rename-shipped.sql": "ALTER TABLE sessions RENAME COLUMN a TO b;\n",
          "0004-drop-notes.sql": dropNotes,
        },
      );
      assert.equal(run.status, 0, run.output);
      const variables = exported(run.output);
      assert.equal(variables.RISK, "review");
      assert.match(
        variables.SUMMARY,
        /migration 0004-drop-notes\.sql line 2: DROP COLUMN \(marked: notes moved to tasting_notes in 0003, read from there since the last release\)/,
      );
      // A destructive statement of a migration that is not new to this release is not the approvers' concern again.
      assert.doesNotMatch(variables.SUMMARY, /0003-rename-shipped/);
      const text = readFileSync(path.join(run.dir, "plan", "plan.txt"), "utf8");
      assert.match(
        text,
        /^Destructive migrations:\n {2}- 0004-drop-notes\.sql:2 DROP COLUMN: ALTER TABLE sessions DROP COLUMN notes \(notes moved/m,
      );
      const summary = JSON.parse(readFileSync(path.join(run.dir, "plan", "summary.json"), "utf8"));
      assert.deepEqual(
        summary.destructiveMigrations.map((m: { file: string }) => m.file),
        ["0004-drop-notes.sql"],
      );
    });

    it("lists no migration when the release adds none, even beside destructive files already deployed", () => {
      const run = runPlan(
        digest([
          functionUpdate(),
          migrationStep([...deployed, "0004-drop-notes"], [...deployed, "0004-drop-notes"]),
        ]),
        0,
        { "0004-drop-notes.sql": dropNotes },
      );
      assert.equal(run.status, 0, run.output);
      assert.equal(exported(run.output).RISK, "none");
      assert.doesNotMatch(
        readFileSync(path.join(run.dir, "plan", "plan.txt"), "utf8"),
        /Destructive/,
      );
    });

    it("exports RISK none and zero counts when nothing changes, and keeps the full plan as the artifact", () => {
      const run = runPlan(digest([step("same", "aws:lambda/function:Function", "api")]));
      assert.equal(run.status, 0, run.output);
      assert.deepEqual(exported(run.output), {
        RISK: "none",
        CREATE: "0",
        UPDATE: "0",
        REPLACE: "0",
        DELETE: "0",
        SUMMARY: "RISK none: 0 to create, 0 to update, 0 to replace, 0 to delete.",
        PLAN_URL: "https://console.aws.amazon.com/codesuite/codebuild/projects/p/build/p:1",
      });
      for (const file of ["preview.json", "plan.txt", "plan.html", "summary.json"])
        assert.ok(readFileSync(path.join(run.dir, "plan", file), "utf8").length > 0, file);
      assert.deepEqual(plan.artifacts, { "base-directory": "plan", files: ["**/*"] });
      assert.deepEqual(plan.env?.["exported-variables"], [...planVariables]);
    });

    it("exports RISK danger when the database is replaced, and says why", () => {
      const run = runPlan(digest([functionUpdate(), ...databaseReplacement()]));
      assert.equal(run.status, 0, run.output);
      const variables = exported(run.output);
      assert.deepEqual([variables.RISK, variables.UPDATE, variables.REPLACE], ["danger", "1", "1"]);
      assert.match(
        variables.SUMMARY,
        /replace aws:rds\/instance:Instance cupping-database-instance: data it holds is lost/,
      );
      assert.match(run.output, /^Changes:$/m, "the rendered plan is in the build log");
    });

    it("fails, printing the preview's report, when a mandatory policy is violated", () => {
      const violation = digest(
        [],
        [
          {
            urn: "urn:pulumi:production::pipelines::aws:s3/bucket:Bucket::artifacts",
            message: "error: preview failed: mandatory policy s3-no-public-read violated",
            severity: "error",
          },
        ],
      );
      const run = runPlan(violation, 255);
      assert.equal(run.status, 1, run.output);
      assert.match(
        run.output,
        /The preview failed \(a mandatory policy, or an error in the program\): there is nothing to approve\./,
      );
      assert.match(run.output, /mandatory policy s3-no-public-read violated/);
      assert.ok(!/EXPORTED RISK=\w/.test(run.output), "no RISK for a failed preview");
    });

    it("fails when the preview prints something that is not the documented JSON", () => {
      const run = runPlan("Previewing update (production):");
      assert.notEqual(run.status, 0);
      assert.match(run.output, /plan\/preview\.json is not JSON/);
    });
  });

  describe("Deploy's check of the approved plan", () => {
    const approved = digest([functionUpdate()]);
    const check = approvedChangesCheck("production", "PlanArtifact");
    const aws = (executionType: string) =>
      `[ "$1 $2" = "codepipeline get-pipeline-execution" ] || exit 96\necho "${executionType}"`;
    const deploy = (current: PreviewDigest, executionType = "STANDARD") =>
      // CodeBuild unpacks the PlanArtifact input beside the source and names its folder in this variable.
      runWithStandIns(
        `CODEBUILD_SRC_DIR_PlanArtifact="$PWD/plan-artifact"\n${check}\necho "pulumi up would run now"`,
        { pulumi: pulumi(current), npm: npm(), aws: aws(executionType) },
        { PIPELINE_NAME: "cupping-service-production", PIPELINE_EXECUTION_ID: "e-1" },
        (dir) => {
          mkdirSync(path.join(dir, "plan-artifact"));
          writeFileSync(path.join(dir, "plan-artifact", "preview.json"), JSON.stringify(approved));
        },
      );

    it("goes on when the change set about to be applied is the approved one", () => {
      const run = deploy(approved);
      assert.equal(run.status, 0, run.output);
      assert.match(run.output, /The change set is the approved one\.\npulumi up would run now/);
    });

    it("refuses, printing the difference, when the plan changed after approval", () => {
      const run = deploy(digest([functionUpdate(), ...databaseReplacement()]));
      assert.equal(run.status, 1, run.output);
      assert.match(run.output, /Refusing to deploy: the change set differs from the approved plan/);
      assert.match(
        run.output,
        /not approved: replace urn:pulumi:production::pipelines::pulumi:pulumi:Stack\$aws:rds\/instance:Instance::cupping-database-instance/,
      );
      assert.ok(!run.output.includes("pulumi up would run now"));
    });

    it("re-applies the last release without the check on a rollback run", () => {
      const run = deploy(digest([...databaseReplacement()]), "ROLLBACK");
      assert.equal(run.status, 0, run.output);
      assert.match(run.output, /Rollback run: re-applying the last successful release/);
    });

    it("stops when CodePipeline cannot say what kind of run this is", () => {
      const run = runWithStandIns(check, { pulumi: pulumi(approved), npm: npm(), aws: "exit 255" });
      assert.equal(run.status, 1, run.output);
    });
  });

  describe("the drift check", () => {
    const drift = parse(
      renderBuildspec(
        driftBuildspec({ stack: "production", pulumiVersion: "3.248.0", cache: "NONE" }),
      ),
    ) as Buildspec;
    const script = ["set -e", ...drift.phases.build!.commands].join("\n");
    // `aws sns publish` that keeps what it was asked to send.
    const check = (printed: PreviewDigest, status: number) =>
      runWithStandIns(
        script,
        {
          pulumi: `[ "$2 $3 $4 $5" = "--stack production --refresh --expect-no-changes" ] || exit 95\n${pulumi(printed, status)}`,
          npm: npm(),
          aws: `[ "$1 $2" = "sns publish" ] || exit 96\necho "$*" > "$HOME/sns-args"\nfor a in "$@"; do case "$a" in file://*) cp "\${a#file://}" "$HOME/sns-message";; esac; done`,
        },
        {
          NOTIFICATION_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:notifications",
          CODEBUILD_BUILD_URL: "https://console.aws.amazon.com/codesuite/codebuild/b/1",
        },
      );

    it("sends nothing when the stack has not drifted", () => {
      const run = check(digest([step("same", "aws:s3/bucket:Bucket", "artifacts")]), 0);
      assert.equal(run.status, 0, run.output);
      assert.match(
        run.output,
        /No drift: the resources of stack production match what the program declares\./,
      );
      assert.throws(
        () => readFileSync(path.join(run.dir, "sns-args")),
        /ENOENT/,
        "nothing published",
      );
    });

    it("tells the notifications topic which resources drifted: JSON for Slack, text for e-mail", () => {
      const run = check(
        digest([
          {
            ...step("update", "aws:ec2/securityGroup:SecurityGroup", "cupping-database-sg"),
            diffReasons: ["ingress"],
          },
        ]),
        255,
      );
      assert.equal(run.status, 0, run.output);
      assert.match(
        readFileSync(path.join(run.dir, "sns-args"), "utf8"),
        /--topic-arn arn:aws:sns:us-east-1:123456789012:notifications --subject Drift in stack production --message-structure json/,
      );
      const message = JSON.parse(readFileSync(path.join(run.dir, "sns-message"), "utf8"));
      assert.deepEqual(JSON.parse(message.default), {
        driftCheck: {
          stack: "production",
          resources: [
            {
              urn: "urn:pulumi:production::pipelines::pulumi:pulumi:Stack$aws:ec2/securityGroup:SecurityGroup::cupping-database-sg",
              kind: "update",
              properties: ["ingress"],
            },
          ],
          buildUrl: "https://console.aws.amazon.com/codesuite/codebuild/b/1",
        },
      });
      assert.match(
        message.email,
        /^Drift in stack production: 1 resource\(s\) differ.*\n {2}update urn:.*cupping-database-sg \(ingress\)\n/,
      );
    });

    it("fails, sending nothing, when the preview fails for another reason", () => {
      const run = check(
        digest([], [{ message: "error: could not read the state", severity: "error" }]),
        255,
      );
      assert.equal(run.status, 1, run.output);
      assert.match(
        run.output,
        /The drift check's preview failed without showing drift:\nerror: could not read the state/,
      );
      assert.throws(() => readFileSync(path.join(run.dir, "sns-args")), /ENOENT/);
    });
  });
});
