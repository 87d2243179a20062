import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { PassphraseCrypter } from "../../stacks/passphrase";
import { parseCachedYaml } from "./yaml-cache";

/** The project root: where Pulumi.yaml and the stack files live. */
export const projectRoot = path.resolve(__dirname, "../..");

/** Every stack of the project: one Pulumi.<stack>.yaml each. */
export const stackNames: readonly string[] = readdirSync(projectRoot)
  .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
  .filter((name): name is string => name !== undefined);

/** Config as the engine hands it to the program: scalars as strings, lists as JSON, secure values decrypted. */
export interface EngineConfig {
  readonly project: string;
  readonly stack: string;
  readonly config: Record<string, string>;
  /** Keys whose values are secret, as the engine lists them for the language host. */
  readonly secretKeys: readonly string[];
}

export interface StackConfigOptions {
  /** Stack file text to use instead of Pulumi.<stack>.yaml. */
  readonly stackFileText?: string;
  /** The name errors give that text. @default Pulumi.<stack>.yaml */
  readonly stackFileName?: string;
  /** Changes to the stack file's `config:` map before it is read (set a key, or `undefined` to remove it). */
  readonly edit?: Readonly<Record<string, unknown>>;
  /** Decrypts secure values with this passphrase; without one they become placeholders. */
  readonly passphrase?: string;
}

interface DeclaredConfig {
  readonly type?: "string" | "integer" | "boolean" | "array";
  /** The type of an array's items: strings unless it says integer. */
  readonly items?: { readonly type?: "string" | "integer" };
  readonly default?: unknown;
  readonly secret?: boolean;
}

/** Placeholder that stands for a secure value when no passphrase is given; tests look for it to find leaks. */
export const secretPlaceholder = (fullKey: string) =>
  `placeholder-secret-for-${fullKey.replace(":", "-")}`;

// Tests and the plan read the same few files again and again, and parsing YAML cost more than the rest of reading.
const parsedTexts = new Map<string, unknown>();

/** YAML text parsed (a fresh copy each call), or an error that names the file and where in it the text is wrong. */
export function parseYaml(text: string, fileName: string): unknown {
  if (!parsedTexts.has(text)) {
    try {
      parsedTexts.set(text, parseCachedYaml(text));
    } catch (error) {
      throw new Error(`${fileName}: ${(error as Error).message}`, { cause: error });
    }
  }
  return structuredClone(parsedTexts.get(text));
}

export function readProjectFile(root = projectRoot): {
  name: string;
  config: Record<string, DeclaredConfig>;
} {
  return parseYaml(
    readFileSync(path.join(root, "Pulumi.yaml"), "utf8"),
    "Pulumi.yaml",
  ) as ReturnType<typeof readProjectFile>;
}

export function stackFilePath(stack: string, root = projectRoot): string {
  return path.join(root, `Pulumi.${stack}.yaml`);
}

const qualify = (project: string, key: string) => (key.includes(":") ? key : `${project}:${key}`);
const isSecure = (value: unknown): value is { secure: string } =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { secure?: unknown }).secure === "string";

/**
 * Reads a stack's config the way the Pulumi CLI does before it starts the program: project defaults applied,
 * required project keys checked, declared types and `secret: true` enforced, secure values decrypted.
 */
export function loadStackConfig(stack: string, options: StackConfigOptions = {}): EngineConfig {
  const projectFile = readProjectFile();
  const project = projectFile.name;
  const text = options.stackFileText ?? readFileSync(stackFilePath(stack), "utf8");
  const stackFile = (parseYaml(
    text,
    options.stackFileName ?? path.basename(stackFilePath(stack)),
  ) ?? {}) as { encryptionsalt?: string; config?: Record<string, unknown> };
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stackFile.config ?? {}))
    values[qualify(project, key)] = value;
  for (const [key, value] of Object.entries(options.edit ?? {})) {
    if (value === undefined) delete values[qualify(project, key)];
    else values[qualify(project, key)] = value;
  }

  const missing: string[] = [];
  for (const [declaredKey, declared] of Object.entries(projectFile.config ?? {})) {
    const key = qualify(project, declaredKey);
    if (key in values) continue;
    if (declared.default !== undefined) values[key] = declared.default;
    else if (key.startsWith(`${project}:`)) missing.push(declaredKey);
  }
  if (missing.length > 0) {
    throw new Error(
      `Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${missing.map((k) => `'${k}'`).join(", ")}`,
    );
  }

  let crypter: PassphraseCrypter | undefined;
  const decrypt = (key: string, secure: string): string => {
    if (options.passphrase === undefined) return secretPlaceholder(key);
    if (!stackFile.encryptionsalt)
      throw new Error(`Pulumi.${stack}.yaml holds secure values but no encryptionsalt`);
    crypter ??= PassphraseCrypter.fromSalt(
      options.passphrase,
      stackFile.encryptionsalt,
      `Pulumi.${stack}.yaml`,
    );
    return crypter.decrypt(secure);
  };

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const declared =
      projectFile.config?.[key.startsWith(`${project}:`) ? key.slice(project.length + 1) : key] ??
      projectFile.config?.[key];
    if (declared?.secret && !isSecure(value))
      throw new Error(
        `Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret`,
      );
    if (isSecure(value)) {
      config[key] = decrypt(key, value.secure);
      secretKeys.push(key);
    } else {
      config[key] =
        typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
    }
    if (declared?.type && !matchesType(declared, isSecure(value) ? config[key] : value)) {
      throw new Error(
        `Stack '${stack}' with configuration key '${key}' must be of type '${declared.type === "array" ? `array<${declared.items?.type ?? "string"}>` : declared.type}' (got ${JSON.stringify(isSecure(value) ? "[secret]" : value)})`,
      );
    }
  }
  return { project, stack, config, secretKeys };
}

function matchesType(declared: DeclaredConfig, value: unknown): boolean {
  switch (declared.type) {
    case "array":
      return (
        Array.isArray(value) &&
        value.every((item) =>
          declared.items?.type === "integer" ? Number.isInteger(item) : typeof item === "string",
        )
      );
    case "integer":
      return /^-?\d+$/.test(String(value)) && typeof value !== "object";
    case "boolean":
      return value === true || value === false || value === "true" || value === "false";
    case "string":
    case undefined:
      return typeof value !== "object" || value === null;
  }
}
