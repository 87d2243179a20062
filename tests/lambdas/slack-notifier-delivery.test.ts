import { strict as assert } from "node:assert";
import type { SlackMessage } from "../../lambdas/slack-notifier/slack-blocks";
import {
  SlackDeliveryError,
  postToSlack,
  retryAfterMs,
  type DeliveryOptions,
} from "../../lambdas/slack-notifier/slack-webhook";
import { startSlackServer, type SlackServer } from "../support/slack-server";

const message: SlackMessage = {
  text: "Succeeded: cupping-log-dev (dev)",
  blocks: [{ type: "header", text: { type: "plain_text", text: "cupping-log-dev: Succeeded" } }],
};

/** Delivery settings that record each backoff instead of waiting for it. */
function recordingWaits(overrides: Partial<DeliveryOptions> = {}): {
  options: Partial<DeliveryOptions>;
  waits: number[];
  reasons: string[];
} {
  const waits: number[] = [];
  const reasons: string[] = [];
  const options: Partial<DeliveryOptions> = {
    sleep: async (ms) => {
      waits.push(ms);
    },
    onRetry: (retry) => reasons.push(retry.reason),
    ...overrides,
  };
  return { options, waits, reasons };
}

async function deliveryError(delivery: Promise<unknown>): Promise<SlackDeliveryError> {
  const error = await delivery.then(
    () => assert.fail("expected the delivery to fail"),
    (reason: unknown) => reason,
  );
  assert.ok(
    error instanceof SlackDeliveryError,
    `expected a SlackDeliveryError, got ${String(error)}`,
  );
  return error;
}

describe("slack notifier: delivery to the incoming webhook", () => {
  let slack: SlackServer;
  beforeEach(async () => {
    slack = await startSlackServer();
  });
  afterEach(() => slack.close());

  it("posts the message as JSON and resolves after one attempt", async () => {
    const { options, waits } = recordingWaits();
    assert.equal(await postToSlack(slack.webhookUrl, message, options), 1);
    assert.deepEqual(slack.delivered, [message]);
    assert.match(String(slack.requests[0].headers["content-type"]), /^application\/json/);
    assert.deepEqual(waits, []);
  });

  it("retries a 500 after backing off and delivers exactly once", async () => {
    slack.answerNext({ status: 500, body: "rollup_error" });
    const { options, waits, reasons } = recordingWaits();
    assert.equal(await postToSlack(slack.webhookUrl, message, options), 2);
    assert.equal(slack.requests.length, 2);
    assert.equal(slack.delivered.length, 1);
    assert.deepEqual(waits, [500]);
    assert.deepEqual(reasons, ["HTTP 500 rollup_error"]);
  });

  it("doubles the wait between retries and gives up after the last attempt", async () => {
    slack.answerNext(...Array.from({ length: 4 }, () => ({ status: 503 })));
    const { options, waits } = recordingWaits();
    const error = await deliveryError(postToSlack(slack.webhookUrl, message, options));
    assert.equal(slack.requests.length, 4);
    assert.deepEqual(waits, [500, 1000, 2000]);
    assert.deepEqual([error.permanent, error.attempts, error.status], [false, 4, 503]);
    assert.match(error.message, /after 4 attempts: HTTP 503/);
  });

  it("caps the backoff", async () => {
    slack.answerNext(...Array.from({ length: 5 }, () => ({ status: 502 })));
    const { options, waits } = recordingWaits({ maxAttempts: 6, maxRetryDelayMs: 3000 });
    await postToSlack(slack.webhookUrl, message, options);
    assert.deepEqual(waits, [500, 1000, 2000, 3000, 3000]);
  });

  it("waits as long as a 429's Retry-After says, in seconds or as a date", async () => {
    const now = Date.parse("2025-03-14T09:27:00Z");
    slack.answerNext(
      { status: 429, headers: { "retry-after": "3" }, body: "rate_limited" },
      {
        status: 429,
        headers: { "retry-after": "Fri, 14 Mar 2025 09:27:07 GMT" },
        body: "rate_limited",
      },
    );
    const { options, waits } = recordingWaits({ now: () => now });
    assert.equal(await postToSlack(slack.webhookUrl, message, options), 3);
    assert.deepEqual(waits, [3000, 7000]);
  });

  it("hands a long Retry-After back to Lambda's retries instead of waiting for it", async () => {
    slack.answerNext({ status: 429, headers: { "retry-after": "120" }, body: "rate_limited" });
    const { options, waits } = recordingWaits();
    const error = await deliveryError(postToSlack(slack.webhookUrl, message, options));
    assert.equal(error.permanent, false);
    assert.match(error.message, /asked to wait 120 s/);
    assert.deepEqual(waits, []);
    assert.equal(slack.requests.length, 1);
  });

  for (const [status, body] of [
    [400, "invalid_payload"],
    [403, "invalid_token"],
    [404, "no_service"],
    [410, "channel_is_archived"],
  ] as const) {
    it(`does not retry a ${status} ${body}: the webhook refused the message`, async () => {
      slack.answerNext({ status, body });
      const { options, waits } = recordingWaits();
      const error = await deliveryError(postToSlack(slack.webhookUrl, message, options));
      assert.deepEqual([error.permanent, error.attempts, error.status], [true, 1, status]);
      assert.match(error.message, new RegExp(`HTTP ${status} ${body}; not retried`));
      assert.equal(slack.requests.length, 1);
      assert.deepEqual(waits, []);
    });
  }

  it("retries a dropped connection", async () => {
    slack.answerNext("drop connection");
    const { options, reasons } = recordingWaits();
    assert.equal(await postToSlack(slack.webhookUrl, message, options), 2);
    assert.equal(slack.delivered.length, 1);
    assert.match(reasons[0], /^network error/);
  });

  it("retries a post that gets no answer in time", async () => {
    slack.answerNext("no answer");
    const { options, reasons } = recordingWaits({ attemptTimeoutMs: 300 });
    assert.equal(await postToSlack(slack.webhookUrl, message, options), 2);
    assert.deepEqual(reasons, ["no answer before the attempt timed out"]);
  });

  it("names a refused connection without revealing the webhook URL", async () => {
    const unreachable = slack.webhookUrl;
    await slack.close();
    const { options } = recordingWaits({ maxAttempts: 2 });
    const error = await deliveryError(postToSlack(unreachable, message, options));
    assert.match(error.message, /network error ECONNREFUSED/);
    assert.ok(
      !error.message.includes(new URL(unreachable).pathname),
      "the secret path stays out of the error",
    );
    slack = await startSlackServer();
  });
});

describe("slack notifier: reading Retry-After", () => {
  const now = () => Date.parse("2025-03-14T09:27:00Z");
  it("reads seconds, dates, past dates and rubbish", () => {
    assert.equal(retryAfterMs("30", now), 30_000);
    assert.equal(retryAfterMs("Fri, 14 Mar 2025 09:27:10 GMT", now), 10_000);
    assert.equal(retryAfterMs("Fri, 14 Mar 2025 09:00:00 GMT", now), 0);
    assert.equal(retryAfterMs("soon", now), undefined);
    assert.equal(retryAfterMs(null, now), undefined);
  });
});
