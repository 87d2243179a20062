import { createHash, createHmac } from "node:crypto";

/** AWS credentials as the Lambda runtime puts them in the environment. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Who connects where: the token is valid only for this user on this host and port. */
export interface TokenTarget {
  readonly hostname: string;
  readonly port: number;
  readonly region: string;
  readonly username: string;
}

/** RDS accepts a token for 15 minutes after it was signed. */
export const tokenLifetimeSeconds = 900;
/** A kept token is replaced once it is this old, well before RDS would refuse it. */
export const tokenRefreshSeconds = 600;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const hmac = (key: string | Buffer, text: string) =>
  createHmac("sha256", key).update(text).digest();
/** RFC 3986 encoding, as SigV4 asks (encodeURIComponent leaves !'()* alone). */
const encode = (text: string) =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * An RDS IAM authentication token: a SigV4-presigned `connect` request, signed locally (no network call).
 * Written here because @aws-sdk/rds-signer with its credential chain does not fit the API bundle's 40 KB; a test
 * checks that both produce the same token.
 */
export function signAuthToken(target: TokenTarget, credentials: AwsCredentials, now: Date): string {
  const longDate = now.toISOString().replace(/[-:]|\.\d{3}/g, "");
  const shortDate = longDate.slice(0, 8);
  const scope = `${shortDate}/${target.region}/rds-db/aws4_request`;
  const host = `${target.hostname}:${target.port}`;
  const query: Record<string, string> = {
    Action: "connect",
    DBUser: target.username,
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Credential": `${credentials.accessKeyId}/${scope}`,
    "X-Amz-Date": longDate,
    "X-Amz-Expires": String(tokenLifetimeSeconds),
    ...(credentials.sessionToken ? { "X-Amz-Security-Token": credentials.sessionToken } : {}),
    "X-Amz-SignedHeaders": "host",
  };
  const queryString = (entries: Record<string, string>) =>
    Object.keys(entries)
      .sort()
      .map((key) => `${encode(key)}=${encode(entries[key])}`)
      .join("&");
  const canonicalQuery = queryString(query);
  const canonicalRequest = [
    "GET",
    "/",
    canonicalQuery,
    `host:${host}`,
    "",
    "host",
    sha256(""),
  ].join("\n");
  const stringToSign = ["AWS4-HMAC-SHA256", longDate, scope, sha256(canonicalRequest)].join("\n");
  const signingKey = ["rds-db", "aws4_request"].reduce(
    (key, part) => hmac(key, part),
    hmac(hmac(`AWS4${credentials.secretAccessKey}`, shortDate), target.region),
  );
  return `${host}/?${queryString({ ...query, "X-Amz-Signature": hmac(signingKey, stringToSign).toString("hex") })}`;
}

/** Reads the credentials Lambda gives the function's role; a clear error when they are missing. */
export function credentialsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): AwsCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey)
    throw new Error(
      "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (expected the function role's credentials, which Lambda provides)",
    );
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN };
}

/** A token source for pg's `password`: signs once, then again only when the kept token is `tokenRefreshSeconds` old. */
export function cachedAuthToken(
  sign: (now: Date) => string,
  clock: () => Date = () => new Date(),
): () => Promise<string> {
  let kept: { token: string; signedAt: number } | undefined;
  return async () => {
    const now = clock();
    if (!kept || now.getTime() - kept.signedAt >= tokenRefreshSeconds * 1000)
      kept = { token: sign(now), signedAt: now.getTime() };
    return kept.token;
  };
}
