import { limits } from "./limits";
import { InvalidInput } from "./request-errors";
import { largestInteger } from "./session";
import type { SessionJson } from "./session-repository";

/** Where a page of sessions starts: after this position in newest-first order. */
export interface SessionPosition {
  /** ISO 8601 with milliseconds, as sessions hold it. */
  readonly created: string;
  readonly id: number;
}

export interface PageRequest {
  /** How many sessions, 1 to `largestLimit`. */
  readonly limit: number;
  /** Absent for the first page. */
  readonly after?: SessionPosition;
}

export const defaultLimit = 20;
export const largestLimit = 100;

/** Reads `limit` and `cursor` from a GET /session query; throws InvalidInput naming each one that is wrong. */
export function parsePageRequest(query: Readonly<Record<string, string | undefined>>): PageRequest {
  const errors: Record<string, string> = {};
  const limit = query.limit === undefined ? defaultLimit : Number(query.limit);
  if (
    !/^[0-9]{1,3}$/.test(query.limit ?? String(defaultLimit)) ||
    limit < 1 ||
    limit > largestLimit
  ) {
    errors.limit = `must be a whole number from 1 to ${largestLimit} (default ${defaultLimit})`;
  }
  const after = query.cursor === undefined ? undefined : positionIn(query.cursor);
  if (after === null) errors.cursor = "must be the nextCursor of a previous page, unchanged";
  if (Object.keys(errors).length > 0) throw new InvalidInput(errors);
  return { limit, after: after ?? undefined };
}

/** The cursor of the page that follows this session. */
export function cursorAfter(session: SessionPosition): string {
  return Buffer.from(JSON.stringify([session.created, session.id])).toString("base64url");
}

/**
 * The JSON of GET /session: `{sessions, nextCursor}`. The page ends early, with a cursor, before the session that
 * would take it past `budget` bytes, so a page of the largest sessions still fits Lambda's response limit.
 */
export function pageBody(
  page: { readonly sessions: readonly SessionJson[]; readonly more: boolean },
  budget: number = limits.pageBytes,
): string {
  const parts: string[] = [];
  let bytes = 0;
  for (const session of page.sessions) {
    bytes += Buffer.byteLength(session.json) + 1;
    if (bytes > budget && parts.length > 0) break;
    parts.push(session.json);
  }
  const cut = parts.length < page.sessions.length;
  const last = page.sessions[parts.length - 1];
  const nextCursor = (cut || page.more) && last ? JSON.stringify(cursorAfter(last)) : "null";
  return `{"sessions":[${parts.join(",")}],"nextCursor":${nextCursor}}`;
}

/** The position a cursor holds, or null when the text is not a cursor this API gave out. */
function positionIn(cursor: string): SessionPosition | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [created, id] = value as unknown[];
  const isTimestamp =
    typeof created === "string" &&
    !Number.isNaN(Date.parse(created)) &&
    new Date(created).toISOString() === created;
  const isId = typeof id === "number" && Number.isInteger(id) && id >= 1 && id <= largestInteger;
  return isTimestamp && isId ? { created, id } : null;
}
