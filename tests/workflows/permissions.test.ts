import { strict as assert } from "node:assert";
import {
  environmentNames,
  previewNames,
  secretValues,
  type WorkflowValue,
} from "../../components/github-actions";
import {
  deployWorkflowFor,
  eventWorkflows,
  localPath,
  workflow,
  workflows,
  type Job,
  type Permissions,
} from "./workflow-files";

/** What a job may do with the GITHUB_TOKEN, by what it runs: the least each needs. */
function neededPermissions(job: Job): Permissions {
  const called = job.uses === undefined ? "" : localPath(job.uses);
  if (called === ".github/workflows/test.yml") return { contents: "read" };
  if (called === ".github/workflows/pulumi-up.yml")
    return { contents: "read", "id-token": "write" };
  if (called === ".github/workflows/pulumi-preview.yml")
    return { contents: "read", "id-token": "write", "pull-requests": "write" };
  throw new Error(
    `no permission rule for a job that runs ${job.uses ?? "its own steps"}: add one to this test`,
  );
}

/** Names read in a text as `<context>.NAME` and as `<context>[format('NAME_{0}', ...)]`. */
function namesRead(text: string, context: "vars" | "secrets") {
  return {
    plain: [
      ...new Set(
        [...text.matchAll(new RegExp(`${context}\\.([A-Za-z0-9_]+)`, "g"))].map((m) => m[1]),
      ),
    ].sort(),
    perStack: [
      ...new Set(
        [...text.matchAll(new RegExp(`${context}\\[format\\('([A-Za-z0-9_]+)_\\{0\\}'`, "g"))].map(
          (m) => m[1],
        ),
      ),
    ].sort(),
  };
}

const isSecret = (value: string) => secretValues.includes(value as WorkflowValue);

describe("GitHub Actions permissions and secrets", () => {
  it("grants nothing at the top of an event workflow, so a job gets only what it asks for", () => {
    for (const w of [...eventWorkflows(), deployWorkflowFor("staging", "staging")])
      assert.deepEqual(w.parsed.permissions, {}, `${w.file}: set permissions: {} at the top`);
  });

  it("gives each job the least it needs: id-token only for AWS, pull-requests write only for the preview comment", () => {
    const jobs = [...eventWorkflows(), deployWorkflowFor("staging", "staging")].flatMap((w) =>
      Object.entries(w.parsed.jobs).map(([id, job]) => ({ where: `${w.file} jobs.${id}`, job })),
    );
    // pull-request.yml: test and preview; the template's deploy workflow: test and up.
    assert.ok(jobs.length >= 4);
    for (const { where, job } of jobs)
      assert.deepEqual(job.permissions, neededPermissions(job), where);
  });

  it("lets the reusable workflows inherit their caller's job permissions rather than widen them", () => {
    for (const w of workflows.filter((file) => "workflow_call" in file.parsed.on)) {
      assert.equal(w.parsed.permissions, undefined, w.file);
      for (const [id, job] of Object.entries(w.parsed.jobs))
        assert.equal(job.permissions, undefined, `${w.file} jobs.${id}`);
    }
  });

  it("previews read the stack's repository names the program sets, and nothing of the environment", () => {
    const names = previewNames("STACK");
    const base = (name: string) => name.replace(/_STACK$/, "");
    const preview = namesRead(workflow(".github/workflows/pulumi-preview.yml").text, "vars");
    assert.deepEqual(
      preview.perStack,
      Object.entries(names)
        .filter(([v]) => !isSecret(v))
        .map(([, n]) => base(n))
        .sort(),
    );
    assert.deepEqual(preview.plain, []);
    const passed = namesRead(workflow(".github/workflows/pull-request.yml").text, "secrets");
    assert.deepEqual(
      passed.perStack,
      Object.entries(names)
        .filter(([v]) => isSecret(v))
        .map(([, n]) => base(n))
        .sort(),
    );
    assert.deepEqual(passed.plain, []);
  });

  it("up reads the environment's names the program sets, and nothing of the repository", () => {
    const text = workflow(".github/workflows/pulumi-up.yml").text;
    const vars = namesRead(text, "vars");
    const secrets = namesRead(text, "secrets");
    const entries = Object.entries(environmentNames);
    assert.deepEqual(
      vars.plain,
      entries
        .filter(([v]) => !isSecret(v))
        .map(([, n]) => n)
        .sort(),
    );
    assert.deepEqual(
      secrets.plain,
      entries
        .filter(([v]) => isSecret(v))
        .map(([, n]) => n)
        .sort(),
    );
    assert.deepEqual([...vars.perStack, ...secrets.perStack], []);
  });
});
