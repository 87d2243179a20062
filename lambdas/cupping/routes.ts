/** Answers a request that matched a route; `parameters` are the path pattern's captures. */
export type Action<Request, Response> = (
  request: Request,
  parameters: readonly string[],
) => Promise<Response>;

export interface Route<Request, Response> {
  /** Matches the whole path; its groups become the action's parameters. */
  readonly path: RegExp;
  /** Upper-case method to action. */
  readonly methods: Readonly<Record<string, Action<Request, Response>>>;
}

export type RouteMatch<Request, Response> =
  | {
      readonly found: "action";
      readonly action: Action<Request, Response>;
      readonly parameters: readonly string[];
    }
  | { readonly found: "no route" }
  /** The path exists, but not with this method; `allowed` lists the methods it has. */
  | { readonly found: "no method"; readonly allowed: readonly string[] };

export function matchRoute<Request, Response>(
  routes: ReadonlyArray<Route<Request, Response>>,
  method: string,
  path: string,
): RouteMatch<Request, Response> {
  for (const route of routes) {
    const match = route.path.exec(path);
    if (!match) continue;
    const action = Object.hasOwn(route.methods, method) ? route.methods[method] : undefined;
    return action
      ? { found: "action", action, parameters: match.slice(1) }
      : { found: "no method", allowed: Object.keys(route.methods) };
  }
  return { found: "no route" };
}
