import { strict as assert } from "node:assert";
import fc from "fast-check";
import { limits } from "../../lambdas/cupping/limits";
import { callApi, useCuppingService, withoutStoredFields } from "./cupping-service";

/** Any JSON value, or a random value in the place of each field a session or cupping has (or a misspelt one). */
const anyValue = fc.jsonValue({ maxDepth: 3 });
const fieldOrNoise = <T>(valid: fc.Arbitrary<T>) => fc.oneof(valid, anyValue);
/**
 * Any code point but a lone surrogate half, as fast-check's "binary" unit gives, built from an integer: that unit maps
 * every code point to its index on first use, about 1.5 s of CPU, for shrinking these tests do not need.
 */
const codePoint = fc
  .integer({ min: 0, max: 0x10ffff - 0x800 })
  .map((index) => String.fromCodePoint(index < 0xd800 ? index : index + 0x800));
const text = (maxLength: number) =>
  fc
    .string({ unit: codePoint, minLength: 1, maxLength })
    .filter((value) => /\S/.test(value) && !value.includes("\u0000"));
const validCupping = fc.record(
  {
    name: text(128),
    scores: fc
      .uniqueArray(
        fc.tuple(
          fc.oneof(text(64), fc.constant("__proto__")),
          fc.double({ noNaN: true, min: limits.score.min, max: limits.score.max }),
        ),
        { minLength: 1, maxLength: 5, selector: ([name]) => name },
      )
      .map((entries) => Object.fromEntries(entries)),
    overallScore: fc.integer({ min: 0, max: 1000 }).map((tenths) => tenths / 10),
    descriptors: fc.option(fc.array(text(64), { maxLength: 4 }), { nil: null }),
    defects: fc.array(text(64), { maxLength: 3 }),
    notes: fc.option(
      fc.string({ unit: codePoint, maxLength: 255 }).filter((value) => !value.includes("\u0000")),
      { nil: null },
    ),
    isSample: fc.boolean(),
  },
  { requiredKeys: ["name", "scores", "overallScore"] },
);
const validSession = fc.record(
  {
    name: text(127),
    formName: text(127),
    accountId: fc.option(fc.integer({ min: 1, max: 2_147_483_647 }), { nil: null }),
    userId: fc.integer({ min: 1, max: 2_147_483_647 }),
    cuppings: fc.array(validCupping, { maxLength: 4 }),
  },
  { requiredKeys: ["name", "formName"] },
);
const noisyCupping = fc.record(
  {
    name: fieldOrNoise(text(128)),
    scores: fieldOrNoise(fc.dictionary(fc.string(), fc.oneof(fc.double(), anyValue))),
    overallScore: fieldOrNoise(fc.double()),
    notes: anyValue,
    isSample: anyValue,
  },
  { requiredKeys: [] },
);
const noisySession = fc.record(
  {
    name: fieldOrNoise(text(130)),
    formName: anyValue,
    accountId: fieldOrNoise(fc.integer()),
    userId: anyValue,
    cuppings: fieldOrNoise(fc.array(fieldOrNoise(noisyCupping), { maxLength: 3 })),
    form_name: anyValue,
  },
  { requiredKeys: [] },
);

describe("cupping service: properties over generated bodies (fast-check)", () => {
  useCuppingService();

  it("answers 201 or 400 with errors for any body, never a 500", async () => {
    const body = fc.oneof(
      fc.json({ maxDepth: 3 }),
      fc.string({ unit: codePoint }),
      noisySession.map((session) => JSON.stringify(session)),
      validSession.map((session) => JSON.stringify(session)),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const answer = await callApi("POST", "/session", {
          body: text,
          headers: { "content-type": "application/json" },
        });
        assert.ok(
          answer.status === 201 || answer.status === 400,
          `answered ${answer.status}: ${answer.rawBody}`,
        );
        if (answer.status === 400)
          assert.ok(answer.body.errors && Object.keys(answer.body.errors).length > 0);
      }),
      { numRuns: 250 },
    );
  });

  it("reads back a valid session exactly as it was written, with the defaults filled in", async () => {
    await fc.assert(
      fc.asyncProperty(validSession, async (session) => {
        const created = await callApi("POST", "/session", { body: session });
        assert.equal(created.status, 201, created.rawBody);
        const read = await callApi("GET", `/session/${created.body.session?.id}`);
        assert.equal(read.status, 200);
        assert.ok(read.body.session);
        // What was written, as JSON says it (-0 is 0), with the defaults for what was left out.
        const written = JSON.parse(JSON.stringify(session)) as typeof session;
        const expected = {
          accountId: null,
          userId: null,
          ...written,
          cuppings: (written.cuppings ?? []).map((cupping) => ({
            defects: [],
            notes: null,
            isSample: false,
            ...cupping,
            descriptors: cupping.descriptors ?? [],
          })),
        };
        assert.deepEqual(withoutStoredFields(read.body.session), expected);
        assert.deepEqual(read.body.session, created.body.session);
      }),
      { numRuns: 60 },
    );
  });
});
