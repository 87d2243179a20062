import { strict as assert } from "node:assert";
import { eventWorkflows, localPath, workflows, type Job, type Permissions } from "./workflow-files";

/** What a job may do with the GITHUB_TOKEN, by what it runs: the least each needs. */
function neededPermissions(job: Job): Permissions {
  const called = job.uses === undefined ? "" : localPath(job.uses);
  if (called === ".github/workflows/test.yml") return { contents: "read" };
  if (called === ".github/workflows/pulumi-stack.yml" && job.with?.command === "up")
    return { contents: "read", "id-token": "write" };
  if (called === ".github/workflows/pulumi-stack.yml" && job.with?.command === "preview")
    return { contents: "read", "id-token": "write", "pull-requests": "write" };
  throw new Error(
    `no permission rule for a job that runs ${job.uses ?? "its own steps"}: add one to this test`,
  );
}

/** The repository secrets the workflows read; the README lists them for whoever sets up the repository. */
const documentedSecrets = [
  "AWS_ROLE_ARN",
  "PULUMI_ACCESS_TOKEN",
  "PULUMI_BACKEND_URL",
  "PULUMI_CONFIG_PASSPHRASE",
];

describe("GitHub Actions permissions and secrets", () => {
  it("grants nothing at the top of an event workflow, so a job gets only what it asks for", () => {
    for (const w of eventWorkflows())
      assert.deepEqual(w.parsed.permissions, {}, `${w.file}: set permissions: {} at the top`);
  });

  it("gives each job the least it needs: id-token only for AWS, pull-requests write only for the preview comment", () => {
    const jobs = eventWorkflows().flatMap((w) =>
      Object.entries(w.parsed.jobs).map(([id, job]) => ({ where: `${w.file} jobs.${id}`, job })),
    );
    // pull-request.yml: test and preview (no stack is deployed from Actions while every stack file names the pipeline).
    assert.ok(jobs.length >= 2);
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

  it("reads only the documented secrets, each overridable per stack as <NAME>_<STACK>", () => {
    const text = workflows.map((w) => w.text).join("\n");
    const plain = new Set([...text.matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]));
    const perStack = new Set(
      [...text.matchAll(/secrets\[format\('([A-Za-z0-9_]+)_\{0\}', inputs\.stack\)\]/g)].map(
        (m) => m[1],
      ),
    );
    assert.deepEqual([...plain].sort(), documentedSecrets);
    assert.deepEqual([...perStack].sort(), documentedSecrets);
    for (const name of documentedSecrets) {
      assert.match(
        text,
        new RegExp(
          `secrets\\[format\\('${name}_\\{0\\}', inputs\\.stack\\)\\] \\|\\| secrets\\.${name} }}`,
        ),
        `${name}: the stack's own secret first, then the shared one`,
      );
    }
  });
});
