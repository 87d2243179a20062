import type { PolicyDocument, PolicyStatement } from "../iam";

/** How a service function signs in to the database. */
export type DatabaseSignIn =
  /** With the password in a Secrets Manager secret, encrypted by `keyArn` or the AWS-managed key (the migrator, as the master user). */
  | { readonly with: "secret"; readonly secretArn: string; readonly keyArn?: string }
  /** With an IAM database authentication token for one database user (the API, as the application role). */
  | { readonly with: "iam-token"; readonly databaseUserArn: string };

/** What a service function may touch: its own log group and the one way it signs in to the database. */
export interface FunctionPermissions {
  readonly logGroupArn: string;
  readonly database: DatabaseSignIn;
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
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${p.logGroupArn}:*`,
      },
      {
        Sid: "AttachToVpc",
        Effect: "Allow",
        Action: [
          "ec2:CreateNetworkInterface",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeSubnets",
          "ec2:DeleteNetworkInterface",
          "ec2:AssignPrivateIpAddresses",
          "ec2:UnassignPrivateIpAddresses",
        ],
        Resource: "*",
      },
      ...databaseStatements(p.database, p.region),
    ],
  };
}

function databaseStatements(database: DatabaseSignIn, region: string): PolicyStatement[] {
  if (database.with === "iam-token")
    return [
      {
        Sid: "ConnectAsDatabaseUser",
        Effect: "Allow",
        Action: ["rds-db:connect"],
        Resource: database.databaseUserArn,
      },
    ];
  const read: PolicyStatement = {
    Sid: "ReadDatabaseSecret",
    Effect: "Allow",
    Action: ["secretsmanager:GetSecretValue"],
    Resource: database.secretArn,
  };
  // The AWS-managed key's policy already lets Secrets Manager decrypt for whoever may read the secret.
  if (!database.keyArn) return [read];
  return [
    read,
    {
      Sid: "DecryptDatabaseSecret",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: database.keyArn,
      // Only Secrets Manager may use the key on the function's behalf.
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
    },
  ];
}
