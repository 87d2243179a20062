import { Client } from "pg";
import { closeDatabase, handler } from "../../lambdas/cupping/handler";
import { applyMigrations } from "../../lambdas/cupping/migrations";
import type { NewSession, Session } from "../../lambdas/cupping/session";
import { payloadV2Event, type PlainRequest } from "../../tooling/local/http-adapter";
import {
  clearTables,
  clientConfig,
  statementPool,
  testDatabase,
  type PostgresEnvironment,
} from "../support/postgres";
import { replaceServiceEnvironment } from "./service-environment";

export { replaceServiceEnvironment } from "./service-environment";

let migrated: Promise<PostgresEnvironment> | undefined;

/** The test run's cupping database, migrated once. */
export function cuppingDatabase(): Promise<PostgresEnvironment> {
  migrated ??= testDatabase("cupping").then(async (environment) => {
    await withClient(environment, (client) => applyMigrations(client));
    return environment;
  });
  return migrated;
}

/** Runs `work` with a connected client of its own. */
export async function withClient<T>(
  environment: PostgresEnvironment,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client(clientConfig(environment));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs one SQL statement against the cupping database, on a connection shared with other such statements. */
export async function query<Row extends Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  return (await statementPool(await cuppingDatabase()).query<Row>(text, values)).rows;
}

/**
 * For the calling suite: the handler reads the cupping database (set in the process environment as Lambda would),
 * tables start empty for each test, and the handler's pool is closed when the suite ends.
 */
export function useCuppingService(
  extra: () => Readonly<Record<string, string>> = () => ({}),
): void {
  let restore: (() => void) | undefined;
  before(async () => {
    restore = replaceServiceEnvironment({ ...(await cuppingDatabase()), ...extra() });
  });
  beforeEach(clearSessions);
  after(async () => {
    await closeDatabase();
    restore?.();
  });
}

export async function clearSessions(): Promise<void> {
  await clearTables(await cuppingDatabase(), ["sessions", "cuppings"]);
}

/** What an API answer's JSON body may hold. */
export interface AnswerBody {
  readonly session?: Session;
  readonly sessions?: Session[];
  readonly nextCursor?: string | null;
  readonly errors?: string[] | Record<string, string>;
}

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body; empty for an answer without one. */
  readonly body: AnswerBody;
  readonly rawBody?: string;
  /** The API Gateway request id the event carried. */
  readonly requestId: string;
}

/** Calls the Lambda handler as API Gateway would; a body that is not a string is sent as JSON. */
export async function callApi(
  method: string,
  url: string,
  options: Omit<PlainRequest, "method" | "url" | "body"> & { readonly body?: unknown } = {},
): Promise<Answer> {
  const body =
    options.body === undefined || typeof options.body === "string"
      ? options.body
      : JSON.stringify(options.body);
  const headers =
    body === undefined
      ? options.headers
      : { "content-type": "application/json", ...options.headers };
  const event = payloadV2Event({ ...options, method, url, body, headers });
  const result = await handler(event);
  const rawBody = result.body;
  return {
    requestId: event.requestContext.requestId,
    status: result.statusCode ?? 200,
    headers: Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
    ),
    body: rawBody ? (JSON.parse(rawBody) as AnswerBody) : {},
    rawBody,
  };
}

/** Creates a session through the API and returns it as stored. */
export async function createSession(session: unknown): Promise<Session> {
  const answer = await callApi("POST", "/session", { body: session });
  if (answer.status !== 201 || !answer.body.session)
    throw new Error(`POST /session answered ${answer.status}: ${answer.rawBody}`);
  return answer.body.session;
}

/** A structured log line. */
export type LogLine = Record<string, unknown>;

/** Runs `work` with stdout and stderr captured, returning the JSON log lines written meanwhile. */
export async function captureLogs(work: () => Promise<unknown>): Promise<LogLine[]> {
  const written: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write);
  for (const stream of streams)
    stream.write = (chunk: string | Uint8Array) => written.push(String(chunk)) > 0;
  try {
    await work();
  } finally {
    streams.forEach((stream, index) => (stream.write = writes[index]));
  }
  return written
    .join("")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);
}

/** A full session in the shape a client sends it: every field set, two cuppings. */
export const tastingSession = {
  name: "Thursday table",
  formName: "SCA",
  accountId: 12,
  userId: 34,
  cuppings: [
    {
      name: "Yirgacheffe washed",
      scores: { Aroma: 8.5, Flavor: 8.25, Acidity: 8 },
      overallScore: 86.5,
      descriptors: ["jasmine", "bergamot"],
      defects: [],
      notes: "Clean cup, long finish",
      isSample: false,
    },
    {
      name: "Sidamo natural",
      scores: { Aroma: 7.75 },
      overallScore: 81,
      descriptors: ["blueberry"],
      defects: ["ferment"],
      notes: null,
      isSample: true,
    },
  ],
} as const satisfies NewSession;

/** The session as stored, without what the database adds: to compare with what was written. */
export function withoutStoredFields(session: Session): NewSession {
  const { id: _id, created: _created, updated: _updated, cuppings, ...fields } = session;
  return {
    ...fields,
    cuppings: cuppings.map(
      ({ id: _cid, sessionId: _sessionId, created: _c, updated: _u, ...cupping }) => cupping,
    ),
  };
}
