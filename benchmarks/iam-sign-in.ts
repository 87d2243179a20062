import * as path from "node:path";
import { Client } from "pg";
import { ensureApplicationRole } from "../lambdas/cupping/application-role";
import { signAuthToken } from "../lambdas/cupping/iam-token";
import { clientConfig, type PostgresCluster } from "../tooling/local/postgres-cluster";

/** The preload that freezes `Date` at BENCH_FROZEN_CLOCK in a process (see frozen-clock.js). */
export const frozenClockPreload = path.join(__dirname, "frozen-clock.js");

// Credentials of the shape Lambda gives a function's role; only their signature matters here.
const credentials = {
  AWS_ACCESS_KEY_ID: "ASIABENCHKEY00000001",
  AWS_SECRET_ACCESS_KEY: "bench-secret-access-key",
  AWS_SESSION_TOKEN: "bench-session-token",
  AWS_REGION: "us-east-1",
};

/**
 * The API's AWS path against the bench's PostgreSQL: the application role signing in with an IAM token it signs
 * itself (DB_IAM_SIGN_IN=true) over verify-full TLS. The server stands in for RDS by holding, as the role's password,
 * the token RDS would accept from this signer at `signedAt`; the processes that run the handler freeze their clock
 * there (BENCH_FROZEN_CLOCK), so the token they sign and keep is that one. Returns the handler's environment, and the
 * token as the password the role signs in with, for a client that signs in as the handler does.
 */
export async function iamSignInEnvironment(
  cluster: PostgresCluster,
  database: string,
  role: string,
): Promise<{ readonly environment: Record<string, string>; readonly token: string }> {
  if (!cluster.certificatePath)
    throw new Error(
      "the bench's PostgreSQL serves no TLS (install openssl): IAM sign-in needs verify-full",
    );
  const environment = cluster.environment(database);
  const signedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  const token = signAuthToken(
    {
      hostname: environment.PGHOST,
      port: Number(environment.PGPORT),
      region: credentials.AWS_REGION,
      username: role,
    },
    {
      accessKeyId: credentials.AWS_ACCESS_KEY_ID,
      secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY,
      sessionToken: credentials.AWS_SESSION_TOKEN,
    },
    signedAt,
  );
  const client = new Client(clientConfig(environment));
  await client.connect();
  try {
    await ensureApplicationRole(client, {
      role,
      database,
      password: token,
      iamAuthentication: false,
    });
  } finally {
    await client.end();
  }
  return {
    environment: {
      PGHOST: environment.PGHOST,
      PGPORT: String(environment.PGPORT),
      PGDATABASE: database,
      PGUSER: role,
      PGSSLMODE: "verify-full",
      PGSSLROOTCERT: cluster.certificatePath,
      DB_IAM_SIGN_IN: "true",
      ...credentials,
      BENCH_FROZEN_CLOCK: signedAt.toISOString(),
    },
    token,
  };
}
