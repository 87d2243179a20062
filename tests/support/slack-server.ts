import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** One request the server received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** An answer, or a failure a real network can produce: a dropped connection or silence. */
export type Reply =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  | "drop connection"
  | "no answer";

/** A real HTTP server on 127.0.0.1 that records every request and answers as told. */
export interface RecordingServer {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a server whose answers come from `answer`. */
export async function startRecordingServer(
  answer: (request: RecordedRequest) => Reply,
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(request);
      const reply = answer(request);
      if (reply === "drop connection") req.socket.destroy();
      else if (reply !== "no answer")
        res.writeHead(reply.status, reply.headers).end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A stand-in for a Slack incoming webhook. */
export interface SlackServer extends RecordingServer {
  /** The incoming-webhook URL to post to. */
  readonly webhookUrl: string;
  /** Message bodies Slack accepted (answered 200 "ok"), parsed. */
  readonly delivered: readonly SlackPayload[];
  /** Answers the next posts with these replies, in order; then Slack accepts again. */
  answerNext(...replies: Reply[]): void;
}

/** The parts of a webhook payload the stand-in checks. */
export interface SlackPayload {
  readonly text?: string;
  readonly blocks?: ReadonlyArray<Record<string, unknown>>;
}

const webhookPath = "/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";

/** Starts a Slack stand-in that refuses payloads the way Slack does (400 invalid_payload, no_text, invalid_blocks). */
export async function startSlackServer(): Promise<SlackServer> {
  const scripted: Reply[] = [];
  const delivered: SlackPayload[] = [];
  const server = await startRecordingServer((request) => {
    if (request.method !== "POST" || request.path !== webhookPath)
      return { status: 404, body: "no_service" };
    const next = scripted.shift();
    if (next !== undefined) return next;
    const refusal = slackRefusal(request.body);
    if (refusal) return { status: 400, body: refusal };
    delivered.push(JSON.parse(request.body) as SlackPayload);
    return { status: 200, headers: { "content-type": "text/html" }, body: "ok" };
  });
  return {
    ...server,
    webhookUrl: `${server.origin}${webhookPath}`,
    delivered,
    answerNext: (...replies) => scripted.push(...replies),
  };
}

const blockTypes = new Set(["header", "section", "actions", "context", "divider"]);

// The checks Slack makes that this project's messages could plausibly fail.
function slackRefusal(body: string): string | undefined {
  let payload: SlackPayload;
  try {
    payload = JSON.parse(body) as SlackPayload;
  } catch {
    return "invalid_payload";
  }
  if (typeof payload !== "object" || payload === null) return "invalid_payload";
  if (!payload.text && !payload.blocks?.length) return "no_text";
  const blocks = payload.blocks ?? [];
  if (blocks.length > 50) return "invalid_blocks";
  for (const block of blocks) {
    if (!blockTypes.has(String(block.type))) return "invalid_blocks";
    const text = block.text as { type?: string; text?: string } | undefined;
    if (
      block.type === "header" &&
      (text?.type !== "plain_text" || !text.text || text.text.length > 150)
    )
      return "invalid_blocks";
    if (block.type === "section" && !text?.text && !Array.isArray(block.fields))
      return "invalid_blocks";
    if (
      Array.isArray(block.fields) &&
      (block.fields.length > 10 ||
        block.fields.some((field: { text?: string }) => !field.text || field.text.length > 2000))
    )
      return "invalid_blocks";
    if (text?.text && text.text.length > 3000) return "invalid_blocks";
    if (block.type === "actions") {
      const elements = block.elements as Array<{ url?: string; action_id?: string }> | undefined;
      if (!elements?.length || elements.length > 25) return "invalid_blocks";
      if (
        elements.some(
          (element) => element.url !== undefined && !/^https?:\/\/\S+$/.test(element.url),
        )
      )
        return "invalid_blocks";
      if (new Set(elements.map((element) => element.action_id)).size !== elements.length)
        return "invalid_blocks";
    }
  }
  return undefined;
}
