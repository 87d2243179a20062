/** The sample stacks' passphrase, stated in the README; real stacks change it before real secrets go in. */
const samplePassphrase = "cupping-sample-passphrase";

/**
 * A stack's passphrase for the tests that decrypt it: PULUMI_CONFIG_PASSPHRASE_<STACK>, else PULUMI_CONFIG_PASSPHRASE,
 * else the sample one.
 */
export function stackPassphrase(stack: string): string {
  const env = process.env;
  return (
    env[`PULUMI_CONFIG_PASSPHRASE_${stack.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`] ||
    env.PULUMI_CONFIG_PASSPHRASE ||
    samplePassphrase
  );
}
