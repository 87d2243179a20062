import { corsHeaders, type CorsOrigins } from "./cors";
import { DatabaseUnavailable } from "./database";
import { pageBody, parsePageRequest } from "./page";
import { refuseOversizedBody, requireJsonContent } from "./request-body";
import { InvalidInput, NotFound, Refused } from "./request-errors";
import { allowedRequestHeaders, errors, jsonText, noContent, type ApiResponse } from "./responses";
import { matchRoute, type Route } from "./routes";
import { parseNewSession, parseSessionId } from "./session-input";
import type { SessionJson, SessionRepository } from "./session-repository";

/** An HTTP request, independent of how it arrived. */
export interface ApiRequest {
  /** Upper case. */
  readonly method: string;
  /** Without the stage or host, e.g. /session/12. */
  readonly path: string;
  /** Query string parameters; repeated ones joined with commas, as API Gateway does. */
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Header names in lower case; repeated ones joined with commas. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body as text. */
  readonly body?: string;
  /** Identifies the request in logs. */
  readonly requestId: string;
}

/** Where the API reports what a client cannot be told. */
export interface ApiLog {
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export type CuppingApi = (request: ApiRequest) => Promise<ApiResponse>;

export interface CuppingApiDependencies {
  readonly sessions: SessionRepository;
  readonly log: ApiLog;
  /** Web origins whose pages may read the answers; empty: none. */
  readonly corsOrigins: CorsOrigins;
}

const sessionNotFound = () => new NotFound("Session not found");
/** `{session}`, around the JSON the database wrote. */
const sessionBody = (session: SessionJson) => `{"session":${session.json}}`;

/** The cupping API: routing, validation and error answers over a session repository. */
export function createCuppingApi({
  sessions,
  log,
  corsOrigins,
}: CuppingApiDependencies): CuppingApi {
  const sessionIdIn = (text: string) => {
    const id = parseSessionId(text);
    if (id === undefined) throw sessionNotFound();
    return id;
  };

  const routes: ReadonlyArray<Route<ApiRequest, ApiResponse>> = [
    {
      path: /^\/session\/?$/,
      methods: {
        async GET(request) {
          return jsonText(200, pageBody(await sessions.page(parsePageRequest(request.query))));
        },
        async POST(request) {
          requireJsonContent(request.headers["content-type"]);
          const session = await sessions.create(parseNewSession(request.body));
          return jsonText(201, sessionBody(session), { location: `/session/${session.id}` });
        },
      },
    },
    {
      path: /^\/session\/([^/]+)\/?$/,
      methods: {
        async GET(_request, [id]) {
          const session = await sessions.find(sessionIdIn(id));
          if (!session) throw sessionNotFound();
          return jsonText(200, sessionBody(session));
        },
        async DELETE(_request, [id]) {
          if (!(await sessions.delete(sessionIdIn(id)))) throw sessionNotFound();
          return noContent();
        },
      },
    },
  ];

  const answer = async (request: ApiRequest): Promise<ApiResponse> => {
    try {
      refuseOversizedBody(request.body);
      const match = matchRoute(routes, request.method, request.path);
      if (match.found === "action") return await match.action(request, match.parameters);
      if (match.found === "no route")
        return errors(404, [`Not found: there is no ${request.path}`]);
      const allowed = [...match.allowed, "OPTIONS"].join(", ");
      // A CORS preflight: the browser asks which methods and headers it may use.
      if (request.method === "OPTIONS")
        return noContent({
          "access-control-allow-methods": allowed,
          "access-control-allow-headers": allowedRequestHeaders,
          allow: allowed,
        });
      return errors(405, [`Method ${request.method} is not allowed here; allowed: ${allowed}`], {
        allow: allowed,
      });
    } catch (error) {
      return failure(error, request, log);
    }
  };
  return async (request) => {
    const response = await answer(request);
    return {
      ...response,
      headers: { ...response.headers, ...corsHeaders(corsOrigins, request.headers.origin) },
    };
  };
}

function failure(error: unknown, request: ApiRequest, log: ApiLog): ApiResponse {
  if (error instanceof InvalidInput) return errors(400, error.errors);
  if (error instanceof NotFound) return errors(404, [error.message]);
  if (error instanceof Refused) return errors(error.statusCode, [error.message]);
  const context = {
    requestId: request.requestId,
    method: request.method,
    path: request.path,
    error,
  };
  if (error instanceof DatabaseUnavailable) {
    log.warn("The database is unavailable", context);
    return errors(503, ["The database is unavailable; try again in a few seconds"], {
      "retry-after": "5",
    });
  }
  log.error("Unexpected server error", context);
  return errors(500, ["Unexpected server error"]);
}
