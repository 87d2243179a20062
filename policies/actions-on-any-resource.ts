/**
 * IAM actions an Allow statement may grant on Resource "*". Anything else must name the resources it acts on.
 * Each entry says why; add one only with the AWS Service Authorization Reference (or the service's own docs) as the reason.
 */
export interface ActionOnAnyResource {
  readonly action: string;
  readonly why: string;
}

// The Service Authorization Reference lists no resource type for these actions: Resource must be "*".
const noResourceTypes =
  'the Service Authorization Reference lists no resource type for it, so Resource must be "*"';

/** What API Gateway's "Configuring logging for an HTTP API" asks for on "*" to turn on an HTTP API's access logs. */
export const httpApiLogDeliveryActions = [
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
] as const;

export const actionsOnAnyResource: readonly ActionOnAnyResource[] = [
  { action: "sts:GetCallerIdentity", why: noResourceTypes },
  {
    action: "sts:GetServiceBearerToken",
    why: `${noResourceTypes} (CodeArtifact sign-in; narrow it with the sts:AWSServiceName condition)`,
  },
  {
    action: "ecr:GetAuthorizationToken",
    why: `${noResourceTypes} (registry sign-in for the build image)`,
  },
  { action: "xray:PutTraceSegments", why: `${noResourceTypes} (Lambda tracing)` },
  { action: "xray:PutTelemetryRecords", why: `${noResourceTypes} (Lambda tracing)` },
  {
    action: "cloudwatch:PutMetricData",
    why: `${noResourceTypes}; narrow it with the cloudwatch:namespace condition`,
  },
  { action: "codebuild:ListProjects", why: noResourceTypes },
  { action: "ssm:DescribeParameters", why: noResourceTypes },
  { action: "secretsmanager:GetRandomPassword", why: noResourceTypes },
  {
    action: "ec2:DescribeNetworkInterfaces",
    why: `${noResourceTypes}; Lambda and CodeBuild in a VPC need it`,
  },
  {
    action: "ec2:DescribeSubnets",
    why: `${noResourceTypes}; Lambda and CodeBuild in a VPC need it`,
  },
  { action: "ec2:DescribeSecurityGroups", why: `${noResourceTypes}; CodeBuild in a VPC needs it` },
  { action: "ec2:DescribeVpcs", why: `${noResourceTypes}; CodeBuild in a VPC needs it` },
  { action: "ec2:DescribeDhcpOptions", why: `${noResourceTypes}; CodeBuild in a VPC needs it` },
  {
    action: "tag:GetResources",
    why: `${noResourceTypes}; the review teardown finds what still carries a stack's tag with it`,
  },
  {
    action: "ec2:DescribeAvailabilityZones",
    why: `${noResourceTypes}; the program's getAvailabilityZones call makes it`,
  },
  {
    action: "ec2:Describe*",
    why: "EC2's Describe actions support no resource-level permissions; the Deploy stage's pulumi up reads the VPCs, subnets, endpoints and security groups it manages",
  },
  {
    action: "kms:CreateKey",
    why: `${noResourceTypes} (the key has no ARN before it exists); the Deploy stage creates the stack's keys`,
  },
  ...httpApiLogDeliveryActions.map((action) => ({
    action,
    why: `${noResourceTypes}; API Gateway's "Configuring logging for an HTTP API" asks for it on "*" to turn on access logs`,
  })),
  // These support resource-level permissions, but Lambda creates its VPC network interfaces before their ids exist.
  {
    action: "ec2:CreateNetworkInterface",
    why: 'AWSLambdaVPCAccessExecutionRole grants it on "*": Lambda and CodeBuild create VPC network interfaces whose ids do not exist yet',
  },
  {
    action: "ec2:DeleteNetworkInterface",
    why: 'AWSLambdaVPCAccessExecutionRole grants it on "*": the network interfaces Lambda and CodeBuild delete are ones they created',
  },
  {
    action: "ec2:AssignPrivateIpAddresses",
    why: 'AWSLambdaVPCAccessExecutionRole grants it on "*" for Lambda\'s own network interfaces',
  },
  {
    action: "ec2:UnassignPrivateIpAddresses",
    why: 'AWSLambdaVPCAccessExecutionRole grants it on "*" for Lambda\'s own network interfaces',
  },
];

/** Whether `action` may be granted on Resource "*"; IAM action names are case-insensitive. */
export function mayActOnAnyResource(action: string, extraActions: readonly string[] = []): boolean {
  const wanted = action.toLowerCase();
  return [...actionsOnAnyResource.map((entry) => entry.action), ...extraActions].some(
    (allowed) => allowed.toLowerCase() === wanted,
  );
}
