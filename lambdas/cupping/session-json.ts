/**
 * SQL that renders a session as the API's JSON text, so the handler passes the text through instead of parsing
 * rows into objects and stringifying them. The text is what JSON.stringify gave for the session the rows used to be
 * mapped into: compact, fields in the same order, numbers as JavaScript writes them.
 */

/** A timestamp as ISO 8601 text in UTC with milliseconds, e.g. 2024-05-01T09:30:00.123Z. */
export const isoTime = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A float8 as JavaScript's Number#toString writes it. PostgreSQL's float8 text holds the same shortest digits (with
 * extra_float_digits > 0, its default), but uses an exponent below 1e-4 and from 1e15, where JavaScript keeps plain
 * digits from 1e-6 to 1e21, and pads the exponent to two digits (1e-07 where JavaScript writes 1e-7). From 2^53 on,
 * where a shorter decimal can lie exactly halfway between two doubles, PostgreSQL may keep one digit more than
 * JavaScript (1e23 is 9.999999999999999e+22): the same double, a number only a writer that bypasses the API can store.
 */
const javascriptNumber = (double: string) =>
  `CASE WHEN abs(${double}) >= 1e-6 AND abs(${double}) < 1e21 THEN ${double}::text::numeric::text
    WHEN ${double} = 'Infinity' OR ${double} = '-Infinity' THEN 'null' WHEN ${double} = 0 THEN '0'
    ELSE replace(${double}::text, 'e-0', 'e-') END`;

/**
 * A JSON number (numeric) as the double JSON.parse reads it: beyond double's range (only a writer that bypasses the
 * API can store such a number) it is Infinity, which JSON.stringify writes as null, or underflows to 0.
 */
const parsedDouble = (exact: string) =>
  `CASE WHEN abs(${exact}) >= 1.7976931348623158e308 THEN 'Infinity'::float8
    WHEN abs(${exact}) < 2.4703282292062328e-324 THEN 0 ELSE ${exact}::float8 END`;

/** JavaScript lists an object's array-index keys ("0" to "4294967294") first, ascending, then the others in order. */
const arrayIndexKey = (key: string) =>
  `CASE WHEN ${key} ~ '^(0|[1-9][0-9]{0,9})$' THEN CASE WHEN ${key}::bigint < 4294967295 THEN ${key}::bigint END END`;

/** A cupping's jsonb scores as JSON.stringify(JSON.parse(scores)) writes them; jsonb_each gives jsonb's key order. */
const exactScoresJson = (scores: string) =>
  `(SELECT concat('{', string_agg(concat(to_json(score.key), ':', ${javascriptNumber("parsed.double")}), ','
      ORDER BY ${arrayIndexKey("score.key")}, score.position), '}')
    FROM jsonb_each(${scores}) WITH ORDINALITY AS score(key, value, position),
      LATERAL (SELECT ${parsedDouble("score.value::numeric")} AS double) AS parsed)`;

/**
 * In jsonb's text ({"Aroma": 8.5, "Flavor": 8.25}), what may make `exactScoresJson` write otherwise than `compact`
 * (it may also match where both agree): a fraction's trailing zero, 16 digits (more than a double keeps), a number
 * below 1e-6, a key that starts with a digit (JavaScript lists "0" to "4294967294" first), a quote inside a key or a
 * key ending in ", " (`compact` would take them for separators), no key at all.
 */
const unlikeJavaScript = String.raw`\.[0-9]*0[,}]|[0-9.]{16}|0\.000000|[{ ]"[0-9]|\\"|, ": |\{\}`;

/** jsonb's text without the spaces after its separators: outside `unlikeJavaScript`, only those are `": ` and `, "`. */
const compact = (text: string) => `replace(replace(${text}, '": ', '":'), ', "', ',"')`;

/** Scores as JSON.stringify(JSON.parse(scores)) writes them: usually jsonb's own text, compact. */
const scoresJson = (scores: string) =>
  `CASE WHEN ${scores}::text ~ '${unlikeJavaScript}' THEN ${exactScoresJson(scores)} ELSE ${compact(`${scores}::text`)} END`;

/**
 * A cupping row named `cupping` as JSON, fields in the order JSON.stringify wrote them. trim_scale: numeric keeps the
 * scale it was written with (87.50) where JavaScript writes the shortest form; an overall score has at most one
 * decimal, so the two then agree.
 */
const cuppingJson = `concat('{"id":', cupping.id, ',"sessionId":', cupping.session_id,
  ',"created":"', ${isoTime("cupping.created")}, '","updated":"', ${isoTime("cupping.updated")},
  '","name":', to_json(cupping.name), ',"scores":', ${scoresJson("cupping.scores")},
  ',"overallScore":', trim_scale(cupping.overall_score), ',"descriptors":', to_json(cupping.descriptors),
  ',"defects":', to_json(cupping.defects), ',"notes":', coalesce(to_json(cupping.notes)::text, 'null'),
  ',"isSample":', to_json(cupping.is_sample), '}')`;

/**
 * The columns of one session row named `session`: `id`, `created` (its position, for a page's cursor) and `json`,
 * its JSON text with its cuppings, which are read from `cuppings` (the table, or a CTE's RETURNING).
 */
export const sessionJsonColumns = (cuppings: string) =>
  `session.id, ${isoTime("session.created")} AS created, concat('{"id":', session.id,
    ',"created":"', ${isoTime("session.created")}, '","updated":"', ${isoTime("session.updated")},
    '","name":', to_json(session.name), ',"formName":', to_json(session.form_name),
    ',"accountId":', coalesce(session.account_id::text, 'null'), ',"userId":', coalesce(session.user_id::text, 'null'),
    ',"cuppings":[', (SELECT string_agg(${cuppingJson}, ',' ORDER BY cupping.id) FROM ${cuppings} AS cupping
      WHERE cupping.session_id = session.id), ']}') AS json`;
