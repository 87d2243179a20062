import type { Context } from "aws-lambda";
import { readDatabaseSettings } from "./database-settings";
import { createLogger } from "./logger";
import { migrateDatabase } from "./migrations";

const logger = createLogger("cupping-migrate");

/** Invoked on every deploy before the new code takes traffic: applies pending migrations and returns their ids; a failure fails the invocation. */
export const handler = async (_event?: unknown, context?: Context): Promise<string[]> => {
  if (context) logger.addContext(context);
  try {
    const applied = await migrateDatabase(readDatabaseSettings(process.env));
    logger.info(applied.length > 0 ? "Migrations applied" : "The database was up to date", { applied });
    return applied;
  } catch (error) {
    logger.error("Migrating the database failed", { error });
    throw error;
  }
};
