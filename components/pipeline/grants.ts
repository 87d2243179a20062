import { deployPolicyStatements } from "./deploy-policy";
import type { Grant } from "./plan";
import { readResourcesStatements, readStackStatements } from "./plan-policy";
import { publishPolicyStatements } from "./policies";
import type { Account, PolicyStatement, RolePlacement } from "../iam";

/** The IAM statements behind a grant the plan gives a project. */
export function grantStatements(
  grant: Grant,
  account: Account,
  roles: RolePlacement,
): PolicyStatement[] {
  switch (grant.kind) {
    case "deployStack":
      return deployPolicyStatements(account, roles.scope);
    case "publishPackages":
      return publishPolicyStatements({
        account,
        domain: grant.domain,
        repository: grant.repository,
      });
    case "readStack":
      return readStackStatements(account, grant.backendUrl);
    case "readResources":
      return readResourcesStatements(account);
  }
}
