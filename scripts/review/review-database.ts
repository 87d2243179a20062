/**
 * Drops a review stack's logical database and application role on its base stack's instance. Only the base stack's
 * migrate function reaches the instance (private subnets, master credentials), so the teardown asks it to.
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

/** Invokes the base stack's migrate function; throws with the function's own error when it fails. */
export async function dropReviewDatabase(
  client: LambdaClient,
  migrateFunction: string,
  review: ReviewStack,
): Promise<void> {
  const response = await client.send(
    new InvokeCommand({
      FunctionName: migrateFunction,
      Payload: Buffer.from(JSON.stringify(dropRequest(review))),
    }),
  );
  if (response.FunctionError) {
    const detail = response.Payload ? Buffer.from(response.Payload).toString("utf8") : "no detail";
    throw new Error(
      `${migrateFunction} could not drop database ${review.database.name} and role ${review.database.role}: ${detail}`,
    );
  }
}
