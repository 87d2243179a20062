import * as z from "zod";
import { InvalidInput } from "./request-errors";
import { largestInteger, type NewSession } from "./session";

// The same limits hold in the database (migrations/); the code refuses first, with messages a client can act on.

/** The message for a field: what is allowed there, phrased for a missing or for a wrong value. */
const allowed = (what: string) => (issue: { readonly input?: unknown }) => (issue.input === undefined ? `is required: ${what}` : `must be ${what}`);

/** Counts characters as PostgreSQL does (code points), not as `length` does (UTF-16 units). */
const characterCount = (value: string) => [...value].length;

/** PostgreSQL text cannot hold NUL, and a lone surrogate half is not a character at all. */
const storable = (value: string) => !value.includes("\u0000") && !/\p{Cs}/u.test(value);
const storableMessage = "must be valid Unicode text without NUL characters";

function storableText(what: string, fits: (value: string) => boolean) {
  return z.string({ error: allowed(what) }).refine(storable, { error: storableMessage }).refine(fits, { error: `must be ${what}` });
}

/** Text of 1 to `max` characters that is not only whitespace. */
const text = (max: number) => storableText(`text of 1 to ${max} characters, not blank`, (value) => characterCount(value) <= max && /\S/.test(value));

/** Optional text of at most `max` characters; an empty text is kept as given. */
const optionalText = (max: number) => storableText(`text of at most ${max} characters, or null`, (value) => characterCount(value) <= max).nullish().transform((value) => value ?? null);

// JSON can say -0; the database keeps 0, and a value read back must equal the value written.
const withoutNegativeZero = (value: number) => value + 0;

const positiveInteger = (() => {
  const what = `a whole number from 1 to ${largestInteger}, or null`;
  return z
    .number({ error: allowed(what) })
    .refine((value) => Number.isInteger(value) && value >= 1 && value <= largestInteger, { error: `must be ${what}` })
    .nullish()
    .transform((value) => value ?? null);
})();

const overallScore = (() => {
  const what = "a number from 0 to 100 with at most one decimal, e.g. 86.5";
  return z
    .number({ error: allowed(what) })
    .refine((value) => value >= 0 && value <= 100 && Math.round(value * 10) / 10 === value, { error: `must be ${what}` })
    .transform(withoutNegativeZero);
})();

const textList = (max: number) =>
  z
    .array(text(max), { error: allowed(`a list of texts of 1 to ${max} characters, or null`) })
    .nullish()
    .transform((items) => items ?? []);

const scores = (() => {
  const what = 'an object of score names to numbers with at least one entry, e.g. {"Aroma": 8.5}';
  const isObject = (value: unknown): value is object => typeof value === "object" && value !== null && !Array.isArray(value);
  // Through a Map: a plain-object record would drop a "__proto__" score name instead of keeping it as data.
  return z
    .preprocess(
      (value) => (isObject(value) ? new Map(Object.entries(value)) : value),
      z.map(text(64), z.number({ error: "must be a number" }).transform(withoutNegativeZero), { error: allowed(what) }).refine((entries) => entries.size > 0, { error: `must be ${what}` }),
    )
    .transform((entries) => Object.fromEntries(entries));
})();

/** An object that refuses fields it does not know, naming the ones it does. */
function strictObject<Shape extends z.ZodRawShape>(noun: string, shape: Shape) {
  const fields = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `is not a field of a ${noun} (its fields are ${fields})` : `must be a ${noun} object`),
  });
}

const cupping = strictObject("cupping", {
  name: text(128),
  scores,
  overallScore,
  descriptors: textList(64),
  defects: textList(64),
  notes: optionalText(255),
  isSample: z
    .boolean({ error: allowed("true or false, or null") })
    .nullish()
    .transform((value) => value ?? false),
});

const newSession = strictObject("session", {
  name: text(127),
  formName: text(127),
  accountId: positiveInteger,
  userId: positiveInteger,
  cuppings: z
    .array(cupping, { error: allowed("a list of cuppings, or null") })
    .nullish()
    .transform((items) => items ?? []),
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
  if (typeof data !== "object" || data === null || Array.isArray(data) || Object.keys(data).length === 0) throw invalidInputData();
  const result = newSession.safeParse(data);
  if (!result.success) throw new InvalidInput(fieldErrors(result.error));
  return result.data;
}

/** Field path (e.g. "cuppings.0.scores") to the first message for it; each unknown field gets its own path. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  // A Map, then fromEntries: a field named "__proto__" must become a key, not a prototype.
  const errors = new Map<string, string>();
  for (const issue of error.issues) {
    const paths = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
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
