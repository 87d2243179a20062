import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { stringify } from "yaml";
import { npmScriptCalls, projectScripts } from "../../policies/npm-scripts";
import { programRun, resourcesOfType } from "../support/harness";
import { policyTarget, runPolicies, unknownDuringPreview } from "../support/policy";
import { expectNoViolations, expectOnlyViolationsOf } from "./expect-violations";

const project = (buildspec: unknown) =>
  policyTarget("aws:codebuild/project:Project", "build", {
    artifacts: { type: "CODEPIPELINE" },
    source:
      buildspec === undefined ? { type: "CODEPIPELINE" } : { type: "CODEPIPELINE", buildspec },
    environment: {
      computeType: "BUILD_GENERAL1_SMALL",
      image: "aws/codebuild/standard:7.0",
      type: "LINUX_CONTAINER",
    },
  });
const spec = (commands: string[], final: string[] = []) =>
  stringify({ version: 0.2, phases: { build: { commands, finally: final } } });

describe("policies: npm scripts in buildspecs", () => {
  it("reads the scripts of the project's package.json", () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: object }).scripts,
    );
    assert.deepEqual(projectScripts, scripts);
  });

  it("finds each script a command calls, with its phase, in every form npm takes", () => {
    const calls = npmScriptCalls(
      spec(
        [
          "npm ci",
          "npm test",
          "npm run -s bundle && npm run-script lint",
          "npm run review:deploy -- --stack pr-1",
        ],
        ["npm run typecheck"],
      ),
    );
    assert.deepEqual(
      calls.map((c) => [c.phase, c.script]),
      [
        ["build", "test"],
        ["build", "bundle"],
        ["build", "lint"],
        ["build", "review:deploy"],
        ["build", "typecheck"],
      ],
    );
  });

  it("has work to do on every stack: the generated buildspecs call npm scripts", async () => {
    for (const stack of ["dev", "production"]) {
      const buildspecs = resourcesOfType(
        await programRun(stack),
        "aws:codebuild/project:Project",
      ).map((p) => (p.inputs.source as { buildspec?: unknown }).buildspec);
      const scripts = new Set(
        buildspecs
          .flatMap((b) => (typeof b === "string" ? npmScriptCalls(b) : []))
          .map((c) => c.script),
      );
      assert.ok(
        ["test", "bundle"].every((s) => scripts.has(s)),
        `${stack}: ${[...scripts].join(", ")}`,
      );
    }
  });

  it("accepts buildspecs calling existing scripts, a buildspec file in the repository, and one not known yet", async () => {
    expectNoViolations(
      await runPolicies([
        project(spec(["npm ci", "npm test", "npm run bundle"])),
        project("buildspec.yml"),
        project(unknownDuringPreview),
        project(undefined),
      ]),
    );
  });

  it("codebuild-npm-scripts-exist catches a mistyped script, with the phase, the command and the nearest script", async () => {
    const bad = project(spec(["npm ci"], ["npm run bundel"]));
    expectOnlyViolationsOf(
      await runPolicies([bad]),
      "codebuild-npm-scripts-exist",
      bad.urn,
      'buildspec phase build runs "npm run bundel", but package.json has no script "bundel"; did you mean bundle?',
      "(scripts: plan, ",
    );
  });

  it("codebuild-npm-scripts-exist catches a script package.json never had", async () => {
    const bad = project(spec(["npm run deploy-everything"]));
    expectOnlyViolationsOf(
      await runPolicies([bad]),
      "codebuild-npm-scripts-exist",
      bad.urn,
      'no script "deploy-everything" (scripts:',
    );
  });
});
