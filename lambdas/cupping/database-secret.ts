type SecretsManagerModule = typeof import("@aws-sdk/client-secrets-manager");

/** The parts of a database secret the service uses; RDS-managed master secrets hold both. */
export interface DatabaseSecret {
  readonly password: string;
  readonly username?: string;
}

/** Reads the secret from Secrets Manager; the client is made per read, as reads happen once per cold start. */
export async function readDatabaseSecret(secretArn: string): Promise<DatabaseSecret> {
  // require, not import(): the Lambda runtime provides the SDK on NODE_PATH, which import() does not search.
  const secretsManager = require("@aws-sdk/client-secrets-manager") as SecretsManagerModule;
  const client = new secretsManager.SecretsManagerClient({});
  try {
    const secret = await client.send(
      new secretsManager.GetSecretValueCommand({ SecretId: secretArn }),
    );
    return databaseSecretIn(secret.SecretString, secretArn);
  } finally {
    client.destroy();
  }
}

/** Checks the secret's JSON; errors name the secret, never a value in it. */
export function databaseSecretIn(
  secretString: string | undefined,
  secretArn: string,
): DatabaseSecret {
  const expected =
    'a JSON object with a "password" (and optionally a "username"), as RDS-managed secrets hold';
  let value: unknown;
  try {
    value = JSON.parse(secretString ?? "");
  } catch {
    throw new Error(`Secret ${secretArn} does not hold JSON; expected ${expected}`);
  }
  const { password, username } = (
    typeof value === "object" && value !== null ? value : {}
  ) as Record<string, unknown>;
  if (typeof password !== "string" || password === "")
    throw new Error(`Secret ${secretArn} has no "password" text; expected ${expected}`);
  if (username !== undefined && (typeof username !== "string" || username === ""))
    throw new Error(`Secret ${secretArn} has a "username" that is not text; expected ${expected}`);
  return username === undefined ? { password } : { password, username };
}
