/**
 * Sets an encrypted config value in a stack file the way `pulumi config set --secret` does, for machines without
 * the Pulumi CLI, and re-encrypts a stack file under a new passphrase.
 *
 *   echo -n VALUE | PULUMI_CONFIG_PASSPHRASE=... npm run secret -- <stack> <key>
 *   PULUMI_CONFIG_PASSPHRASE=old PULUMI_NEW_CONFIG_PASSPHRASE=new npm run secret -- <stack> --change-passphrase
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, parseDocument, type Document, type YAMLMap } from "yaml";
import { PassphraseCrypter } from "../stacks/passphrase";
import { unknownKeyProblems } from "../stacks/unknown-keys";

const project = "pipelines";

/** A key as the stack file stores it: project keys under the project's namespace, provider keys as given. */
const qualified = (key: string) => (key.includes(":") ? key : `${project}:${key}`);

/** The stack file as a YAML document that keeps its layout; a file that is not valid YAML is refused, by name. */
function parsedStackFile(text: string, where: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`${where}: ${doc.errors[0].message}`);
  return doc;
}

function stackCrypter(doc: Document, passphrase: string, where: string): PassphraseCrypter {
  const salt = doc.get("encryptionsalt");
  if (typeof salt === "string") return PassphraseCrypter.fromSalt(passphrase, salt, where);
  const crypter = PassphraseCrypter.create(passphrase);
  // The CLI writes the salt first; keep stack files looking the same either way.
  (doc.contents as YAMLMap).items.unshift(doc.createPair("encryptionsalt", crypter.encryptionSalt));
  return crypter;
}

/** The stack file text with `key` set to the encryption of `value`. */
export function setSecret(
  text: string,
  key: string,
  value: string,
  passphrase: string,
  where = "the stack file",
): string {
  if (value.length === 0)
    throw new Error("refusing to store an empty secret: pass the value on standard input");
  const fullKey = qualified(key);
  const [unknown] = unknownKeyProblems([fullKey], project);
  if (unknown) throw new Error(unknown);
  const doc = parsedStackFile(text, where);
  const crypter = stackCrypter(doc, passphrase, where);
  if (!doc.has("config")) doc.set("config", doc.createNode({}));
  doc.setIn(["config", fullKey], doc.createNode({ secure: crypter.encrypt(value) }));
  return doc.toString();
}

/** The key where a stack keeps its own passphrase for the Deploy stage and the previews; it follows the change. */
const passphraseKey = `${project}:pulumiConfigPassphrase`;

/** The stack file text with every secure value, and the salt, re-encrypted under a new passphrase. */
export function changePassphrase(
  text: string,
  oldPassphrase: string,
  newPassphrase: string,
  where = "the stack file",
): string {
  const doc = parsedStackFile(text, where);
  const salt = doc.get("encryptionsalt");
  if (typeof salt !== "string")
    throw new Error(`${where} has no encryptionsalt: there is nothing to re-encrypt`);
  const from = PassphraseCrypter.fromSalt(oldPassphrase, salt, where);
  const to = PassphraseCrypter.create(newPassphrase);
  doc.set("encryptionsalt", to.encryptionSalt);
  const config = doc.get("config");
  if (isMap(config)) {
    for (const pair of config.items) {
      const secure = isMap(pair.value) ? pair.value.get("secure", true) : undefined;
      if (!isScalar(secure) || typeof secure.value !== "string") continue;
      const plaintext =
        isScalar(pair.key) && pair.key.value === passphraseKey
          ? newPassphrase
          : from.decrypt(secure.value);
      secure.value = to.encrypt(plaintext);
    }
  }
  return doc.toString();
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: export the stack's passphrase in ${name}`);
  return value;
}

async function main(args: string[]): Promise<void> {
  const [stack, key] = args;
  if (!stack || !key)
    throw new Error(
      "usage: npm run secret -- <stack> <key>   (value on stdin)\n       npm run secret -- <stack> --change-passphrase",
    );
  const file = path.resolve(__dirname, "..", `Pulumi.${stack}.yaml`);
  if (!existsSync(file))
    throw new Error(
      `no stack file ${path.basename(file)}: create it first (copy Pulumi.dev.yaml and edit it)`,
    );
  const text = readFileSync(file, "utf8");
  const passphrase = requiredEnv("PULUMI_CONFIG_PASSPHRASE");
  if (key === "--change-passphrase") {
    writeFileSync(
      file,
      changePassphrase(
        text,
        passphrase,
        requiredEnv("PULUMI_NEW_CONFIG_PASSPHRASE"),
        path.basename(file),
      ),
    );
    console.log(`re-encrypted ${path.basename(file)} under the new passphrase`);
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const value = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
  writeFileSync(file, setSecret(text, key, value, passphrase, path.basename(file)));
  console.log(`set ${qualified(key)} (secure) in ${path.basename(file)}`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(`error: ${error.message}`);
    process.exit(1);
  });
}
