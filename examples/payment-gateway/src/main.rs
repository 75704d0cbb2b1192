//! The port: a child process that takes payments to the legacy gateway SDK (legacy/gateway.c) for its
//! Node parent, so that when the SDK crashes or hangs, only this process is lost. Started as
//! `example-payment-gateway --journal <file> --ledger <file>`.
//!
//! It speaks the framing and encoding of `@interop-module/runtime/port` on stdin/stdout:
//!
//! - frame: u32 big-endian payload length, then the payload;
//! - request: u8 kind (0 call, 1 cancel), u32 id, and for a call u8 method length, method, body;
//! - reply: u32 id, u8 status (0 ok, 1 error), then the body, or u8 code length, code, message.
//!
//! Methods `authorize`, `capture` and `refund` take a JSON body and answer with a JSON `Reply`
//! (src/payments.rs). The main thread reads and dispatches; requests run on a pool of workers; one
//! writer thread owns stdout. Each request runs under `catch_unwind`: a panic is an
//! `ERR_NATIVE_PANIC` reply and the process lives on. The process exits on stdin EOF, and on Linux
//! the kernel kills it if its parent dies (PR_SET_PDEATHSIG), so it is never orphaned.

mod journal;
mod legacy;
mod payments;

use std::any::Any;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;

use payments::{Payments, Request};

const KIND_CALL: u8 = 0;
const KIND_CANCEL: u8 = 1;
const STATUS_OK: u8 = 0;
const STATUS_ERROR: u8 = 1;
/// Requests are a few hundred bytes of JSON; a larger header means the stream is corrupt.
const MAX_REQUEST_BYTES: usize = 64 * 1024;
/// Enough threads to keep journal syncs overlapping while one of them is in the SDK.
const WORKERS: usize = 8;

// Exit statuses: the parent's ERR_PORT_CRASHED names the status, and the stderr line says why.
const EXIT_BAD_STREAM: i32 = 2;
const EXIT_CANNOT_START: i32 = 3;
pub const EXIT_JOURNAL_FAILED: i32 = 4;
pub const EXIT_SDK_BROKEN: i32 = 5;

/// Ends the process with `status`, saying why on stderr. Never given a card number.
pub fn stop(status: i32, why: &str) -> ! {
    eprintln!("payment-gateway port: {why}");
    std::process::exit(status)
}

type Job = Box<dyn FnOnce() + Send>;

/// An error reply: a code from the runtime's table and a message for people.
struct Failure {
    code: &'static str,
    message: String,
}

type Outcome = Result<Vec<u8>, Failure>;

fn reply_frame(id: u32, outcome: &Outcome) -> Vec<u8> {
    let mut payload = id.to_be_bytes().to_vec();
    match outcome {
        Ok(body) => {
            payload.push(STATUS_OK);
            payload.extend_from_slice(body);
        }
        Err(failure) => {
            payload.push(STATUS_ERROR);
            payload.push(failure.code.len() as u8);
            payload.extend_from_slice(failure.code.as_bytes());
            payload.extend_from_slice(failure.message.as_bytes());
        }
    }
    let mut frame = (payload.len() as u32).to_be_bytes().to_vec();
    frame.append(&mut payload);
    frame
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "panic with a non-string payload".to_owned()
    }
}

/// Runs one request so that a panic becomes an `ERR_NATIVE_PANIC` reply instead of ending the port.
fn guarded(work: impl FnOnce() -> Outcome) -> Outcome {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|payload| {
        let message = panic_message(payload.as_ref());
        // A payload whose Drop panics again would escape here; leaking that rare payload is safer.
        if let Err(nested) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
            std::mem::forget(nested);
        }
        Err(Failure {
            code: "ERR_NATIVE_PANIC",
            message,
        })
    })
}

/// A fixed set of threads taking jobs from one queue.
fn pool(threads: usize) -> Sender<Job> {
    let (jobs, queue) = mpsc::channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    for _ in 0..threads {
        let queue = Arc::clone(&queue);
        thread::spawn(move || loop {
            // The lock is released at the end of this statement, before the job runs.
            let next = lock(&queue).recv();
            match next {
                Ok(job) => job(),
                Err(_) => return,
            }
        });
    }
    jobs
}

/// Requests catch their own panics, so a poisoned lock only means a panic elsewhere; the data is intact.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Writes what the workers produce, batching: stdout is flushed only when nothing else is queued.
fn spawn_writer(outbox: Receiver<Vec<u8>>) {
    thread::spawn(move || {
        let mut stdout = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
        while let Ok(bytes) = outbox.recv() {
            let mut written = stdout.write_all(&bytes);
            while written.is_ok() {
                match outbox.try_recv() {
                    Ok(more) => written = stdout.write_all(&more),
                    Err(_) => break,
                }
            }
            if written.and_then(|()| stdout.flush()).is_err() {
                // The parent closed the pipe: nobody is left to serve.
                std::process::exit(0);
            }
        }
    });
}

struct Port {
    outbox: Sender<Vec<u8>>,
    workers: Sender<Job>,
    payments: Arc<Payments>,
}

impl Port {
    fn reply(&self, id: u32, outcome: Outcome) {
        // Fails only when the writer has exited, which ends the process anyway.
        let _ = self.outbox.send(reply_frame(id, &outcome));
    }

    fn dispatch(&self, id: u32, method: &[u8], body: &[u8]) {
        let request = match Request::parse(method, body) {
            Some(Ok(request)) => request,
            Some(Err(why)) => {
                return self.reply(
                    id,
                    Err(Failure {
                        code: "ERR_INVALID_ARG",
                        message: why,
                    }),
                )
            }
            None => {
                return self.reply(
                    id,
                    Err(Failure {
                        code: "ERR_INVALID_ARG",
                        message: format!("unknown method {}", String::from_utf8_lossy(method)),
                    }),
                )
            }
        };
        let payments = Arc::clone(&self.payments);
        let outbox = self.outbox.clone();
        let job: Job = Box::new(move || {
            let outcome = guarded(|| {
                let reply = payments.execute(&request);
                Ok(serde_json::to_vec(&reply).expect("replies always serialize"))
            });
            let _ = outbox.send(reply_frame(id, &outcome));
        });
        // The pool lives as long as the process, so the send cannot fail.
        let _ = self.workers.send(job);
    }

    /// Handles one request frame; an error means the stream from the parent cannot be trusted.
    fn handle(&self, payload: &[u8]) -> io::Result<()> {
        let malformed = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_owned());
        if payload.len() < 5 {
            return Err(malformed("a request shorter than 5 bytes"));
        }
        let id = u32::from_be_bytes([payload[1], payload[2], payload[3], payload[4]]);
        match payload[0] {
            // C code cannot be stopped midway. A call that then stays stuck is the supervisor's to
            // end: it recycles a port that leaves a cancelled call unanswered (cancelGraceMs).
            KIND_CANCEL => {}
            KIND_CALL => {
                let method_end = 6 + usize::from(
                    *payload
                        .get(5)
                        .ok_or_else(|| malformed("a call without a method"))?,
                );
                if payload.len() < method_end {
                    return Err(malformed("a call shorter than its method name"));
                }
                self.dispatch(id, &payload[6..method_end], &payload[method_end..]);
            }
            kind => return Err(malformed(&format!("unknown request kind {kind}"))),
        }
        Ok(())
    }
}

/// Asks the kernel to SIGKILL this process when its parent dies, even if the parent is SIGKILLed.
#[cfg(target_os = "linux")]
fn die_with_parent() {
    // SAFETY: PR_SET_PDEATHSIG takes a signal number; no pointers are involved.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    }
}

/// Elsewhere, stdin EOF (the parent's end of the pipe closes when it dies) is what ends the port.
#[cfg(not(target_os = "linux"))]
fn die_with_parent() {}

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

fn serve(port: &Port) -> io::Result<()> {
    let mut input = BufReader::with_capacity(64 * 1024, io::stdin().lock());
    let mut header = [0u8; 4];
    let mut payload = Vec::new();
    loop {
        match input.read_exact(&mut header) {
            Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            result => result?,
        }
        let length = u32::from_be_bytes(header) as usize;
        if length > MAX_REQUEST_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a request frame of {length} bytes is over the {MAX_REQUEST_BYTES}-byte limit"
                ),
            ));
        }
        payload.resize(length, 0);
        input.read_exact(&mut payload)?;
        port.handle(&payload)?;
    }
}

fn main() {
    die_with_parent();
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
    let (outbox, queued) = mpsc::channel();
    spawn_writer(queued);
    let port = Port {
        outbox,
        workers: pool(WORKERS),
        payments: Arc::new(payments),
    };
    match serve(&port) {
        // stdin closed: the parent is done with us (close()) or gone.
        Ok(()) => std::process::exit(0),
        Err(error) => stop(EXIT_BAD_STREAM, &error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_reply() {
        let failure = guarded(|| panic!("boom")).err().unwrap();
        assert_eq!(
            (failure.code, failure.message.as_str()),
            ("ERR_NATIVE_PANIC", "boom")
        );
    }

    #[test]
    fn replies_are_framed_as_the_runtime_decodes_them() {
        let ok = reply_frame(7, &Ok(vec![0xaa]));
        assert_eq!(ok, [0, 0, 0, 6, 0, 0, 0, 7, STATUS_OK, 0xaa]);
        let failure = Failure {
            code: "ERR_X",
            message: "m".into(),
        };
        let error = reply_frame(7, &Err(failure));
        assert_eq!(&error[..10], [0, 0, 0, 12, 0, 0, 0, 7, STATUS_ERROR, 5]);
        assert_eq!(&error[10..], b"ERR_Xm");
    }
}
