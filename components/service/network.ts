import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { postgres } from "./postgres";

export interface ServiceNetworkArgs {
  /** An existing VPC; absent means the component creates one with two private subnets and no NAT gateway. */
  readonly vpcId?: string;
  /** Private subnets of `vpcId`, in at least two availability zones (ignored when the VPC is created here). */
  readonly privateSubnetIds: readonly string[];
  /** AWS region, for the Secrets Manager endpoint's service name. */
  readonly region: string;
  /**
   * A Secrets Manager interface endpoint, for a function that reads the database's master secret: in every private
   * subnet (highly available) or the first one only (cheaper).
   * @default none: no function reads a secret
   */
  readonly secretsEndpoint?: "every-subnet" | "one-subnet";
}

// Only used when the component creates the VPC: a /16 with one /20 private subnet per availability zone.
const vpcCidr = "10.40.0.0/16";
const subnetCidrs = ["10.40.0.0/20", "10.40.16.0/20"];
const https = 443;

/**
 * The service's network: the VPC and private subnets (given or created), and the security groups. The database
 * takes PostgreSQL connections only from the functions; the Secrets Manager interface endpoint, where there is one,
 * takes HTTPS only from the functions; the functions may only reach those. No NAT gateway: nothing here needs the internet.
 */
export class ServiceNetwork extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  public readonly functionSecurityGroupId: pulumi.Output<string>;
  public readonly databaseSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: ServiceNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pipelines:service:Network", name, {}, opts);
    const { vpcId, subnetIds } = args.vpcId
      ? { vpcId: pulumi.output(args.vpcId), subnetIds: pulumi.output([...args.privateSubnetIds]) }
      : this.createVpc(name);
    this.vpcId = vpcId;
    this.privateSubnetIds = subnetIds;

    const group = (role: string, description: string) =>
      new aws.ec2.SecurityGroup(
        `${name}-${role}`,
        { vpcId, description, tags: { Name: `${name}-${role}` } },
        { parent: this },
      );
    const functions = group(
      "functions",
      args.secretsEndpoint
        ? "Cupping service functions: no inbound; outbound to the database and the Secrets Manager endpoint only"
        : "Cupping service functions: no inbound; outbound to the database only",
    );
    const database = group(
      "database",
      "Cupping service database: PostgreSQL from the service functions only",
    );
    const endpoint = args.secretsEndpoint
      ? group(
          "secretsmanager-endpoint",
          "Secrets Manager endpoint: HTTPS from the service functions only",
        )
      : undefined;

    const rules: Array<{
      name: string;
      direction: "ingress" | "egress";
      group: aws.ec2.SecurityGroup;
      peer: aws.ec2.SecurityGroup;
      port: number;
      description: string;
    }> = [
      {
        name: "database-from-functions",
        direction: "ingress",
        group: database,
        peer: functions,
        port: postgres.port,
        description: "PostgreSQL from the service functions",
      },
      {
        name: "functions-to-database",
        direction: "egress",
        group: functions,
        peer: database,
        port: postgres.port,
        description: "PostgreSQL to the database",
      },
    ];
    if (endpoint)
      rules.push(
        {
          name: "endpoint-from-functions",
          direction: "ingress",
          group: endpoint,
          peer: functions,
          port: https,
          description: "HTTPS from the service functions",
        },
        {
          name: "functions-to-endpoint",
          direction: "egress",
          group: functions,
          peer: endpoint,
          port: https,
          description: "HTTPS to the Secrets Manager endpoint",
        },
      );
    for (const rule of rules) {
      const ruleArgs = {
        securityGroupId: rule.group.id,
        referencedSecurityGroupId: rule.peer.id,
        ipProtocol: "tcp",
        fromPort: rule.port,
        toPort: rule.port,
        description: rule.description,
      };
      if (rule.direction === "ingress")
        new aws.vpc.SecurityGroupIngressRule(`${name}-${rule.name}`, ruleArgs, { parent: this });
      else new aws.vpc.SecurityGroupEgressRule(`${name}-${rule.name}`, ruleArgs, { parent: this });
    }

    // The migrator reads the master secret through this endpoint: private subnets have no route to the internet.
    if (endpoint)
      new aws.ec2.VpcEndpoint(
        `${name}-secretsmanager`,
        {
          vpcId,
          serviceName: `com.amazonaws.${args.region}.secretsmanager`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds:
            args.secretsEndpoint === "every-subnet"
              ? subnetIds
              : subnetIds.apply((ids) => ids.slice(0, 1)),
          securityGroupIds: [endpoint.id],
          tags: { Name: `${name}-secretsmanager` },
        },
        { parent: this },
      );

    this.functionSecurityGroupId = functions.id;
    this.databaseSecurityGroupId = database.id;
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      functionSecurityGroupId: this.functionSecurityGroupId,
      databaseSecurityGroupId: this.databaseSecurityGroupId,
    });
  }

  // DNS support and hostnames are on so the interface endpoint's private DNS name resolves inside the VPC.
  private createVpc(name: string): {
    vpcId: pulumi.Output<string>;
    subnetIds: pulumi.Output<string[]>;
  } {
    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: vpcCidr,
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: { Name: `${name}-vpc` },
      },
      { parent: this },
    );
    const zones = aws.getAvailabilityZonesOutput({ state: "available" }, { parent: this });
    const subnets = subnetCidrs.map(
      (cidrBlock, index) =>
        new aws.ec2.Subnet(
          `${name}-private-${index + 1}`,
          {
            vpcId: vpc.id,
            cidrBlock,
            availabilityZone: zones.names[index],
            mapPublicIpOnLaunch: false,
            tags: { Name: `${name}-private-${index + 1}` },
          },
          { parent: this },
        ),
    );
    return { vpcId: vpc.id, subnetIds: pulumi.all(subnets.map((s) => s.id)) };
  }
}
