import type { Database, Statement } from "./database";
import type { PageRequest } from "./page";
import type { Cupping, NewSession, Session } from "./session";

/** Sessions with their cuppings, stored in PostgreSQL. */
export interface SessionRepository {
  /** Writes the session and its cuppings in one statement: all of them or none. */
  create(session: NewSession): Promise<Session>;
  /** Sessions newest first, and whether more follow. */
  page(
    request: PageRequest,
  ): Promise<{ readonly sessions: readonly Session[]; readonly more: boolean }>;
  find(id: number): Promise<Session | undefined>;
  /** True when the session existed; its cuppings go with it. */
  delete(id: number): Promise<boolean>;
}

/** One row per cupping (or one with null cupping columns for a session without any), in output order. */
interface SessionRow {
  readonly id: number;
  readonly created: string;
  readonly updated: string;
  readonly name: string;
  readonly form_name: string;
  readonly account_id: number | null;
  readonly user_id: number | null;
  readonly cupping_id: number | null;
  readonly cupping_created: string;
  readonly cupping_updated: string;
  readonly cupping_name: string;
  readonly scores: Record<string, number>;
  /** numeric arrives as text, exactly as stored. */
  readonly overall_score: string;
  readonly descriptors: string[];
  readonly defects: string[];
  readonly notes: string | null;
  readonly is_sample: boolean;
}

/** A timestamp as ISO 8601 text in UTC, e.g. 2024-05-01T09:30:00.123Z: formatted by the database, it needs no Date in between. */
const isoTime = (column: string, name: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${name}`;

/** The columns every statement returns: sessions as `session`, cuppings as `cupping`. */
const columns = `session.id, ${isoTime("session.created", "created")}, ${isoTime("session.updated", "updated")},
  session.name, session.form_name, session.account_id, session.user_id,
  cupping.id AS cupping_id, ${isoTime("cupping.created", "cupping_created")}, ${isoTime("cupping.updated", "cupping_updated")}, cupping.name AS cupping_name,
  cupping.scores, cupping.overall_score, cupping.descriptors, cupping.defects, cupping.notes, cupping.is_sample`;

/** The statements, exported so the benchmark can run the same SQL through raw pg. */
export const sessionStatements = {
  // One statement, so one implicit transaction: the session and all its cuppings are written, or nothing is.
  create: {
    name: "cupping-create-session",
    text: `WITH session AS (
        INSERT INTO sessions (name, form_name, account_id, user_id) VALUES ($1, $2, $3, $4) RETURNING *
      ), cupping AS (
        INSERT INTO cuppings (session_id, name, scores, overall_score, descriptors, defects, notes, is_sample)
        SELECT session.id, given.name, given.scores, given.overall_score, given.descriptors, given.defects, given.notes, given.is_sample
        FROM session, jsonb_to_recordset($5::jsonb) AS given(name text, scores jsonb, overall_score numeric, descriptors text[], defects text[], notes text, is_sample boolean)
        RETURNING *
      )
      SELECT ${columns} FROM session LEFT JOIN cupping ON true ORDER BY cupping.id`,
  },
  // Keyset pagination: the first page starts after ('infinity', 0), so one statement and one index serve every page.
  page: {
    name: "cupping-page-sessions",
    text: `WITH session AS (
        SELECT * FROM sessions WHERE (created, id) < ($1::timestamptz, $2::integer) ORDER BY created DESC, id DESC LIMIT $3
      )
      SELECT ${columns} FROM session LEFT JOIN cuppings AS cupping ON cupping.session_id = session.id
      ORDER BY session.created DESC, session.id DESC, cupping.id`,
  },
  find: {
    name: "cupping-find-session",
    text: `SELECT ${columns} FROM sessions AS session LEFT JOIN cuppings AS cupping ON cupping.session_id = session.id
      WHERE session.id = $1 ORDER BY cupping.id`,
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
      const [created] = sessionsFrom(
        await database.query<SessionRow>(sessionStatements.create, createParameters(session)),
      );
      return created;
    },
    async page(request) {
      // One more than asked for: its presence says another page follows.
      const sessions = sessionsFrom(
        await database.query<SessionRow>(sessionStatements.page, pageParameters(request)),
      );
      return { sessions: sessions.slice(0, request.limit), more: sessions.length > request.limit };
    },
    async find(id) {
      const [found] = sessionsFrom(await database.query<SessionRow>(sessionStatements.find, [id]));
      return found;
    },
    async delete(id) {
      return (await database.query(sessionStatements.delete, [id])).length > 0;
    },
  };
}

/** Groups rows into sessions, keeping the order of the rows. */
function sessionsFrom(rows: readonly SessionRow[]): Session[] {
  const sessions = new Map<number, Session & { cuppings: Cupping[] }>();
  for (const row of rows) {
    let session = sessions.get(row.id);
    if (!session) {
      session = {
        id: row.id,
        created: row.created,
        updated: row.updated,
        name: row.name,
        formName: row.form_name,
        accountId: row.account_id,
        userId: row.user_id,
        cuppings: [],
      };
      sessions.set(row.id, session);
    }
    if (row.cupping_id !== null) session.cuppings.push(cuppingFrom(row, row.cupping_id));
  }
  return [...sessions.values()];
}

function cuppingFrom(row: SessionRow, id: number): Cupping {
  return {
    id,
    sessionId: row.id,
    created: row.cupping_created,
    updated: row.cupping_updated,
    name: row.cupping_name,
    scores: row.scores,
    overallScore: Number(row.overall_score),
    descriptors: row.descriptors,
    defects: row.defects,
    notes: row.notes,
    isSample: row.is_sample,
  };
}
