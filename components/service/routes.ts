/** The cupping API's routes, as HTTP API route keys; the handler serves exactly these. */
export const cuppingRoutes: readonly string[] = [
  "GET /session",
  "POST /session",
  "GET /session/{id}",
  "DELETE /session/{id}",
];

/** Routes that change data: with `pipelines:apiAuth` iam, only signed requests reach them. */
export const isWriteRoute = (routeKey: string): boolean => !routeKey.startsWith("GET ");

/** The HTTP API authorization type of a route: AWS_IAM for writes when writes need authentication, else NONE. */
export function routeAuthorization(routeKey: string, auth: "none" | "iam"): "AWS_IAM" | "NONE" {
  return auth === "iam" && isWriteRoute(routeKey) ? "AWS_IAM" : "NONE";
}
