import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from "node:crypto";

/**
 * The Pulumi CLI's passphrase secrets provider: PBKDF2-HMAC-SHA256 (1,000,000 rounds) derives an AES-256-GCM key
 * from the passphrase and the stack's salt; values are `v1:<nonce>:<ciphertext+tag>` in base64.
 */
const iterations = 1_000_000;
const knownPlaintext = "pulumi";

export class WrongPassphraseError extends Error {
  constructor(where: string) {
    super(
      `incorrect passphrase: it does not decrypt ${where}; set PULUMI_CONFIG_PASSPHRASE to the passphrase the stack was encrypted with`,
    );
    this.name = "WrongPassphraseError";
  }
}

export class PassphraseCrypter {
  private constructor(
    private readonly key: Buffer,
    /** The `encryptionsalt` line for the stack file. */
    readonly encryptionSalt: string,
  ) {}

  /** A crypter for an existing stack, checked against the known value its salt carries. */
  static fromSalt(
    passphrase: string,
    encryptionSalt: string,
    where = "the stack's encryptionsalt",
  ): PassphraseCrypter {
    const match = /^v1:([A-Za-z0-9+/=]+):(v1:.+)$/.exec(encryptionSalt);
    if (!match)
      throw new Error(
        `malformed encryptionsalt "${encryptionSalt}": expected v1:<base64 salt>:v1:<nonce>:<ciphertext>`,
      );
    const crypter = new PassphraseCrypter(
      deriveKey(passphrase, Buffer.from(match[1], "base64")),
      encryptionSalt,
    );
    let check: string;
    try {
      check = crypter.decrypt(match[2]);
    } catch {
      throw new WrongPassphraseError(where);
    }
    if (check !== knownPlaintext) throw new WrongPassphraseError(where);
    return crypter;
  }

  /** A crypter with a fresh salt, for a new stack or a new passphrase. */
  static create(passphrase: string): PassphraseCrypter {
    const salt = randomBytes(8);
    const key = deriveKey(passphrase, salt);
    const encryptionSalt = `v1:${salt.toString("base64")}:${encryptWith(key, knownPlaintext)}`;
    return new PassphraseCrypter(key, encryptionSalt);
  }

  encrypt(plaintext: string): string {
    return encryptWith(this.key, plaintext);
  }

  decrypt(ciphertext: string): string {
    const match = /^v1:([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(ciphertext);
    if (!match)
      throw new Error(`malformed secure value: expected v1:<base64 nonce>:<base64 ciphertext>`);
    const nonce = Buffer.from(match[1], "base64");
    const sealed = Buffer.from(match[2], "base64");
    if (nonce.length !== 12 || sealed.length < 16)
      throw new Error("malformed secure value: wrong nonce or ciphertext length");
    const decipher = createDecipheriv("aes-256-gcm", this.key, nonce);
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - 16)),
      decipher.final(),
    ]).toString("utf8");
  }
}

// Deriving a key is deliberately slow (a million rounds), so a process derives each passphrase and salt pair once.
const derivedKeys = new Map<string, Buffer>();

function deriveKey(passphrase: string, salt: Buffer): Buffer {
  const id = `${salt.toString("base64")}:${passphrase}`;
  let key = derivedKeys.get(id);
  if (!key) {
    key = pbkdf2Sync(passphrase, salt, iterations, 32, "sha256");
    derivedKeys.set(id, key);
  }
  return key;
}

function encryptWith(key: Buffer, plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const sealed = Buffer.concat([
    cipher.update(plaintext, "utf8"),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}
