import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import { createCuppingApi, type ApiRequest, type CuppingApi } from "./api";
import { readCorsOrigins } from "./cors";
import { openDatabase, type Database } from "./database";
import { readDatabaseSettings } from "./database-settings";
import { createLogger } from "./logger";
import { errors, type ApiResponse } from "./responses";
import { createSessionRepository } from "./session-repository";

const logger = createLogger("cupping");

interface Service {
  readonly api: CuppingApi;
  readonly database: Database;
}

// Built on the first invocation and kept for the container's life: one pool, and one secret read per cold start.
let service: Promise<Service> | undefined;

async function startService(): Promise<Service> {
  const database = await openDatabase(readDatabaseSettings(process.env), {
    onIdleConnectionError: (failure) =>
      logger.warn("An idle database connection failed; the pool dropped it", { failure }),
  });
  return {
    api: createCuppingApi({
      sessions: createSessionRepository(database),
      log: logger,
      corsOrigins: readCorsOrigins(process.env.CORS_ORIGINS),
    }),
    database,
  };
}

/** Ends the pool, for a local server or a test run that is shutting down; the next invocation starts afresh. */
export async function closeDatabase(): Promise<void> {
  const running = service;
  service = undefined;
  await running?.then(
    (started) => started.database.close(),
    () => undefined,
  );
}

/** HTTP API (payload format 2.0) entry point: adapts the event, calls the cupping API, adapts its answer. */
export const handler = async (
  event: APIGatewayProxyEventV2,
  context?: Context,
): Promise<APIGatewayProxyStructuredResultV2> => {
  if (context) logger.addContext(context);
  const request = apiRequestFrom(event);
  let started: Service;
  try {
    started = await (service ??= startService().catch((error: unknown) => {
      // Not kept: the next invocation tries again (the secret may be readable by then).
      service = undefined;
      throw error;
    }));
  } catch (error) {
    logger.error("The cupping service could not start", { requestId: request.requestId, error });
    return resultFrom(errors(500, ["Unexpected server error"]));
  }
  return resultFrom(await started.api(request));
};

/** The request as the API sees it; the path loses the stage prefix that a named (non-$default) stage adds. */
export function apiRequestFrom(event: APIGatewayProxyEventV2): ApiRequest {
  const { stage, http, requestId } = event.requestContext;
  const stagePrefix = `/${stage}`;
  const path =
    stage !== "$default" &&
    (event.rawPath === stagePrefix || event.rawPath.startsWith(`${stagePrefix}/`))
      ? event.rawPath.slice(stagePrefix.length) || "/"
      : event.rawPath;
  const body =
    event.body === undefined
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, "base64").toString("utf8")
        : event.body;
  return {
    method: http.method.toUpperCase(),
    path,
    query: event.queryStringParameters ?? {},
    headers: event.headers ?? {},
    body,
    requestId,
  };
}

function resultFrom(response: ApiResponse): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: response.statusCode,
    headers: { ...response.headers },
    ...(response.body === undefined ? {} : { body: response.body }),
  };
}
