import * as z from "zod";
import { extra, text, validated } from "./sns-message";

/** The drift check's report (components/pipeline/release/drift-report.ts): resources changed outside Pulumi. */
export interface DriftNotification {
  readonly kind: "drift";
  readonly stack: string;
  readonly resources: ReadonlyArray<{
    readonly urn: string;
    readonly kind: string;
    readonly properties: readonly string[];
  }>;
  readonly buildUrl?: string;
}

const driftMessage = z.object({
  driftCheck: z.object({
    stack: text,
    resources: z
      .array(z.object({ urn: text, kind: text, properties: z.array(z.string()) }))
      .min(1, "a drift report names at least one resource"),
    buildUrl: extra(z.url({ protocol: /^https$/ })),
  }),
});

/** Reads the drift check's message; throws MalformedMessageError naming what is wrong. */
export function driftNotificationFrom(parsed: object): DriftNotification {
  const { driftCheck } = validated(driftMessage, parsed, "a drift check report");
  return { kind: "drift", ...driftCheck };
}
