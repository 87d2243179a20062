import type { Policies } from "@pulumi/policy";
import { rdsBackupsEnabled, rdsDeletionProtectionOnProduction, rdsMultiAzOnProduction, rdsNotPublic, rdsStorageEncrypted } from "./rules/rds";

/** Every rule of the pack, in the order the engine runs them. */
export const rules: Policies = [
  rdsStorageEncrypted,
  rdsNotPublic,
  rdsBackupsEnabled,
  rdsMultiAzOnProduction,
  rdsDeletionProtectionOnProduction,
];
