import type { ClientBase } from "pg";

/** The role the API connects as, and what it may do: read, add and delete sessions, nothing else. */
export interface ApplicationRole {
  /** Role name, e.g. cupping_api (review stacks: one per pull request). */
  readonly role: string;
  /** The database it may connect to, e.g. cupping. */
  readonly database: string;
  /** A password for local runs and tests; absent: the role has none and signs in with IAM database authentication. */
  readonly password?: string;
  /** Grant RDS's rds_iam role, which lets the role sign in with an IAM token instead of a password. */
  readonly iamAuthentication: boolean;
}

/** The API's rights per table: cuppings are deleted by the foreign key's cascade, which runs as the table owner. */
export const applicationGrants = {
  sessions: ["SELECT", "INSERT", "DELETE"],
  cuppings: ["SELECT", "INSERT"],
} as const;

/** An unquoted PostgreSQL name: lower case, digits and underscores, not starting with a digit. */
const plainName = /^[a-z_][a-z0-9_]{0,62}$/;

/** Throws naming the field when `value` is not a plain PostgreSQL name. */
export function checkName(field: string, value: string): string {
  if (!plainName.test(value))
    throw new Error(
      `${field} is "${value}" (expected a PostgreSQL name: lower-case letters, digits and underscores, not starting with a digit, at most 63 characters)`,
    );
  return value;
}

/**
 * Creates the application role when missing and sets exactly its rights (run by the database owner after the
 * migrations, so the tables exist). Running it again changes nothing; a changed password is set again.
 */
export async function ensureApplicationRole(
  client: ClientBase,
  wanted: ApplicationRole,
): Promise<void> {
  const { role, database } = await ensureLoginRole(client, wanted);
  await client.query(`GRANT CONNECT ON DATABASE ${database} TO ${role}`);
  await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  for (const [table, rights] of Object.entries(applicationGrants)) {
    await client.query(`REVOKE ALL ON ${client.escapeIdentifier(table)} FROM ${role}`);
    await client.query(
      `GRANT ${rights.join(", ")} ON ${client.escapeIdentifier(table)} TO ${role}`,
    );
  }
  if (wanted.iamAuthentication) await client.query(`GRANT rds_iam TO ${role}`);
}

/** Creates the login role when missing, or brings it back to these attributes; returns the quoted names. */
async function ensureLoginRole(
  client: ClientBase,
  wanted: ApplicationRole,
): Promise<{ role: string; database: string }> {
  const role = client.escapeIdentifier(checkName("role", wanted.role));
  const database = client.escapeIdentifier(checkName("database", wanted.database));
  const exists =
    (await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [wanted.role])).rowCount === 1;
  const password =
    wanted.password === undefined
      ? "PASSWORD NULL"
      : `PASSWORD ${client.escapeLiteral(wanted.password)}`;
  // No superuser, no role or database creation, no inherited rights but the ones granted here.
  const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS ${password}`;
  await client.query(
    exists ? `ALTER ROLE ${role} WITH ${attributes}` : `CREATE ROLE ${role} WITH ${attributes}`,
  );
  return { role, database };
}

/**
 * Makes a review stack's role the owner of its logical database, so the review stack's own migrator applies the pull
 * request's migrations signed in as that role: it owns what they create, but creates no roles or databases, is
 * member of no other role (SET ROLE to the master or an application role fails), and other review roles may not
 * connect to its database (PUBLIC's CONNECT and TEMPORARY are revoked). Running it again changes nothing.
 */
export async function ensureDatabaseOwner(
  client: ClientBase,
  wanted: ApplicationRole,
): Promise<void> {
  const { role, database } = await ensureLoginRole(client, wanted);
  // Only a role that may SET ROLE to the new owner may give it a database (RDS's master is no superuser).
  await client.query(`GRANT ${role} TO CURRENT_USER`);
  await client.query(`ALTER DATABASE ${database} OWNER TO ${role}`);
  await client.query(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC`);
  if (wanted.iamAuthentication) await client.query(`GRANT rds_iam TO ${role}`);
}

/** Creates a logical database unless it exists (CREATE DATABASE cannot run inside a transaction or a DO block). */
export async function ensureDatabase(client: ClientBase, name: string): Promise<boolean> {
  const exists =
    (
      await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [
        checkName("database", name),
      ])
    ).rowCount === 1;
  if (!exists) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  return !exists;
}

/** Drops a logical database (closing its connections) and then its application role; a repeat is a no-op. */
export async function dropDatabaseAndRole(
  client: ClientBase,
  target: { readonly database: string; readonly role: string },
): Promise<void> {
  await client.query(
    `DROP DATABASE IF EXISTS ${client.escapeIdentifier(checkName("database", target.database))} WITH (FORCE)`,
  );
  await client.query(
    `DROP ROLE IF EXISTS ${client.escapeIdentifier(checkName("role", target.role))}`,
  );
}
