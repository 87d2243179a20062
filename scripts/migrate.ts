import { readDatabaseSettings } from "../lambdas/cupping/database-settings";
import { migrateDatabase } from "../lambdas/cupping/migrations";

/** `npm run migrate`: applies the cupping service's pending migrations to the database the PG* variables name. */
async function main(): Promise<void> {
  const settings = readDatabaseSettings(process.env);
  const where = `database ${settings.database} on ${settings.host}:${settings.port}`;
  const applied = await migrateDatabase(settings);
  console.log(
    applied.length > 0
      ? `Applied to ${where}: ${applied.join(", ")}`
      : `The ${where} is up to date.`,
  );
}

main().catch((error: unknown) => {
  const cause =
    error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
  console.error(
    `npm run migrate failed: ${error instanceof Error ? error.message : String(error)}${cause}`,
  );
  process.exitCode = 1;
});
