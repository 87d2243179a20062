/** The IAM actions on roles, by what they do: the boundary and the Deploy role are written from these lists. */

/** Actions that change a role and that IAM checks against `iam:PermissionsBoundary` (the boundary of the role they act on). */
export const boundedRoleActions = [
  "iam:CreateRole",
  "iam:DeleteRole",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
  "iam:UpdateAssumeRolePolicy",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
] as const;

/** Actions that change a role's tags: no boundary key, so only the path keeps them in the scope. */
export const roleTagActions = ["iam:TagRole", "iam:UntagRole"] as const;

/** Actions that read a role (a refresh reads every role of the stack, the admin-held ones too). */
export const roleReadActions = [
  "iam:GetRole",
  "iam:ListRoleTags",
  "iam:GetRolePolicy",
  "iam:ListRolePolicies",
  "iam:ListAttachedRolePolicies",
  "iam:ListInstanceProfilesForRole",
] as const;

/** Actions that would loosen or replace a boundary: nobody under a boundary may use them. */
export const boundaryChangingActions = [
  "iam:DeleteRolePermissionsBoundary",
  "iam:CreatePolicy",
  "iam:CreatePolicyVersion",
  "iam:DeletePolicy",
  "iam:DeletePolicyVersion",
  "iam:SetDefaultPolicyVersion",
] as const;
