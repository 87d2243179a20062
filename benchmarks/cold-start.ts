import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { APIGatewayProxyEventV2 } from "aws-lambda";

/** A new Node process's first request to a bundled handler, in milliseconds. */
export interface ColdStart {
  /** require() of the bundle: reading, compiling and running its top level. */
  readonly loadMs: number;
  /** The first invocation: settings, pool, connection, authentication and the query. */
  readonly firstRequestMs: number;
}

// Runs in the new process: times the require and the first invocation, then exits without waiting for idle connections.
const probe = `
const { performance } = require("node:perf_hooks");
const started = performance.now();
const { handler } = require(process.argv[1]);
const loaded = performance.now();
handler(JSON.parse(process.argv[2])).then((result) => {
  const answered = performance.now();
  process.stdout.write(JSON.stringify({ status: result.statusCode, loadMs: loaded - started, firstRequestMs: answered - loaded }));
  process.exit(0);
}, (error) => { console.error(error); process.exit(1); });
`;

/** Starts a fresh process that loads the bundle and answers one event; fails unless the answer is `expectedStatus`. */
export async function measureColdStart(
  bundlePath: string,
  event: APIGatewayProxyEventV2,
  environment: Readonly<Record<string, string | undefined>>,
  expectedStatus: number,
): Promise<ColdStart> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["-e", probe, bundlePath, JSON.stringify(event)],
    { env: { ...environment } },
  );
  const measured = JSON.parse(stdout) as ColdStart & { status: number };
  if (measured.status !== expectedStatus)
    throw new Error(`The cold-started handler answered ${measured.status}, not ${expectedStatus}`);
  return { loadMs: measured.loadMs, firstRequestMs: measured.firstRequestMs };
}
