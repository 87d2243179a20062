import { roleScope, type RoleScope } from "../iam/role-scope";
import { reviewStackPrefix } from "./review-stack-name";

/**
 * The scope of the review role and of every role a review stack creates: its own paths and its own boundary, never
 * the base stack's, so nothing a pull request's code makes holds a right of dev's.
 */
export const reviewRoleScope = (project: string): RoleScope =>
  roleScope({ project, name: "review" });

/** The scope tag of one review stack's resources (`pipelines-pr-12`): the tag its secrets, keys and functions carry. */
export const reviewStackScopeTag = (project: string, stack: string) =>
  roleScope({ project, name: stack }).name;

/** The scope tags of every review stack (`pipelines-pr-*`), whose secrets, keys and functions the review boundary allows. */
export const reviewScopeTags = (project: string) => [`${project}-${reviewStackPrefix}*`];
