import { startRecordingServer, type RecordingServer, type Reply } from "./slack-server";

/** A stand-in for the RDS Query API's snapshot actions on 127.0.0.1, answering XML as RDS does. */
export interface RdsServer extends RecordingServer {
  /** The actions called, in order, with their parameters. */
  readonly calls: Array<{ action: string; parameters: Record<string, string> }>;
  /** Snapshots by name: what they are of, and how many describes answered "creating" so far. */
  readonly snapshots: Map<string, { kind: "instance" | "cluster"; of: string; polls: number }>;
}

const xml = (action: string, result: string): Reply => ({
  status: 200,
  headers: { "Content-Type": "text/xml" },
  body: `<${action}Response xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>7c1b2c1e-0000-4000-8000-000000000001</RequestId></ResponseMetadata></${action}Response>`,
});
const fault = (status: number, code: string, message: string): Reply => ({
  status,
  headers: { "Content-Type": "text/xml" },
  body: `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>7c1b2c1e-0000-4000-8000-000000000002</RequestId></ErrorResponse>`,
});

/** Snapshots start "creating" and are "available" from the `readyAfter`-th describe on. */
export async function startRdsServer(readyAfter = 1): Promise<RdsServer> {
  const calls: RdsServer["calls"] = [];
  const snapshots: RdsServer["snapshots"] = new Map();
  const kinds = {
    instance: { element: "DBSnapshot", name: "DBSnapshotIdentifier", of: "DBInstanceIdentifier" },
    cluster: {
      element: "DBClusterSnapshot",
      name: "DBClusterSnapshotIdentifier",
      of: "DBClusterIdentifier",
    },
  } as const;
  const describe = (name: string, status: string) => {
    const snapshot = snapshots.get(name)!;
    const kind = kinds[snapshot.kind];
    return `<${kind.element}><${kind.name}>${name}</${kind.name}><${kind.of}>${snapshot.of}</${kind.of}><SnapshotType>manual</SnapshotType><Status>${status}</Status></${kind.element}>`;
  };
  const server = await startRecordingServer((request): Reply => {
    const parameters = Object.fromEntries(new URLSearchParams(request.body));
    const action = parameters.Action ?? "";
    calls.push({ action, parameters });
    const kindOf = action.includes("Cluster") ? "cluster" : "instance";
    const kind = kinds[kindOf];
    const name = parameters[kind.name];
    if (action === "CreateDBSnapshot" || action === "CreateDBClusterSnapshot") {
      if (!parameters[kind.of])
        return fault(400, "InvalidParameterValue", `${kind.of} is required`);
      if (snapshots.has(name))
        // The codes the RDS API reference documents for each action.
        return fault(
          400,
          kindOf === "cluster" ? "DBClusterSnapshotAlreadyExistsFault" : "DBSnapshotAlreadyExists",
          `${name} already exists`,
        );
      snapshots.set(name, { kind: kindOf, of: parameters[kind.of], polls: 0 });
      return xml(action, describe(name, "creating"));
    }
    if (action === "DescribeDBSnapshots" || action === "DescribeDBClusterSnapshots") {
      const snapshot = snapshots.get(name);
      if (!snapshot) return fault(404, `${kind.element}NotFoundFault`, `${name} not found`);
      snapshot.polls += 1;
      const status = snapshot.polls > readyAfter ? "available" : "creating";
      return xml(action, `<${kind.element}s>${describe(name, status)}</${kind.element}s>`);
    }
    return fault(400, "InvalidAction", `${action} is not served here`);
  });
  return Object.assign(server, { calls, snapshots });
}
