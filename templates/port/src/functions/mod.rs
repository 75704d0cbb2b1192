//! The functions added with `create-interop-module add`: each one's body in its own file
//! (`src/functions/<name>.rs`, yours to replace), and here its handler, which reads the arguments
//! lib/functions/<name>.ts packed into the request and puts the result in the reply. `register`
//! serves them on the slow lane, as long cancellable calls. `add` writes between the markers below.

use interop_module::port::Port;

/// The port with a handler for every added function.
pub fn register(port: Port) -> Port {
    // create-interop-module add: handlers start
    // create-interop-module add: handlers end
    port
}

// create-interop-module add: functions start
// create-interop-module add: functions end
