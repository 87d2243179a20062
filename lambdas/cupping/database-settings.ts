import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { databaseTimeouts, type DatabaseTimeouts } from "./timeouts";

/** A process environment, or any stand-in for one. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Where the database password comes from. */
export type PasswordSource =
  /** PGPASSWORD: local runs and tests (absent: none, or ~/.pgpass). */
  | { readonly from: "environment"; readonly password?: string }
  /** A Secrets Manager secret whose JSON holds `password` and maybe `username` (AWS). */
  | { readonly from: "secret"; readonly secretArn: string }
  /** An IAM database authentication token, signed with the function role's credentials (AWS, DB_IAM_SIGN_IN=true). */
  | { readonly from: "iam-token"; readonly region: string };

/** Where the database is and how to reach it, from the libpq variables and DB_SECRET_ARN or DB_IAM_SIGN_IN. */
export interface DatabaseSettings {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** PGUSER; a `username` in the secret takes precedence. */
  readonly user?: string;
  readonly password: PasswordSource;
  /** False for a plain connection, else the TLS options that PGSSLMODE (and PGSSLROOTCERT) ask for. */
  readonly ssl: false | ConnectionOptions;
  /** Connections kept open: one in Lambda, where a container serves one request at a time. */
  readonly poolSize: number;
  /** Bounds on connecting and querying, from FUNCTION_TIMEOUT_SECONDS. */
  readonly timeouts: DatabaseTimeouts;
}

/** The function timeout assumed when FUNCTION_TIMEOUT_SECONDS is unset: API Gateway's integration limit. */
export const defaultFunctionTimeoutSeconds = 30;

const sslModes = ["disable", "require", "verify-ca", "verify-full"] as const;
type SslMode = (typeof sslModes)[number];

/** Reads and checks the settings; one error lists every variable that is missing or wrong. */
export function readDatabaseSettings(env: Environment): DatabaseSettings {
  const problems: string[] = [];
  const inLambda = Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
  const value = (name: string) => env[name]?.trim() || undefined;
  const required = (name: string, meaning: string) => {
    const found = value(name);
    if (!found) problems.push(`${name} is not set (expected ${meaning})`);
    return found ?? "";
  };

  const host = required("PGHOST", "the database server's host name, e.g. 127.0.0.1");
  const database = required("PGDATABASE", "the name of the database, e.g. cupping");
  const port = Number(value("PGPORT") ?? "5432");
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    problems.push(
      `PGPORT is "${env.PGPORT}" (expected a port number from 1 to 65535, default 5432)`,
    );

  const secretArn = value("DB_SECRET_ARN");
  const user = value("PGUSER");
  const iamAuth = value("DB_IAM_SIGN_IN") ?? "false";
  if (iamAuth !== "true" && iamAuth !== "false")
    problems.push(`DB_IAM_SIGN_IN is "${iamAuth}" (expected true or false, default false)`);
  const region = value("AWS_REGION");
  if (iamAuth === "true") {
    if (secretArn)
      problems.push(
        "DB_SECRET_ARN and DB_IAM_SIGN_IN=true are both set (expected one way to sign in: a secret's password or an IAM token)",
      );
    if (!user)
      problems.push(
        "PGUSER is not set (expected, with DB_IAM_SIGN_IN=true, the database user the IAM token is signed for)",
      );
    if (!region)
      problems.push(
        "AWS_REGION is not set (expected, with DB_IAM_SIGN_IN=true, the region the IAM token is signed for; Lambda sets it)",
      );
  } else if (!user && !secretArn)
    problems.push(
      "PGUSER is not set (expected the database user name, unless DB_SECRET_ARN names a secret holding a username)",
    );
  if (inLambda && !secretArn && iamAuth !== "true")
    problems.push(
      "DB_SECRET_ARN is not set (expected, in AWS Lambda, the ARN of the Secrets Manager secret holding the database password, unless DB_IAM_SIGN_IN=true)",
    );
  if (inLambda && env.PGPASSWORD !== undefined)
    problems.push(
      "PGPASSWORD is set (in AWS Lambda the password must come from the secret DB_SECRET_ARN names or from an IAM token, never from an environment variable)",
    );
  const password: PasswordSource =
    iamAuth === "true"
      ? { from: "iam-token", region: region ?? "" }
      : secretArn
        ? { from: "secret", secretArn }
        : { from: "environment", password: env.PGPASSWORD };

  // Lambda talks to RDS, whose parameter group forces TLS: encrypted unless told otherwise.
  const sslMode = value("PGSSLMODE") ?? (inLambda ? "require" : "disable");
  let ssl: false | ConnectionOptions = false;
  if (isSslMode(sslMode)) ssl = tlsOptions(sslMode, value("PGSSLROOTCERT"), problems);
  else
    problems.push(
      `PGSSLMODE is "${sslMode}" (expected one of ${sslModes.join(", ")}; allow and prefer are not offered because the pg driver cannot fall back between TLS and plain connections)`,
    );
  // RDS refuses IAM tokens over plain connections, and a token sent to an unverified server could be replayed by it for 15 minutes.
  if (iamAuth === "true" && sslMode !== "verify-full")
    problems.push(`PGSSLMODE is "${sslMode}" (expected verify-full with DB_IAM_SIGN_IN=true)`);

  const functionTimeout = Number(
    value("FUNCTION_TIMEOUT_SECONDS") ?? defaultFunctionTimeoutSeconds,
  );
  if (!Number.isInteger(functionTimeout) || functionTimeout < 1 || functionTimeout > 900) {
    problems.push(
      `FUNCTION_TIMEOUT_SECONDS is "${env.FUNCTION_TIMEOUT_SECONDS}" (expected the function's timeout, a whole number of seconds from 1 to 900, default ${defaultFunctionTimeoutSeconds})`,
    );
  }

  if (problems.length > 0)
    throw new Error(`The cupping service's database settings are wrong: ${problems.join("; ")}`);
  return {
    host,
    port,
    database,
    user,
    password,
    ssl,
    poolSize: inLambda ? 1 : 10,
    timeouts: databaseTimeouts(functionTimeout),
  };
}

function isSslMode(mode: string): mode is SslMode {
  return (sslModes as readonly string[]).includes(mode);
}

/**
 * The TLS options for a libpq sslmode, set explicitly because pg's own reading of PGSSLMODE differs between versions
 * (and treats require as verify-full). As in libpq: require encrypts, and checks the server's certificate only when a
 * root certificate is given; verify-ca checks the certificate; verify-full also checks the host name.
 */
function tlsOptions(
  mode: SslMode,
  rootCertificatePath: string | undefined,
  problems: string[],
): false | ConnectionOptions {
  if (mode === "disable") return false;
  let ca: string | undefined;
  if (rootCertificatePath) {
    try {
      ca = readFileSync(rootCertificatePath, "utf8");
    } catch (error) {
      problems.push(
        `PGSSLROOTCERT is "${rootCertificatePath}", which cannot be read (${(error as Error).message})`,
      );
    }
  }
  if (mode === "require" && !rootCertificatePath) return { rejectUnauthorized: false };
  const anyHostName = () => undefined;
  return {
    ...(ca ? { ca } : {}),
    rejectUnauthorized: true,
    ...(mode === "verify-full" ? {} : { checkServerIdentity: anyHostName }),
  };
}
