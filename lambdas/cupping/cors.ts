/**
 * Cross-origin access: which web origins may call the API from a browser. No credentials header is ever sent: the API
 * reads no cookies, and a wildcard with credentials would let any site act as its visitors.
 */
export type CorsOrigins = readonly string[];

/** `*`, or a scheme and host with an optional port and nothing after it, e.g. https://cupping.example.com. */
export const originPattern =
  /^(?:\*|https?:\/\/(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?)$/;

/** What `originPattern` allows, for error messages. */
export const originRule =
  '"*" alone, or origins such as https://cupping.example.com (scheme, lower-case host, optional port; no path or trailing slash)';

/** The problem with a list of origins, or undefined when it is usable. */
export function corsOriginsProblem(origins: readonly string[]): string | undefined {
  const wrong = origins.filter((origin) => !originPattern.test(origin));
  if (wrong.length > 0)
    return `${wrong.map((origin) => JSON.stringify(origin)).join(", ")} ${wrong.length === 1 ? "is not an origin" : "are not origins"}; expected ${originRule}`;
  if (origins.includes("*") && origins.length > 1)
    return `"*" already allows every origin, so it must stand alone; expected ${originRule}`;
  return undefined;
}

/** Reads CORS_ORIGINS (comma-separated; unset or empty: no cross-origin access); throws naming the variable. */
export function readCorsOrigins(value: string | undefined): CorsOrigins {
  const origins = (value ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  const problem = corsOriginsProblem(origins);
  if (problem) throw new Error(`CORS_ORIGINS: ${problem}`);
  return origins;
}

/** The headers that let a browser at `requestOrigin` read the answer; none for an origin that is not allowed. */
export function corsHeaders(
  origins: CorsOrigins,
  requestOrigin: string | undefined,
): Record<string, string> {
  if (origins.includes("*")) return { "access-control-allow-origin": "*" };
  // The answer differs by Origin, so caches must keep one per origin.
  if (requestOrigin !== undefined && origins.includes(requestOrigin))
    return { "access-control-allow-origin": requestOrigin, vary: "origin" };
  return origins.length > 0 ? { vary: "origin" } : {};
}
