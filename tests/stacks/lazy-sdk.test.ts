import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lazyModules, realModuleLoaded } from "../../tooling/mocks/lazy-sdk";
import { projectRoot } from "../../tooling/mocks/stack-config";

const lazyFile = (end: string) => {
  const file = [...lazyModules.keys()].find((f) => f.endsWith(end));
  assert.ok(file, `no lazy module ${end}`);
  return file;
};

// The stand-ins reach into the SDK's and the provider's file layout; an upgrade that moves a file fails here, by name.
describe("the Pulumi SDK, AWS provider and zod parts loaded on first use (tooling/mocks/lazy-sdk.ts)", () => {
  it("names files that exist: the SDK's serializer, code paths, Automation API, gRPC, tracing and semver, the provider's services, zod's translations", () => {
    const missing = [...lazyModules.keys()].filter((file) => !existsSync(file));
    assert.deepEqual(missing, []);
    for (const end of [
      "runtime/closure/serializeClosure.js",
      "runtime/closure/codePaths.js",
      "automation/index.js",
      "@grpc/grpc-js/build/src/index.js",
      "@opentelemetry/api/build/src/index.js",
      "semver/index.js",
      "proto/resource_grpc_pb.js",
      "proto/engine_grpc_pb.js",
      "proto/analyzer_grpc_pb.js",
      "zod/v4/locales/index.cjs",
      "aws/iam/index.js",
      "aws/s3/index.js",
    ])
      lazyFile(end);
    assert.ok(lazyModules.size > 200, `only ${lazyModules.size} lazy modules`);
  });

  // In a process of its own: other suites in the same worker may have loaded any of these parts already. Without
  // TurboFan, as `npm run plan` runs: one program run ends before the optimizing compiler pays for itself.
  it("runs a whole program without loading the serializer (TypeScript), code paths (arborist), Automation API, gRPC, tracing, semver or zod's translations", () => {
    const loaded = JSON.parse(
      execFileSync(
        process.execPath,
        [
          "--no-turbofan",
          "-r",
          "./tooling/register.js",
          "-e",
          `const { runProgram } = require("./tooling/mocks/program-run");
           const { lazyModules, realModuleLoaded } = require("./tooling/mocks/lazy-sdk");
           runProgram("dev").then(() => {
             process.stdout.write(JSON.stringify([...lazyModules.keys()].filter(realModuleLoaded)));
             process.exit(0);
           });`,
        ],
        { cwd: projectRoot, encoding: "utf8" },
      ),
    ) as string[];
    for (const end of [
      "serializeClosure.js",
      "codePaths.js",
      "automation/index.js",
      "@grpc/grpc-js/build/src/index.js",
      "@opentelemetry/api/build/src/index.js",
      "semver/index.js",
      "proto/resource_grpc_pb.js",
      "zod/v4/locales/index.cjs",
      "aws/sagemaker/index.js",
    ])
      assert.ok(!loaded.includes(lazyFile(end)), `${end} was loaded`);
    assert.ok(loaded.includes(lazyFile("aws/iam/index.js")), "the program's own services load");
  });

  it("loads only the namespaces awsguard's RDS rules read from the older provider copy awsguard keeps", () => {
    const awsguardCopy = path.dirname(
      require.resolve("@pulumi/aws/package.json", {
        paths: [path.dirname(require.resolve("@pulumi/awsguard/package.json"))],
      }),
    );
    const namespace = (name: string) => path.join(awsguardCopy, name, "index.js");
    assert.notEqual(awsguardCopy, path.dirname(require.resolve("@pulumi/aws/package.json")));
    assert.equal(
      lazyModules.get(namespace("ec2")),
      "reads",
      "awsguard's copy of aws.ec2 stands in",
    );
    const rules = require("@pulumi/awsguard/database") as Record<string, unknown>;
    assert.ok(rules.rdsStorageEncrypted, "awsguard's rules load");
    assert.ok(realModuleLoaded(namespace("rds")), "the namespace the rules read is real");
    for (const unread of ["ec2", "sagemaker", "s3"])
      assert.ok(!realModuleLoaded(namespace(unread)), `awsguard's aws.${unread} was loaded`);
  });

  it("stands in for modules of functions only: every export of the serializer and code paths is a function", () => {
    for (const [file, kind] of lazyModules) {
      if (kind !== "calls") continue;
      const real = require(file) as Record<string, unknown>;
      const notFunctions = Object.entries(real)
        .filter(([name, value]) => name !== "__esModule" && typeof value !== "function")
        .map(([name]) => name);
      assert.deepEqual(notFunctions, [], file);
    }
  });

  it("loads the real module on first use, with every export reachable", async () => {
    assert.equal(typeof pulumi.automation.LocalWorkspace, "function");
    assert.ok(realModuleLoaded(lazyFile("automation/index.js")));
    const serialized = await pulumi.runtime.serializeFunction(() => 42);
    assert.match(serialized.text, /return 42|=> 42/);
    assert.equal(typeof aws.sagemaker.Domain, "function");
    assert.ok("Domain" in aws.sagemaker);
    assert.ok(Object.keys(aws.sagemaker).includes("Domain"));
    assert.ok(realModuleLoaded(lazyFile("aws/sagemaker/index.js")));
    const grpc = require("@grpc/grpc-js") as { status: { UNAVAILABLE: number } };
    assert.equal(grpc.status.UNAVAILABLE, 14);
    assert.ok(realModuleLoaded(lazyFile("@grpc/grpc-js/build/src/index.js")));
  });
});
