import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Where the stack runs: ARNs and conditions are built from these. */
export interface Account {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** The account the provider's credentials belong to, in the stack's region. */
export function currentAccount(
  region: string,
  opts: pulumi.InvokeOutputOptions,
): pulumi.Output<Account> {
  return pulumi
    .all([aws.getCallerIdentityOutput({}, opts), aws.getPartitionOutput({}, opts)])
    .apply(([identity, partition]) => ({
      partition: partition.partition,
      region,
      accountId: identity.accountId,
    }));
}

/** ARN of an IAM entity (role/..., policy/...) of the account. */
export const iamArn = (account: Pick<Account, "partition" | "accountId">, resource: string) =>
  `arn:${account.partition}:iam::${account.accountId}:${resource}`;

/** ARN of a database user that IAM database authentication lets a role connect as (`rds-db:connect`). */
export const databaseUserArn = (account: Account, databaseResourceId: string, user: string) =>
  `arn:${account.partition}:rds-db:${account.region}:${account.accountId}:dbuser:${databaseResourceId}/${user}`;
