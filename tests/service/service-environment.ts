// Apart from cupping-service.ts, so a suite with a database of its own does not start the test run's PostgreSQL.

/** Variables the service reads; a suite sets the ones it needs and the rest are unset, then all are put back. */
const serviceVariables = [
  ...[
    "PGHOST",
    "PGPORT",
    "PGDATABASE",
    "PGUSER",
    "PGPASSWORD",
    "PGSSLMODE",
    "PGSSLROOTCERT",
    "DB_SECRET_ARN",
  ],
  ...[
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_ENDPOINT_URL_SECRETS_MANAGER",
  ],
  "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED",
];

/** Sets the service's variables to exactly `environment` (the others unset); returns what puts the previous ones back. */
export function replaceServiceEnvironment(
  environment: Readonly<Record<string, string | undefined>>,
): () => void {
  const saved = new Map(serviceVariables.map((name) => [name, process.env[name]]));
  for (const name of serviceVariables) delete process.env[name];
  Object.assign(process.env, environment);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
