//! The port's side of `@interop-module/runtime/port` (feature `port`): a child process that serves
//! its Node parent over stdin/stdout. A port's `main` registers its handlers and serves:
//!
//! ```ignore
//! use interop_module::port::{Lane, Port};
//!
//! fn main() {
//!     Port::new()
//!         .handle("hash", Lane::Fast, |body, _cancel| Ok(sha256(body).to_vec()))
//!         .handle("deriveKey", Lane::Slow, |body, cancel| derive_key(body, cancel))
//!         .serve()
//! }
//! ```
//!
//! The main thread reads and dispatches (wire.rs has the encoding); handlers run on two pools, so a
//! slow call never delays a fast one, each under the panic guard: a panic is an `ERR_NATIVE_PANIC`
//! reply and the process lives on. A cancel frame sets the call's [`CancelFlag`]. Replies go through
//! one buffered stdout: the reading thread writes what it answers in place and flushes before it
//! waits for input; a writer thread sends what the pools produce, batching. The process exits on
//! stdin EOF, and on Linux the kernel kills it when its parent dies (PR_SET_PDEATHSIG), so it is
//! never orphaned.

#[cfg(feature = "crash-tests")]
mod crash;
mod process;
mod reader;
mod resource;
mod server;
mod wire;

use std::collections::HashMap;
use std::sync::Arc;
use std::thread;

use crate::{CancelFlag, Error};

pub use resource::{ResourceOperation, TOKEN_BYTES};

/// The exit status when the stream from the parent is corrupt (a frame over the limit, a malformed
/// request, input cut off mid-frame); the reason goes to stderr.
pub const EXIT_BAD_STREAM: i32 = 2;

/// The contract's largest input (64 MiB of data) plus room for a request head. The parent never
/// sends more, so a larger header means the stream is corrupt: the port exits rather than allocate.
pub const DEFAULT_MAX_REQUEST_BYTES: usize = 64 * 1024 * 1024 + 1024;

/// Which pool runs a handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    /// Short calls. Default size: one thread per core.
    Fast = 0,
    /// Long, cancellable calls. Default size: one thread fewer than the cores (at least one), so a
    /// core stays free for the parent's event loop.
    Slow = 1,
}

/// What a handler gets: the call's body and its cancellation flag (set by a cancel frame). What it
/// returns is the reply: a body, or a coded error.
pub type Handler = dyn Fn(&[u8], &CancelFlag) -> Result<Vec<u8>, Error> + Send + Sync;

/// A port being set up: its handlers by method name, then [`Port::serve`].
pub struct Port {
    handlers: HashMap<Vec<u8>, (Lane, Arc<Handler>)>,
    echo: bool,
    max_request_bytes: usize,
    threads: [Option<usize>; 2],
}

impl Default for Port {
    fn default() -> Self {
        Port {
            handlers: HashMap::new(),
            echo: false,
            max_request_bytes: DEFAULT_MAX_REQUEST_BYTES,
            threads: [None, None],
        }
    }
}

impl Port {
    pub fn new() -> Self {
        Port::default()
    }

    /// Serves `method` (printable ASCII, at most 255 bytes, as the parent's codec requires) with
    /// `handler` on `lane`'s pool.
    pub fn handle(
        mut self,
        method: &str,
        lane: Lane,
        handler: impl Fn(&[u8], &CancelFlag) -> Result<Vec<u8>, Error> + Send + Sync + 'static,
    ) -> Self {
        assert!(
            method.len() <= 255 && method.bytes().all(|byte| (0x20..=0x7e).contains(&byte)),
            "a method name is printable ASCII of at most 255 bytes, got {method:?}"
        );
        self.handlers
            .insert(method.as_bytes().to_vec(), (lane, Arc::new(handler)));
        self
    }

    /// Also answers `echo` with its body, on the reading thread and without copying it: what a
    /// transport benchmark measures is then the transport, not a pool.
    pub fn with_echo(mut self) -> Self {
        self.echo = true;
        self
    }

    /// The largest request frame accepted (default [`DEFAULT_MAX_REQUEST_BYTES`]).
    pub fn max_request_bytes(mut self, bytes: usize) -> Self {
        self.max_request_bytes = bytes;
        self
    }

    /// Sets the number of threads of `lane`'s pool (at least one).
    pub fn threads(mut self, lane: Lane, threads: usize) -> Self {
        self.threads[lane as usize] = Some(threads.max(1));
        self
    }

    fn threads_of(&self, lane: Lane) -> usize {
        let cores = thread::available_parallelism().map_or(2, |count| count.get());
        self.threads[lane as usize].unwrap_or(match lane {
            Lane::Fast => cores,
            Lane::Slow => cores.saturating_sub(1).max(1),
        })
    }

    /// Serves the parent on stdin/stdout until stdin ends (exit status 0), or the stream turns out
    /// corrupt ([`EXIT_BAD_STREAM`], the reason on stderr).
    pub fn serve(self) -> ! {
        process::die_with_parent();
        #[cfg(feature = "crash-tests")]
        crash::at_start();
        let (input, output) = process::standard_streams();
        let max_request_bytes = self.max_request_bytes;
        let server = server::Server::start(self, output);
        match reader::serve(&server, input, max_request_bytes) {
            // stdin closed: the parent is done with us (close()) or gone.
            Ok(()) => std::process::exit(0),
            Err(error) => {
                let program = std::env::args().next().unwrap_or_default();
                let name = std::path::Path::new(&program)
                    .file_stem()
                    .map_or("port".into(), |stem| stem.to_string_lossy());
                eprintln!("{name}: {error}");
                std::process::exit(EXIT_BAD_STREAM)
            }
        }
    }
}

#[cfg(test)]
mod tests;
