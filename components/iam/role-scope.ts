/**
 * The part of an account one set of roles may shape. Every role of the scope sits under `rolePath` and carries the
 * scope's permissions boundary; the deployers an administrator keeps sit under `adminPath`, out of the scope's reach.
 */
export interface RoleScope {
  /** Name of the scope, e.g. `pipelines-dev`: the boundary policy's name and the `scopeTagKey` tag of its secrets and keys. */
  readonly name: string;
  /** IAM path of the roles the scope's roles may create and change, e.g. `/pipelines/dev/`. */
  readonly rolePath: string;
  /** IAM path of the roles and the boundary only an administrator changes, e.g. `/pipelines-admin/dev/`. */
  readonly adminPath: string;
  /** Prefix every resource name of the scope starts with; absent allows any name in the account and region. */
  readonly resourceNamePrefix?: string;
}

/** Tag a secret or key carries to say which scope it belongs to; the boundary keeps other scopes away from it. */
export const scopeTagKey = "pipelines:scope";

export interface RoleScopeOptions {
  /** The Pulumi project, e.g. `pipelines`. */
  readonly project: string;
  /** What the scope is for: a stack name (`dev`, `production`) or another group of roles (`review`). */
  readonly name: string;
  /** Prefix every resource name of the scope must start with, e.g. `review-`. @default any name */
  readonly resourceNamePrefix?: string;
}

// IAM paths allow letters, digits and a few punctuation marks; stack names are already of that kind.
const pathSegment = (text: string) => {
  if (!/^[\w+=,.@-]+$/.test(text))
    throw new Error(
      `"${text}" cannot be part of an IAM path: use letters, digits and + = , . @ - _`,
    );
  return text;
};

/** The scope of one stack, or of another group of roles (`roleScope({ project, name: "review", resourceNamePrefix: "review-" })`). */
export function roleScope(options: RoleScopeOptions): RoleScope {
  const project = pathSegment(options.project);
  const name = pathSegment(options.name);
  return {
    name: `${project}-${name}`,
    rolePath: `/${project}/${name}/`,
    adminPath: `/${project}-admin/${name}/`,
    resourceNamePrefix: options.resourceNamePrefix,
  };
}
