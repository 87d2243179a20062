import { strict as assert } from "node:assert";
import { environmentNames } from "../../components/github-actions";
import {
  calledJobs,
  deployWorkflowFor,
  localActions,
  localPath,
  templates,
  workflow,
  workflowFromText,
  workflows,
  type SourceFile,
  type Step,
  type Workflow,
} from "./workflow-files";

const readsSecrets = (value: unknown) => /\bsecrets\s*(\.|\[)/.test(JSON.stringify(value ?? {}));
const allWorkflows = () => [...workflows, ...templates, deployWorkflowFor("staging", "staging")];

/** One line per workflow-level or job-level env that holds a secret: every step of the job, npm ci's scripts too, would see it. */
function envSecretProblems(w: SourceFile<Workflow>): string[] {
  return [
    ...(readsSecrets(w.parsed.env) ? [`${w.file}: the workflow's env reads a secret`] : []),
    ...Object.entries(w.parsed.jobs)
      .filter(([, job]) => readsSecrets(job.env))
      .map(
        ([id]) =>
          `${w.file} jobs.${id}: the job's env reads a secret; give it to the one step that needs it`,
      ),
  ];
}

/** One line per job of a pull_request-triggered workflow that could obtain the deploy role: its environment, its names, its workflow. */
function deployRoleReach(w: SourceFile<Workflow>): string[] {
  const events = Object.keys(w.parsed.on);
  if (!events.some((e) => e === "pull_request" || e === "pull_request_target")) return [];
  return Object.entries(w.parsed.jobs).flatMap(([id, job]) => {
    const where = `${w.file} jobs.${id} (on ${events.join(", ")})`;
    const problems: string[] = [];
    if (job.uses && localPath(job.uses) === ".github/workflows/pulumi-up.yml")
      problems.push(`${where} calls pulumi-up.yml`);
    for (const called of calledJobs(job)) {
      const inside = called.file ? ` through ${called.file}` : "";
      if (called.job.environment !== undefined)
        problems.push(
          `${where} runs in an environment${inside}, whose token the deploy role may trust`,
        );
      if (JSON.stringify(called.job).includes(environmentNames.deployRoleArn))
        problems.push(`${where} reads ${environmentNames.deployRoleArn}${inside}`);
    }
    return problems;
  });
}

describe("GitHub Actions secrets and the deploy role", () => {
  it("never hands a called workflow every secret (secrets: inherit)", () => {
    for (const w of allWorkflows()) {
      assert.doesNotMatch(w.text, /secrets:\s*inherit/, w.file);
      for (const [id, job] of Object.entries(w.parsed.jobs))
        assert.notEqual(job.secrets, "inherit", `${w.file} jobs.${id}`);
    }
  });

  it("keeps secrets out of workflow-level and job-level env", () => {
    assert.deepEqual(allWorkflows().flatMap(envSecretProblems), []);
    const doctored = workflowFromText(
      ".github/workflows/pulumi-up.yml",
      workflow(".github/workflows/pulumi-up.yml").text.replace(
        "    environment: ${{ inputs.stack }}\n",
        "    environment: ${{ inputs.stack }}\n    env:\n      PULUMI_CONFIG_PASSPHRASE: ${{ secrets.PULUMI_CONFIG_PASSPHRASE }}\n",
      ),
    );
    assert.deepEqual(envSecretProblems(doctored), [
      ".github/workflows/pulumi-up.yml jobs.up: the job's env reads a secret; give it to the one step that needs it",
    ]);
  });

  it("hands secrets to one step, the Pulumi action, and to its env only", () => {
    const stepsWithSecrets = allWorkflows().flatMap((w) =>
      Object.values(w.parsed.jobs).flatMap((job) => (job.steps ?? []).filter(readsSecrets)),
    );
    assert.ok(stepsWithSecrets.length >= 2);
    for (const step of stepsWithSecrets)
      assert.equal(step.uses, "./.github/actions/pulumi-stack", JSON.stringify(step));
    const secretInputs = /inputs\.(config-passphrase|access-token)\b/;
    const action = localActions.find((a) => a.file === ".github/actions/pulumi-stack/action.yml")!;
    const holders = action.parsed.runs.steps.filter((s: Step) =>
      secretInputs.test(JSON.stringify(s)),
    );
    assert.equal(holders.length, 1);
    assert.match(holders[0].uses ?? "", /^pulumi\/actions@/);
    assert.ok(secretInputs.test(JSON.stringify(holders[0].env)));
    assert.ok(
      !secretInputs.test(JSON.stringify({ ...holders[0], env: undefined })),
      "only in the step's env",
    );
    for (const other of localActions.filter((a) => a !== action))
      assert.ok(
        !readsSecrets(other.parsed.runs.steps) && !secretInputs.test(other.text),
        other.file,
      );
  });

  it("gives no pull_request-triggered job a way to the deploy role", () => {
    const triggered = allWorkflows().filter((w) => "pull_request" in w.parsed.on);
    assert.ok(triggered.length >= 1);
    assert.deepEqual(allWorkflows().flatMap(deployRoleReach), []);
  });

  it("sees a pull request job that calls up, runs in an environment, or reads the deploy role's name", () => {
    const pullRequest = workflow(".github/workflows/pull-request.yml");
    const doctored = workflowFromText(
      pullRequest.file,
      `${pullRequest.text}
  sneaky-up:
    uses: ./.github/workflows/pulumi-up.yml
    with:
      stack: production
  sneaky-job:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: echo "\${{ vars.AWS_DEPLOY_ROLE_ARN }}"
`,
    );
    assert.deepEqual(deployRoleReach(doctored), [
      ".github/workflows/pull-request.yml jobs.sneaky-up (on pull_request) calls pulumi-up.yml",
      ".github/workflows/pull-request.yml jobs.sneaky-up (on pull_request) runs in an environment through .github/workflows/pulumi-up.yml, whose token the deploy role may trust",
      ".github/workflows/pull-request.yml jobs.sneaky-up (on pull_request) reads AWS_DEPLOY_ROLE_ARN through .github/workflows/pulumi-up.yml",
      ".github/workflows/pull-request.yml jobs.sneaky-job (on pull_request) runs in an environment, whose token the deploy role may trust",
      ".github/workflows/pull-request.yml jobs.sneaky-job (on pull_request) reads AWS_DEPLOY_ROLE_ARN",
    ]);
  });
});
