import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { canaryDeployCommands, type CanaryTarget } from "../../components/service/traffic-shift";

/**
 * The Deploy stage's traffic shift, run in bash against stand-in `pulumi` and `aws` executables that answer as the
 * real CLIs document (stack output --json; get-alias --query FunctionVersion --output text; create-deployment
 * --query deploymentId; `deploy wait deployment-successful` exits 255 when the deployment fails or is rolled back).
 */
describe("canary deploy commands (Deploy stage, after pulumi up)", () => {
  let bin: string;
  const target: CanaryTarget = {
    application: "cupping-release-application",
    deploymentGroup: "api",
    functionName: "cupping-api-function",
    alias: "live",
    version: "7",
  };

  before(() => {
    bin = mkdtempSync(path.join(os.tmpdir(), "canary-cli-"));
    const script = (name: string, body: string) => {
      writeFileSync(path.join(bin, name), `#!/bin/bash\necho "${name} $*" >> "$CALLS"\n${body}\n`);
      chmodSync(path.join(bin, name), 0o755);
    };
    script(
      "pulumi",
      `[ "$1 $2 $3" = "stack output canary" ] && { echo "$CANARY_OUTPUT"; exit 0; }; exit 1`,
    );
    script(
      "aws",
      `case "$1 $2" in
  "lambda get-alias") echo "$CURRENT_VERSION";;
  "deploy create-deployment") echo "d-CANARY1";;
  "deploy wait") exit "$WAIT_EXIT";;
  "deploy get-deployment") printf 'Stopped\\tThe deployment was stopped because cupping-dev-api-5xx-rate went into ALARM\\n';;
esac`,
    );
  });
  after(() => rmSync(bin, { recursive: true, force: true }));

  function run(environment: {
    CANARY_OUTPUT: string;
    CURRENT_VERSION?: string;
    WAIT_EXIT?: string;
  }) {
    const calls = path.join(bin, `calls-${Math.random()}`);
    writeFileSync(calls, "");
    const result = spawnSync("bash", ["-e", "-c", canaryDeployCommands("dev").join("\n")], {
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        CALLS: calls,
        CURRENT_VERSION: "6",
        WAIT_EXIT: "0",
        ...environment,
      },
      encoding: "utf8",
    });
    return {
      status: result.status,
      stderr: result.stderr,
      stdout: result.stdout,
      calls: readFileSync(calls, "utf8").trim().split("\n").filter(Boolean),
    };
  }

  it("shifts the live alias from the current version to the published one through CodeDeploy, and waits for it", () => {
    const result = run({ CANARY_OUTPUT: JSON.stringify(target) });
    assert.equal(result.status, 0, result.stderr);
    const create = result.calls.find((call) => call.startsWith("aws deploy create-deployment"));
    assert.ok(create, result.calls.join("\n"));
    assert.match(
      create,
      /--application-name cupping-release-application --deployment-group-name api /,
    );
    const revision = JSON.parse(/--revision (\{.*\}) --query/.exec(create)?.[1] ?? "{}") as {
      revisionType: string;
      appSpecContent: { content: string };
    };
    assert.equal(revision.revisionType, "AppSpecContent");
    assert.deepEqual(JSON.parse(revision.appSpecContent.content).Resources[0].api.Properties, {
      Name: "cupping-api-function",
      Alias: "live",
      CurrentVersion: "6",
      TargetVersion: "7",
    });
    assert.ok(
      result.calls.includes("aws deploy wait deployment-successful --deployment-id d-CANARY1"),
    );
  });

  it("fails the Deploy stage when CodeDeploy rolls the shift back, saying why", () => {
    const result = run({ CANARY_OUTPUT: JSON.stringify(target), WAIT_EXIT: "255" });
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /CodeDeploy deployment d-CANARY1 failed or was rolled back: Stopped\s+The deployment was stopped because cupping-dev-api-5xx-rate went into ALARM/,
    );
  });

  it("fails the Deploy stage before any AWS call when the canary output lacks a field, naming it", () => {
    const { deploymentGroup: _dropped, ...partial } = target;
    const result = run({ CANARY_OUTPUT: JSON.stringify({ ...partial, alias: "live\nextra" }) });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /the canary stack output has no one-line alias, deploymentGroup\n/);
    assert.deepEqual(result.calls, ["pulumi stack output canary --stack dev --json"]);
  });

  it("starts no deployment when the alias already serves the published version, or the stack has no canary output", () => {
    for (const environment of [
      { CANARY_OUTPUT: JSON.stringify(target), CURRENT_VERSION: "7" },
      { CANARY_OUTPUT: "null" },
    ]) {
      const result = run(environment);
      assert.equal(result.status, 0, result.stderr);
      assert.ok(
        !result.calls.some((call) => call.startsWith("aws deploy")),
        result.calls.join("\n"),
      );
    }
  });
});
