import { strict as assert } from "node:assert";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { X509Certificate } from "node:crypto";
import * as os from "node:os";
import * as path from "node:path";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { zipArchive } from "../../benchmarks/zip-archive";
import { bundleLambdas, type LambdaBundle } from "../../scripts/bundle";
import { payloadV2Event } from "../../tooling/local/http-adapter";
import { testPostgresCluster } from "../support/postgres";
import { captureLogs, cuppingDatabase, replaceServiceEnvironment } from "./cupping-service";

const projectRoot = path.resolve(__dirname, "../..");

interface BundledCupping {
  handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2>;
  closeDatabase(): Promise<void>;
}

describe("cupping service: the Lambda bundles (npm run bundle)", () => {
  let outDir: string;
  let bundles: LambdaBundle[];
  const bundle = (lambda: string, entry: string) =>
    bundles.find((candidate) => candidate.lambda === lambda && candidate.entry === entry);

  before(async () => {
    outDir = mkdtempSync(path.join(os.tmpdir(), "cupping-bundles-"));
    bundles = await bundleLambdas({ outDir });
  });
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it("bundles every function folder's handler.ts, and migrate-handler.ts where there is one, with a source map beside each", () => {
    const folders = readdirSync(path.join(projectRoot, "lambdas"), { withFileTypes: true }).filter(
      (entry) =>
        entry.isDirectory() &&
        existsSync(path.join(projectRoot, "lambdas", entry.name, "handler.ts")),
    );
    for (const folder of folders)
      assert.ok(bundle(folder.name, "handler"), `lambdas/${folder.name}/handler.ts is bundled`);
    assert.ok(bundle("cupping", "migrate-handler"));
    for (const { outfile } of bundles) {
      assert.equal(
        outfile,
        path.join(outDir, path.basename(path.dirname(outfile)), path.basename(outfile)),
      );
      assert.ok(existsSync(`${outfile}.map`), `${outfile}.map`);
      assert.match(readFileSync(outfile, "utf8"), /\/\/# sourceMappingURL=[\w-]+\.js\.map\s*$/);
    }
  });

  it("picks up a function folder it was never told about", async () => {
    const lambdasDir = mkdtempSync(path.join(os.tmpdir(), "cupping-new-lambda-"));
    try {
      mkdirSync(path.join(lambdasDir, "ping"));
      writeFileSync(
        path.join(lambdasDir, "ping", "handler.ts"),
        'export const handler = async (): Promise<string> => "pong";\n',
      );
      const [only] = await bundleLambdas({ lambdasDir, outDir: path.join(lambdasDir, "dist") });
      assert.deepEqual(
        { lambda: only.lambda, entry: only.entry },
        { lambda: "ping", entry: "handler" },
      );
      assert.equal(
        await (require(only.outfile) as { handler(): Promise<string> }).handler(),
        "pong",
      );
    } finally {
      rmSync(lambdasDir, { recursive: true, force: true });
    }
  });

  it("minifies, leaves the AWS SDK v3 to the runtime, and embeds the migrations' SQL", () => {
    const cupping = readFileSync(bundle("cupping", "handler")?.outfile ?? "", "utf8");
    assert.doesNotMatch(
      cupping,
      /exactScoresJson|withoutNegativeZero/,
      "local names are minified away",
    );
    assert.match(cupping, /require\("@aws-sdk\/client-secrets-manager"\)/);
    // The IAM token signer reads Lambda's credential variables itself; the SDK's provider chain (profiles, SSO, containers) stays out.
    assert.doesNotMatch(
      cupping,
      /fromNodeProviderChain|AWS_PROFILE|AWS_CONTAINER_CREDENTIALS|SignatureV4/,
      "no SDK credential or signing code is bundled",
    );
    const migrator = readFileSync(bundle("cupping", "migrate-handler")?.outfile ?? "", "utf8");
    assert.match(migrator, /CREATE TABLE sessions/);
    assert.match(migrator, /CREATE TABLE cuppings/);
  });

  it("puts the RDS certificate authorities beside the cupping functions, for PGSSLROOTCERT", () => {
    const pem = readFileSync(path.join(outDir, "cupping", "rds-ca-bundle.pem"), "utf8");
    const certificates = pem
      .split(/(?<=-----END CERTIFICATE-----)\n/)
      .filter((block) => block.includes("BEGIN CERTIFICATE"))
      .map((block) => new X509Certificate(block));
    assert.ok(certificates.length > 100, `${certificates.length} certificates`);
    assert.ok(
      certificates.every((certificate) => certificate.ca),
      "authorities only, no server certificate",
    );
    const names = certificates.map((certificate) => certificate.subject);
    for (const region of ["us-east-1", "eu-west-1"])
      assert.ok(
        names.some((name) => name.includes(`CN=Amazon RDS ${region} Root CA RSA2048 G1`)),
        region,
      );
    assert.equal(
      existsSync(path.join(outDir, "slack-notifier", "rds-ca-bundle.pem")),
      false,
      "only the functions that reach the database get it",
    );
  });

  it("keeps the cupping API's zipped bundle under 100 KB", () => {
    const outfile = bundle("cupping", "handler")?.outfile ?? "";
    const zipped = zipArchive([{ name: "handler.js", data: readFileSync(outfile) }]).length;
    assert.ok(zipped < 100 * 1024, `zipped handler.js is ${(zipped / 1024).toFixed(1)} KB`);
  });

  describe("run from the bundle folder alone, against PostgreSQL", () => {
    let restore: () => void;
    let bundled: BundledCupping;
    before(async () => {
      const cluster = await testPostgresCluster();
      await cluster.createDatabase("cupping_bundle");
      restore = replaceServiceEnvironment(cluster.environment("cupping_bundle"));
    });
    after(async () => {
      await bundled?.closeDatabase();
      restore();
    });

    it("migrates with the embedded SQL (no .sql file is near the bundle), then serves the API", async () => {
      const migrator = require(bundle("cupping", "migrate-handler")?.outfile ?? "") as {
        handler(): Promise<string[]>;
      };
      let applied: string[] = [];
      await captureLogs(async () => (applied = await migrator.handler()));
      assert.deepEqual(applied, ["0001-create-sessions", "0002-create-cuppings"]);
      bundled = require(bundle("cupping", "handler")?.outfile ?? "") as BundledCupping;
      const created = await bundled.handler(
        payloadV2Event({
          method: "POST",
          url: "/session",
          body: JSON.stringify({ name: "Bundled", formName: "SCA" }),
          headers: { "content-type": "application/json" },
        }),
      );
      assert.equal(created.statusCode, 201, created.body);
      const listed = await bundled.handler(payloadV2Event({ method: "GET", url: "/session" }));
      assert.equal((JSON.parse(listed.body ?? "{}") as { sessions: unknown[] }).sessions.length, 1);
      // The service's own database was not touched: this ran against cupping_bundle.
      assert.notEqual((await cuppingDatabase()).PGDATABASE, "cupping_bundle");
    });
  });
});
