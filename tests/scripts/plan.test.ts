import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { planOf, offlineNote } from "../../scripts/plan/model";
import { renderText } from "../../scripts/plan/render";
import { pipelineMermaid } from "../../components/pipeline/mermaid";
import { programRun } from "../support/harness";
import { projectRoot, stackFilePath } from "../support/stack-config";

const run = promisify(execFile);
const plan = (...args: string[]) =>
  run(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "scripts/plan.ts", ...args], { cwd: projectRoot, env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: "" } });

describe("the offline plan", () => {
  it("prints the stack's tree, outputs and secret keys, and says it is not a preview", async () => {
    const { stdout } = await plan("dev");
    assert.ok(stdout.startsWith(offlineNote));
    assert.match(stdout, /Stack 'dev' would create \d+ resources:/);
    assert.match(stdout, /Stack outputs: .*environment/);
    assert.match(stdout, /Secret config keys \(values never shown\): github:token, pipelines:databasePassword/);
    assert.ok(!/placeholder-secret-for|ghp_|hooks\.slack\.com/.test(stdout), "no secret value, not even a placeholder");
  });

  it("prints the same plan as JSON", async () => {
    const text = renderText(planOf(await programRun("production")));
    const { stdout } = await plan("production", "--json");
    const json = JSON.parse(stdout);
    assert.equal(json.stack, "production");
    assert.equal(json.note, offlineNote);
    assert.deepEqual(json.secretConfigKeys, ["github:token", "pipelines:pulumiConfigPassphrase", "pipelines:slackWebhookUrl", "pipelines:webhookSecret"]);
    assert.match(text, new RegExp(`would create ${json.resourceCount} resources`));
  });

  it("fails with the settings error when the stack file is bad", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "plan-"));
    const bad = readFileSync(stackFilePath("dev"), "utf8")
      .replace("pipelines:stages: [ test, deploy ]", "pipelines:stages: [ test, qa ]")
      .replace("pipelines:branch: main", "pipelines:branch: my branch")
      .replace(/ {2}pipelines:pulumiAccessToken:\n {4}secure: .*\n/, "");
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), bad);
    await assert.rejects(plan("dev", "--config-file", path.join(dir, "Pulumi.dev.yaml")), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /pipelines:stages\[1\]: unknown stage "qa"/);
      assert.match(error.stderr, /pipelines:branch: must be a valid git branch name/);
      return true;
    });
    const missingSecret = readFileSync(stackFilePath("dev"), "utf8").replace(/ {2}pipelines:pulumiAccessToken:\n {4}secure: .*\n/, "");
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), missingSecret);
    await assert.rejects(plan("dev", "--config-file", path.join(dir, "Pulumi.dev.yaml")), /pipelines:pulumiAccessToken: required secret is missing/);
  });

  it("refuses an unknown stack or option", async () => {
    await assert.rejects(plan("staging"), /no stack file Pulumi\.staging\.yaml/);
    await assert.rejects(plan("dev", "--yaml"), /unknown option --yaml/);
  });

  it("prints the pipeline as the Mermaid flowchart of its captured stages", async () => {
    const { stdout } = await plan("dev", "--mermaid");
    assert.equal(stdout, pipelineMermaid(planOf(await programRun("dev")).stages));
    assert.match(stdout, /^flowchart LR\n/);
    assert.match(stdout, /Source --> Build --> Test --> Deploy\n/);
  });
});
