import * as z from "zod";

/** The SNS message is not something the notifier can announce; retrying will not change that. */
export class MalformedMessageError extends Error {
  override readonly name = "MalformedMessageError";
}

/** A required, non-empty string. */
export const text = z.string().min(1);

/** A decoration (commit, link, description): one of the wrong type is left out and never makes a good message unreadable. */
export const extra = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** The text of one SNS message as a JSON object; throws MalformedMessageError when it is not one. */
export function jsonObjectIn(message: string): object {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch (error) {
    throw new MalformedMessageError(`the SNS message is not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new MalformedMessageError("the SNS message is not a JSON object");
  }
  return parsed;
}

/** The value as the schema reads it; throws MalformedMessageError naming every problem. */
export function validated<T extends z.ZodType>(schema: T, value: object, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join(".") || "(message)"}: ${issue.message}`,
  );
  throw new MalformedMessageError(`the SNS message is not ${what}: ${problems.join("; ")}`);
}
