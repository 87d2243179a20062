/**
 * Copies standard input to standard output with the stack's secrets removed, so a build log never shows them:
 *
 *   pulumi preview --stack dev 2>&1 | npm run -s preview:scrub -- --stack dev
 *
 * It reads all of its input before writing, because a secret split between two chunks would slip through a stream.
 * PULUMI_CONFIG_PASSPHRASE decrypts the stack file's secrets; see scripts/github/scrub.ts for what else goes.
 */
import { parseArgs } from "node:util";
import { cleanOutput } from "./github/preview-comment-body";
import { stackScrubber } from "./github/stack-secrets";

/** The scrubbed text of `input`, terminal codes removed first so none can hide a secret. */
export async function scrubOutput(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  input: AsyncIterable<string | Buffer>,
): Promise<string> {
  const { values } = parseArgs({
    args: [...argv],
    options: { stack: { type: "string" } },
    strict: true,
  });
  if (!values.stack)
    throw new Error("--stack <stack> is required: the stack whose secrets are removed");
  const scrub = stackScrubber({ stack: values.stack, env });
  const chunks: Buffer[] = [];
  for await (const chunk of input)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return `${scrub(cleanOutput(Buffer.concat(chunks).toString("utf8")))}\n`;
}

if (require.main === module) {
  scrubOutput(process.argv.slice(2), process.env, process.stdin).then(
    (text) => process.stdout.write(text),
    (error: unknown) => {
      // The output is withheld, not printed unscrubbed: the build log shows only why.
      console.error(`scrub-output: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
