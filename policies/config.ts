import type { PolicyConfigSchema, ResourceValidationArgs } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** What rules receive from the engine: pack config for this rule, without its enforcement level. */
interface ConfigSource {
  getConfig<T extends object>(): T;
}

/**
 * The rule's config: the defaults of its schema, overridden by what `--policy-pack-config` sets.
 * Rules read config through this so they behave the same whether or not the engine filled the defaults in.
 */
export function readConfig<T extends object>(schema: PolicyConfigSchema, source: ConfigSource): T {
  const defaults = Object.fromEntries(
    Object.entries(schema.properties).flatMap(([key, property]) =>
      property.default === undefined ? [] : [[key, property.default]],
    ),
  );
  return { ...defaults, ...source.getConfig<Partial<T>>() } as T;
}

/** Config of rules that apply only to production stacks: the stack names that count as production. */
export const productionStacksSchema: PolicyConfigJSONSchema = {
  type: "array",
  items: { type: "string" },
  default: ["production"],
  description: "Stacks whose resources must meet the production requirements.",
};

export interface ProductionStacksConfig {
  readonly productionStacks: readonly string[];
}

/** The stack a resource belongs to, from its URN (urn:pulumi:<stack>::<project>::<type>::<name>). */
export function stackOfUrn(urn: string): string {
  const match = /^urn:pulumi:([^:]+)::[^:]+::/.exec(urn);
  if (!match)
    throw new Error(
      `'${urn}' is not a resource URN of the form urn:pulumi:<stack>::<project>::<type>::<name>`,
    );
  return match[1];
}

export function isProductionStack(urn: string, config: ProductionStacksConfig): boolean {
  return config.productionStacks.includes(stackOfUrn(urn));
}

/** Config schema of rules that apply only to production stacks. */
export const productionRuleConfigSchema: PolicyConfigSchema = {
  properties: { productionStacks: productionStacksSchema },
};

/** Marks the rule not applicable unless the resource belongs to a production stack. */
export function requireProductionStack(args: ResourceValidationArgs): void {
  const config = readConfig<ProductionStacksConfig>(productionRuleConfigSchema, args);
  if (!isProductionStack(args.urn, config))
    args.notApplicable(
      `stack '${stackOfUrn(args.urn)}' is not one of the production stacks (${config.productionStacks.join(", ")})`,
    );
}

/** Config schema of the environment-variable rules: names to accept even though they look like secrets. */
export const allowedNamesConfigSchema: PolicyConfigSchema = {
  properties: {
    allowedNames: {
      type: "array",
      items: { type: "string" },
      default: [],
      description: "Variable names to accept even though they look like secrets.",
    },
  },
};

export interface AllowedNamesConfig {
  readonly allowedNames: readonly string[];
}
