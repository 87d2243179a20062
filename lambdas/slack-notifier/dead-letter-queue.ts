import type { SQSClient } from "@aws-sdk/client-sqs";

type SqsModule = typeof import("@aws-sdk/client-sqs");

/** Where a notification goes that will never be delivered by retrying. */
export interface DeadLetterQueue {
  send(body: string): Promise<void>;
}

/**
 * The function's SQS dead-letter queue. The SDK is required on first use: most invocations never need it, and
 * require (unlike import()) finds the SDK the Lambda runtime provides on NODE_PATH.
 */
export function sqsDeadLetterQueue(queueUrl: string): DeadLetterQueue {
  let client: SQSClient | undefined;
  return {
    async send(body) {
      const sqs = require("@aws-sdk/client-sqs") as SqsModule;
      client ??= new sqs.SQSClient({});
      await client.send(new sqs.SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    },
  };
}
