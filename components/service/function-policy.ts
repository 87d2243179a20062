/** An IAM policy document, as plain data. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: ReadonlyArray<{
    readonly Sid: string;
    readonly Effect: "Allow";
    readonly Principal?: Readonly<Record<string, string>>;
    readonly Action: readonly string[];
    readonly Resource?: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  }>;
}

/** What a service function may touch: its own log group, the database secret and the key that encrypts it. */
export interface FunctionPermissions {
  readonly logGroupArn: string;
  readonly secretArn: string;
  readonly keyArn: string;
  readonly region: string;
}

/** Lambda assumes the function's role. */
export const lambdaAssumeRolePolicy: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Sid: "LambdaAssumesRole", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: ["sts:AssumeRole"] }],
};

/**
 * The function role's policy: the network-interface actions of AWSLambdaVPCAccessExecutionRole (Lambda creates the
 * interfaces before their ids exist, so AWS documents them on "*"), and everything else on named resources only.
 */
export function functionPolicy(p: FunctionPermissions): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${p.logGroupArn}:*` },
      {
        Sid: "AttachToVpc",
        Effect: "Allow",
        Action: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
        Resource: "*",
      },
      { Sid: "ReadDatabaseSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: p.secretArn },
      {
        Sid: "DecryptDatabaseSecret",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: p.keyArn,
        // Only Secrets Manager may use the key on the function's behalf.
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${p.region}.amazonaws.com` } },
      },
    ],
  };
}
