//! The functions added with `create-interop-module add`: each one's body in its own file
//! (`src/functions/<name>.rs`, yours to replace), and here its napi export, which runs it under the
//! panic guard, offloaded to libuv's pool or on the calling thread. lib/functions/<name>.ts wraps
//! each export for JavaScript. `add` writes between the markers below.

// create-interop-module add: functions start
// create-interop-module add: functions end
