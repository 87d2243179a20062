import { strict as assert } from "node:assert";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { projectRoot } from "../../tooling/mocks/stack-config";
import {
  describeValidationErrors,
  localActions,
  localPath,
  workflow,
  workflowInputs,
  workflows,
  type Step,
  type Workflow,
} from "./workflow-files";

/**
 * The inputs of each action the workflows use, at the major version they pin (from each action's action.yml).
 * action-validator checks workflow syntax, not what an action accepts: a misspelt input is silently ignored by GitHub.
 */
const actionInputs: Readonly<Record<string, readonly string[]>> = {
  "actions/checkout@v4": [
    "repository",
    "ref",
    "token",
    "persist-credentials",
    "path",
    "clean",
    "fetch-depth",
    "fetch-tags",
    "lfs",
    "submodules",
  ],
  "actions/setup-node@v4": [
    "node-version",
    "node-version-file",
    "architecture",
    "check-latest",
    "registry-url",
    "scope",
    "token",
    "cache",
    "cache-dependency-path",
  ],
  "actions/upload-artifact@v4": [
    "name",
    "path",
    "if-no-files-found",
    "retention-days",
    "compression-level",
    "overwrite",
    "include-hidden-files",
  ],
  "aws-actions/configure-aws-credentials@v4": [
    "aws-region",
    "role-to-assume",
    "role-session-name",
    "role-duration-seconds",
    "audience",
    "role-skip-session-tagging",
    "mask-aws-account-id",
  ],
  "pulumi/actions@v6": [
    "command",
    "stack-name",
    "pulumi-version",
    "pulumi-version-file",
    "work-dir",
    "comment-on-pr",
    "comment-on-pr-number",
    "comment-on-summary",
    "github-token",
    "cloud-url",
    "secrets-provider",
    "parallel",
    "message",
    "config-map",
    "expect-no-changes",
    "diff",
    "replace",
    "target",
    "target-dependents",
    "policyPacks",
    "policyPackConfigs",
    "refresh",
    "upsert",
    "remove",
    "edit-pr-comment",
    "color",
    "exclude-protected",
    "plan",
    "suppress-outputs",
    "suppress-progress",
    "always-include-summary",
  ],
};

/** Every step of every job and local action, with where it is. */
const allSteps: Array<{ where: string; step: Step }> = [
  ...workflows.flatMap((w) =>
    Object.entries(w.parsed.jobs).flatMap(([id, job]) =>
      (job.steps ?? []).map((step, i) => ({ where: `${w.file} jobs.${id}.steps[${i}]`, step })),
    ),
  ),
  ...localActions.flatMap((a) =>
    a.parsed.runs.steps.map((step, i) => ({ where: `${a.file} runs.steps[${i}]`, step })),
  ),
];

/** Every local `uses:` (a reusable workflow called by a job, or a local action used by a step) with the inputs it passes. */
const localCalls = [
  ...workflows.flatMap((w) =>
    Object.entries(w.parsed.jobs)
      .filter(([, job]) => job.uses)
      .map(([id, job]) => ({
        where: `${w.file} jobs.${id}`,
        uses: job.uses!,
        with: job.with ?? {},
      })),
  ),
  ...allSteps
    .filter(({ step }) => step.uses?.startsWith("./"))
    .map(({ where, step }) => ({ where, uses: step.uses!, with: step.with ?? {} })),
];

describe("GitHub Actions files", () => {
  it("finds the workflows and the local action", () => {
    assert.ok(workflows.length >= 3, workflows.map((w) => w.file).join(", "));
    assert.ok(localActions.length >= 1);
  });

  for (const { file, text } of workflows) {
    it(`${file} is a valid workflow (action-validator's schema)`, () => {
      const state = validateWorkflow(text);
      assert.equal(state.actionType, "workflow");
      assert.deepEqual(describeValidationErrors(state.errors), [], `${file} does not validate`);
    });
  }

  for (const { file, text } of localActions) {
    it(`${file} is a valid action (action-validator's schema)`, () => {
      assert.deepEqual(
        describeValidationErrors(validateAction(text).errors),
        [],
        `${file} does not validate`,
      );
    });
  }

  it("the validator does reject a broken workflow, and the errors say where", () => {
    const broken = workflow(".github/workflows/pull-request.yml").text.replace(
      "cancel-in-progress: true",
      "cancel-in-progress: later",
    );
    const lines = describeValidationErrors(validateWorkflow(broken).errors);
    assert.ok(
      lines.some((line) => line.includes("/concurrency")),
      lines.join("\n"),
    );
    const unparsable = describeValidationErrors(validateWorkflow("on: [push\njobs: {}\n").errors);
    assert.match(unparsable.join("\n"), /Parse Error/);
  });

  it("every local uses: names a file that exists, and passes exactly the inputs it declares", () => {
    assert.ok(localCalls.length >= 4);
    for (const call of localCalls) {
      const target = path.join(projectRoot, localPath(call.uses));
      const isWorkflow = /\.ya?ml$/.test(target);
      const file = isWorkflow
        ? target
        : ["action.yml", "action.yaml"].map((f) => path.join(target, f)).find((f) => existsSync(f));
      assert.ok(file && existsSync(file), `${call.where}: ${call.uses} does not exist`);
      const declared = isWorkflow
        ? workflowInputs(workflow(path.relative(projectRoot, file)).parsed)
        : (localActions.find((a) => path.join(projectRoot, a.file) === file)?.parsed.inputs ?? {});
      for (const name of Object.keys(call.with))
        assert.ok(
          name in declared,
          `${call.where} passes ${name}, which ${call.uses} does not declare`,
        );
      for (const [name, input] of Object.entries(declared)) {
        if (input.required && input.default === undefined)
          assert.ok(
            name in call.with,
            `${call.where} does not pass ${call.uses}'s required input ${name}`,
          );
      }
    }
  });

  it("every other action is pinned to a known major version and given only inputs it has", () => {
    const external = allSteps.filter(({ step }) => step.uses && !step.uses.startsWith("./"));
    assert.ok(external.length >= 5);
    for (const { where, step } of external) {
      const inputs = actionInputs[step.uses!];
      assert.ok(
        inputs,
        `${where} uses ${step.uses}; known here: ${Object.keys(actionInputs).join(", ")}`,
      );
      for (const name of Object.keys(step.with ?? {}))
        assert.ok(inputs.includes(name), `${where}: ${step.uses} has no input ${name}`);
    }
  });

  it("the reusable workflows are only called, never triggered by events", () => {
    for (const file of [".github/workflows/pulumi-stack.yml", ".github/workflows/test.yml"]) {
      assert.deepEqual(Object.keys(workflow(file).parsed.on), ["workflow_call"], file);
    }
    const stackWorkflow: Workflow = workflow(".github/workflows/pulumi-stack.yml").parsed;
    assert.deepEqual(Object.keys(workflowInputs(stackWorkflow)).sort(), ["command", "stack"]);
  });
});
