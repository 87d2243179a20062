import { readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { Pool } from "pg";
import { measureColdStart, type ColdStart } from "../benchmarks/cold-start";
import { compareThroughput, type Throughput } from "../benchmarks/throughput";
import { warmCommandTime, type CommandTime } from "../benchmarks/command-time";
import { frozenClockPreload, iamSignInEnvironment } from "../benchmarks/iam-sign-in";
import { zipArchive } from "../benchmarks/zip-archive";
import { readDatabaseSettings } from "../lambdas/cupping/database-settings";
import { migrateDatabase } from "../lambdas/cupping/migrations";
import type { NewSession } from "../lambdas/cupping/session";
import {
  createParameters,
  pageParameters,
  sessionStatements,
} from "../lambdas/cupping/session-repository";
import { payloadV2Event } from "../tooling/local/http-adapter";
import { clientConfig, startPostgresCluster } from "../tooling/local/postgres-cluster";
import { bundleLambdas, type LambdaBundle } from "./bundle";

/** `npm run bench`: bundle size, cold start, and the handler's throughput next to raw pg running the same SQL. */

const seconds = Number(process.env.BENCH_SECONDS ?? 2);
/** Runs per row: this machine is shared and noisy, so each row reports the median run. */
const runs = Number(process.env.BENCH_RUNS ?? 3);
const concurrencies = [1, 8];
const coldStarts = 5;
const sizeTargetKb = 40;
const throughputTarget = 0.9;
const planTargetSeconds = 1.5;
const testTargetSeconds = 30;

const sampleSession: NewSession = {
  name: "Benchmark table",
  formName: "SCA",
  accountId: 1,
  userId: 2,
  cuppings: [
    {
      name: "Kenya AA",
      scores: { Aroma: 8.5, Flavor: 8.25, Acidity: 8.5 },
      overallScore: 87.5,
      descriptors: ["blackcurrant", "tomato"],
      defects: [],
      notes: "Bright",
      isSample: false,
    },
    {
      name: "Sumatra",
      scores: { Aroma: 7.5, Flavor: 7.75, Acidity: 6.5 },
      overallScore: 81,
      descriptors: ["cedar"],
      defects: ["earthy"],
      notes: null,
      isSample: true,
    },
  ],
};

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(2)} ms`;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const row = (cells: Array<string | number>, widths: number[]) =>
  cells.map((cell, index) => String(cell).padEnd(widths[index])).join("  ");

function printSizes(bundles: readonly LambdaBundle[]): void {
  console.log("\nBundles (minified, source maps beside them, AWS SDK v3 left to the runtime)");
  const widths = [34, 12, 12, 20];
  console.log(row(["entry", "minified", "zipped", "zipped with .map"], widths));
  for (const bundle of bundles) {
    const code = { name: path.basename(bundle.outfile), data: readFileSync(bundle.outfile) };
    const map = { name: `${code.name}.map`, data: readFileSync(`${bundle.outfile}.map`) };
    const zipped = zipArchive([code]).length;
    const verdict =
      bundle.lambda === "cupping" && bundle.entry === "handler"
        ? zipped <= sizeTargetKb * 1024
          ? `  (target ≤ ${sizeTargetKb} KB: met)`
          : `  (target ≤ ${sizeTargetKb} KB: MISSED)`
        : "";
    console.log(
      row(
        [
          `${bundle.lambda}/${bundle.entry}.js`,
          kb(code.data.length),
          kb(zipped),
          kb(zipArchive([code, map]).length),
        ],
        widths,
      ) + verdict,
    );
  }
}

function expectStatus(status: number) {
  return (result: APIGatewayProxyStructuredResultV2) => {
    if (result.statusCode !== status)
      throw new Error(`The handler answered ${result.statusCode}, not ${status}: ${result.body}`);
  };
}

/** How long the team waits: the offline plan and the whole test command, each next to its target. */
function printCommandTimes(): void {
  const [load] = os.loadavg();
  console.log(
    `\nCommands (wall time on this machine, warm: a first run fills the caches and is not counted; load average ${load.toFixed(1)} on ${os.cpus().length} cores as they start, and wall time grows with it, CPU time much less)`,
  );
  const verdict = ({ wallSeconds, cpuSeconds }: CommandTime, target: number) =>
    `${wallSeconds.toFixed(wallSeconds < 10 ? 2 : 1)} s  (target ≤ ${target} s: ${wallSeconds <= target ? "met" : "MISSED"})${cpuSeconds === undefined ? "" : `  CPU ${cpuSeconds.toFixed(1)} s`}`;
  console.log(
    `npm run plan -- dev (median of 3)  ${verdict(warmCommandTime("npm", ["run", "-s", "plan", "--", "dev"], 3), planTargetSeconds)}`,
  );
  // A median too: one run of npm test can land several seconds either side of its target on a machine whose speed drifts.
  console.log(
    `npm test (median of 3)             ${verdict(warmCommandTime("npm", ["test"], 3), testTargetSeconds)}`,
  );
}

async function main(): Promise<void> {
  printCommandTimes();
  const bundles = await bundleLambdas();
  printSizes(bundles);
  const handlerBundle = bundles.find(
    (bundle) => bundle.lambda === "cupping" && bundle.entry === "handler",
  );
  if (!handlerBundle) throw new Error("lambdas/cupping/handler.ts was not bundled");

  // TLS: the handler signs in as in AWS, with an IAM token over verify-full (benchmarks/iam-sign-in.ts).
  const cluster = await startPostgresCluster({ tls: true });
  const environment =
    (await cluster.createDatabase("cupping_bench"), cluster.environment("cupping_bench"));
  let rawPool: Pool | undefined;
  let bundled: { handler: Handler; closeDatabase(): Promise<void> } | undefined;
  try {
    await migrateDatabase(readDatabaseSettings(environment));
    const { environment: api, token } = await iamSignInEnvironment(
      cluster,
      "cupping_bench",
      "cupping_bench_api",
    );
    // Raw pg signs in as the handler does (the application role, over verify-full TLS) with its timeouts (PostgreSQL
    // arms a timer per statement for them), so the ratio is the handler's own cost: as the superuser, PostgreSQL
    // skips the privilege checks of each write, about 0.17 ms of a POST here.
    const { timeouts } = readDatabaseSettings(environment);
    const raw = new Pool({
      ...clientConfig(environment),
      user: api.PGUSER,
      password: token,
      ssl: { ca: readFileSync(cluster.certificatePath ?? ""), rejectUnauthorized: true },
      max: 10,
      statement_timeout: timeouts.statementMs,
      query_timeout: timeouts.queryMs,
    });
    raw.on("error", () => undefined);
    rawPool = raw;
    // A realistic table: reads find their session among many, each with two cuppings.
    for (let index = 0; index < 500; index += 1)
      await raw.query({ ...sessionStatements.create, values: createParameters(sampleSession) });
    const [{ id: someId }] = (
      await raw.query<{ id: number }>("SELECT id FROM sessions ORDER BY id LIMIT 1 OFFSET 250")
    ).rows;

    console.log(
      `\nCold start: a new Node ${process.version} process loads the bundle and answers GET /session/{id}, signing in as the application role with an IAM token it signs (median of ${coldStarts})`,
    );
    const starts: ColdStart[] = [];
    for (let run = 0; run < coldStarts; run += 1)
      starts.push(
        await measureColdStart(
          handlerBundle.outfile,
          payloadV2Event({ method: "GET", url: `/session/${someId}` }),
          { PATH: process.env.PATH, ...api, NODE_OPTIONS: `--require ${frozenClockPreload}` },
          200,
        ),
      );
    const load = median(starts.map((start) => start.loadMs));
    const first = median(starts.map((start) => start.firstRequestMs));
    console.log(
      `load ${ms(load)} + first request (settings, pool, connect, query) ${ms(first)} = ${ms(load + first)}`,
    );

    Object.assign(process.env, api);
    delete process.env.PGPASSWORD;
    require(frozenClockPreload);
    bundled = require(handlerBundle.outfile) as {
      handler: Handler;
      closeDatabase(): Promise<void>;
    };
    const handler = bundled.handler;
    // Events are built once, as API Gateway builds them outside the function; raw pg gets its parameters ready-made.
    const read = payloadV2Event({ method: "GET", url: `/session/${someId}` });
    const list = payloadV2Event({ method: "GET", url: "/session?limit=20" });
    const create = payloadV2Event({
      method: "POST",
      url: "/session",
      body: JSON.stringify(sampleSession),
      headers: { "content-type": "application/json" },
    });
    const scenarios: Array<{
      name: string;
      handler: () => Promise<unknown>;
      raw: () => Promise<unknown>;
    }> = [
      {
        name: "GET /session/{id}",
        handler: () => handler(read).then(expectStatus(200)),
        raw: () => raw.query({ ...sessionStatements.find, values: [someId] }),
      },
      {
        name: "GET /session?limit=20",
        handler: () => handler(list).then(expectStatus(200)),
        raw: () => raw.query({ ...sessionStatements.page, values: pageParameters({ limit: 20 }) }),
      },
      {
        name: "POST /session (2 cuppings)",
        handler: () => handler(create).then(expectStatus(201)),
        raw: () =>
          raw.query({ ...sessionStatements.create, values: createParameters(sampleSession) }),
      },
    ];

    console.log(
      `\nThroughput: the bundled handler in this process (IAM token signed once and kept) vs raw pg signed in as the same role, running the same prepared SQL with the same timeouts, both over TLS, ${seconds} s each (in turns) after a warm-up; median of ${runs} runs`,
    );
    const widths = [28, 12, 14, 10, 10, 14, 10, 10, 8];
    console.log(
      row(
        [
          "request",
          "concurrency",
          "handler req/s",
          "p50",
          "p99",
          "raw pg req/s",
          "p50",
          "p99",
          "ratio",
        ],
        widths,
      ),
    );
    const ratios: number[] = [];
    for (const concurrency of concurrencies) {
      for (const scenario of scenarios) {
        const options = { concurrency, seconds, warmUpSeconds: Math.min(1, seconds / 2) };
        const measured: Array<Record<"handler" | "raw", Throughput>> = [];
        for (let run = 0; run < runs; run += 1)
          measured.push(
            await compareThroughput({ handler: scenario.handler, raw: scenario.raw }, options),
          );
        const ratioOf = (result: Record<"handler" | "raw", Throughput>) =>
          result.handler.requestsPerSecond / result.raw.requestsPerSecond;
        // The run with the median ratio, so the row's figures belong together.
        const { handler: through, raw: direct } = [...measured].sort(
          (a, b) => ratioOf(a) - ratioOf(b),
        )[Math.floor(measured.length / 2)];
        const ratio = through.requestsPerSecond / direct.requestsPerSecond;
        ratios.push(ratio);
        console.log(
          row(
            [
              scenario.name,
              concurrency,
              through.requestsPerSecond.toFixed(0),
              ms(through.p50),
              ms(through.p99),
              direct.requestsPerSecond.toFixed(0),
              ms(direct.p50),
              ms(direct.p99),
              `${(ratio * 100).toFixed(1)}%`,
            ],
            widths,
          ),
        );
      }
    }
    const lowest = Math.min(...ratios);
    console.log(
      `\nLowest handler/raw ratio ${(lowest * 100).toFixed(1)}% (target ≥ ${throughputTarget * 100}% on every row: ${lowest >= throughputTarget ? "met" : "MISSED"})`,
    );
  } finally {
    await bundled?.closeDatabase();
    await rawPool?.end();
    await cluster.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(
    `npm run bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exitCode = 1;
});
