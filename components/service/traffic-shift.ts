/** How a new API version takes traffic: CodeDeploy's predefined Lambda deployment configurations. */
export const trafficShifts = {
  "all-at-once": "CodeDeployDefault.LambdaAllAtOnce",
  "canary-10-5m": "CodeDeployDefault.LambdaCanary10Percent5Minutes",
  "linear-10-1m": "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
} as const;

export type TrafficShift = keyof typeof trafficShifts;

/** The alias the HTTP API invokes; CodeDeploy moves it from version to version. */
export const liveAlias = "live";

/** The stack output that tells the deploy what to shift. */
export const canaryOutput = "canary";

/** What the deploy reads from the `canary` stack output. */
export interface CanaryTarget {
  readonly application: string;
  readonly deploymentGroup: string;
  readonly functionName: string;
  readonly alias: string;
  /** The version `pulumi up` published: the one traffic shifts to. */
  readonly version: string;
}

/**
 * Shell lines for the Deploy stage, after `pulumi up`: when the stack published a new API version, CodeDeploy shifts
 * the `live` alias to it (canary or linear as configured) and the build waits; a deployment that fails or is rolled
 * back by an alarm fails the Deploy stage. A stack without the output (or with nothing new) shifts nothing.
 */
export function canaryDeployCommands(stack: string): string[] {
  // One node reads every field, a line each, rather than one node per field.
  const variables = {
    FUNCTION: "functionName",
    ALIAS: "alias",
    TARGET: "version",
    APPLICATION: "application",
    GROUP: "deploymentGroup",
  } as const satisfies Record<string, keyof CanaryTarget>;
  const readFields = [
    "const target = JSON.parse(process.argv[1]);",
    `const keys = ${JSON.stringify(Object.values(variables))};`,
    'const bad = keys.filter((k) => typeof target[k] !== "string" || !/^.+$/.test(target[k]));',
    `if (bad.length) { console.error("the ${canaryOutput} stack output has no one-line " + bad.join(", ")); process.exit(1); }`,
    "for (const k of keys) console.log(target[k]);",
  ].join(" ");
  const readLines = Object.keys(variables)
    .map((variable) => `read -r ${variable};`)
    .join(" ");
  return [
    [
      `CANARY="$(pulumi stack output ${canaryOutput} --stack ${stack} --json 2>/dev/null || echo null)"`,
      `if [ "$CANARY" != "null" ]; then`,
      `  FIELDS="$(node -e '${readFields}' "$CANARY")" || exit 1`,
      `  { ${readLines} } <<< "$FIELDS"`,
      `  CURRENT="$(aws lambda get-alias --function-name "$FUNCTION" --name "$ALIAS" --query FunctionVersion --output text)"`,
      `  if [ "$CURRENT" != "$TARGET" ]; then`,
      `    APPSPEC="{\\"version\\":0.0,\\"Resources\\":[{\\"api\\":{\\"Type\\":\\"AWS::Lambda::Function\\",\\"Properties\\":{\\"Name\\":\\"$FUNCTION\\",\\"Alias\\":\\"$ALIAS\\",\\"CurrentVersion\\":\\"$CURRENT\\",\\"TargetVersion\\":\\"$TARGET\\"}}}]}"`,
      `    DEPLOYMENT="$(aws deploy create-deployment --application-name "$APPLICATION" --deployment-group-name "$GROUP" --revision "$(node -p 'JSON.stringify({revisionType: "AppSpecContent", appSpecContent: {content: process.argv[1]}})' "$APPSPEC")" --query deploymentId --output text)"`,
      `    echo "Shifting $FUNCTION:$ALIAS from version $CURRENT to $TARGET (CodeDeploy deployment $DEPLOYMENT)"`,
      `    if ! aws deploy wait deployment-successful --deployment-id "$DEPLOYMENT"; then`,
      `      echo "CodeDeploy deployment $DEPLOYMENT failed or was rolled back: $(aws deploy get-deployment --deployment-id "$DEPLOYMENT" --query 'deploymentInfo.[status,errorInformation.message]' --output text)" >&2`,
      `      exit 1`,
      `    fi`,
      `  fi`,
      `fi`,
    ].join("\n"),
  ];
}
