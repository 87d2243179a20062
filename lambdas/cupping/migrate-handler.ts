import type { Context } from "aws-lambda";
import { readDatabaseSettings } from "./database-settings";
import { createLogger } from "./logger";
import { enableIamSignIn } from "./master-sign-in";
import {
  dropDatabase,
  migrateDatabase,
  pendingMigrations,
  prepareReviewDatabase,
} from "./migrations";

const logger = createLogger("cupping-migrate");

/** What the function is asked; a deploy's event (anything without an `action`) migrates the service's own database. */
export type MigrateRequest =
  /** Review stacks: create (when missing) another logical database on this server, owned by its own role (which the review stack's migrator signs in as). */
  | { readonly action: "prepareReviewDatabase"; readonly database: string; readonly role: string }
  /** Review stacks: drop that database and its role (a repeat is a no-op). */
  | { readonly action: "dropReviewDatabase"; readonly database: string; readonly role: string }
  /** Once per database: the master password, to grant the master user rds_iam (DB_IAM_SIGN_IN=true); a repeat is a no-op. */
  | { readonly action: "enableIamSignIn"; readonly password: string }
  /** The deploy, before it migrates: which of these migration ids the database has not applied yet. */
  | { readonly action: "pendingMigrations"; readonly ids: readonly string[] };

const actions = [
  "prepareReviewDatabase",
  "dropReviewDatabase",
  "enableIamSignIn",
  "pendingMigrations",
] as const;

/** The request in an event, or undefined for a deploy's event; throws naming the field that is wrong. */
export function migrateRequestIn(event: unknown): MigrateRequest | undefined {
  const fields = (typeof event === "object" && event !== null ? event : {}) as Record<
    string,
    unknown
  >;
  if (fields.action === undefined) return undefined;
  if (!(actions as readonly unknown[]).includes(fields.action))
    throw new Error(
      `action is ${JSON.stringify(fields.action)} (expected ${actions.join(", ")}, or none to migrate)`,
    );
  if (fields.action === "enableIamSignIn") {
    // Never echo the value: it is the master password.
    if (typeof fields.password !== "string" || fields.password === "")
      throw new Error("password is missing (expected the master password, as text)");
    return { action: fields.action, password: fields.password };
  }
  if (fields.action === "pendingMigrations") {
    const ids = fields.ids;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string"))
      throw new Error(
        'ids is not a list of migration ids (expected e.g. ["0001-create-sessions"])',
      );
    return { action: fields.action, ids };
  }
  for (const field of ["database", "role"] as const) {
    if (typeof fields[field] !== "string")
      throw new Error(`${field} is missing (expected the review stack's ${field} name)`);
  }
  return {
    action: fields.action as "prepareReviewDatabase" | "dropReviewDatabase",
    database: fields.database as string,
    role: fields.role as string,
  };
}

/**
 * Invoked on every deploy before the new code takes traffic: applies pending migrations, sets up the API's role
 * (APP_DB_ROLE, signing in with IAM in AWS), and returns the migrations' ids; a failure fails the invocation.
 * Review stacks ask the base stack's to prepare or drop their own database (see MigrateRequest), and run one of their
 * own, without APP_DB_ROLE, that signs in as their database's owner and applies the pull request's migrations.
 */
export const handler = async (event?: unknown, context?: Context): Promise<string[]> => {
  if (context) logger.addContext(context);
  try {
    const settings = readDatabaseSettings(process.env);
    const request = migrateRequestIn(event);
    const iamAuthentication = Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME);
    if (request?.action === "enableIamSignIn") {
      const granted = await enableIamSignIn(settings, request.password);
      logger.info(
        granted
          ? "The master user now signs in with IAM tokens only"
          : "The master user already signs in with IAM tokens",
      );
      return [];
    }
    if (request?.action === "pendingMigrations")
      return await pendingMigrations(settings, request.ids);
    if (request?.action === "dropReviewDatabase") {
      await dropDatabase(settings, request);
      logger.info("Review database dropped", { database: request.database, role: request.role });
      return [];
    }
    if (request?.action === "prepareReviewDatabase") {
      await prepareReviewDatabase(settings, { ...request, iamAuthentication });
      logger.info("Review database prepared", { database: request.database, role: request.role });
      return [];
    }
    // Without APP_DB_ROLE (a review stack's migrator, signed in as its database's owner) only the migrations run.
    const role = process.env.APP_DB_ROLE;
    const applied = await migrateDatabase(settings, {
      applicationRole: role ? { role, iamAuthentication } : undefined,
    });
    logger.info(applied.length > 0 ? "Migrations applied" : "The database was up to date", {
      applied,
      database: settings.database,
    });
    return applied;
  } catch (error) {
    logger.error("Migrating the database failed", { error });
    throw error;
  }
};
