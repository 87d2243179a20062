import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { pipelineMermaid } from "../../components/pipeline/mermaid";
import { planCommand } from "../../scripts/plan";
import { offlineNote, planOf } from "../../scripts/plan/model";
import { programRun } from "../support/harness";
import { projectRoot, stackFilePath, stackPassphrase } from "../support/stack-config";

const runScript = (...args: string[]) =>
  promisify(execFile)(process.execPath, ["-r", "./tooling/register.js", "scripts/plan.ts", ...args], { cwd: projectRoot, env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: "" } });

/** A stack file written outside the project, for `--config-file`. */
function stackFileWith(change: (text: string) => string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "plan-")), "Pulumi.dev.yaml");
  writeFileSync(file, change(readFileSync(stackFilePath("dev"), "utf8")));
  return file;
}
const withoutAccessToken = (text: string) => text.replace(/ {2}pipelines:pulumiAccessToken:\n {4}secure: .*\n/, "");

describe("the offline plan", () => {
  it("prints the stack's tree, all seven production stages in order with their conditions, outputs and secret keys, as a command", async () => {
    const { stdout } = await runScript("production");
    assert.ok(stdout.startsWith(offlineNote), "it says plainly that it is not a preview");
    assert.match(stdout, /Stack 'production' would create \d+ resources:\n {2}[├└]─ /);
    assert.deepEqual([...stdout.matchAll(/^ {2}\d+\. (\S+)$/gm)].map((m) => m[1]), ["Source", "Build", "Test", "Plan", "Approval", "Deploy", "Publish"]);
    assert.match(stdout, /^ {7}1\. Preview: Test by CodeBuild$/m);
    assert.match(stdout, /^ {7}on success: cupping-production-api-5xx-rate \(CloudWatchAlarm\), .*, else ROLLBACK$/m);
    assert.match(stdout, /^ {7}on failure: ROLLBACK$/m);
    assert.match(stdout, /Stack outputs: .*apiUrl.*pipelineName/);
    assert.match(stdout, /Secret config keys \(values never shown\): github:token, pipelines:pulumiConfigPassphrase, pipelines:slackWebhookUrl, pipelines:webhookSecret\n/);
    assert.ok(!/placeholder-secret-for|ghp_|hooks\.slack\.com|sample-/.test(stdout), "no secret value, not even a placeholder");
  });

  it("exits 1 with the settings error when the stack file is bad", async () => {
    const bad = stackFileWith((text) => text.replace("pipelines:stages: [ test, deploy ]", "pipelines:stages: [ test, qa ]").replace("pipelines:branch: main", "pipelines:branch: my branch"));
    await assert.rejects(runScript("dev", "--config-file", bad), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /^error: Stack 'dev' has invalid configuration:/);
      assert.match(error.stderr, /pipelines:stages\[1\]: unknown stage "qa"/);
      assert.match(error.stderr, /pipelines:branch: must be a valid git branch name/);
      return true;
    });
  });

  it("names a missing secret", async () => {
    await assert.rejects(planCommand(["dev", "--config-file", stackFileWith(withoutAccessToken)], ""), /pipelines:pulumiAccessToken: required secret is missing/);
  });

  it("prints the same plan as JSON", async () => {
    const json = JSON.parse(await planCommand(["production", "--json"], ""));
    assert.deepEqual(json, JSON.parse(JSON.stringify(planOf(await programRun("production")))));
    assert.equal(json.note, offlineNote);
    assert.deepEqual(json.stages.map((s: { name: string }) => s.name), ["Source", "Build", "Test", "Plan", "Approval", "Deploy", "Publish"]);
  });

  it("prints the pipeline as the Mermaid flowchart of its captured stages", async () => {
    const text = await planCommand(["dev", "--mermaid"], "");
    assert.equal(text, pipelineMermaid(planOf(await programRun("dev")).stages));
    assert.match(text, /^flowchart LR\n/);
    assert.match(text, /Source --> Build --> Test --> Plan --> Deploy\n/);
    assert.match(text, /Deploy -\. rollback on failure \.-> Deploy_rollback\n/);
  });

  it("checks the secrets when given the passphrase, and refuses a wrong one", async () => {
    const text = await planCommand(["dev"], stackPassphrase("dev"));
    assert.match(text, /Stack 'dev' would create/);
    assert.match(text, /^ {2}[├└]─ cupping {2}\(pipelines:service:CuppingService\)$/m, "the plan shows the service");
    await assert.rejects(planCommand(["dev"], "wrong"), /incorrect passphrase: it does not decrypt Pulumi\.dev\.yaml/);
  });

  it("refuses an unknown stack or option", async () => {
    await assert.rejects(planCommand(["staging"], ""), /no stack file Pulumi\.staging\.yaml/);
    await assert.rejects(planCommand(["dev", "--yaml"], ""), /unknown option --yaml/);
    await assert.rejects(planCommand([], ""), /^Error: usage: npm run plan -- <stack>/);
  });
});
