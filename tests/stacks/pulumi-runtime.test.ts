import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import {
  isConfigSecret,
  resourceMonitor,
  waitForRegistrations,
  withoutSourcePositions,
} from "../../stacks/pulumi-runtime";

// Each accessor reaches a part of the SDK that is not public API; an SDK upgrade that moves one fails here first, by name.
describe("the Pulumi SDK internals the project relies on (stacks/pulumi-runtime.ts)", () => {
  after(() => pulumi.runtime.setAllConfig({}, []));

  it("tells secret config keys from plain ones, as the engine lists them", () => {
    pulumi.runtime.setAllConfig({ "pipelines:plain": "a", "pipelines:hidden": "b" }, [
      "pipelines:hidden",
    ]);
    assert.equal(isConfigSecret("pipelines:hidden"), true);
    assert.equal(isConfigSecret("pipelines:plain"), false);
  });

  it("reaches the mock monitor's registerResource and the registration queue", async () => {
    await pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: args.name, state: args.inputs }), call: () => ({}) },
      "pipelines",
      "internals",
      false,
    );
    assert.equal(typeof resourceMonitor().registerResource, "function");
    await waitForRegistrations();
  });

  it("takes no stack trace while the mocks run, and restores both the SDK's hook and the trace limit after", async () => {
    const resource = pulumi.Resource as unknown as { callsites(): unknown[] };
    const limit = Error.stackTraceLimit;
    const inside = await withoutSourcePositions(async () => ({
      callsites: resource.callsites(),
      stack: new Error("x").stack,
    }));
    assert.deepEqual(inside, { callsites: [], stack: "Error: x" });
    assert.ok(resource.callsites().length > 0, "the SDK reads source positions again");
    assert.equal(Error.stackTraceLimit, limit);
  });

  it("keeps the SDK's record of pending promises while the mocks run, without the debug properties, and restores it after", async () => {
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
      debuggablePromise<T>(promise: Promise<T>, context: string): Promise<T>;
    };
    const { getStore } = require("@pulumi/pulumi/runtime/state") as {
      getStore(): { leakCandidates: Set<Promise<unknown>> };
    };
    const original = debuggable.debuggablePromise;
    const seen = await withoutSourcePositions(async () => {
      let settle: (value: string) => void = () => undefined;
      const promise = new Promise<string>((resolve) => (settle = resolve));
      const wrapped = debuggable.debuggablePromise(promise, "a register");
      const pendingBefore = getStore().leakCandidates.has(promise);
      settle("done");
      const value = await wrapped;
      const failure = await debuggable
        .debuggablePromise(Promise.reject(new Error("refused")), "an invoke")
        .catch((error: Error & { promise?: unknown }) => error);
      return {
        pendingBefore,
        pendingAfter: getStore().leakCandidates.has(promise),
        value,
        debugContext: Object.getOwnPropertyNames(promise),
        failure: failure instanceof Error && failure.promise instanceof Promise,
      };
    });
    assert.deepEqual(seen, {
      pendingBefore: true,
      pendingAfter: false,
      value: "done",
      debugContext: [],
      failure: true,
    });
    assert.equal(debuggable.debuggablePromise, original);
  });

  it("names the SDK version and the adapter when a part has moved", () => {
    const runtime = pulumi.runtime as unknown as Record<string, unknown>;
    const original = runtime.isConfigSecret;
    runtime.isConfigSecret = undefined;
    try {
      assert.throws(
        () => isConfigSecret("pipelines:x"),
        /^Error: @pulumi\/pulumi \d+\.\d+\.\d+ no longer exports isConfigSecret from pulumi\.runtime \(its runtime\/config module\); adapt stacks\/pulumi-runtime\.ts/,
      );
    } finally {
      runtime.isConfigSecret = original;
    }
  });

  it("names the SDK version and the private part when one the mocks runner replaces has moved", async () => {
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Record<string, unknown>;
    const original = debuggable.debuggablePromise;
    debuggable.debuggablePromise = undefined;
    let ran = false;
    try {
      await assert.rejects(
        withoutSourcePositions(async () => (ran = true)),
        /^Error: @pulumi\/pulumi \d+\.\d+\.\d+ no longer has the private runtime\/debuggable\.debuggablePromise; adapt stacks\/pulumi-runtime\.ts/,
      );
    } finally {
      debuggable.debuggablePromise = original;
    }
    assert.equal(ran, false);
  });
});
