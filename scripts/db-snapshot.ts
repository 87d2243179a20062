/**
 * A manual snapshot of the service database before the deploy applies pending migrations, named after the newest
 * pending migration, and waited for; with no pending migration, no snapshot:
 *
 *   db-snapshot --engine <postgres|aurora-serverless-v2> --identifier <instance or cluster> --function <migrate function>
 *   db-snapshot --target '{"engine": ..., "identifier": ..., "migrateFunction": ...}'   (the stack output, as the Deploy stage runs it)
 *
 * The migrate function (in the database's VPC) answers which of this commit's migrations are pending; RDS takes a DB
 * snapshot of an instance, a cluster snapshot of an Aurora cluster.
 */
import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  RDSClient,
  waitUntilDBClusterSnapshotAvailable,
  waitUntilDBSnapshotAvailable,
} from "@aws-sdk/client-rds";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import * as path from "node:path";
import { migrationIdsIn, migrationsDirectory } from "../components/service/bundle";
import { databaseEngines, type DatabaseEngine } from "../stacks/settings";
import { requiredOption } from "./required-option";

/** The database to snapshot. */
export interface SnapshotTarget {
  readonly engine: DatabaseEngine;
  /** The DB instance identifier, or the DB cluster identifier. */
  readonly identifier: string;
}

/** How long a snapshot may take before the deploy gives up (RDS snapshots of a small database take minutes). */
export const snapshotWaitSeconds = 3600;

/**
 * A snapshot name RDS accepts (letters, digits and hyphens, a letter first, no double or trailing hyphen, at most 255
 * characters) from the database and the migration it precedes, e.g. cupping-db-before-0003-add-notes.
 */
export function snapshotName(identifier: string, migrationId: string): string {
  const name = `${identifier}-before-${migrationId}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-");
  return `s${name}`
    .slice(/^[a-z]/.test(name) ? 1 : 0)
    .slice(0, 255)
    .replace(/-+$/, "");
}

/** How the snapshot is waited for, in seconds, as the SDK's waiters take it. */
export interface SnapshotWait {
  /** How long before giving up. */
  readonly maxWaitTime: number;
  /** The first delay between polls. @default 30 (the RDS waiter's) */
  readonly minDelay?: number;
  /** The longest delay between polls, as the delay grows. @default 1800 (the RDS waiter's) */
  readonly maxDelay?: number;
}

/** Takes the snapshot and waits until it is available; returns its name, or undefined when nothing is pending. */
export async function snapshotBeforeMigrations(
  rds: RDSClient,
  target: SnapshotTarget,
  pending: readonly string[],
  wait: SnapshotWait = { maxWaitTime: snapshotWaitSeconds },
): Promise<string | undefined> {
  if (pending.length === 0) return undefined;
  const name = snapshotName(target.identifier, pending[pending.length - 1]);
  // Only the delays given: an undefined one would override the waiter's default and make it poll without pause.
  const waiter = { client: rds, ...wait };
  if (target.engine === "aurora-serverless-v2") {
    await createUnlessTaken(() =>
      rds.send(
        new CreateDBClusterSnapshotCommand({
          DBClusterIdentifier: target.identifier,
          DBClusterSnapshotIdentifier: name,
        }),
      ),
    );
    await waitUntilDBClusterSnapshotAvailable(waiter, { DBClusterSnapshotIdentifier: name });
  } else {
    await createUnlessTaken(() =>
      rds.send(
        new CreateDBSnapshotCommand({
          DBInstanceIdentifier: target.identifier,
          DBSnapshotIdentifier: name,
        }),
      ),
    );
    await waitUntilDBSnapshotAvailable(waiter, { DBSnapshotIdentifier: name });
  }
  return name;
}

// A deploy that runs again after a failure finds its snapshot taken: it waits for that one instead of failing.
async function createUnlessTaken(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    const name = (error as { name?: string }).name ?? "";
    if (!/SnapshotAlreadyExists/.test(name)) throw error;
  }
}

/** Asks the migrate function which of `ids` the database has not applied. */
export async function pendingFromMigrator(
  lambda: LambdaClient,
  functionName: string,
  ids: readonly string[],
): Promise<string[]> {
  const answer = await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      Payload: new TextEncoder().encode(JSON.stringify({ action: "pendingMigrations", ids })),
    }),
  );
  const text = new TextDecoder().decode(answer.Payload ?? new Uint8Array());
  if (answer.FunctionError)
    throw new Error(
      `The migrate function ${functionName} failed (${answer.FunctionError}): ${text}`,
    );
  const pending = JSON.parse(text) as unknown;
  if (!Array.isArray(pending) || !pending.every((id) => typeof id === "string"))
    throw new Error(
      `The migrate function ${functionName} answered ${text}, not a list of migration ids`,
    );
  return pending;
}

const usage =
  "usage: db-snapshot --engine <postgres|aurora-serverless-v2> --identifier <instance or cluster> --function <migrate function>";

const option = (args: readonly string[], name: string) => requiredOption(args, name, usage);

/** The command: this commit's migrations, the pending ones among them, and the snapshot before them. */
export async function dbSnapshot(
  args: readonly string[],
  clients: { readonly rds: RDSClient; readonly lambda: LambdaClient },
  root = path.resolve(__dirname, ".."),
  wait?: SnapshotWait,
): Promise<string> {
  const given = args.includes("--target")
    ? (JSON.parse(option(args, "target")) as Record<string, string | undefined>)
    : {
        engine: option(args, "engine"),
        identifier: option(args, "identifier"),
        migrateFunction: option(args, "function"),
      };
  const engine = String(given.engine);
  if (!(databaseEngines as readonly string[]).includes(engine))
    throw new Error(`--engine is "${engine}" (expected one of ${databaseEngines.join(", ")})`);
  if (!given.identifier || !given.migrateFunction)
    throw new Error(`${usage} (the database identifier and the migrate function are required)`);
  const target = { engine: engine as DatabaseEngine, identifier: given.identifier };
  const ids = migrationIdsIn(path.join(root, migrationsDirectory));
  const pending = await pendingFromMigrator(clients.lambda, given.migrateFunction, ids);
  const name = await snapshotBeforeMigrations(clients.rds, target, pending, wait);
  return name
    ? `Snapshot ${name} of ${target.identifier} is available; pending migrations: ${pending.join(", ")}\n`
    : "No pending migration: no snapshot.\n";
}

if (require.main === module) {
  dbSnapshot(process.argv.slice(2), { rds: new RDSClient({}), lambda: new LambdaClient({}) }).then(
    (output) => process.stdout.write(output),
    (error: unknown) => {
      process.stderr.write(`error: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
