/**
 * `<package>/reference`: every function added with `create-interop-module add`, in plain TypeScript. It is
 * the pure kind's implementation, and for the other kinds the oracle their tests hold the backend equal
 * to and their bench times beside it. `add` writes an export per function between the markers below.
 */
// create-interop-module add: functions start
// create-interop-module add: functions end
export {};
