//! The functions added with `create-interop-module add`: each one's body in its own file
//! (`src/functions/<name>.rs`, yours to replace), and here its export, which reads the arguments
//! lib/abi.ts packed into one input and returns its result (a number) or leaves it with
//! `write_result` (bytes, a string). A panic, or an error from the body, traps: ERR_WASM_TRAP, and
//! the next call gets a fresh instance. `add` writes between the markers below.

// create-interop-module add: functions start
// create-interop-module add: functions end
