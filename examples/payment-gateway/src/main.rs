//! The port: a child process that takes payments to the legacy gateway SDK (legacy/gateway.c) for its
//! Node parent, so that when the SDK crashes or hangs, only this process is lost. Started as
//! `example-payment-gateway --journal <file> --ledger <file>`.
//!
//! Methods `authorize`, `capture` and `refund` take a JSON body and answer with a JSON `Settled`
//! (src/payments.rs), or with an error reply carrying one of the gateway's own codes. The serving
//! comes from the `interop-module` crate's port (packages/interop-module-rs): framing in
//! `@interop-module/runtime/port`'s encoding, a pool of workers, a panic becoming an
//! `ERR_NATIVE_PANIC` reply, exiting on stdin EOF or with the parent.

mod journal;
mod legacy;
mod payments;

use std::path::PathBuf;
use std::sync::Arc;

use interop_module::port::{Lane, Port};
use interop_module::{Error, ErrorCode};
use payments::{Payments, Request};

/// Requests are a few hundred bytes of JSON; a larger header means the stream is corrupt.
const MAX_REQUEST_BYTES: usize = 64 * 1024;
/// Enough threads to keep journal syncs overlapping while one of them is in the SDK.
const WORKERS: usize = 8;

// Exit statuses: the parent's ERR_PORT_CRASHED names the status, and the stderr line says why.
// A corrupt stream from the parent is interop_module::port::EXIT_BAD_STREAM (2).
const EXIT_CANNOT_START: i32 = 3;
pub const EXIT_JOURNAL_FAILED: i32 = 4;
pub const EXIT_SDK_BROKEN: i32 = 5;

/// Ends the process with `status`, saying why on stderr. Never given a card number.
pub fn stop(status: i32, why: &str) -> ! {
    eprintln!("payment-gateway port: {why}");
    std::process::exit(status)
}

/// `--journal <file> --ledger <file>`, in either order.
fn paths_from_args() -> Result<(PathBuf, PathBuf), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value_of = |flag: &str| {
        args.iter()
            .position(|arg| arg == flag)
            .and_then(|at| args.get(at + 1))
            .map(PathBuf::from)
    };
    match (value_of("--journal"), value_of("--ledger"), args.len()) {
        (Some(journal), Some(ledger), 4) => Ok((journal, ledger)),
        _ => Err("usage: example-payment-gateway --journal <file> --ledger <file>".to_owned()),
    }
}

fn main() {
    let (journal, ledger) =
        paths_from_args().unwrap_or_else(|usage| stop(EXIT_CANNOT_START, &usage));
    let (payments, torn) =
        Payments::open(&journal, &ledger).unwrap_or_else(|why| stop(EXIT_CANNOT_START, &why));
    if let Some(torn) = torn {
        eprintln!(
            "payment-gateway port: journal {}: cut off an incomplete last record ({} bytes at offset {}) left by an interrupted write",
            journal.display(),
            torn.bytes,
            torn.offset
        );
    }
    let payments = Arc::new(payments);
    // C code cannot be stopped midway, so no handler polls its cancel flag. A call that then stays
    // stuck is the supervisor's to end: it recycles a port that leaves a cancelled call unanswered
    // (cancelGraceMs).
    let mut port = Port::new()
        .max_request_bytes(MAX_REQUEST_BYTES)
        .threads(Lane::Slow, WORKERS);
    for method in Request::METHODS {
        let payments = Arc::clone(&payments);
        port = port.handle(method, Lane::Slow, move |body, _| {
            let request = Request::parse(method, body)
                .map_err(|why| Error::new(ErrorCode::INVALID_ARG, why))?;
            let settled = payments.execute(&request)?;
            Ok(serde_json::to_vec(&settled).expect("answers always serialize"))
        });
    }
    port.serve()
}
