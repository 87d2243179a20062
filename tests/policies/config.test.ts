import * as assert from "node:assert/strict";
import { isProductionStack, readConfig, stackOfUrn } from "../../policies/config";

describe("policies: rule config and stacks", () => {
  it("reads the stack from a URN, also of a child resource", () => {
    assert.equal(
      stackOfUrn(
        "urn:pulumi:production::pipelines::pipelines:service:CuppingService$aws:rds/instance:Instance::db",
      ),
      "production",
    );
    assert.equal(
      isProductionStack("urn:pulumi:dev::pipelines::aws:rds/instance:Instance::db", {
        productionStacks: ["production"],
      }),
      false,
    );
  });

  it("names a value that is not a URN", () => {
    assert.throws(
      () => stackOfUrn("db"),
      /'db' is not a resource URN of the form urn:pulumi:<stack>::<project>::<type>::<name>/,
    );
  });

  it("fills in the schema's defaults under what the pack config sets", () => {
    const schema = {
      properties: {
        productionStacks: { type: "array" as const, default: ["production"] },
        strict: { type: "boolean" as const, default: true },
      },
    };
    assert.deepEqual(readConfig(schema, { getConfig: <T>() => ({ strict: false }) as T }), {
      productionStacks: ["production"],
      strict: false,
    });
  });
});
