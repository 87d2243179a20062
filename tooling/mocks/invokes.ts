/** Answers to the provider functions (invokes) the program calls; any other invoke fails the run. */
export const mockAccountId = "123456789012";

type InvokeAnswer = (inputs: Record<string, unknown>, region: string) => Record<string, unknown>;

export const knownInvokes: Readonly<Record<string, InvokeAnswer>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: mockAccountId,
    arn: `arn:aws:iam::${mockAccountId}:user/offline-plan`,
    userId: "AIDAOFFLINEPLAN",
    id: mockAccountId,
  }),
  "aws:index/getRegion:getRegion": (_inputs, region) => ({
    name: region,
    region,
    id: region,
    endpoint: `ec2.${region}.amazonaws.com`,
  }),
  "aws:index/getPartition:getPartition": () => ({
    partition: "aws",
    dnsSuffix: "amazonaws.com",
    id: "aws",
    reverseDnsPrefix: "com.amazonaws",
  }),
  "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, region) => ({
    id: region,
    names: [`${region}a`, `${region}b`, `${region}c`],
    zoneIds: ["use1-az1", "use1-az2", "use1-az4"],
    state: "available",
  }),
};

export class UnknownInvokeError extends Error {
  constructor(token: string) {
    super(
      `the program called the provider function '${token}', which the mocks do not know: answer it in tooling/mocks/invokes.ts if the program really needs it`,
    );
    this.name = "UnknownInvokeError";
  }
}
