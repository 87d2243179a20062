/** An HTTP answer, independent of how it travels (API Gateway, the local server). */
export interface ApiResponse {
  readonly statusCode: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** JSON, or absent for 204. */
  readonly body?: string;
}

/** The headers the book's API let browsers send (the Serverless Framework's `cors: true`). */
export const allowedRequestHeaders =
  "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent";

export function json(
  statusCode: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): ApiResponse {
  return jsonText(statusCode, JSON.stringify(body), headers);
}

/** An answer whose JSON is already written. */
export function jsonText(
  statusCode: number,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): ApiResponse {
  return { statusCode, headers: { "content-type": "application/json", ...headers }, body };
}

export function noContent(headers: Readonly<Record<string, string>> = {}): ApiResponse {
  return { statusCode: 204, headers: { ...headers } };
}

/** `{errors: [...]}` for messages, or `{errors: {path: message}}` for field errors. */
export function errors(
  statusCode: number,
  errors: readonly string[] | Readonly<Record<string, string>>,
  headers: Readonly<Record<string, string>> = {},
): ApiResponse {
  return json(statusCode, { errors }, headers);
}
