type SecretsManagerModule = typeof import("@aws-sdk/client-secrets-manager");

/** The Slack incoming-webhook URL, read once and kept until it is found to be stale. */
export interface WebhookUrl {
  get(): Promise<string>;
  /** Drops the kept URL, so the next `get` reads it again (the webhook was revoked or the secret rotated). */
  forget(): void;
}

/** Keeps what `read` returns; a failed read is not kept, so the next call tries again. */
export function keptWebhookUrl(read: () => Promise<string>): WebhookUrl {
  let kept: Promise<string> | undefined;
  return {
    get() {
      kept ??= read().catch((error: unknown) => {
        kept = undefined;
        throw error;
      });
      return kept;
    },
    forget() {
      kept = undefined;
    },
  };
}

/** Reads the webhook URL, stored as the secret's plain-text value; called once per cold start, so the client is not kept. */
export async function readWebhookUrlFromSecretsManager(secretArn: string): Promise<string> {
  // require, not import(): the Lambda runtime provides the SDK on NODE_PATH, which import() does not search.
  const secretsManager = require("@aws-sdk/client-secrets-manager") as SecretsManagerModule;
  const client = new secretsManager.SecretsManagerClient({});
  const secret = await client.send(
    new secretsManager.GetSecretValueCommand({ SecretId: secretArn }),
  );
  return webhookUrlIn(secret.SecretString, secretArn);
}

/** Checks the secret's value is a URL; the error names the secret, never its value. */
export function webhookUrlIn(secretString: string | undefined, secretArn: string): string {
  const value = secretString?.trim();
  if (!value)
    throw new Error(
      `Secret ${secretArn} holds no text; store the Slack incoming-webhook URL as its plain-text value`,
    );
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `Secret ${secretArn} does not hold a URL; store the Slack incoming-webhook URL as its plain-text value (not JSON)`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(
      `Secret ${secretArn} holds a ${url.protocol} address; the Slack incoming-webhook URL starts with https://`,
    );
  }
  return value;
}
