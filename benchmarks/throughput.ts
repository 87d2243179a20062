import { performance } from "node:perf_hooks";

/** What a load run measured. */
export interface Throughput {
  readonly requests: number;
  readonly requestsPerSecond: number;
  /** Latencies in milliseconds. */
  readonly p50: number;
  readonly p99: number;
}

export interface LoadOptions {
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Measured time for each contender. */
  readonly seconds: number;
  /** Unmeasured running first, so connections, prepared statements and the JIT are warm. */
  readonly warmUpSeconds: number;
}

/** How long each contender runs before the other takes over. */
const sliceSeconds = 0.25;

/**
 * Loads each contender from `concurrency` loops and measures each call. The two take turns in short slices, so a
 * change in the machine's load (other processes, autovacuum, a growing table) falls on both alike.
 */
export async function compareThroughput<Name extends string>(
  contenders: Readonly<Record<Name, () => Promise<unknown>>>,
  options: LoadOptions,
): Promise<Record<Name, Throughput>> {
  const names = Object.keys(contenders) as Name[];
  for (const name of names) await run(contenders[name], options.concurrency, options.warmUpSeconds);
  const measured = new Map(names.map((name) => [name, { latencies: [] as number[], seconds: 0 }]));
  for (let elapsed = 0; elapsed < options.seconds; elapsed += sliceSeconds) {
    for (const name of names) {
      const started = performance.now();
      const latencies = await run(contenders[name], options.concurrency, sliceSeconds);
      const totals = measured.get(name);
      totals?.latencies.push(...latencies);
      if (totals) totals.seconds += (performance.now() - started) / 1000;
    }
  }
  return Object.fromEntries(
    names.map((name) => [name, summary(measured.get(name) ?? { latencies: [], seconds: 1 })]),
  ) as Record<Name, Throughput>;
}

function summary({ latencies, seconds }: { latencies: number[]; seconds: number }): Throughput {
  latencies.sort((a, b) => a - b);
  const percentile = (share: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))] ?? Number.NaN;
  return {
    requests: latencies.length,
    requestsPerSecond: latencies.length / seconds,
    p50: percentile(0.5),
    p99: percentile(0.99),
  };
}

async function run(
  request: () => Promise<unknown>,
  concurrency: number,
  seconds: number,
): Promise<number[]> {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const loop = async () => {
    while (performance.now() < until) {
      const sent = performance.now();
      await request();
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return latencies;
}
