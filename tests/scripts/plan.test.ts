import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { pipelineMermaid } from "../../components/pipeline/mermaid";
import { main, planCommand } from "../../scripts/plan";
import { offlineNote, planOf } from "../../scripts/plan/model";
import { renderText } from "../../scripts/plan/render";
import { programRun, sharedRunProgram } from "../support/harness";
import { stackPassphrase } from "../support/stack-config";
import { projectRoot, stackFilePath } from "../../tooling/mocks/stack-config";

const plan = (args: readonly string[], passphrase: string) =>
  planCommand(args, passphrase, sharedRunProgram);

/** `npm run plan` in-process: its exit status and what it wrote where. */
async function runMain(
  ...args: string[]
): Promise<{ status: number; stdout: string; stderr: string }> {
  const written = { stdout: "", stderr: "" };
  const status = await main(
    args,
    {
      stdout: { write: (text: string) => (written.stdout += text) },
      stderr: { write: (text: string) => (written.stderr += text) },
    },
    "",
    sharedRunProgram,
  );
  return { status, ...written };
}

/** A stack file written outside the project, for `--config-file`. */
function stackFileWith(change: (text: string) => string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "plan-")), "Pulumi.dev.yaml");
  writeFileSync(file, change(readFileSync(stackFilePath("dev"), "utf8")));
  return file;
}
const withoutAccessToken = (text: string) =>
  text.replace(/ {2}pipelines:pulumiAccessToken:\n {4}secure: .*\n/, "");

describe("the offline plan", () => {
  it("prints the stack's tree, all seven production stages in order with their conditions, outputs and secret keys", async () => {
    const { status, stdout } = await runMain("production");
    assert.equal(status, 0);
    assert.ok(stdout.startsWith(offlineNote), "it says plainly that it is not a preview");
    assert.match(stdout, /Stack 'production' would create \d+ resources:\n {2}[├└]─ /);
    assert.deepEqual(
      [...stdout.matchAll(/^ {2}\d+\. (\S+)$/gm)].map((m) => m[1]),
      ["Source", "Build", "Test", "Plan", "Approval", "Deploy", "Publish"],
    );
    assert.match(stdout, /^ {7}1\. Preview: Test by CodeBuild$/m);
    assert.match(
      stdout,
      /^ {7}on success: cupping-production-api-5xx-rate \(CloudWatchAlarm\), .*, else ROLLBACK$/m,
    );
    assert.match(stdout, /^ {7}on failure: ROLLBACK$/m);
    assert.match(stdout, /Stack outputs: .*apiUrl.*pipelineName/);
    assert.match(
      stdout,
      /Secret config keys \(values never shown\): github:token, pipelines:commentToken, pipelines:pulumiConfigPassphrase, pipelines:slackWebhookUrl\n/,
    );
    assert.ok(
      !/placeholder-secret-for|ghp_|hooks\.slack\.com|sample-/.test(stdout),
      "no secret value, not even a placeholder",
    );
  });

  it("warns in a visible line about the GitHub (version 1) webhook source, and only for a stack that uses it", async () => {
    const dev = await plan(["dev"], "");
    assert.match(
      dev,
      /^WARNING: pipelines:sourceKind is "webhook": the GitHub \(version 1\) source keeps a long-lived GitHub token .* use "connection"/m,
    );
    const production = await plan(["production"], "");
    assert.ok(!/WARNING/.test(production), "production's connection source draws no warning");
  });

  it("shows the deployer, the permissions boundary and every role's path, the admin-held ones marked", async () => {
    const text = await plan(["production"], "");
    assert.match(
      text,
      /^Deployer: pipeline \(pipelines:deployer; the other path cannot deploy this stack\)$/m,
    );
    assert.match(
      text,
      /^Permissions boundary: \/pipelines-admin\/production\/pipelines-production-boundary \(changed only by an administrator\)$/m,
    );
    assert.match(
      text,
      /^ {2}\/pipelines-admin\/production\/pipeline-deploy-role {2}bounded {2}\(admin-held: changed only by an administrator\)$/m,
    );
    const roles = [...text.matchAll(/^ {2}(\/\S+) {2}(bounded|NO BOUNDARY)/gm)];
    assert.ok(
      roles.length >= 8 &&
        roles.every((m) => m[2] === "bounded" && /^\/pipelines(-admin)?\/production\//.test(m[1])),
      roles.map((m) => m[0]).join("\n"),
    );
  });

  it("shows the GitHub Actions roles of a stack GitHub Actions deploys: the deploy role admin-held, the preview role in the stack's path", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "plan-")), "Pulumi.production.yaml");
    writeFileSync(
      file,
      readFileSync(stackFilePath("production"), "utf8").replace(
        "  pipelines:deployer: pipeline\n",
        "  pipelines:deployer: github-actions\n  pipelines:githubActions: true\n  pipelines:stages: [ test ]\n",
      ),
    );
    const text = await plan(["production", "--config-file", file], "");
    assert.match(text, /^Deployer: github-actions \(pipelines:deployer;/m);
    assert.match(
      text,
      /^ {2}\/pipelines-admin\/production\/github-actions-deploy-role {2}bounded {2}\(admin-held: changed only by an administrator\)$/m,
    );
    assert.match(text, /^ {2}\/pipelines\/production\/github-actions-preview-role {2}bounded$/m);
    assert.doesNotMatch(text, /pipeline-deploy-role/);
  });

  it("exits 1 with the settings error when the stack file is bad", async () => {
    const bad = stackFileWith((text) =>
      text
        .replace("pipelines:stages: [ test, deploy ]", "pipelines:stages: [ test, qa ]")
        .replace("pipelines:branch: main", "pipelines:branch: my branch"),
    );
    const { status, stdout, stderr } = await runMain("dev", "--config-file", bad);
    assert.equal(status, 1);
    assert.equal(stdout, "");
    assert.match(stderr, /^error: Stack 'dev' has invalid configuration:/);
    assert.match(stderr, /pipelines:stages\[1\]: unknown stage "qa"/);
    assert.match(stderr, /pipelines:branch: must be a valid git branch name/);
  });

  it("prints JSON that parses through `npm run -s`, as a command", async () => {
    const { stdout } = await promisify(execFile)(
      "npm",
      ["run", "-s", "plan", "--", "dev", "--json"],
      { cwd: projectRoot, env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: "" } },
    );
    assert.deepEqual(
      JSON.parse(stdout),
      JSON.parse(JSON.stringify(planOf(await programRun("dev")))),
    );
  });

  it("writes the output to --out, and says so on standard error", async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "plan-")), "plan.json");
    const { status, stdout, stderr } = await runMain("dev", "--json", "--out", out);
    assert.deepEqual([status, stdout, stderr], [0, "", `wrote the plan to ${out}\n`]);
    assert.deepEqual(
      JSON.parse(readFileSync(out, "utf8")),
      JSON.parse(JSON.stringify(planOf(await programRun("dev")))),
    );
  });

  it("shows the settings that matter beside each resource, so a changed setting changes the plan", async () => {
    const base = renderText(planOf(await programRun("dev")));
    const line = (text: string, name: string) =>
      text.split("\n").find((l) => l.includes(`─ ${name}  (`)) ?? "";
    assert.match(
      line(base, "cupping-database-cluster"),
      /engine=aurora-postgresql engineVersion=17\.4 capacityAcu=0-2 .*encryption=storage/,
    );
    assert.match(line(base, "cupping-database-writer"), /instanceClass=db\.serverless/);
    assert.match(
      line(base, "cupping-api-function"),
      /runtime=nodejs\d+\.x .*memoryMb=256 timeoutSeconds=10/,
    );
    assert.match(line(base, "pipeline-build-project"), /computeType=BUILD_GENERAL1_SMALL/);
    assert.match(line(base, "cupping-api-logs"), /retentionDays=14/);
    const changed = renderText(
      planOf(
        await programRun("dev", {
          "pipelines:dbEngine": "postgres",
          "pipelines:customerManagedKeys": true,
          "pipelines:dbInstanceClass": "db.t4g.large",
          "pipelines:dbMultiAz": true,
          "pipelines:lambdaMemoryMb": 1024,
          "pipelines:buildComputeType": "BUILD_GENERAL1_MEDIUM",
          "pipelines:logRetentionDays": 30,
        }),
      ),
    );
    assert.match(
      line(changed, "cupping-database-instance"),
      /engine=postgres .*instanceClass=db\.t4g\.large multiAz=true .*encryption=kms/,
    );
    assert.match(line(changed, "cupping-api-function"), /memoryMb=1024/);
    assert.match(line(changed, "pipeline-build-project"), /computeType=BUILD_GENERAL1_MEDIUM/);
    assert.match(line(changed, "cupping-api-logs"), /retentionDays=30/);
  });

  it("names a missing secret", async () => {
    await assert.rejects(
      plan(["dev", "--config-file", stackFileWith(withoutAccessToken)], ""),
      /pipelines:pulumiAccessToken: required secret is missing/,
    );
  });

  it("prints the same plan as JSON", async () => {
    const json = JSON.parse(await plan(["production", "--json"], ""));
    assert.deepEqual(json, JSON.parse(JSON.stringify(planOf(await programRun("production")))));
    assert.equal(json.note, offlineNote);
    assert.deepEqual(
      json.stages.map((s: { name: string }) => s.name),
      ["Source", "Build", "Test", "Plan", "Approval", "Deploy", "Publish"],
    );
  });

  it("prints the pipeline as the Mermaid flowchart of its captured stages", async () => {
    const text = await plan(["dev", "--mermaid"], "");
    assert.equal(text, pipelineMermaid(planOf(await programRun("dev")).stages));
    assert.match(text, /^flowchart LR\n/);
    assert.match(text, /Source --> Build --> Test --> Plan --> Deploy\n/);
    assert.match(text, /Deploy -\. rollback on failure \.-> Deploy_rollback\n/);
  });

  it("checks the secrets when given the passphrase, and refuses a wrong one", async () => {
    const text = await plan(["dev"], stackPassphrase("dev"));
    assert.match(text, /Stack 'dev' would create/);
    assert.match(
      text,
      /^ {2}[├└]─ cupping {2}\(pipelines:service:CuppingService\)$/m,
      "the plan shows the service",
    );
    await assert.rejects(
      plan(["dev"], "wrong"),
      /incorrect passphrase: it does not decrypt Pulumi\.dev\.yaml/,
    );
  });

  it("refuses an unknown stack or option", async () => {
    await assert.rejects(plan(["no-such-stack"], ""), /no stack file Pulumi\.no-such-stack\.yaml/);
    await assert.rejects(plan(["dev", "--yaml"], ""), /unknown option --yaml/);
    await assert.rejects(plan([], ""), /^Error: usage: npm run plan -- <stack>/);
  });
});
