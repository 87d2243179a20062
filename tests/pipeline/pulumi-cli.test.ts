import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import {
  installPulumiCli,
  pulumiCliReleases,
  pulumiCliVersion,
  type PulumiCliChecksums,
} from "../../components/pipeline/buildspecs/pulumi-cli";
import { stackNames } from "../../tooling/mocks/stack-config";
import { programRun, resourcesOfType } from "../support/harness";

/** A Pulumi CLI archive as Pulumi lays it out (pulumi/pulumi, ...), whose `pulumi` prints `says`. */
function fakeArchive(dir: string, name: string, says: string): string {
  const root = join(dir, `${name}-tree`);
  mkdirSync(join(root, "pulumi"), { recursive: true });
  writeFileSync(join(root, "pulumi", "pulumi"), `#!/bin/sh\necho ${JSON.stringify(says)}\n`);
  chmodSync(join(root, "pulumi", "pulumi"), 0o755);
  const archive = join(dir, `${name}.tar.gz`);
  const tar = spawnSync("tar", ["-czf", archive, "-C", root, "pulumi"]);
  assert.equal(tar.status, 0, String(tar.stderr));
  return archive;
}

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

interface InstallRun {
  readonly status: number | null;
  readonly output: string;
  readonly downloaded: string[];
  /** Whether anything was extracted where the build looks for the CLI. */
  readonly installed: boolean;
}

/**
 * Runs the install step in bash as CodeBuild would, with stand-ins for the two things this machine cannot give it:
 * `uname` prints the build's CPU, and `curl` answers the download with a local archive (recording the URL).
 */
function runInstall(commands: readonly string[], machine: string, served: string): InstallRun {
  const dir = mkdtempSync(join(tmpdir(), "pulumi-cli-"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const log = join(dir, "downloads.log");
  writeFileSync(join(bin, "uname"), `#!/bin/sh\necho ${machine}\n`);
  writeFileSync(
    join(bin, "curl"),
    [
      "#!/bin/sh",
      'out=""; url=""',
      'while [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift 2 ;; -*) shift ;; *) url="$1"; shift ;; esac; done',
      `echo "$url" >> ${JSON.stringify(log)}`,
      `cp ${JSON.stringify(served)} "$out"`,
    ].join("\n"),
  );
  chmodSync(join(bin, "uname"), 0o755);
  chmodSync(join(bin, "curl"), 0o755);
  const home = join(dir, "home");
  mkdirSync(home);
  const result = spawnSync("bash", ["-c", commands.join("\n")], {
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: home },
    encoding: "utf8",
  });
  return {
    status: result.status,
    output: result.stdout + result.stderr,
    downloaded: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [],
    installed: existsSync(join(home, ".pulumi", "bin", "pulumi")),
  };
}

describe("the Pulumi CLI the builds install", () => {
  const dir = mkdtempSync(join(tmpdir(), "pulumi-archives-"));
  const genuine = fakeArchive(dir, "genuine", "v9.9.9");
  const tampered = fakeArchive(dir, "tampered", "v9.9.9 with a backdoor");
  const releases: Record<string, PulumiCliChecksums> = {
    "9.9.9": { x64: sha256(genuine), arm64: sha256(genuine) },
  };

  it("is pinned to the SDK's version, with a SHA-256 for each Linux archive", () => {
    const checksums = pulumiCliReleases[pulumiCliVersion];
    assert.ok(
      checksums,
      `no checksums for Pulumi CLI ${pulumiCliVersion}, the SDK's version: add its line to components/pipeline/buildspecs/pulumi-cli.ts`,
    );
    for (const value of Object.values(checksums)) assert.match(value, /^[0-9a-f]{64}$/);
    assert.notEqual(checksums.x64, checksums.arm64);
  });

  it("downloads the archive for the build's CPU, checks it, and puts the CLI on the PATH", () => {
    for (const [machine, arch] of [
      ["x86_64", "x64"],
      ["aarch64", "arm64"],
    ]) {
      const run = runInstall(installPulumiCli("9.9.9", releases), machine, genuine);
      assert.equal(run.status, 0, run.output);
      assert.deepEqual(run.downloaded, [
        `https://get.pulumi.com/releases/sdk/pulumi-v9.9.9-linux-${arch}.tar.gz`,
      ]);
      assert.ok(run.installed);
      assert.match(run.output, /OK/);
      assert.match(run.output.trim(), /v9\.9\.9$/, "pulumi version runs the installed CLI");
    }
  });

  it("refuses a swapped archive before extracting anything (a compromised download)", () => {
    const run = runInstall(installPulumiCli("9.9.9", releases), "x86_64", tampered);
    assert.notEqual(run.status, 0);
    assert.match(run.output, /FAILED/);
    assert.doesNotMatch(run.output, /backdoor/);
    assert.equal(run.installed, false);
  });

  it("checks the pinned release against the real checksums: an archive that is not Pulumi's fails", () => {
    const run = runInstall(installPulumiCli(pulumiCliVersion), "aarch64", genuine);
    assert.notEqual(run.status, 0);
    assert.deepEqual(run.downloaded, [
      `https://get.pulumi.com/releases/sdk/pulumi-v${pulumiCliVersion}-linux-arm64.tar.gz`,
    ]);
    assert.equal(run.installed, false);
  });

  it("fails on a CPU Pulumi ships no Linux archive for, naming it", () => {
    const run = runInstall(installPulumiCli("9.9.9", releases), "riscv64", genuine);
    assert.notEqual(run.status, 0);
    assert.match(run.output, /No Pulumi CLI archive for riscv64/);
    assert.deepEqual(run.downloaded, []);
  });

  it("refuses a version without checksums, saying where they go", () => {
    assert.throws(
      () => installPulumiCli("0.0.1"),
      /Pulumi CLI 0\.0\.1 has no checksums in components\/pipeline\/buildspecs\/pulumi-cli\.ts.*pulumi-0\.0\.1-checksums\.txt/,
    );
  });
});

interface ParsedBuildspec {
  readonly phases?: Record<string, { commands?: string[] }>;
}

// A command that runs the Pulumi CLI (pulumi up, preview, login, stack, ...), not one that only names it in text.
const runsPulumi = /(^|[\s;&|(])pulumi\s+(?!version\b)[a-z]/m;
const installStep = installPulumiCli(pulumiCliVersion);

for (const stack of stackNames) {
  describe(`every build of the ${stack} stack that runs Pulumi`, () => {
    it("installs the pinned CLI through the checked step before its first Pulumi command, and never pipes a script to a shell", async () => {
      const run = await programRun(stack, { "pipelines:reviewStacks": true });
      const checked: string[] = [];
      for (const project of resourcesOfType(run, "aws:codebuild/project:Project")) {
        const text = (project.inputs.source as { buildspec?: string }).buildspec ?? "";
        const spec = parse(text) as ParsedBuildspec | string | null;
        if (typeof spec !== "object" || spec === null) continue;
        const commands = Object.values(spec.phases ?? {}).flatMap((phase) => phase.commands ?? []);
        assert.ok(
          !commands.some((c) => /curl[^\n]*\|\s*(ba)?sh\b/.test(c)),
          `${project.name} pipes a download to a shell`,
        );
        const firstUse = commands.findIndex((c) => runsPulumi.test(c));
        if (firstUse < 0) continue;
        const install = commands.findIndex((c) => c === installStep[0]);
        assert.ok(
          install >= 0 && install < firstUse,
          `${project.name} runs Pulumi without the pinned, checked install step first`,
        );
        assert.deepEqual(commands.slice(install, install + installStep.length), installStep);
        checked.push(project.name);
      }
      assert.ok(checked.length > 0, "no build of the stack runs Pulumi: the check saw nothing");
    });
  });
}
