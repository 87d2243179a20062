import { strict as assert } from "node:assert";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { projectRoot } from "../../tooling/mocks/stack-config";
import { actionName, pinnedActions, pinProblems } from "./pinned-actions";
import {
  describeValidationErrors,
  localActions,
  localPath,
  templates,
  workflow,
  workflowInputs,
  workflowSecrets,
  workflows,
  type Step,
  type Workflow,
} from "./workflow-files";

/** Every step of every job and local action, with where it is. */
const allSteps: Array<{ where: string; step: Step }> = [
  ...[...workflows, ...templates].flatMap((w) =>
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
  ...[...workflows, ...templates].flatMap((w) =>
    Object.entries(w.parsed.jobs)
      .filter(([, job]) => job.uses)
      .map(([id, job]) => ({
        where: `${w.file} jobs.${id}`,
        uses: job.uses!,
        with: job.with ?? {},
        secrets: typeof job.secrets === "object" ? job.secrets : {},
      })),
  ),
  ...allSteps
    .filter(({ step }) => step.uses?.startsWith("./"))
    .map(({ where, step }) => ({
      where,
      uses: step.uses!,
      with: step.with ?? {},
      secrets: {},
    })),
];

describe("GitHub Actions files", () => {
  it("finds the workflows and the local action", () => {
    assert.ok(workflows.length >= 3, workflows.map((w) => w.file).join(", "));
    assert.ok(localActions.length >= 1);
  });

  for (const { file, text } of [...workflows, ...templates]) {
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
      if (!isWorkflow) continue;
      // Secrets too, each by name: a reusable workflow gets only the secrets its caller names.
      const declaredSecrets = workflowSecrets(workflow(path.relative(projectRoot, file)).parsed);
      const passed = call.secrets;
      for (const name of Object.keys(passed))
        assert.ok(
          name in declaredSecrets,
          `${call.where} passes the secret ${name}, which ${call.uses} does not declare`,
        );
      for (const [name, secret] of Object.entries(declaredSecrets))
        if (secret.required)
          assert.ok(
            name in passed,
            `${call.where} does not pass ${call.uses}'s required secret ${name}`,
          );
    }
  });

  it("pins every third-party action by its full commit SHA, with the version in a comment", () => {
    const files = [...workflows, ...templates, ...localActions];
    const pins = files.flatMap((f) =>
      f.text.split("\n").filter((l) => /^\s*(-\s+)?uses:\s*[^.\s]/.test(l)),
    );
    assert.ok(pins.length >= 5, pins.join("\n"));
    assert.deepEqual(
      files.flatMap((f) => pinProblems(f.file, f.text)),
      [],
    );
  });

  it("refuses a tag, a short SHA, a SHA without its version, and a SHA that is not the version's", () => {
    const { sha } = pinnedActions["actions/checkout"];
    const text = [
      "steps:",
      "  - uses: actions/checkout@v4",
      "  - uses: actions/checkout@11d5960",
      `  - uses: actions/checkout@${sha}`,
      `  - uses: actions/checkout@${"0".repeat(40)} # v4.4.0`,
      `  - uses: someone/else@${sha} # v1.0.0`,
      `  - uses: actions/checkout@${sha} # v4.4.0`,
      "  - uses: ./.github/actions/setup-project",
    ].join("\n");
    const problems = pinProblems("x.yml", text);
    assert.equal(problems.length, 5, problems.join("\n"));
    assert.match(
      problems[0],
      /^x\.yml:2: actions\/checkout@v4 must be pinned as <owner>\/<repo>@<full 40-hex commit SHA> # <version>/,
    );
    assert.match(problems[1], /^x\.yml:3: /);
    assert.match(problems[2], /^x\.yml:4: /);
    assert.match(
      problems[3],
      /^x\.yml:5: actions\/checkout is pinned to 0{40} # v4\.4\.0, but v4\.4\.0 is 11d5960a/,
    );
    assert.match(
      problems[4],
      /^x\.yml:6: someone\/else is not among the actions whose pins and inputs are checked/,
    );
  });

  it("gives every third-party action only inputs it has", () => {
    const external = allSteps.filter(({ step }) => step.uses && !step.uses.startsWith("./"));
    assert.ok(external.length >= 5);
    for (const { where, step } of external) {
      const inputs = pinnedActions[actionName(step.uses!)]?.inputs;
      assert.ok(
        inputs,
        `${where} uses ${step.uses}; known here: ${Object.keys(pinnedActions).join(", ")}`,
      );
      for (const name of Object.keys(step.with ?? {}))
        assert.ok(inputs.includes(name), `${where}: ${step.uses} has no input ${name}`);
    }
  });

  it("the reusable workflows are only called, never triggered by events", () => {
    for (const file of [
      ".github/workflows/pulumi-preview.yml",
      ".github/workflows/pulumi-up.yml",
      ".github/workflows/test.yml",
    ]) {
      assert.deepEqual(Object.keys(workflow(file).parsed.on), ["workflow_call"], file);
    }
    for (const file of [
      ".github/workflows/pulumi-preview.yml",
      ".github/workflows/pulumi-up.yml",
    ]) {
      const stackWorkflow: Workflow = workflow(file).parsed;
      assert.deepEqual(Object.keys(workflowInputs(stackWorkflow)), ["stack"], file);
    }
  });
});
