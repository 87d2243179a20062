/** A setting the plan shows beside a resource: a short name, and how to read it from the resource's inputs. */
interface ShownSetting {
  readonly name: string;
  read(inputs: Readonly<Record<string, unknown>>): unknown;
}

type Inputs = Readonly<Record<string, unknown>>;
const at = (path: string) => (inputs: Inputs) =>
  path.split(".").reduce<unknown>((value, key) => (value as Inputs | undefined)?.[key], inputs);

/** How a resource is encrypted at rest, from whichever input its type uses. */
function encryption(inputs: Inputs): string | undefined {
  const byDefault = at("rules.0.applyServerSideEncryptionByDefault")(inputs) as Inputs | undefined;
  if (byDefault?.sseAlgorithm) return String(byDefault.sseAlgorithm);
  if (inputs.kmsKeyId ?? inputs.kmsMasterKeyId ?? inputs.kmsKeyArn ?? inputs.encryptionKey)
    return "kms";
  if (inputs.sqsManagedSseEnabled === true) return "sqs-managed";
  if (inputs.storageEncrypted !== undefined) return inputs.storageEncrypted ? "storage" : "none";
  return undefined;
}

/** An Aurora Serverless v2 cluster's capacity range, e.g. "0-2". */
function serverlessCapacity(inputs: Inputs): string | undefined {
  const scaling = inputs.serverlessv2ScalingConfiguration as
    { minCapacity?: number; maxCapacity?: number } | undefined;
  return scaling ? `${scaling.minCapacity ?? 0}-${scaling.maxCapacity ?? ""}` : undefined;
}

/**
 * The inputs that decide cost, capacity, retention and safety, in the order the plan shows them: change one in a
 * stack file and the plan line of the resource changes.
 */
const shownSettings: readonly ShownSetting[] = [
  { name: "engine", read: at("engine") },
  { name: "engineVersion", read: at("engineVersion") },
  { name: "instanceClass", read: at("instanceClass") },
  { name: "capacityAcu", read: serverlessCapacity },
  { name: "multiAz", read: at("multiAz") },
  { name: "storageGb", read: at("allocatedStorage") },
  { name: "maxStorageGb", read: at("maxAllocatedStorage") },
  { name: "backupDays", read: at("backupRetentionPeriod") },
  { name: "deletionProtection", read: at("deletionProtection") },
  { name: "runtime", read: at("runtime") },
  { name: "architectures", read: at("architectures") },
  { name: "memoryMb", read: at("memorySize") },
  { name: "timeoutSeconds", read: at("timeout") },
  { name: "reservedConcurrency", read: at("reservedConcurrentExecutions") },
  { name: "computeType", read: at("environment.computeType") },
  { name: "image", read: at("environment.image") },
  { name: "buildTimeoutMinutes", read: at("buildTimeout") },
  { name: "retentionDays", read: at("retentionInDays") },
  { name: "encryption", read: encryption },
];

const shown = (
  value: unknown,
): value is string | number | boolean | ReadonlyArray<string | number> =>
  ["string", "number", "boolean"].includes(typeof value) ||
  (Array.isArray(value) && value.every((v) => ["string", "number"].includes(typeof v)));

/** The settings of one resource worth showing, from its (revealed) inputs; empty for components. */
export function resourceSettings(inputs: Inputs): Record<string, string | number | boolean> {
  const settings: Record<string, string | number | boolean> = {};
  for (const { name, read } of shownSettings) {
    const value = read(inputs);
    if (shown(value))
      settings[name] = Array.isArray(value)
        ? value.join(",")
        : (value as string | number | boolean);
  }
  return settings;
}
