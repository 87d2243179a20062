import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { parse } from "yaml";
import {
  previewBuildspec,
  previewFactsFile,
  previewOutputFile,
  type PreviewBuild,
} from "../../components/github/preview-buildspec";
import { renderBuildspec } from "../../components/pipeline/buildspec";
import { installPulumiCli } from "../../components/pipeline/buildspecs/pulumi-cli";
import { stackPassphrase } from "../support/stack-config";
import { loadStackConfig } from "../../tooling/mocks/stack-config";

const dev: PreviewBuild = {
  stack: "dev",
  repository: "acme-coffee/cupping-service",
  pulumiVersion: "3.248.0",
};
const commandsOf = (p: PreviewBuild) => {
  const { phases } = previewBuildspec(p);
  return (["install", "pre_build", "build", "post_build"] as const).flatMap((phase) =>
    (phases[phase]?.commands ?? []).map((command) => ({ phase, command })),
  );
};
const indexOf = (commands: ReturnType<typeof commandsOf>, start: string) =>
  commands.findIndex(({ command }) => command.startsWith(start));

describe("the pull-request preview buildspec", () => {
  it("installs the dependencies and the pinned Pulumi CLI, then tests, then previews the stack with the policy pack, then comments", () => {
    const commands = commandsOf(dev);
    const order = [
      "npm ci",
      installPulumiCli("3.248.0")[0],
      "npm test",
      "pulumi login",
      "set -o pipefail; pulumi preview",
      "npm run -s preview:comment",
    ].map((start) => indexOf(commands, start));
    assert.ok(
      order.every((i) => i >= 0),
      JSON.stringify(order),
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
    assert.match(commands[order[1]].command, /pulumi-v3\.248\.0-linux-\$PULUMI_ARCH\.tar\.gz/);
    assert.equal(commands[order[4]].phase, "build");
    assert.equal(commands[order[5]].phase, "post_build");
  });

  it("previews exactly the stack with --diff and the policy pack, into the file the comment reads", () => {
    const commands = commandsOf({ ...dev, stack: "production" });
    const preview = commands[indexOf(commands, "set -o pipefail; pulumi preview")].command;
    assert.equal(
      preview,
      `set -o pipefail; pulumi preview --stack 'production' --diff --policy-pack policies --non-interactive 2>&1 | npm run -s preview:scrub -- --stack 'production' | tee ${previewOutputFile}`,
    );
    const comment = commands[indexOf(commands, "npm run -s preview:comment")].command;
    assert.equal(
      comment,
      `npm run -s preview:comment -- --stack 'production' --repository 'acme-coffee/cupping-service' --file ${previewOutputFile} --facts ${previewFactsFile}`,
    );
  });

  it("logs in to the self-managed backend when there is one, else to Pulumi Cloud", () => {
    assert.ok(commandsOf(dev).some(({ command }) => command === "pulumi login --non-interactive"));
    assert.ok(
      commandsOf({ ...dev, backendUrl: "s3://acme-state/pipelines" }).some(
        ({ command }) => command === "pulumi login --non-interactive 's3://acme-state/pipelines'",
      ),
    );
  });

  it("fails the build phase when the preview fails, though tee succeeds", () => {
    const preview = commandsOf(dev).find(({ phase }) => phase === "build")!.command;
    const failing = preview
      .replace(/pulumi preview .*? 2>&1/, "(echo 'error: preview failed'; exit 255) 2>&1")
      .replace(previewOutputFile, "/dev/null");
    assert.throws(
      () => execFileSync("bash", ["-c", failing], { stdio: "pipe" }),
      (error: { status?: number }) => error.status === 255,
    );
  });

  it("puts in the build log and the comment file no secret the preview printed (a preview that echoes the passphrase, a config secret, a token)", () => {
    const preview = commandsOf(dev).find(({ phase }) => phase === "build")!.command;
    const password = loadStackConfig("dev", { passphrase: stackPassphrase("dev") }).config[
      "pipelines:databasePassword"
    ];
    const printing = `echo "passphrase: $PULUMI_CONFIG_PASSPHRASE"; echo 'password: ${password}'; echo "token: $GITHUB_TOKEN"; echo 'key: AKIAIOSFODNN7EXAMPLE'; echo 'Resources: 3 to create'`;
    const leaking = preview
      .replace(/pulumi preview .*? 2>&1/, `(${printing}) 2>&1`)
      .replace(previewOutputFile, "/dev/null");
    const log = execFileSync("bash", ["-c", leaking], {
      encoding: "utf8",
      env: {
        ...process.env,
        PULUMI_CONFIG_PASSPHRASE: stackPassphrase("dev"),
        GITHUB_TOKEN: "ghs_buildspec-test-token",
      },
    });
    assert.equal(
      log,
      "passphrase: [redacted]\npassword: [redacted]\ntoken: [redacted]\nkey: [redacted]\nResources: 3 to create\n",
    );
  });

  it("quotes values so the shell reads none of their characters", () => {
    const hostile = "s3://bucket/it's;touch /tmp/owned";
    const login = commandsOf({ ...dev, backendUrl: hostile }).find(({ command }) =>
      command.startsWith("pulumi login"),
    )!.command;
    const echoed = execFileSync(
      "bash",
      ["-c", login.replace("pulumi login --non-interactive", "printf %s")],
      { encoding: "utf8" },
    );
    assert.equal(echoed, hostile);
  });

  it("renders YAML that CodeBuild reads back as the same buildspec", () => {
    const spec = previewBuildspec(dev);
    assert.deepEqual(parse(renderBuildspec(spec)), spec);
    assert.match(renderBuildspec(spec), /^version: 0\.2$/m);
  });
});
