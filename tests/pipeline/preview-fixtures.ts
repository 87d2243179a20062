import type { PreviewDigest } from "../../components/pipeline/release/preview-digest";

/** A URN as the engine writes it: stack, project, the parent's type chain joined by '$', and the name. */
export const urnOf = (
  type: string,
  name: string,
  parents: readonly string[] = ["pulumi:pulumi:Stack"],
) => `urn:pulumi:production::pipelines::${[...parents, type].join("$")}::${name}`;

type Step = NonNullable<PreviewDigest["steps"]>[number];

/** One step as `pulumi preview --json` prints it (display.PreviewStep), with the resource's states where the op has them. */
export function step(op: string, type: string, name: string, extra: Partial<Step> = {}): Step {
  const urn = urnOf(type, name);
  const state = (inputs: Record<string, unknown>) => ({
    urn,
    custom: true,
    type,
    inputs,
    outputs: {},
  });
  return {
    op,
    urn,
    provider:
      "urn:pulumi:production::pipelines::pulumi:providers:aws::default_7_48_0::04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    ...(op === "create" ? {} : { oldState: state({}) }),
    ...(op === "delete" ? {} : { newState: state({}) }),
    detailedDiff: null,
    ...extra,
  };
}

/** A whole preview digest (display.PreviewDigest): its steps and the change summary the engine counts. */
export function digest(
  steps: Step[],
  diagnostics: PreviewDigest["diagnostics"] = [],
): PreviewDigest {
  const changeSummary: Record<string, number> = {};
  for (const s of steps) changeSummary[s.op] = (changeSummary[s.op] ?? 0) + 1;
  return {
    config: { "aws:region": "us-east-1", "pipelines:databasePassword": "[secret]" },
    steps: [step("same", "pulumi:pulumi:Stack", "pipelines-production"), ...steps],
    ...(diagnostics.length ? { diagnostics } : {}),
    duration: 4_200_000_000,
    changeSummary: { same: 1, ...changeSummary },
  };
}

/** The database replaced: the engine's three steps of a replacement, with the property that forces it. */
export const databaseReplacement = (): Step[] =>
  ["create-replacement", "replace", "delete-replaced"].map((op) =>
    step(op, "aws:rds/instance:Instance", "cupping-database-instance", {
      replaceReasons: ["dbName"],
      diffReasons: ["dbName"],
      detailedDiff: { dbName: { kind: "update-replace", inputDiff: true } },
    }),
  );

/** A function's code updated, with a secret input the CLI blinds. */
export const functionUpdate = (): Step =>
  step("update", "aws:lambda/function:Function", "cupping-api-function", {
    diffReasons: ["code", "environment"],
    detailedDiff: {
      code: { kind: "update", inputDiff: true },
      "environment.variables.PGPASSWORD": { kind: "update", inputDiff: true },
    },
    newState: {
      urn: urnOf("aws:lambda/function:Function", "cupping-api-function"),
      custom: true,
      type: "aws:lambda/function:Function",
      inputs: { environment: { variables: { PGPASSWORD: "[secret]" } } },
    },
  });
