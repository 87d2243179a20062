/**
 * What "carrying a secret" means for an environment variable (CodeBuild PLAINTEXT, Lambda environment):
 * - its name suggests a secret (TOKEN, PASSWORD, SECRET, KEY, ...) and it does not hold a reference instead, or
 * - its value looks like a credential (a URL with a password, a Slack webhook, a GitHub/AWS/npm/Slack token, a private key).
 * A variable named like a reference (ending in _ARN, _PARAMETER, _PARAMETER_NAME, _SECRET_ID, _SECRET_NAME, _KEY_ID) is fine
 * when its value is one: an ARN, or a name of an SSM parameter or Secrets Manager secret (no spaces, no credentials).
 */

// Words that, in a variable name, announce a secret, most specific first. KEY counts only as a whole word (API_KEY), not inside one (MONKEY).
// A webhook URL (Slack's, Teams') and a DSN carry their credential in the URL itself.
const secretNamePatterns: readonly RegExp[] = [
  /PASSW(OR)?D/,
  /PASSPHRASE/,
  /SECRET/,
  /TOKEN/,
  /CREDENTIAL/,
  /PRIVATE_?KEY/,
  /API_?KEY/,
  /ACCESS_?KEY/,
  /WEBHOOK_?URL/,
  /(^|_)DSN($|_)/,
  /(^|_)KEY(_|$)/,
  /(^|_)PWD($|_)/,
  /(^|_)AUTH($|_)/,
];

/** Name endings of variables that hold where a secret is (its ARN or name), not the secret itself. */
export const referenceSuffixes: readonly string[] = [
  "_ARN",
  "_PARAMETER",
  "_PARAMETER_NAME",
  "_SECRET_ID",
  "_SECRET_NAME",
  "_KEY_ID",
];

/** Values that are credentials, whatever the variable is called. */
const credentialPatterns: ReadonlyArray<{ readonly what: string; readonly pattern: RegExp }> = [
  { what: "a URL with a password in it", pattern: /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i },
  { what: "a Slack webhook URL", pattern: /hooks\.slack\.com\/(services|workflows|triggers)\//i },
  { what: "a Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  {
    what: "a GitHub token",
    pattern: /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/,
  },
  { what: "an AWS access key id", pattern: /\b(AKIA|ASIA)[A-Z0-9]{16}\b/ },
  { what: "an npm token", pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { what: "a Pulumi access token", pattern: /\bpul-[0-9a-f]{40}\b/ },
  { what: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

// Names are compared upper-case, with camelCase words and any other separators split by "_".
const normalizedName = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();

const isReferenceName = (name: string) =>
  referenceSuffixes.some((suffix) => normalizedName(name).endsWith(suffix));

/** The word a name suggests a secret by, or undefined. */
export function secretWordIn(name: string): string | undefined {
  for (const pattern of secretNamePatterns) {
    const match = pattern.exec(normalizedName(name));
    if (match) return match[0].replace(/^_|_$/g, "");
  }
  return undefined;
}

/** Whether a variable of this name, with this value, holds a reference to a secret (an ARN or a name) rather than the secret. */
export function holdsReference(name: string, value: string): boolean {
  if (!isReferenceName(name) || credentialIn(value)) return false;
  return normalizedName(name).endsWith("_ARN")
    ? value.startsWith("arn:")
    : /^[A-Za-z0-9_.\-/:@+=]+$/.test(value);
}

/** What kind of credential the value looks like, or undefined. */
export function credentialIn(value: string): string | undefined {
  return credentialPatterns.find(({ pattern }) => pattern.test(value))?.what;
}

/**
 * Why a variable carries a secret, or undefined. `value` is undefined when it is not known yet (during preview):
 * then only the name is judged, and a reference-like name is given the benefit of the doubt.
 */
export function secretCarriedBy(name: string, value: string | undefined): string | undefined {
  const credential = value === undefined ? undefined : credentialIn(value);
  if (credential) return `its value looks like ${credential}`;
  const word = secretWordIn(name);
  if (!word) return undefined;
  if (!isReferenceName(name)) return `its name suggests a secret (${word})`;
  if (value === undefined || holdsReference(name, value)) return undefined;
  return `its name says it holds a reference to a secret, but its value is not an ARN or a parameter/secret name`;
}
