import type { SlackMessage } from "./slack-blocks";

/** How hard to try before giving a message back to Lambda's own retries. */
export interface DeliveryOptions {
  /** Posts in all, the first included. */
  readonly maxAttempts: number;
  /** Wait before the first retry; each later retry waits twice as long. */
  readonly firstRetryDelayMs: number;
  readonly maxRetryDelayMs: number;
  /** Longest Retry-After honoured here; a longer wait is left to Lambda's asynchronous retries. */
  readonly maxRetryAfterMs: number;
  /** A post that has not answered by then counts as a network failure. */
  readonly attemptTimeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds since the epoch, to read Retry-After given as a date. */
  readonly now: () => number;
  /** Told before each wait, for logging. */
  readonly onRetry?: (retry: {
    readonly attempt: number;
    readonly delayMs: number;
    readonly reason: string;
  }) => void;
}

// Worst case with these: 4 attempts x 5 s + 0.5 + 1 + 2 s of waiting, well inside a 60 s function timeout.
export const defaultDeliveryOptions: DeliveryOptions = {
  maxAttempts: 4,
  firstRetryDelayMs: 500,
  maxRetryDelayMs: 4_000,
  maxRetryAfterMs: 10_000,
  attemptTimeoutMs: 5_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

/** Slack did not take the message. `permanent` when asking again cannot help (the webhook refused it). */
export class SlackDeliveryError extends Error {
  override readonly name = "SlackDeliveryError";
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

type Outcome =
  | { readonly kind: "delivered" }
  | { readonly kind: "refused"; readonly reason: string; readonly status: number }
  | {
      readonly kind: "transient";
      readonly reason: string;
      readonly status?: number;
      readonly retryAfterMs?: number;
    };

/** Posts the message to the incoming webhook, retrying transient failures; resolves with the number of posts made. */
export async function postToSlack(
  webhookUrl: string,
  message: SlackMessage,
  options: Partial<DeliveryOptions> = {},
): Promise<number> {
  const settings = { ...defaultDeliveryOptions, ...options };
  const body = JSON.stringify(message);
  for (let attempt = 1; ; attempt++) {
    const outcome = await postOnce(webhookUrl, body, settings);
    if (outcome.kind === "delivered") return attempt;
    if (outcome.kind === "refused") {
      throw new SlackDeliveryError(
        `Slack refused the message: ${outcome.reason}; not retried`,
        true,
        attempt,
        outcome.status,
      );
    }
    if (attempt >= settings.maxAttempts) {
      throw new SlackDeliveryError(
        `Slack did not take the message after ${attempt} attempts: ${outcome.reason}`,
        false,
        attempt,
        outcome.status,
      );
    }
    if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > settings.maxRetryAfterMs) {
      throw new SlackDeliveryError(
        `Slack asked to wait ${Math.ceil(outcome.retryAfterMs / 1000)} s (${outcome.reason}), longer than this invocation waits`,
        false,
        attempt,
        outcome.status,
      );
    }
    const delayMs =
      outcome.retryAfterMs ??
      Math.min(settings.maxRetryDelayMs, settings.firstRetryDelayMs * 2 ** (attempt - 1));
    settings.onRetry?.({ attempt, delayMs, reason: outcome.reason });
    await settings.sleep(delayMs);
  }
}

async function postOnce(
  webhookUrl: string,
  body: string,
  settings: DeliveryOptions,
): Promise<Outcome> {
  let response: Response;
  let answer: string;
  try {
    response = await fetch(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body,
      signal: AbortSignal.timeout(settings.attemptTimeoutMs),
    });
    answer = await response.text();
  } catch (error) {
    return { kind: "transient", reason: networkFailure(error) };
  }
  if (response.ok) return { kind: "delivered" };
  const reason = `HTTP ${response.status}${answer ? ` ${answer.slice(0, 200)}` : ""}`;
  if (response.status === 429 || response.status === 408 || response.status >= 500) {
    return {
      kind: "transient",
      reason,
      status: response.status,
      retryAfterMs: retryAfterMs(response.headers.get("retry-after"), settings.now),
    };
  }
  return { kind: "refused", reason, status: response.status };
}

/** Retry-After as milliseconds to wait: delay-seconds or an HTTP date (RFC 9110); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: () => number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

// The webhook URL is a secret: name the failure, never the address.
function networkFailure(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return "no answer before the attempt timed out";
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause && "code" in cause && typeof cause.code === "string" ? cause.code : undefined;
  return `network error${code ? ` ${code}` : ""}`;
}
