/** Reads the facts file a preview build gathers for the comment (JSON), refusing what is not its documented shape. */
import { z } from "zod";
import type { StackFacts } from "./comment-sections";

const count = z.number().int().min(0);
const money = z.number().min(0).finite();
const schema = z.strictObject({
  plan: z
    .object({
      counts: z.strictObject({ create: count, update: count, replace: count, delete: count }),
      risk: z.enum(["none", "review", "danger"]).optional(),
      changes: z.array(
        z.object({
          urn: z.string(),
          type: z.string(),
          kind: z.enum(["create", "update", "replace", "delete"]),
        }),
      ),
    })
    .optional(),
  policies: z
    .array(
      z.object({
        policyPackName: z.string(),
        policyName: z.string(),
        enforcementLevel: z.string(),
        message: z.string(),
        resourceUrn: z.string().optional(),
      }),
    )
    .optional(),
  cost: z.strictObject({ baseMonthlyUsd: money, headMonthlyUsd: money }).optional(),
  destructiveMigrations: z
    .array(z.strictObject({ file: z.string(), reason: z.string() }))
    .optional(),
  reviewUrl: z.url({ protocol: /^https?$/ }).optional(),
});

export function readStackFacts(text: string, source: string): StackFacts {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.length ? i.path.join(".") : "(top level)"}: ${i.message}`,
    );
    throw new Error(
      `${source} is not a facts file:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  return parsed.data;
}
