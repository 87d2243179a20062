import { strict as assert } from "node:assert";
import { isSecretValue, type ProgramRun } from "../../tooling/mocks/program-run";
import { plainStrings, programRun, resourcesOfType, secretConfigValues } from "../support/harness";

// production as a stack GitHub Actions deploys, with the whole program around the component.
const edit = {
  "pipelines:githubActions": true,
  "pipelines:deployer": "github-actions",
  "pipelines:stages": ["test"],
  "pipelines:deployReviewers": ["user:1234"],
};

describe("the GitHub Actions side of a stack GitHub Actions deploys", () => {
  let run: ProgramRun;
  before(async () => {
    run = await programRun("production", edit);
  });

  it("hands the workflows the passphrase as GitHub secrets that stay Pulumi secrets, in the repository and the environment", () => {
    const secrets = [
      ...resourcesOfType(run, "github:index/actionsSecret:ActionsSecret"),
      ...resourcesOfType(run, "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret"),
    ];
    assert.deepEqual(secrets.map((s) => s.inputs.secretName).sort(), [
      "PULUMI_CONFIG_PASSPHRASE",
      "PULUMI_CONFIG_PASSPHRASE_PRODUCTION",
    ]);
    for (const secret of secrets) assert.ok(isSecretValue(secret.inputs.value), secret.name);
    const leaks = run.resources.flatMap((r) =>
      plainStrings(r.inputs)
        .filter((s) => secretConfigValues(run).some((value) => s.text.includes(value)))
        .map((s) => `${r.name}.${s.path}`),
    );
    assert.deepEqual(leaks, []);
  });

  it("names the stack's branch as the only one that may enter its environment, and exports both role ARNs", () => {
    const [policy] = resourcesOfType(
      run,
      "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
    );
    assert.equal(policy.inputs.branchPattern, "production");
    assert.equal(policy.inputs.environment, "production");
    assert.equal(
      run.outputs.githubDeployRoleArn,
      "arn:aws:iam::123456789012:role/pipelines-admin/production/github-actions-deploy-role",
    );
    assert.equal(
      run.outputs.githubPreviewRoleArn,
      "arn:aws:iam::123456789012:role/pipelines/production/github-actions-preview-role",
    );
  });

  it("creates nothing of it with the switch off", async () => {
    const off = await programRun("production");
    assert.deepEqual(
      off.resources.filter(
        (r) => r.type.startsWith("github:index/actions") || r.name.startsWith("github-actions"),
      ),
      [],
    );
  });
});
