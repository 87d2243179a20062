/**
 * The service's documented bounds. A request body, a session and a page have fixed ceilings, so every answer stays
 * well under Lambda's 6 MB synchronous response limit (tests/service/bounds.test.ts builds the largest of each).
 */
export const limits = {
  /** Largest request body, in bytes (UTF-8, after API Gateway's base64 is undone); larger answers 413 unread. */
  bodyBytes: 256 * 1024,
  /** Cuppings one session may hold. */
  cuppingsPerSession: 100,
  /** Score names one cupping may hold. */
  scoresPerCupping: 30,
  /** Entries in a cupping's `descriptors`, and in its `defects`. */
  listItems: 30,
  /** Every score is a finite number in this range (cupping forms subtract defect points, hence the negative end). */
  score: { min: -100, max: 100 },
  /**
   * A page of GET /session stops before the session that would take its JSON past this many bytes. Lambda escapes
   * the body once more inside its response (a quote becomes two bytes), so 2 MiB of body is at most about 4 MiB.
   */
  pageBytes: 2 * 1024 * 1024,
} as const;
