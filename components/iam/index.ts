export { currentAccount, databaseUserArn, iamArn, type Account } from "./account";
export { assumeRolePolicy, webIdentityAssumeRolePolicy } from "./assume-role";
export {
  boundaryArn,
  deployerChores,
  permissionsBoundaryPolicy,
  rolesUnder,
  type BoundaryReach,
  type SharedResource,
} from "./boundary";
export { PermissionsBoundary, type PermissionsBoundaryArgs } from "./permissions-boundary";
export {
  listOf,
  policyDocument,
  type BoundaryDocument,
  type NotActionStatement,
  type Condition,
  type PolicyDocument,
  type PolicyStatement,
  type Principal,
} from "./policy-document";
export {
  boundaryChangingActions,
  boundedRoleActions,
  roleReadActions,
  roleTagActions,
} from "./role-actions";
export { roleScope, scopeTagKey, type RoleScope, type RoleScopeOptions } from "./role-scope";
export { adminHeld, serviceRole, type RolePlacement, type ServiceRoleArgs } from "./service-role";
export { actionsOnAnyResource, privateDnsActions, regionalServices } from "./service-actions";
