import { awsSdkVariables, replaceEnvironment } from "../support/environment";

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
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_ENDPOINT_URL_SECRETS_MANAGER",
  ...awsSdkVariables,
];

/** Sets the service's variables to exactly `environment` (the others unset); returns what puts the previous ones back. */
export const replaceServiceEnvironment = (
  environment: Readonly<Record<string, string | undefined>>,
): (() => void) => replaceEnvironment(serviceVariables, environment);
