import { existsSync, readdirSync } from "node:fs";
import Module from "node:module";
import * as path from "node:path";

/**
 * Loads parts of the Pulumi SDK, of the AWS provider and of zod on first use instead of at `require`: the SDK's
 * closure serializer (it loads the TypeScript compiler), code-path finder (npm's arborist), Automation API, gRPC
 * clients, tracing and version parsing, each of the AWS provider's ~250 service namespaces (in each installed copy of
 * the provider), and zod's 60 translations of its messages. A program run under mocks uses none of the SDK's parts
 * (the mocks stand in for the engine it talks to over gRPC), a dozen of the namespaces and no translation, and loading
 * them all took most of `npm run plan`'s start. Each part's module is put in Node's module cache before its package
 * asks for it, as a stand-in that loads the real module when a property is read (or, for modules whose exports the SDK
 * copies when it loads, when an export is called). Must be loaded before anything loads `@pulumi/pulumi`: it is the
 * mocks runner's first import and in mocha's `require` list.
 */

/** How a part stands in: `calls` for a module of functions its package copies when it loads, `reads` for a namespace. */
type StandIn = "calls" | "reads";

const packageRoot = (name: string, from?: string) =>
  path.dirname(require.resolve(`${name}/package.json`, from ? { paths: [from] } : undefined));
const sdkRoot = packageRoot("@pulumi/pulumi");
/** A package as the SDK resolves it (it may hold its own copy). */
const sdkDependency = (name: string) => require.resolve(name, { paths: [sdkRoot] });

/**
 * Every installed copy of the AWS provider: the program's, and the older one @pulumi/awsguard keeps for itself (the
 * policy pack loads it; its index loads every namespace, about 1,500 modules and a second of CPU). awsguard is a
 * development dependency, so an install without them has only the first.
 */
function awsProviderRoots(): string[] {
  const program = packageRoot("@pulumi/aws");
  let awsguard: string | undefined;
  try {
    awsguard = packageRoot("@pulumi/aws", packageRoot("@pulumi/awsguard"));
  } catch {
    awsguard = undefined;
  }
  return awsguard && awsguard !== program ? [program, awsguard] : [program];
}

/**
 * The index of each service namespace of a provider copy (`aws.iam`, `aws.s3`, ...); `types` stays, as the provider's
 * own modules read it.
 */
const serviceNamespaces = (awsRoot: string) =>
  readdirSync(awsRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== "types")
    .map((entry) => path.join(awsRoot, entry.name, "index.js"))
    .filter((file) => existsSync(file));

/** The modules loaded on first use, by file, with how each stands in. */
export const lazyModules: ReadonlyMap<string, StandIn> = new Map<string, StandIn>([
  [path.join(sdkRoot, "runtime/closure/serializeClosure.js"), "calls"],
  [path.join(sdkRoot, "runtime/closure/codePaths.js"), "calls"],
  [path.join(sdkRoot, "automation/index.js"), "reads"],
  [sdkDependency("@grpc/grpc-js"), "reads"],
  [sdkDependency("@opentelemetry/api"), "reads"],
  [sdkDependency("semver"), "reads"],
  ...["analyzer", "callback", "engine", "provider", "resource"].map(
    (service) => [path.join(sdkRoot, `proto/${service}_grpc_pb.js`), "reads"] as const,
  ),
  [require.resolve("zod/v4/locales/index.cjs"), "reads"],
  ...awsProviderRoots()
    .flatMap(serviceNamespaces)
    .map((file) => [file, "reads"] as const),
]);

const standIns = new WeakSet<object>();

/** Whether the real module behind a lazy one has been loaded (false while only its stand-in is there). */
export function realModuleLoaded(file: string): boolean {
  const cached = require.cache[file];
  return cached !== undefined && !standIns.has(cached.exports as object);
}

function standIn(file: string, kind: StandIn): object {
  let real: Record<PropertyKey, unknown> | undefined;
  const load = () => {
    if (!real) {
      delete require.cache[file];
      real = require(file) as Record<PropertyKey, unknown>;
    }
    return real;
  };
  const read =
    kind === "calls"
      ? (name: PropertyKey) =>
          (...args: unknown[]) =>
            (load()[name] as (...a: unknown[]) => unknown)(...args)
      : (name: PropertyKey) => load()[name];
  const proxy = new Proxy(
    {},
    {
      get: (_, name) => (name === "__esModule" ? true : read(name)),
      has: (_, name) => name in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, name) => {
        const descriptor = Object.getOwnPropertyDescriptor(load(), name);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
  standIns.add(proxy);
  return proxy;
}

for (const [file, kind] of lazyModules) {
  if (require.cache[file]) continue;
  const module = new Module(file);
  module.filename = file;
  module.loaded = true;
  module.exports = standIn(file, kind);
  require.cache[file] = module;
}
