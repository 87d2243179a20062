import { limits } from "./limits";
import { Refused } from "./request-errors";

/** application/json, with no parameter or a UTF-8 charset (JSON is UTF-8, RFC 8259). */
const jsonMediaType = /^application\/json\s*(?:;\s*charset\s*=\s*("?)utf-8\1\s*)?$/i;

/** Refuses a body above `limits.bodyBytes` (413), measured before anything reads it. */
export function refuseOversizedBody(body: string | undefined): void {
  // A UTF-16 unit is at most 3 UTF-8 bytes, so short bodies skip the byte count.
  if (
    body !== undefined &&
    body.length > limits.bodyBytes / 3 &&
    Buffer.byteLength(body) > limits.bodyBytes
  ) {
    throw new Refused(413, `The body is larger than ${limits.bodyBytes} bytes`);
  }
}

/**
 * Refuses a write whose Content-Type is not JSON (415): a browser sends text/plain or a form across origins without
 * asking first, so accepting those would let any web page write.
 */
export function requireJsonContent(contentType: string | undefined): void {
  if (contentType === undefined || !jsonMediaType.test(contentType.trim())) {
    throw new Refused(
      415,
      `Content-Type must be application/json (optionally with charset=utf-8); got ${contentType === undefined ? "none" : JSON.stringify(contentType)}`,
    );
  }
}
