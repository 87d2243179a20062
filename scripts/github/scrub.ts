/**
 * Removes secrets from text before it leaves the build (a pull-request comment, a build log): every known secret
 * value, in the forms output tends to print it, and every string shaped like a credential, known or not.
 */

/** What a removed secret is replaced with. */
export const redacted = "[redacted]";

/** A credential's shape, with the name the tests and the README give it. */
export interface CredentialShape {
  readonly name: string;
  readonly pattern: RegExp;
}

/** Strings that are credentials whatever their value; each pattern is global. No word boundaries: output can glue a credential to other text. */
export const credentialShapes: readonly CredentialShape[] = [
  { name: "AWS access key id", pattern: /(?:AKIA|ASIA)[A-Z0-9]{16}/g },
  { name: "GitHub token", pattern: /(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}/g },
  { name: "GitHub fine-grained token", pattern: /github_pat_[A-Za-z0-9_]{22,255}/g },
  {
    name: "Slack webhook URL",
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+/g,
  },
  // An unterminated block (cut off, or split over the comment limit) is removed to the end of the text.
  {
    name: "private key",
    pattern:
      /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$(?![\s\S]))/g,
  },
  { name: "Pulumi access token", pattern: /pul-[A-Za-z0-9]{32,64}/g },
];

/** Values shorter than this are not searched for: they would blank ordinary words and are not secrets worth the name. */
export const shortestSecret = 6;

/** Environment variables whose values are secrets wherever they appear. */
export const secretEnvironmentVariables = [
  "GITHUB_TOKEN",
  "GH_TOKEN",
  "PULUMI_ACCESS_TOKEN",
  "PULUMI_CONFIG_PASSPHRASE",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_ACCESS_KEY_ID",
] as const;

/** The values of the secret environment variables that are set. */
export function environmentSecrets(env: NodeJS.ProcessEnv): string[] {
  return secretEnvironmentVariables
    .map((name) => env[name])
    .filter((value): value is string => value !== undefined && value !== "");
}

/** The ways output prints a value: as is, base64 (either alphabet, with or without padding), URL- and JSON-escaped. */
export function printedForms(value: string): string[] {
  const base64 = Buffer.from(value, "utf8").toString("base64");
  const forms = [
    value,
    base64,
    base64.replace(/=+$/, ""),
    Buffer.from(value, "utf8").toString("base64url"),
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
    // A multi-line secret printed on a terminal or by cleanOutput has Unix line ends.
    value.replace(/\r\n?/g, "\n"),
  ];
  return [...new Set(forms)].filter((form) => form.length >= shortestSecret);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A function that removes `secrets` (each in its printed forms) and every credential shape from a text. */
export function scrubber(secrets: Iterable<string>): (text: string) => string {
  // Longest first, so a secret that contains another is removed whole.
  const forms = [
    ...new Set(
      [...secrets].filter((secret) => secret.length >= shortestSecret).flatMap(printedForms),
    ),
  ].sort((a, b) => b.length - a.length);
  const known = forms.length > 0 ? new RegExp(forms.map(escapeRegExp).join("|"), "g") : undefined;
  return (text: string) => {
    let scrubbed = known ? text.replace(known, redacted) : text;
    for (const { pattern } of credentialShapes) scrubbed = scrubbed.replace(pattern, redacted);
    return scrubbed;
  };
}
