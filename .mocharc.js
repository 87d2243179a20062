// `npm run test:unit` runs the files in parallel (`--parallel`), one worker per core; `npx mocha <file>` runs serially.
const os = require("node:os");

// Every test process that builds an AWS SDK client would print that SDK releases from 2027 need Node 22; the tests run
// on Node 20 (the engines field), and the Lambda functions target a current Lambda runtime.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// Node 20 parses the certificates NODE_EXTRA_CA_CERTS names as each process starts: Debian's whole bundle made every
// start cost 0.14 s of CPU instead of 0.035, and a run starts about seventy. The tests reach only servers on
// 127.0.0.1, and trust no certificate from such a bundle.
delete process.env.NODE_EXTRA_CA_CERTS;

module.exports = {
  require: [
    "./tooling/register.js",
    "./tooling/mocks/lazy-sdk.ts",
    "./tests/support/run-folder.ts",
  ],
  extension: ["ts"],
  timeout: 60000,
  reporter: "mocha-multi-reporters",
  "reporter-option": ["configFile=tests/reporters.json"],
  exit: true,
  // Workers start with mocha's own V8 flags: `npm run test:unit` gives it a 64 MB young generation (package.json), on
  // its command line, since a "node-option" here makes mocha start a second process of itself to apply it.
  // At least two, so a 2-core machine runs two files at once (mocha's default leaves one core to itself).
  jobs: Math.max(2, os.availableParallelism()),
};
