import type {
  EnforcementLevel,
  Policies,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { specialResourceSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { rules } from "../../policies/rules";

// The policy SDK's own deserializer and unknown-checking proxy, so rules see props exactly as the engine hands them over.
const { deserializeProperties } = require("@pulumi/policy/deserialize") as {
  deserializeProperties(
    struct: { toJavaScript(): unknown },
    proxySecrets: boolean,
  ): Record<string, unknown>;
};
const { unknownCheckingProxy, UnknownValueError } = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T extends object>(value: T): T;
  UnknownValueError: abstract new (...args: never[]) => Error;
};

/** How a value unknown during preview is serialized; put it in props to test a rule's preview behaviour. */
export const unknownDuringPreview = unknownValue;

/**
 * A resource to check: what the mocks harness captures (`inputs`), or a hand-built one (`props`).
 * Secrets, assets and resource references may still be in their serialized form.
 */
export interface PolicyTarget {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parent?: string;
  readonly props?: Readonly<Record<string, unknown>>;
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** URNs of the resources it depends on (the harness captures them). */
  readonly dependencies?: readonly string[];
  /** URNs each input depends on, when known: stack rules use them to match values unknown during preview. */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** One entry of a `--policy-pack-config` file: an enforcement level, or an object with one and config values. */
export type PolicyConfigEntry =
  | EnforcementLevel
  | ({ readonly enforcementLevel?: EnforcementLevel } & Readonly<Record<string, unknown>>);

export interface RunPoliciesOptions {
  /** Pack config in the format `pulumi preview --policy-pack-config` reads (keys: rule names, or `all`). */
  readonly config?: Readonly<Record<string, PolicyConfigEntry>>;
  /** Rules to run instead of the whole pack. */
  readonly policies?: Policies;
}

export interface Violation {
  readonly policyName: string;
  readonly enforcementLevel: EnforcementLevel;
  /** The resource in violation; absent when a stack rule blames the whole stack. */
  readonly urn?: string;
  readonly message: string;
}

/** A rule the engine could not run because a value it read is unknown until the update (reported as advisory). */
export interface NotRunDuringPreview {
  readonly policyName: string;
  readonly urn?: string;
  readonly message: string;
}

export interface PolicyReport {
  readonly violations: readonly Violation[];
  readonly notRunDuringPreview: readonly NotRunDuringPreview[];
}

const enforcementLevels: readonly EnforcementLevel[] = [
  "advisory",
  "mandatory",
  "remediate",
  "disabled",
];

class NotApplicable extends Error {}

type ResourceClass = {
  new (...args: never[]): unknown;
  __pulumiType?: unknown;
  isInstance?: (value: unknown) => boolean;
};

// The engine's test of `args.isType(SomeResource)`: the class's type token, or else its isInstance.
function isTypeOf(type: string, resourceClass: ResourceClass): boolean {
  if (typeof resourceClass.__pulumiType === "string") return resourceClass.__pulumiType === type;
  return resourceClass.isInstance?.({ __pulumiType: type }) === true;
}

// The engine passes resource references to analyzers as the referenced resource's id (or URN for components).
function withoutResourceReferences(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutResourceReferences);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record[specialSigKey] === specialResourceSig)
    return record.id !== undefined && record.id !== "" ? record.id : record.urn;
  return Object.fromEntries(
    Object.entries(record).map(([key, inner]) => [key, withoutResourceReferences(inner)]),
  );
}

function engineProps(target: PolicyTarget): Record<string, unknown> {
  const raw = target.props ?? target.inputs;
  if (!raw) throw new Error(`resource ${target.urn} has neither props nor inputs to check`);
  return unknownCheckingProxy(
    deserializeProperties({ toJavaScript: () => withoutResourceReferences(raw) }, false),
  );
}

const noOptions = (parent?: string): PolicyResourceOptions => ({
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
  parent,
});

function matchesSchemaType(value: unknown, schema: PolicyConfigJSONSchema): boolean {
  const types =
    schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length === 0) return true;
  return types.some((type) => {
    switch (type) {
      case "array":
        return Array.isArray(value);
      case "integer":
        return Number.isInteger(value);
      case "null":
        return value === null;
      case "object":
        return typeof value === "object" && value !== null && !Array.isArray(value);
      case "boolean":
      case "number":
      case "string":
        return typeof value === type;
    }
  });
}

/** The config of each rule, checked the way the CLI checks a `--policy-pack-config` file. */
class PackConfig {
  constructor(
    private readonly policies: Policies,
    private readonly entries: Readonly<Record<string, PolicyConfigEntry>>,
  ) {
    const names = new Set(policies.map((policy) => policy.name));
    for (const [key, entry] of Object.entries(entries)) {
      if (key !== "all" && !names.has(key))
        throw new Error(
          `policy pack config names '${key}', which is not a rule of the pack (rules: ${[...names].join(", ")})`,
        );
      const level = typeof entry === "string" ? entry : entry.enforcementLevel;
      if (level !== undefined && !enforcementLevels.includes(level))
        throw new Error(
          `policy pack config gives '${key}' the enforcement level '${level}'; allowed: ${enforcementLevels.join(", ")}`,
        );
      if (typeof entry === "string" || key === "all") continue;
      const schema = policies.find((policy) => policy.name === key)?.configSchema?.properties ?? {};
      for (const [setting, value] of Object.entries(entry)) {
        if (setting === "enforcementLevel") continue;
        if (!(setting in schema))
          throw new Error(
            `policy pack config sets '${setting}' for rule '${key}', which has no such setting (settings: ${Object.keys(schema).join(", ") || "none"})`,
          );
        if (!matchesSchemaType(value, schema[setting]))
          throw new Error(
            `policy pack config sets '${setting}' for rule '${key}' to ${JSON.stringify(value)}, which is not of type ${String(schema[setting].type)}`,
          );
      }
    }
  }

  private entry(name: string): Exclude<PolicyConfigEntry, EnforcementLevel> {
    const entry = this.entries[name];
    return typeof entry === "string" ? { enforcementLevel: entry } : (entry ?? {});
  }

  /** A rule's own level yields to `all`, which yields to the rule's entry; remediation failures count as mandatory. */
  levelOf(policy: { name: string; enforcementLevel?: EnforcementLevel }): EnforcementLevel {
    const level =
      this.entry(policy.name).enforcementLevel ??
      this.entry("all").enforcementLevel ??
      policy.enforcementLevel ??
      "advisory";
    return level === "remediate" ? "mandatory" : level;
  }

  /** What `args.getConfig()` returns: the schema's defaults, overridden by the rule's entry. */
  configOf(name: string): Record<string, unknown> {
    const schema =
      this.policies.find((policy) => policy.name === name)?.configSchema?.properties ?? {};
    const defaults = Object.fromEntries(
      Object.entries(schema).flatMap(([key, property]) =>
        property.default === undefined ? [] : [[key, property.default]],
      ),
    );
    const { enforcementLevel: _level, ...settings } = this.entry(name);
    return { ...defaults, ...settings };
  }
}

const isResourcePolicy = (policy: Policies[number]): policy is ResourceValidationPolicy =>
  "validateResource" in policy && policy.validateResource !== undefined;
const isStackPolicy = (policy: Policies[number]): policy is StackValidationPolicy =>
  "validateStack" in policy && typeof policy.validateStack === "function";

/**
 * Runs every rule as the policy engine would: each resource rule on each resource (`validateResource`), then each
 * stack rule once on all of them (`validateStack`). Collects violations with rule name, resource URN and message.
 */
export async function runPolicies(
  targets: readonly PolicyTarget[],
  options: RunPoliciesOptions = {},
): Promise<PolicyReport> {
  const policies = options.policies ?? rules;
  const config = new PackConfig(policies, options.config ?? {});
  const violations: Violation[] = [];
  const notRunDuringPreview: NotRunDuringPreview[] = [];

  const attempt = async (
    policyName: string,
    urn: string | undefined,
    check: () => unknown,
  ): Promise<void> => {
    try {
      await check();
    } catch (error) {
      if (error instanceof NotApplicable) return;
      if (error instanceof UnknownValueError)
        notRunDuringPreview.push({ policyName, urn, message: error.message });
      else
        throw new Error(
          `rule '${policyName}' failed${urn ? ` on ${urn}` : ""}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
    }
  };
  const reporter =
    (policyName: string, enforcementLevel: EnforcementLevel, fixedUrn?: string): ReportViolation =>
    (message, urn) =>
      violations.push({ policyName, enforcementLevel, urn: fixedUrn ?? urn, message });
  const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
  };

  for (const policy of policies.filter(isResourcePolicy)) {
    const level = config.levelOf(policy);
    if (level === "disabled") continue;
    const validations: ResourceValidation[] = Array.isArray(policy.validateResource)
      ? policy.validateResource
      : policy.validateResource
        ? [policy.validateResource]
        : [];
    const onlyType =
      validations.length === 1
        ? (validations[0] as { __pulumiType?: string }).__pulumiType
        : undefined;
    for (const target of targets) {
      if (onlyType && onlyType !== target.type) continue;
      for (const validate of validations) {
        const args: ResourceValidationArgs = {
          ...resourceView(target),
          stackTags: new Map(),
          getConfig: <T extends object>() => config.configOf(policy.name) as T,
          notApplicable,
        };
        await attempt(policy.name, target.urn, () =>
          validate(args, reporter(policy.name, level, target.urn)),
        );
      }
    }
  }

  for (const policy of policies.filter(isStackPolicy)) {
    const level = config.levelOf(policy);
    if (level === "disabled") continue;
    const resources = stackResources(targets);
    const args: StackValidationArgs = {
      resources,
      stackTags: new Map(),
      getConfig: <T extends object>() => config.configOf(policy.name) as T,
      notApplicable,
    };
    await attempt(policy.name, undefined, () =>
      policy.validateStack(args, reporter(policy.name, level)),
    );
  }
  return { violations, notRunDuringPreview };
}

/** What the engine tells a rule of one resource, in resource and stack validation alike. */
type ResourceView = Pick<PolicyResource, "type" | "props" | "urn" | "name" | "opts" | "isType"> & {
  asType: PolicyResource["asType"] & ResourceValidationArgs["asType"];
};

function resourceView(target: PolicyTarget): ResourceView {
  const props = engineProps(target);
  return {
    type: target.type,
    props,
    urn: target.urn,
    name: target.name,
    opts: noOptions(target.parent),
    isType: (resourceClass) => isTypeOf(target.type, resourceClass),
    asType: ((resourceClass: ResourceClass) =>
      isTypeOf(target.type, resourceClass) ? props : undefined) as ResourceView["asType"],
  };
}

// Stack rules see every resource, with its parent, its dependencies and, when a hand-built target names them, its property dependencies linked.
function stackResources(targets: readonly PolicyTarget[]): PolicyResource[] {
  const resources = targets.map((target): PolicyResource => ({
    ...resourceView(target),
    dependencies: [],
    propertyDependencies: {},
  }));
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  targets.forEach((target, index) => {
    if (target.parent) resources[index].parent = byUrn.get(target.parent);
    resources[index].dependencies = (target.dependencies ?? []).flatMap(
      (urn) => byUrn.get(urn) ?? [],
    );
    for (const [property, urns] of Object.entries(target.propertyDependencies ?? {})) {
      resources[index].propertyDependencies[property] = urns.flatMap((urn) => byUrn.get(urn) ?? []);
    }
  });
  return resources;
}

/** Violations of one rule. */
export function violationsOf(report: PolicyReport, policyName: string): Violation[] {
  return report.violations.filter((violation) => violation.policyName === policyName);
}

/** Violations as lines, for assertion messages. */
export function describeViolations(violations: readonly Violation[]): string {
  return (
    violations
      .map((v) => `[${v.enforcementLevel}] ${v.policyName}: ${v.urn ?? "(stack)"}: ${v.message}`)
      .join("\n") || "(none)"
  );
}

/** A hand-built resource of a stack, for rule tests. */
export function policyTarget(
  type: string,
  name: string,
  props: Readonly<Record<string, unknown>>,
  stack = "dev",
): PolicyTarget {
  return { type, name, urn: `urn:pulumi:${stack}::pipelines::${type}::${name}`, props };
}
