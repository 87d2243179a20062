import * as z from "zod/mini";
import { limits } from "./limits";
import { InvalidInput } from "./request-errors";
import { largestInteger, type NewSession } from "./session";

// The same limits hold in the database (migrations/); the code refuses first, with messages a client can act on.
// zod/mini, not zod: the same checks in a quarter of the bundle, since only what is used is kept.

/** The message for a field: what is allowed there, phrased for a missing or for a wrong value. */
const allowed = (what: string) => (issue: { readonly input?: unknown }) =>
  issue.input === undefined ? `is required: ${what}` : `must be ${what}`;

/** True when the text has at most `max` characters as PostgreSQL counts them (code points, not UTF-16 units). */
const fitsCharacters = (value: string, max: number) =>
  // A code point is one or two UTF-16 units: a text of at most `max` units needs no counting.
  value.length <= max || [...value].length <= max;

/** PostgreSQL text cannot hold NUL, and a lone surrogate half is not a character at all. */
const storable = (value: string) =>
  !value.includes("\u0000") &&
  // Most texts hold no surrogate at all, which a plain character class finds faster than \p{Cs}.
  (!/[\ud800-\udfff]/.test(value) || !/\p{Cs}/u.test(value));
const storableMessage = "must be valid Unicode text without NUL characters";

/** `value ?? fallback` after a nullish field: what a client may leave out or send as null. */
const orDefault = <T, D>(schema: z.ZodMiniType<T>, fallback: D) =>
  z.pipe(
    z.nullish(schema),
    z.transform((value: T | null | undefined) => value ?? fallback),
  );

function storableText(what: string, fits: (value: string) => boolean) {
  return z
    .string({ error: allowed(what) })
    .check(
      z.refine(storable, { error: storableMessage }),
      z.refine(fits, { error: `must be ${what}` }),
    );
}

/** Text of 1 to `max` characters that is not only whitespace. */
const text = (max: number) =>
  storableText(
    `text of 1 to ${max} characters, not blank`,
    (value) => fitsCharacters(value, max) && /\S/.test(value),
  );

/** Optional text of at most `max` characters; an empty text is kept as given. */
const optionalText = (max: number) =>
  orDefault(
    storableText(`text of at most ${max} characters, or null`, (value) =>
      fitsCharacters(value, max),
    ),
    null,
  );

// JSON can say -0; the database keeps 0, and a value read back must equal the value written.
const withoutNegativeZero = (value: number) => value + 0;

/** A number that passes `fits`, with -0 read as 0; `notANumber` is the message for a value of another type. */
const number = (what: string, fits: (value: number) => boolean, notANumber: string = "") =>
  z.pipe(
    z
      // An infinite number (JSON's 1e999) is out of range rather than not a number.
      .number({
        error: (issue) =>
          typeof issue.input === "number" ? `must be ${what}` : notANumber || allowed(what)(issue),
      })
      .check(z.refine(fits, { error: `must be ${what}` })),
    z.transform(withoutNegativeZero),
  );

const positiveInteger = (() => {
  const what = `a whole number from 1 to ${largestInteger}, or null`;
  return orDefault(
    number(what, (value) => Number.isInteger(value) && value >= 1 && value <= largestInteger),
    null,
  );
})();

const overallScore = number(
  "a number from 0 to 100 with at most one decimal, e.g. 86.5",
  (value) => value >= 0 && value <= 100 && Math.round(value * 10) / 10 === value,
);

/** One score: finite (JSON's 1e999 parses as Infinity) and in the documented range. */
const score = number(
  `a number from ${limits.score.min} to ${limits.score.max}`,
  (value) => Number.isFinite(value) && value >= limits.score.min && value <= limits.score.max,
  "must be a number",
);

/** A list of at most `maxItems` of `item`, or null (read as empty). */
function list<T>(item: z.ZodMiniType<T>, what: string, maxItems: number) {
  return orDefault(
    z
      .array(item, { error: allowed(`a list of ${what}, or null`) })
      .check(z.maxLength(maxItems, { error: `must hold at most ${maxItems} ${what}` })),
    [],
  );
}

const textList = (max: number) =>
  list(text(max), `texts of 1 to ${max} characters`, limits.listItems);

const scores = (() => {
  const what = 'an object of score names to numbers with at least one entry, e.g. {"Aroma": 8.5}';
  const isObject = (value: unknown): value is object =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  // Through a Map: a plain-object record would drop a "__proto__" score name instead of keeping it as data.
  return z.pipe(
    z.pipe(
      z.transform((value: unknown) => (isObject(value) ? new Map(Object.entries(value)) : value)),
      z.map(text(64), score, { error: allowed(what) }).check(
        z.refine((entries) => entries.size > 0, { error: `must be ${what}` }),
        z.refine((entries) => entries.size <= limits.scoresPerCupping, {
          error: `must hold at most ${limits.scoresPerCupping} score names`,
        }),
      ),
    ),
    z.transform((entries: Map<string, number>) => Object.fromEntries(entries)),
  );
})();

/** An object that refuses fields it does not know, naming the ones it does. */
function strictObject<Shape extends z.core.$ZodLooseShape>(noun: string, shape: Shape) {
  const fields = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `is not a field of a ${noun} (its fields are ${fields})`
        : `must be a ${noun} object`,
  });
}

const cupping = strictObject("cupping", {
  name: text(128),
  scores,
  overallScore,
  descriptors: textList(64),
  defects: textList(64),
  notes: optionalText(255),
  isSample: orDefault(z.boolean({ error: allowed("true or false, or null") }), false),
});

const newSession = strictObject("session", {
  name: text(127),
  formName: text(127),
  accountId: positiveInteger,
  userId: positiveInteger,
  cuppings: list(cupping, "cuppings", limits.cuppingsPerSession),
});

/** The book's answer to a body that is not a JSON object with something in it. */
const invalidInputData = () => new InvalidInput(["Invalid input data"]);

/** Reads a POST /session body; throws InvalidInput naming every field that is wrong. */
export function parseNewSession(body: string | undefined): NewSession {
  let data: unknown;
  try {
    data = JSON.parse(body ?? "");
  } catch {
    throw invalidInputData();
  }
  if (
    typeof data !== "object" ||
    data === null ||
    Array.isArray(data) ||
    Object.keys(data).length === 0
  )
    throw invalidInputData();
  const result = newSession.safeParse(data);
  if (!result.success) throw new InvalidInput(fieldErrors(result.error));
  return result.data;
}

/** Field path (e.g. "cuppings.0.scores") to the first message for it; each unknown field gets its own path. */
export function fieldErrors(error: z.core.$ZodError): Record<string, string> {
  // A Map, then fromEntries: a field named "__proto__" must become a key, not a prototype.
  const errors = new Map<string, string>();
  for (const issue of error.issues) {
    const paths =
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => [...issue.path, key])
        : [issue.path];
    for (const path of paths) {
      const key = path.map(String).join(".");
      if (!errors.has(key)) errors.set(key, issue.message);
    }
  }
  return Object.fromEntries(errors);
}

/** A session id from a path, or undefined when the text could never be one (so the session is not found). */
export function parseSessionId(text: string): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return undefined;
  const id = Number(text);
  return id <= largestInteger ? id : undefined;
}
