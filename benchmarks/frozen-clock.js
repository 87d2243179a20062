// Preloaded by `npm run bench` (node --require): `new Date()` and `Date.now()` answer BENCH_FROZEN_CLOCK, so the API's
// locally signed IAM token is the one the bench's stand-in for RDS accepts. Timing uses performance.now(), not Date.
"use strict";
const frozen = Date.parse(process.env.BENCH_FROZEN_CLOCK ?? "");
if (!Number.isNaN(frozen)) {
  const RealDate = Date;
  class FrozenDate extends RealDate {
    constructor(...args) {
      super(...(args.length === 0 ? [frozen] : args));
    }
    static now() {
      return frozen;
    }
  }
  globalThis.Date = FrozenDate;
}
