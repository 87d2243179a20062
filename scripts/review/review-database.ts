/**
 * A review stack's logical database: its own migrate function applies the pull request's migrations after each
 * deploy; the base stack's migrate function, the only one with the master's rights, drops it with its role.
 */
import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import type { ReviewStack } from "../../components/review/review-settings";

/** The request the migrate function answers by dropping the database and role if they exist (a repeat is a no-op). */
export interface DropReviewDatabaseRequest {
  readonly action: "dropReviewDatabase";
  readonly database: string;
  readonly role: string;
}

export function dropRequest(review: ReviewStack): DropReviewDatabaseRequest {
  return {
    action: "dropReviewDatabase",
    database: review.database.name,
    role: review.database.role,
  };
}

/** Invokes a migrate function and returns its answer; throws with the function's own error when it fails. */
async function invokeMigrator(
  client: LambdaClient,
  functionName: string,
  request: object,
  failure: string,
): Promise<unknown> {
  const response = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      Payload: Buffer.from(JSON.stringify(request)),
    }),
  );
  const payload = response.Payload ? Buffer.from(response.Payload).toString("utf8") : "";
  if (response.FunctionError)
    throw new Error(`${functionName} ${failure}: ${payload || "no detail"}`);
  return payload ? (JSON.parse(payload) as unknown) : undefined;
}

/** Invokes the base stack's migrate function to drop the review stack's database and role. */
export async function dropReviewDatabase(
  client: LambdaClient,
  migrateFunction: string,
  review: ReviewStack,
): Promise<void> {
  await invokeMigrator(
    client,
    migrateFunction,
    dropRequest(review),
    `could not drop database ${review.database.name} and role ${review.database.role}`,
  );
}

/**
 * Invokes the review stack's own migrate function (a deploy's event: no action), which applies the pull request's
 * pending migrations as the database's owner; returns their ids, or throws with the migrator's error.
 */
export async function migrateReviewDatabase(
  client: LambdaClient,
  migrateFunction: string,
  review: ReviewStack,
): Promise<string[]> {
  const applied = await invokeMigrator(
    client,
    migrateFunction,
    { source: "review-deploy" },
    `could not migrate database ${review.database.name}`,
  );
  if (!Array.isArray(applied) || !applied.every((id) => typeof id === "string"))
    throw new Error(
      `${migrateFunction} answered ${JSON.stringify(applied)} (expected the ids of the migrations it applied)`,
    );
  return applied;
}
