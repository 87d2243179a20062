import { startRecordingServer, type RecordingServer, type Reply } from "./slack-server";

/** A stand-in for Lambda's Invoke API on 127.0.0.1: each function answers with `handle`'s result or its error. */
export interface LambdaServer extends RecordingServer {
  /** Payloads each function was invoked with, by function name. */
  readonly invocations: Array<{ functionName: string; payload: unknown }>;
}

export async function startLambdaServer(
  handle: (functionName: string, payload: unknown) => unknown,
): Promise<LambdaServer> {
  const invocations: LambdaServer["invocations"] = [];
  const server = await startRecordingServer((request): Reply => {
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(request.path);
    if (request.method !== "POST" || !match)
      return { status: 404, body: JSON.stringify({ Type: "User", message: "not found" }) };
    const functionName = decodeURIComponent(match[1]);
    const payload = JSON.parse(request.body || "null") as unknown;
    invocations.push({ functionName, payload });
    try {
      return {
        status: 200,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(handle(functionName, payload) ?? null),
      };
    } catch (error) {
      // As Lambda reports a function's own error: status 200, the error in the payload, X-Amz-Function-Error set.
      return {
        status: 200,
        headers: { "Content-Type": "application/json", "X-Amz-Function-Error": "Unhandled" },
        body: JSON.stringify({ errorType: "Error", errorMessage: (error as Error).message }),
      };
    }
  });
  return Object.assign(server, { invocations });
}
