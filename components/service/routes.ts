/** The cupping API's routes, as HTTP API route keys; the handler serves exactly these. */
export const cuppingRoutes: readonly string[] = ["GET /session", "POST /session", "GET /session/{id}", "DELETE /session/{id}"];
