import { strict as assert } from "node:assert";
import { PassphraseCrypter, WrongPassphraseError } from "../../stacks/passphrase";

// Pulumi's own round-trip vector for the passphrase secrets provider.
const vector = {
  passphrase: "TestConfigRoundtripComments",
  salt: "v1:ThS5UPxP9qc=:v1:UZYAXF+ylaJ0rGhv:9OTvBnOEDFgxs7btjzSu+LZ470vLpg==",
  value: "v1:T1ftqhY0hqr+EJK6:+jvd5PMecFx80tcavzuZY4tLatgIfoe/xR72GA==",
};

describe("passphrase secrets provider", () => {
  it("decrypts Pulumi's own test vector", () => {
    assert.equal(
      PassphraseCrypter.fromSalt(vector.passphrase, vector.salt).decrypt(vector.value),
      "secret-value",
    );
  });

  it("round-trips a value through a fresh salt, and the salt opens again with the same passphrase", () => {
    const crypter = PassphraseCrypter.create("new passphrase");
    const ciphertext = crypter.encrypt("hooks.slack.com/services/x");
    assert.match(ciphertext, /^v1:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]+$/);
    assert.notEqual(
      crypter.encrypt("same"),
      crypter.encrypt("same"),
      "every value gets its own nonce",
    );
    assert.equal(
      PassphraseCrypter.fromSalt("new passphrase", crypter.encryptionSalt).decrypt(ciphertext),
      "hooks.slack.com/services/x",
    );
  });

  it("says plainly when the passphrase is wrong", () => {
    assert.throws(
      () => PassphraseCrypter.fromSalt("not the passphrase", vector.salt, "Pulumi.dev.yaml"),
      (error: Error) => {
        assert.ok(error instanceof WrongPassphraseError);
        assert.match(
          error.message,
          /incorrect passphrase.*Pulumi\.dev\.yaml.*PULUMI_CONFIG_PASSPHRASE/,
        );
        return true;
      },
    );
  });

  it("rejects a malformed salt and a tampered value", () => {
    assert.throws(() => PassphraseCrypter.fromSalt("x", "v2:nope"), /malformed encryptionsalt/);
    const crypter = PassphraseCrypter.fromSalt(vector.passphrase, vector.salt);
    const tampered = vector.value.replace(/.{4}==$/, "AAAA==");
    assert.throws(() => crypter.decrypt(tampered));
    assert.throws(() => crypter.decrypt("plain"), /malformed secure value/);
  });
});
