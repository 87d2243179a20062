import type { Database, Statement } from "./database";
import type { PageRequest } from "./page";
import type { NewSession } from "./session";
import { sessionJsonColumns } from "./session-json";

/** A session as the API answers it: its JSON text, rendered by the database, and its position in a page. */
export interface SessionJson {
  readonly id: number;
  /** ISO 8601 with milliseconds, as the JSON holds it. */
  readonly created: string;
  /** The session with its cuppings, as JSON text. */
  readonly json: string;
}

/** Sessions with their cuppings, stored in PostgreSQL. */
export interface SessionRepository {
  /** Writes the session and its cuppings in one statement: all of them or none. */
  create(session: NewSession): Promise<SessionJson>;
  /** Sessions newest first, and whether more follow. */
  page(
    request: PageRequest,
  ): Promise<{ readonly sessions: readonly SessionJson[]; readonly more: boolean }>;
  find(id: number): Promise<SessionJson | undefined>;
  /** True when the session existed; its cuppings go with it. */
  delete(id: number): Promise<boolean>;
}

/** The statements, exported so the benchmark can run the same SQL through raw pg. */
export const sessionStatements = {
  // One statement, so one implicit transaction: the session and all its cuppings are written, or nothing is.
  create: {
    name: "cupping-create-session",
    text: `WITH new_session AS (
        INSERT INTO sessions (name, form_name, account_id, user_id) VALUES ($1, $2, $3, $4) RETURNING *
      ), new_cupping AS (
        INSERT INTO cuppings (session_id, name, scores, overall_score, descriptors, defects, notes, is_sample)
        SELECT new_session.id, given.name, given.scores, given.overall_score, given.descriptors, given.defects, given.notes, given.is_sample
        FROM new_session, jsonb_to_recordset($5::jsonb) AS given(name text, scores jsonb, overall_score numeric, descriptors text[], defects text[], notes text, is_sample boolean)
        RETURNING *
      )
      SELECT ${sessionJsonColumns("new_cupping")} FROM new_session AS session`,
  },
  // Keyset pagination: the first page starts after ('infinity', 0), so one statement and one index serve every page.
  page: {
    name: "cupping-page-sessions",
    text: `SELECT ${sessionJsonColumns("cuppings")} FROM (
        SELECT * FROM sessions WHERE (created, id) < ($1::timestamptz, $2::integer) ORDER BY created DESC, id DESC LIMIT $3
      ) AS session ORDER BY session.created DESC, session.id DESC`,
  },
  find: {
    name: "cupping-find-session",
    text: `SELECT ${sessionJsonColumns("cuppings")} FROM sessions AS session WHERE session.id = $1`,
  },
  delete: {
    name: "cupping-delete-session",
    text: "DELETE FROM sessions WHERE id = $1 RETURNING id",
  },
} as const satisfies Record<string, Statement>;

/** The parameters of the create statement, in order. */
export function createParameters(session: NewSession): unknown[] {
  const cuppings = session.cuppings.map((cupping) => ({
    name: cupping.name,
    scores: cupping.scores,
    overall_score: cupping.overallScore,
    descriptors: cupping.descriptors,
    defects: cupping.defects,
    notes: cupping.notes,
    is_sample: cupping.isSample,
  }));
  return [
    session.name,
    session.formName,
    session.accountId,
    session.userId,
    JSON.stringify(cuppings),
  ];
}

/** The parameters of the page statement, in order. */
export function pageParameters(request: PageRequest): unknown[] {
  return [request.after?.created ?? "infinity", request.after?.id ?? 0, request.limit + 1];
}

export function createSessionRepository(database: Database): SessionRepository {
  return {
    async create(session) {
      const [created] = await database.query<SessionJson>(
        sessionStatements.create,
        createParameters(session),
      );
      return created;
    },
    async page(request) {
      // One more than asked for: its presence says another page follows.
      const sessions = await database.query<SessionJson>(
        sessionStatements.page,
        pageParameters(request),
      );
      return { sessions: sessions.slice(0, request.limit), more: sessions.length > request.limit };
    },
    async find(id) {
      const [found] = await database.query<SessionJson>(sessionStatements.find, [id]);
      return found;
    },
    async delete(id) {
      return (await database.query(sessionStatements.delete, [id])).length > 0;
    },
  };
}
