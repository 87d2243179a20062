import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** A Lambda handler for an HTTP API with payload format 2.0. */
export type HttpApiHandler = (
  event: APIGatewayProxyEventV2,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** An HTTP request, described as plainly as a test writes it. */
export interface PlainRequest {
  readonly method: string;
  /** Path and optional query string, e.g. /session?limit=2. */
  readonly url: string;
  /** Header name to value; a repeated header is a list. */
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body?: string | Buffer;
  /** An HTTP API stage; a named (non-$default) stage prefixes the path, as API Gateway does. */
  readonly stage?: string;
  readonly sourceIp?: string;
}

// API Gateway passes these bodies as text and base64-encodes every other content type (form posts included).
const textContent = /^(text\/|application\/(json|[^;]+\+json|xml|[^;]+\+xml|javascript)\b)/i;

/** The event API Gateway (HTTP API, payload 2.0, $default route) sends to Lambda for this request. */
export function payloadV2Event(request: PlainRequest): APIGatewayProxyEventV2 {
  const stage = request.stage ?? "$default";
  const url = new URL(request.url, "http://localhost");
  const rawPath = stage === "$default" ? url.pathname : `/${stage}${url.pathname}`;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value !== undefined)
      headers[name.toLowerCase()] = typeof value === "string" ? value : value.join(",");
  }
  const cookies = headers.cookie?.split(/;\s*/).filter(Boolean);
  delete headers.cookie;
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const body =
    request.body === undefined || request.body.length === 0 ? undefined : Buffer.from(request.body);
  const isText =
    body === undefined || !headers["content-type"] || textContent.test(headers["content-type"]);
  const now = new Date();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: headers.host ?? "localhost",
      domainPrefix: (headers.host ?? "localhost").split(".")[0],
      http: {
        method: request.method.toUpperCase(),
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomBytes(12).toString("base64"),
      routeKey: "$default",
      stage,
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body === undefined
      ? {}
      : { body: isText ? body.toString("utf8") : body.toString("base64") }),
    isBase64Encoded: !isText,
  };
}

/** A local HTTP server that turns each request into a payload 2.0 event for the handler, and its result back into HTTP. */
export interface HttpAdapter {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  close(): Promise<void>;
}

/** API Gateway's payload limit. */
const largestBody = 10 * 1024 * 1024;

/** Serves the handler on 127.0.0.1 (port 0: any free port). */
export async function startHttpAdapter(handler: HttpApiHandler, port = 0): Promise<HttpAdapter> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= largestBody) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > largestBody)
        return void res
          .writeHead(413, { "content-type": "application/json" })
          .end(JSON.stringify({ message: "Request Entity Too Large" }));
      const event = payloadV2Event({
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks),
        sourceIp: req.socket.remoteAddress,
      });
      handler(event).then(
        (result) => send(res, result),
        // What API Gateway answers when the function itself fails.
        () =>
          res
            .writeHead(500, { "content-type": "application/json" })
            .end(JSON.stringify({ message: "Internal Server Error" })),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers["set-cookie"] = result.cookies;
  const body =
    result.body === undefined
      ? undefined
      : Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8");
  res.writeHead(result.statusCode ?? 200, headers).end(body);
}
