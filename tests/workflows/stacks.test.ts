import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { readProjectFile, stackFilePath, stackNames } from "../../tooling/mocks/stack-config";
import {
  deployWorkflowFor,
  eventWorkflows,
  expandedSteps,
  localPath,
  workflow,
  type Job,
  type SourceFile,
  type Step,
  type Workflow,
} from "./workflow-files";

const stackWorkflowFiles = {
  up: ".github/workflows/pulumi-up.yml",
  preview: ".github/workflows/pulumi-preview.yml",
} as const;
const testWorkflowFile = ".github/workflows/test.yml";

/** The branch whose pushes deploy a stack, from its stack file. */
function stackBranch(stack: string): string {
  const file = parse(readFileSync(stackFilePath(stack), "utf8")) as {
    config?: Record<string, unknown>;
  };
  const branch = file.config?.["pipelines:branch"];
  assert.equal(typeof branch, "string", `Pulumi.${stack}.yaml sets no pipelines:branch`);
  return branch as string;
}

/** The stack file's `pipelines:deployer`, Pulumi.yaml's default where it says nothing. */
function stackDeployer(stack: string): string {
  const file = parse(readFileSync(stackFilePath(stack), "utf8")) as {
    config?: Record<string, unknown>;
  };
  return String(file.config?.["pipelines:deployer"] ?? readProjectFile().config.deployer?.default);
}

interface StackCall {
  readonly workflow: SourceFile<Workflow>;
  readonly jobId: string;
  readonly job: Job;
}

/** Jobs of these workflows (by default the event-triggered ones) that run `command` through its reusable workflow. */
const callsOf = (
  command: "up" | "preview",
  files: ReadonlyArray<SourceFile<Workflow>> = eventWorkflows(),
): StackCall[] =>
  files.flatMap((w) =>
    Object.entries(w.parsed.jobs)
      .filter(
        ([, job]) => job.uses !== undefined && localPath(job.uses) === stackWorkflowFiles[command],
      )
      .map(([jobId, job]) => ({ workflow: w, jobId, job })),
  );

const needsOf = (job: Job) =>
  job.needs === undefined ? [] : typeof job.needs === "string" ? [job.needs] : job.needs;
const runs = (step: Step, command: string) =>
  (step.run ?? "")
    .split("\n")
    .some((line) => line.trim() === command || line.trim().startsWith(`${command} `));

describe("GitHub Actions workflows for the stacks", () => {
  it("finds the stack files", () => {
    assert.ok(
      stackNames.includes("dev") && stackNames.includes("production"),
      stackNames.join(", "),
    );
  });

  /** What a stack's deploy workflow must be: pushes to its branch, the tests first, one up at a time, no secret handed down. */
  const checkDeployWorkflow = (
    stack: string,
    branch: string,
    files: ReadonlyArray<SourceFile<Workflow>>,
  ) => {
    const calls = callsOf("up", files).filter((call) => call.job.with?.stack === stack);
    assert.equal(
      calls.length,
      1,
      `want exactly one workflow running pulumi up for Pulumi.${stack}.yaml, found ${calls.map((c) => c.workflow.file).join(", ") || "none"}: ` +
        `copy .github/workflow-templates/deploy-stack.yml to .github/workflows/deploy-${stack}.yml and put ${stack} for STACK and ${branch} for BRANCH`,
    );
    const [{ workflow: deploy, job }] = calls;
    assert.deepEqual(
      deploy.parsed.on,
      { push: { branches: [branch] } },
      `${deploy.file} must run on pushes to ${branch} only`,
    );
    assert.deepEqual(
      job.concurrency,
      { group: `pulumi-up-${stack}`, "cancel-in-progress": false },
      `${deploy.file}: one up of ${stack} at a time, never cancelled`,
    );
    assert.equal(
      job.secrets,
      undefined,
      `${deploy.file}: up reads its environment's secrets itself`,
    );
    const tests = needsOf(job).map((id) => deploy.parsed.jobs[id]);
    assert.ok(
      tests.some((t) => t?.uses !== undefined && localPath(t.uses) === testWorkflowFile),
      `${deploy.file}: pulumi up must wait for npm test`,
    );
  };

  // Only stacks whose file names GitHub Actions as their deployer have a deploy workflow (tests/workflows/deployers.test.ts).
  for (const stack of stackNames.filter((name) => stackDeployer(name) === "github-actions")) {
    it(`deploys the ${stack} stack with pulumi up on pushes to its branch, after the tests, one up at a time`, () => {
      checkDeployWorkflow(stack, stackBranch(stack), eventWorkflows());
    });
  }

  it("makes such a deploy workflow from the template", () => {
    checkDeployWorkflow("staging", "release/staging", [
      deployWorkflowFor("staging", "release/staging"),
    ]);
  });

  it("runs pulumi up only for stacks that have a stack file, each in its own concurrency group", () => {
    const ups = callsOf("up");
    for (const { workflow: w, job } of ups)
      assert.ok(
        stackNames.includes(String(job.with?.stack)),
        `${w.file} deploys ${String(job.with?.stack)}, which has no stack file`,
      );
    const groups = ups.map(({ job }) => job.concurrency?.group);
    assert.equal(
      new Set(groups).size,
      ups.length,
      `concurrency groups must differ per stack: ${groups.join(", ")}`,
    );
  });

  it("previews every stack on pull requests, with the tests, and only for branches of this repository", () => {
    const pullRequest = workflow(".github/workflows/pull-request.yml");
    assert.deepEqual(Object.keys(pullRequest.parsed.on), ["pull_request"]);
    const previews = callsOf("preview");
    assert.deepEqual(
      previews.map((p) => `${p.workflow.file} ${p.jobId}`),
      [".github/workflows/pull-request.yml preview"],
    );
    const [{ job }] = previews;
    const matrix = (job.strategy?.matrix?.stack ?? []) as string[];
    assert.deepEqual(
      [...matrix].sort(),
      [...stackNames].sort(),
      "the preview matrix must list exactly the stacks that have a Pulumi.<stack>.yaml",
    );
    assert.equal(
      job.strategy?.["fail-fast"],
      false,
      "one stack's failed preview must not cancel the others",
    );
    assert.deepEqual(job.with, { stack: "${{ matrix.stack }}" });
    assert.equal(job.if, "github.event.pull_request.head.repo.full_name == github.repository");
    assert.ok(
      Object.values(pullRequest.parsed.jobs).some(
        (j) => j.uses !== undefined && localPath(j.uses) === testWorkflowFile,
      ),
      "pull requests run npm test",
    );
    assert.equal(
      pullRequest.parsed.concurrency?.["cancel-in-progress"],
      true,
      "a new push supersedes the running checks",
    );
  });

  for (const command of ["preview", "up"] as const) {
    it(`runs ${command} on the stack after npm ci and the Lambda bundle, with AWS credentials, the policy pack and one edited comment`, () => {
      const file = stackWorkflowFiles[command];
      const { jobs } = workflow(file).parsed;
      assert.deepEqual(Object.keys(jobs), [command]);
      const job = jobs[command];
      // up runs in the stack's environment, whose OIDC subject only the deploy role trusts; preview in none.
      assert.equal(job.environment, command === "up" ? "${{ inputs.stack }}" : undefined);
      const steps = expandedSteps(job.steps ?? []);
      const index = (what: string, test: (step: Step) => boolean) => {
        const at = steps.findIndex(test);
        assert.ok(at >= 0, `${file} has no step that ${what}`);
        return at;
      };
      const order = [
        index("checks out the repository", (s) => s.uses?.startsWith("actions/checkout@") === true),
        index(
          "sets up Node.js 20",
          (s) =>
            s.uses?.startsWith("actions/setup-node@") === true &&
            String(s.with?.["node-version"]) === "20" &&
            s.with?.cache === "npm",
        ),
        index("runs npm ci", (s) => runs(s, "npm ci")),
        index("runs npm run bundle", (s) => runs(s, "npm run bundle")),
        index(
          "assumes the AWS role",
          (s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") === true,
        ),
        index("runs Pulumi", (s) => s.uses?.startsWith("pulumi/actions@") === true),
      ];
      assert.deepEqual(
        order,
        [...order].sort((a, b) => a - b),
        "steps run in this order: checkout, Node.js, npm ci, bundle, AWS credentials, Pulumi",
      );

      const call = steps.find((s) => s.uses === "./.github/actions/pulumi-stack")!.with ?? {};
      assert.equal(call.command, command);
      assert.equal(
        call["role-to-assume"],
        command === "up"
          ? "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
          : "${{ vars[format('AWS_PREVIEW_ROLE_ARN_{0}', inputs.stack)] }}",
      );
      const pulumi = steps[order[5]].with ?? {};
      assert.equal(pulumi.command, "${{ inputs.command }}");
      assert.equal(pulumi["stack-name"], "${{ inputs.stack }}");
      assert.equal(pulumi.policyPacks, "policies");
      assert.equal(pulumi.diff, true);
      assert.equal(pulumi["comment-on-pr"], "${{ inputs.command == 'preview' }}");
      assert.equal(pulumi["edit-pr-comment"], true);

      const guard = steps.find(
        (s) => s.if === "inputs.command != 'preview' && inputs.command != 'up'",
      );
      assert.ok(
        guard && /exit 1/.test(guard.run ?? ""),
        "any other command fails the job instead of running",
      );
    });
  }

  it("tests with npm ci then npm test", () => {
    const { jobs } = workflow(testWorkflowFile).parsed;
    const steps = expandedSteps(Object.values(jobs)[0].steps ?? []);
    const install = steps.findIndex((s) => runs(s, "npm ci"));
    const test = steps.findIndex((s) => runs(s, "npm test"));
    assert.ok(install >= 0 && test > install, steps.map((s) => s.run ?? s.uses).join(" | "));
  });
});
