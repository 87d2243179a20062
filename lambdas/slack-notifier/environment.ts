/** The function's settings, from its (non-secret) environment variables. */
export interface NotifierEnvironment {
  /** Secrets Manager secret whose plain-text value is the Slack incoming-webhook URL. */
  readonly slackSecretArn: string;
  /** Stack name the pipeline deploys, shown in every message. */
  readonly environment: string;
  /** SQS queue that keeps messages the notifier cannot read. */
  readonly deadLetterQueueUrl: string;
}

const variables = {
  slackSecretArn: [
    "SLACK_SECRET_ARN",
    "the ARN of the Secrets Manager secret holding the Slack webhook URL",
  ],
  environment: ["ENVIRONMENT", "the stack name, e.g. dev or production"],
  deadLetterQueueUrl: ["DEAD_LETTER_QUEUE_URL", "the URL of the function's SQS dead-letter queue"],
} as const satisfies Record<keyof NotifierEnvironment, readonly [string, string]>;

/** Reads and checks the environment; one error lists every variable that is missing or wrong. */
export function readNotifierEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): NotifierEnvironment {
  const problems: string[] = [];
  const read = (key: keyof NotifierEnvironment): string => {
    const [name, meaning] = variables[key];
    const value = env[name]?.trim() ?? "";
    if (!value) problems.push(`${name} is not set (expected ${meaning})`);
    return value;
  };
  const settings: NotifierEnvironment = {
    slackSecretArn: read("slackSecretArn"),
    environment: read("environment"),
    deadLetterQueueUrl: read("deadLetterQueueUrl"),
  };
  if (settings.deadLetterQueueUrl && !/^https?:\/\/[^/]+\/./.test(settings.deadLetterQueueUrl)) {
    problems.push(
      `DEAD_LETTER_QUEUE_URL is "${settings.deadLetterQueueUrl}" (expected ${variables.deadLetterQueueUrl[1]}, https://sqs.<region>.amazonaws.com/<account>/<name>)`,
    );
  }
  if (problems.length > 0)
    throw new Error(`The Slack notifier is misconfigured: ${problems.join("; ")}`);
  return settings;
}
