import * as z from "zod";

/**
 * What `pulumi preview --json` prints: Pulumi's `PreviewDigest` (sdk/go/common/display/json.go), the parts the release
 * plan reads. Policy events are not in it (the CLI leaves them out of the JSON digest), so policy results come apart.
 */
const step = z.object({
  op: z.string({ message: "every step needs its op (create, update, replace, delete, same, ...)" }),
  urn: z.string().regex(/^urn:pulumi:/, "every step needs its resource URN (urn:pulumi:...)"),
  provider: z.string().optional(),
  oldState: z.object({ type: z.string().optional() }).loose().optional(),
  newState: z.object({ type: z.string().optional() }).loose().optional(),
  diffReasons: z.array(z.string()).optional(),
  replaceReasons: z.array(z.string()).optional(),
  detailedDiff: z
    .record(z.string(), z.object({ kind: z.string(), inputDiff: z.boolean().optional() }))
    .nullish(),
});

const diagnostic = z.object({
  urn: z.string().optional(),
  prefix: z.string().optional(),
  message: z.string().optional(),
  severity: z.string().optional(),
});

export const previewDigestSchema = z.object({
  config: z.record(z.string(), z.string()).optional(),
  steps: z.array(step).optional(),
  diagnostics: z.array(diagnostic).optional(),
  duration: z.number().optional(),
  changeSummary: z.record(z.string(), z.number()).optional(),
  maybeCorrupt: z.boolean().optional(),
});

export type PreviewDigest = z.infer<typeof previewDigestSchema>;
export type PreviewStep = NonNullable<PreviewDigest["steps"]>[number];

/**
 * A policy result as the engine reports it (apitype.PolicyEvent): `pulumi preview --json` leaves these out, so a
 * caller that has them (the policy runner, streamed engine events) hands them in beside the digest.
 */
export interface PolicyEvent {
  readonly resourceUrn?: string;
  readonly message: string;
  readonly policyName: string;
  readonly policyPackName: string;
  readonly enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
}

/** Reads `pulumi preview --json` output; throws naming what is not the documented shape. */
export function readPreviewDigest(text: string, source = "the preview JSON"): PreviewDigest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${source} is not JSON (${(error as Error).message}); run pulumi preview with --json`,
      { cause: error },
    );
  }
  const result = previewDigestSchema.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`);
    throw new Error(
      `${source} is not the shape pulumi preview --json prints:\n  - ${problems.join("\n  - ")}`,
    );
  }
  return result.data;
}

/** The resource type a URN names: the last segment of its type chain (parent types come before '$'). */
export function typeOfUrn(urn: string): string {
  const qualifiedType = urn.split("::")[2] ?? "";
  return qualifiedType.split("$").pop() ?? qualifiedType;
}
