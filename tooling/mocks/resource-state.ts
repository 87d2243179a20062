import * as pulumi from "@pulumi/pulumi";
import { mockAccountId } from "./invokes";

/** A value wrapped the way the engine marks secrets. */
export const engineSecret = (value: unknown) => ({
  [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
  value,
});

/** A plausible ARN for a mocked resource, from its type token (aws:<service>/<kind>:<Type>). */
function arnFor(type: string, name: string, region: string): string {
  const [, module = "aws"] = /^aws:([a-z0-9]+)\//.exec(type) ?? [];
  const service =
    (
      {
        cloudwatch: "logs",
        codestarconnections: "codestar-connections",
        apigatewayv2: "apigateway",
        codestarnotifications: "codestar-notifications",
      } as Record<string, string>
    )[module] ?? module;
  const kind = type.split(":").pop()!.toLowerCase();
  // Lambda separates the resource type with a colon, as AWS writes function ARNs.
  if (type === "aws:lambda/function:Function")
    return `arn:aws:lambda:${region}:${mockAccountId}:function:${name}`;
  return `arn:aws:${service}:${["iam", "s3"].includes(service) ? "" : region}:${["s3"].includes(service) ? "" : mockAccountId}:${kind}/${name}`;
}

/**
 * Outputs the provider would compute, for the resource types whose computed outputs the program reads.
 * Everything else echoes its inputs, as the engine does for inputs a provider keeps.
 */
export function computedState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  region: string,
): { id: string; state: Record<string, unknown> } {
  const physicalName = String(inputs.name ?? inputs.bucket ?? name);
  const id = type.startsWith("aws:ec2/")
    ? `${type.split(":").pop()!.toLowerCase()}-${name}`
    : physicalName;
  const arn = arnFor(type, physicalName, region);
  const base = { ...inputs, arn, name: inputs.name ?? physicalName };
  const extra: Record<string, Record<string, unknown>> = {
    "aws:s3/bucket:Bucket": {
      bucket: physicalName,
      arn: `arn:aws:s3:::${physicalName}`,
      bucketDomainName: `${physicalName}.s3.amazonaws.com`,
    },
    "aws:kms/key:Key": {
      keyId: `key-${name}`,
      arn: `arn:aws:kms:${region}:${mockAccountId}:key/key-${name}`,
    },
    "aws:codepipeline/webhook:Webhook": { url: `https://${region}.webhooks.aws/trigger?t=${name}` },
    "aws:codebuild/project:Project": {
      badgeUrl: `https://codebuild.${region}.amazonaws.com/badges?uuid=${name}&branch=main`,
    },
    "aws:codebuild/webhook:Webhook": {
      url: `https://codebuild.${region}.amazonaws.com/webhooks?t=${name}`,
      payloadUrl: `https://codebuild.${region}.amazonaws.com/webhooks?t=${name}`,
    },
    "aws:apigatewayv2/api:Api": {
      apiEndpoint: `https://${name}.execute-api.${region}.amazonaws.com`,
      executionArn: `arn:aws:execute-api:${region}:${mockAccountId}:${name}`,
    },
    // The $default stage is served from the API's root URL, as API Gateway reports it.
    "aws:apigatewayv2/stage:Stage": {
      invokeUrl: `https://${String(inputs.apiId ?? "api")}.execute-api.${region}.amazonaws.com/${inputs.name === undefined || inputs.name === "$default" ? "" : String(inputs.name)}`,
    },
    "aws:lambda/function:Function": {
      invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
      qualifiedArn: `${arn}:1`,
      version: "1",
    },
    "aws:lambda/alias:Alias": {
      invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${mockAccountId}:function:${String(inputs.functionName)}:${String(inputs.name)}/invocations`,
    },
    "aws:rds/instance:Instance": {
      identifier: inputs.identifier ?? physicalName,
      address: `${physicalName}.abc123.${region}.rds.amazonaws.com`,
      endpoint: `${physicalName}.abc123.${region}.rds.amazonaws.com:5432`,
      port: inputs.port ?? 5432,
      // RDS's DbiResourceId: random, as in AWS, so nothing can guess it from the name.
      resourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXY2",
      masterUserSecrets: inputs.manageMasterUserPassword
        ? [
            {
              secretArn: `arn:aws:secretsmanager:${region}:${mockAccountId}:secret:rds!${name}`,
              secretStatus: "active",
              kmsKeyId: "",
            },
          ]
        : [],
    },
    "aws:rds/cluster:Cluster": {
      clusterIdentifier: inputs.clusterIdentifier ?? physicalName,
      endpoint: `${physicalName}.cluster-abc123.${region}.rds.amazonaws.com`,
      port: inputs.port ?? 5432,
      engineVersion: inputs.engineVersion,
      // Aurora's cluster resource id: random, as in AWS.
      clusterResourceId: "cluster-ABCDEFGHIJKLMNOPQRSTUVWXY2",
      masterUserSecrets: inputs.manageMasterUserPassword
        ? [
            {
              secretArn: `arn:aws:secretsmanager:${region}:${mockAccountId}:secret:rds!${name}`,
              secretStatus: "active",
              kmsKeyId: "",
            },
          ]
        : [],
    },
    "aws:codestarconnections/connection:Connection": { connectionStatus: "PENDING" },
    // ARNs in the form each service documents, so a policy evaluator accepts them as the resource types they are.
    "aws:cloudwatch/logGroup:LogGroup": {
      arn: `arn:aws:logs:${region}:${mockAccountId}:log-group:${physicalName}`,
    },
    "aws:secretsmanager/secret:Secret": {
      arn: `arn:aws:secretsmanager:${region}:${mockAccountId}:secret:${physicalName}`,
    },
    // IAM ARNs carry the role's or policy's path.
    "aws:iam/role:Role": {
      arn: `arn:aws:iam::${mockAccountId}:role${String(inputs.path ?? "/")}${physicalName}`,
    },
    // An OIDC provider's ARN names its issuer's host, one provider per issuer and account.
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
      arn: `arn:aws:iam::${mockAccountId}:oidc-provider/${String(inputs.url ?? "").replace(/^https:\/\//, "")}`,
    },
    "aws:iam/policy:Policy": {
      arn: `arn:aws:iam::${mockAccountId}:policy${String(inputs.path ?? "/")}${physicalName}`,
    },
    "aws:sns/topic:Topic": { arn: `arn:aws:sns:${region}:${mockAccountId}:${physicalName}` },
    "aws:sqs/queue:Queue": {
      arn: `arn:aws:sqs:${region}:${mockAccountId}:${physicalName}`,
      url: `https://sqs.${region}.amazonaws.com/${mockAccountId}/${physicalName}`,
    },
    "aws:ec2/vpc:Vpc": { cidrBlock: inputs.cidrBlock ?? "10.0.0.0/16" },
    "aws:codeartifact/domain:Domain": { owner: mockAccountId },
    "aws:codeartifact/repository:Repository": { domainOwner: mockAccountId },
    "random:index/randomPassword:RandomPassword": {
      result: engineSecret(`random-${name}-0123456789abcdef`),
    },
    "random:index/randomString:RandomString": {
      result: `random${name.replace(/[^A-Za-z0-9]/g, "")}`,
    },
  };
  return { id, state: { ...base, ...(extra[type] ?? {}) } };
}
