import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PassphraseCrypter } from "../../stacks/passphrase";
import { environmentSecrets, scrubber } from "./scrub";

/** Every `secure:` value in a stack file's config, wherever it is nested. */
function secureValues(node: unknown): string[] {
  if (typeof node !== "object" || node === null) return [];
  const secure = (node as { secure?: unknown }).secure;
  if (typeof secure === "string") return [secure];
  return Object.values(node).flatMap(secureValues);
}

/**
 * The decrypted secret config values of a stack file, and the passphrase itself. Without a passphrase there is nothing
 * to decrypt (and a preview could not have decrypted anything either); a wrong one is an error, so nothing is posted.
 */
export function stackFileSecrets(stackFile: string, passphrase: string | undefined): string[] {
  if (!passphrase) return [];
  if (!existsSync(stackFile)) return [passphrase];
  const name = path.basename(stackFile);
  const doc = (parse(readFileSync(stackFile, "utf8")) ?? {}) as {
    encryptionsalt?: unknown;
    config?: unknown;
  };
  const secure = secureValues(doc.config);
  if (secure.length === 0) return [passphrase];
  if (typeof doc.encryptionsalt !== "string")
    throw new Error(
      `${name} holds secure values but no encryptionsalt, so its secrets cannot be scrubbed`,
    );
  const crypter = PassphraseCrypter.fromSalt(passphrase, doc.encryptionsalt, name);
  return [passphrase, ...secure.map((value) => crypter.decrypt(value))];
}

/** Where the scrubber finds a stack's secrets. */
export interface StackScrubberArgs {
  /** The stack whose Pulumi.<stack>.yaml holds the secrets. */
  readonly stack: string;
  /** Environment with PULUMI_CONFIG_PASSPHRASE and the tokens to remove. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Directory of the stack files. @default the working directory */
  readonly root?: string;
}

/** The scrubber for what a stack's preview printed: its config secrets, the passphrase, the environment's tokens, credential shapes. */
export function stackScrubber(args: StackScrubberArgs): (text: string) => string {
  const env = args.env ?? process.env;
  const stackFile = path.resolve(
    args.root ?? process.cwd(),
    `Pulumi.${args.stack.split("/").pop()}.yaml`,
  );
  return scrubber([
    ...stackFileSecrets(stackFile, env.PULUMI_CONFIG_PASSPHRASE),
    ...environmentSecrets(env),
  ]);
}
