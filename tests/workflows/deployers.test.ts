import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { readProjectFile, stackFilePath, stackNames } from "../../tooling/mocks/stack-config";
import { deployerProblems, type StackDeployer, type WorkflowUp } from "./deployers";
import {
  deployWorkflowFor,
  eventWorkflows,
  expandedSteps,
  localPath,
  type SourceFile,
  type Workflow,
} from "./workflow-files";

/** Each stack file's deployer, Pulumi.yaml's default where the file says nothing. */
function stackDeployers(): StackDeployer[] {
  const fallback = String(readProjectFile().config.deployer?.default);
  return stackNames.map((stack) => {
    const file = parse(readFileSync(stackFilePath(stack), "utf8")) as {
      config?: Record<string, unknown>;
    };
    return { stack, deployer: String(file.config?.["pipelines:deployer"] ?? fallback) };
  });
}

/**
 * Every job of these workflows that runs pulumi up: by calling the up workflow, or with a step that runs the Pulumi
 * action or the local pulumi-stack action with command up.
 */
function workflowUps(files: ReadonlyArray<SourceFile<Workflow>>): WorkflowUp[] {
  return files.flatMap((w) =>
    Object.values(w.parsed.jobs).flatMap((job) => {
      const viaReusable =
        job.uses !== undefined && localPath(job.uses) === ".github/workflows/pulumi-up.yml";
      const viaSteps = expandedSteps(job.steps ?? []).some(
        (s) =>
          (s.uses?.startsWith("pulumi/actions@") || s.uses === "./.github/actions/pulumi-stack") &&
          s.with?.command === "up",
      );
      return viaReusable || viaSteps
        ? [{ file: w.file, stack: String(job.with?.stack ?? job.env?.STACK) }]
        : [];
    }),
  );
}

describe("one deployer per stack", () => {
  it("holds for every stack file and every workflow", () => {
    assert.deepEqual(deployerProblems(stackDeployers(), workflowUps(eventWorkflows())), []);
    assert.deepEqual(
      stackDeployers()
        .map((s) => s.stack)
        .sort(),
      [...stackNames].sort(),
    );
  });

  const pipelineStack: StackDeployer = { stack: "production", deployer: "pipeline" };
  const actionsStack: StackDeployer = { stack: "staging", deployer: "github-actions" };
  const deploy = (stack: string): WorkflowUp => ({
    file: `.github/workflows/deploy-${stack}.yml`,
    stack,
  });

  it("refuses a deploy workflow for a stack the pipeline deploys, naming both", () => {
    assert.deepEqual(deployerProblems([pipelineStack], [deploy("production")]), [
      'production has two deployers: Pulumi.production.yaml names the pipeline\'s Deploy stage, and .github/workflows/deploy-production.yml runs pulumi up on it; delete the workflow or set pipelines:deployer: github-actions (and drop the "deploy" stage)',
    ]);
  });

  it("refuses a GitHub Actions stack that no workflow deploys, or that two do", () => {
    assert.match(
      deployerProblems([actionsStack], [])[0],
      /^staging has no deployer: .*copy \.github\/workflow-templates\/deploy-stack\.yml to \.github\/workflows\/deploy-staging\.yml$/,
    );
    assert.match(
      deployerProblems(
        [actionsStack],
        [deploy("staging"), { file: ".github/workflows/release.yml", stack: "staging" }],
      )[0],
      /^staging has 2 deployers: \.github\/workflows\/deploy-staging\.yml, \.github\/workflows\/release\.yml/,
    );
    assert.deepEqual(deployerProblems([actionsStack, pipelineStack], [deploy("staging")]), []);
  });

  it("sees the up of a deploy workflow made from the template, and refuses it for a stack the pipeline deploys", () => {
    const production = stackDeployers().find((s) => s.stack === "production")!;
    assert.equal(production.deployer, "pipeline");
    const deployProduction = deployWorkflowFor("production", "production");
    assert.deepEqual(workflowUps([deployProduction]), [
      { file: ".github/workflows/deploy-production.yml", stack: "production" },
    ]);
    assert.deepEqual(deployerProblems([production], workflowUps([deployProduction])), [
      'production has two deployers: Pulumi.production.yaml names the pipeline\'s Deploy stage, and .github/workflows/deploy-production.yml runs pulumi up on it; delete the workflow or set pipelines:deployer: github-actions (and drop the "deploy" stage)',
    ]);
    // The same workflow for a stack GitHub Actions deploys is its one deployer.
    assert.deepEqual(
      deployerProblems(
        [{ stack: "production", deployer: "github-actions" }],
        workflowUps([deployProduction]),
      ),
      [],
    );
  });

  it("refuses an unknown deployer and a workflow for a stack without a file", () => {
    assert.deepEqual(deployerProblems([{ stack: "dev", deployer: "jenkins" }], [deploy("qa")]), [
      'Pulumi.dev.yaml: pipelines:deployer "jenkins" is not a deployer; allowed: pipeline, github-actions',
      ".github/workflows/deploy-qa.yml runs pulumi up on qa, which has no Pulumi.qa.yaml",
    ]);
  });
});
