/** What an AWS SDK client reads from the environment, which a suite that points one at a stand-in must control. */
export const awsSdkVariables = [
  "AWS_REGION",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED",
];

/**
 * Sets the variables `names` to exactly `environment` (those it leaves out, unset) and returns what puts their previous
 * values back: a suite's `before` and `after`.
 */
export function replaceEnvironment(
  names: readonly string[],
  environment: Readonly<Record<string, string | undefined>>,
): () => void {
  const saved = new Map(names.map((name) => [name, process.env[name]]));
  for (const name of names) delete process.env[name];
  for (const [name, value] of Object.entries(environment))
    if (value !== undefined) process.env[name] = value;
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
