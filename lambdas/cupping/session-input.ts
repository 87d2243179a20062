import { limits } from "./limits";
import { InvalidInput } from "./request-errors";
import { largestInteger, type NewCupping, type NewSession } from "./session";

// The same limits hold in the database (migrations/); the code refuses first, with messages a client can act on.
// Checked by hand, not by a schema library: reading the body is the handler's one per-request cost besides its SQL.
// zod/mini interpreted this schema in about 25 µs a body after JSON.parse, a fifth of the handler's CPU on a POST,
// and classic zod, which compiles object checks, is 20 KB more than the 40 KB bundle allows; these readers take 12 µs.

/** Field path (e.g. "cuppings.0.scores") to the first thing wrong there; a Map, so "__proto__" stays a field name. */
type Problems = Map<string, string>;

/** Reads the value at `path` as stored, or names what is wrong there and returns undefined. */
type Reader<T> = (input: unknown, path: string, problems: Problems) => T | undefined;

/** Notes the first message for `path`; returns undefined, the readers' "not valid". */
function complain(problems: Problems, path: string, message: string): undefined {
  if (!problems.has(path)) problems.set(path, message);
  return undefined;
}

const fieldPath = (path: string, key: string | number) =>
  path === "" ? `${key}` : `${path}.${key}`;

/** The message for a field: what is allowed there, phrased for a missing or for a wrong value. */
const allowed = (what: string, input: unknown) =>
  input === undefined ? `is required: ${what}` : `must be ${what}`;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

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

/** `fallback` for a field a client may leave out or send as null. */
const orDefault =
  <T, D>(read: Reader<T>, fallback: D): Reader<T | D> =>
  (input, path, problems) =>
    input === undefined || input === null ? fallback : read(input, path, problems);

function storableText(what: string, fits: (value: string) => boolean): Reader<string> {
  return (input, path, problems) => {
    if (typeof input !== "string") return complain(problems, path, allowed(what, input));
    if (!storable(input)) return complain(problems, path, storableMessage);
    if (!fits(input)) return complain(problems, path, `must be ${what}`);
    return input;
  };
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

/** A finite number that passes `fits`, with -0 read as 0; `notANumber` is the message for a value of another type. */
function number(
  what: string,
  fits: (value: number) => boolean,
  notANumber?: string,
): Reader<number> {
  return (input, path, problems) => {
    if (typeof input !== "number")
      return complain(problems, path, notANumber ?? allowed(what, input));
    // JSON's 1e999 parses as Infinity: out of range rather than not a number.
    if (!Number.isFinite(input) || !fits(input)) return complain(problems, path, `must be ${what}`);
    // JSON can say -0; the database keeps 0, and a value read back must equal the value written.
    return input + 0;
  };
}

const positiveInteger = orDefault(
  number(
    `a whole number from 1 to ${largestInteger}, or null`,
    (value) => Number.isInteger(value) && value >= 1 && value <= largestInteger,
  ),
  null,
);

const overallScore = number(
  "a number from 0 to 100 with at most one decimal, e.g. 86.5",
  (value) => value >= 0 && value <= 100 && Math.round(value * 10) / 10 === value,
);

const score = number(
  `a number from ${limits.score.min} to ${limits.score.max}`,
  (value) => value >= limits.score.min && value <= limits.score.max,
  "must be a number",
);

const isSample = orDefault<boolean, boolean>(
  (input, path, problems) =>
    typeof input === "boolean" ? input : complain(problems, path, "must be true or false, or null"),
  false,
);

/** A list of at most `maxItems` of `item`, or null (read as empty); a longer list is refused unread. */
function list<T>(item: Reader<T>, what: string, maxItems: number): Reader<readonly T[]> {
  return orDefault((input, path, problems) => {
    if (!Array.isArray(input))
      return complain(problems, path, `must be a list of ${what}, or null`);
    if (input.length > maxItems)
      return complain(problems, path, `must hold at most ${maxItems} ${what}`);
    const items = input.map((value: unknown, index) =>
      item(value, fieldPath(path, index), problems),
    );
    return items.includes(undefined) ? undefined : (items as T[]);
  }, []);
}

const textList = (max: number) =>
  list(text(max), `texts of 1 to ${max} characters`, limits.listItems);

const scores: Reader<Readonly<Record<string, number>>> = (() => {
  const what = 'an object of score names to numbers with at least one entry, e.g. {"Aroma": 8.5}';
  const scoreName = text(64);
  return (input, path, problems) => {
    if (!isObject(input)) return complain(problems, path, allowed(what, input));
    const entries = Object.entries(input);
    if (entries.length === 0) return complain(problems, path, `must be ${what}`);
    if (entries.length > limits.scoresPerCupping)
      return complain(problems, path, `must hold at most ${limits.scoresPerCupping} score names`);
    const read: Array<[string, number]> = [];
    for (const [name, value] of entries) {
      const at = fieldPath(path, name);
      // Both are read, so the name's problem is the one reported when both are wrong.
      const readName = scoreName(name, at, problems);
      const readScore = score(value, at, problems);
      if (readName !== undefined && readScore !== undefined) read.push([readName, readScore]);
    }
    // fromEntries defines each name as a property, so a "__proto__" score stays a score.
    return read.length === entries.length ? Object.fromEntries(read) : undefined;
  };
})();

/** An object with exactly the fields of `shape`, each read by its reader; a field it does not know is named. */
function strictObject<T extends object>(
  noun: string,
  shape: { readonly [Field in keyof T]-?: Reader<T[Field]> },
): Reader<T> {
  const known = new Set(Object.keys(shape));
  const fields = [...known].join(", ");
  const readers = Object.entries<Reader<unknown>>(shape);
  return (input, path, problems) => {
    if (!isObject(input)) return complain(problems, path, `must be a ${noun} object`);
    const value: Record<string, unknown> = {};
    let valid = true;
    for (const [field, read] of readers) {
      const fieldValue = read(input[field], fieldPath(path, field), problems);
      if (fieldValue === undefined) valid = false;
      else value[field] = fieldValue;
    }
    for (const field of Object.keys(input))
      if (!known.has(field)) {
        complain(
          problems,
          fieldPath(path, field),
          `is not a field of a ${noun} (its fields are ${fields})`,
        );
        valid = false;
      }
    return valid ? (value as T) : undefined;
  };
}

const cupping = strictObject<NewCupping>("cupping", {
  name: text(128),
  scores,
  overallScore,
  descriptors: textList(64),
  defects: textList(64),
  notes: optionalText(255),
  isSample,
});

const newSession = strictObject<NewSession>("session", {
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
  if (!isObject(data) || Object.keys(data).length === 0) throw invalidInputData();
  const problems: Problems = new Map();
  const session = newSession(data, "", problems);
  if (session === undefined || problems.size > 0)
    throw new InvalidInput(Object.fromEntries(problems));
  return session;
}

/** A session id from a path, or undefined when the text could never be one (so the session is not found). */
export function parseSessionId(text: string): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return undefined;
  const id = Number(text);
  return id <= largestInteger ? id : undefined;
}
