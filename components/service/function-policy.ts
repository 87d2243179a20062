import type { PolicyDocument } from "../iam";

/** What a service function may touch: its own log group, the database secret and the key that encrypts it. */
export interface FunctionPermissions {
  readonly logGroupArn: string;
  readonly secretArn: string;
  readonly keyArn: string;
  readonly region: string;
}

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
