import type { Client } from "pg";
import { checkName } from "./application-role";
import { connectClient } from "./database";
import type { DatabaseSettings } from "./database-settings";

/** SQLSTATEs of a refused sign-in: invalid_password, invalid_authorization_specification (what RDS answers a refused IAM token). */
const refusedSignIn = new Set(["28P01", "28000"]);

function isRefusedSignIn(error: unknown): boolean {
  for (let at: unknown = error; at; at = (at as { cause?: unknown }).cause) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === "string" && refusedSignIn.has(code)) return true;
  }
  return false;
}

/**
 * Makes the master user sign in with IAM tokens, once: when its token is refused, signs in with the configured password
 * and grants it rds_iam, after which RDS takes only tokens for it (IAM authentication takes precedence over the
 * password). Returns whether it granted anything; a token that already signs in leaves everything as it is.
 */
export async function enableIamSignIn(
  settings: DatabaseSettings,
  password: string,
  connect: (settings: DatabaseSettings) => Promise<Client> = connectClient,
): Promise<boolean> {
  const user = checkName("PGUSER", settings.user ?? "");
  try {
    await (await connect(settings)).end();
    return false;
  } catch (error) {
    if (!isRefusedSignIn(error)) throw error;
  }
  const client = await connect({ ...settings, password: { from: "environment", password } });
  try {
    await client.query(`GRANT rds_iam TO ${client.escapeIdentifier(user)}`);
    return true;
  } finally {
    await client.end();
  }
}
