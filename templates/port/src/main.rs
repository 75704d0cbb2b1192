//! The port: a child process that serves SHA-256 and PBKDF2-HMAC-SHA256 to its Node parent over
//! stdin/stdout, in the framing and encoding of `@interop-module/runtime/port`:
//!
//! - frame: u32 big-endian payload length, then the payload;
//! - request: u8 kind (0 call, 1 cancel), u32 id, and for a call u8 method length, method, body;
//! - reply: u32 id, u8 status (0 ok, 1 error), then the body, or u8 code length, code, message.
//!
//! The main thread only reads and dispatches; work runs on two pools so a slow `deriveKey` never
//! delays a `hash`; one writer thread owns stdout. Each request runs under `catch_unwind`: a panic is
//! an `ERR_NATIVE_PANIC` reply and the process lives on. The process exits on stdin EOF, and on Linux
//! the kernel kills it if its parent dies (PR_SET_PDEATHSIG), so it is never orphaned.

use std::any::Any;
use std::collections::HashMap;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

const KIND_CALL: u8 = 0;
const KIND_CANCEL: u8 = 1;
const STATUS_OK: u8 = 0;
const STATUS_ERROR: u8 = 1;
/// The contract's largest input (64 MiB of data) plus room for a request head. The parent never sends
/// more, so a larger header means the stream is corrupt: the port exits rather than allocate it.
const MAX_REQUEST_BYTES: usize = 64 * 1024 * 1024 + 1024;
/// PBKDF2 rounds between two cancellation checks (~0.3 ms of work).
const CHECKPOINT_ROUNDS: u32 = 1000;
/// Bytes hashed between two yields (~0.1 ms of work).
const HASH_CHUNK_BYTES: usize = 256 * 1024;

type HmacSha256 = Hmac<Sha256>;
type Job = Box<dyn FnOnce() + Send>;

/// An error reply: a code from the contract's table and a message for people.
#[derive(Debug, PartialEq)]
struct Failure {
    code: &'static str,
    message: String,
}

impl Failure {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }
}

type Outcome = Result<Vec<u8>, Failure>;

fn frame(payload: &[u8]) -> Vec<u8> {
    let length = u32::try_from(payload.len()).expect("replies are far below 4 GiB");
    let mut out = Vec::with_capacity(4 + payload.len());
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(payload);
    out
}

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
    frame(&payload)
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
        Err(Failure::new("ERR_NATIVE_PANIC", message))
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

/// Jobs catch their own panics, so a poisoned lock only means a panic elsewhere; the data is intact.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
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
    /// Cancellation flags of the requests being worked on, by id.
    running: Mutex<HashMap<u32, Arc<AtomicBool>>>,
    /// Short jobs (hash).
    fast: Sender<Job>,
    /// Long, cancellable jobs (deriveKey).
    slow: Sender<Job>,
}

impl Port {
    fn send(&self, bytes: Vec<u8>) {
        // Fails only when the writer has exited, which ends the process anyway.
        let _ = self.outbox.send(bytes);
    }

    fn reply(&self, id: u32, outcome: Outcome) {
        self.send(reply_frame(id, &outcome));
    }

    /// Runs `work` on `lane`; it can poll its flag, which a cancel request for `id` sets.
    fn submit(
        self: &Arc<Self>,
        lane: &Sender<Job>,
        id: u32,
        work: impl FnOnce(&AtomicBool) -> Outcome + Send + 'static,
    ) {
        let cancelled = Arc::new(AtomicBool::new(false));
        lock(&self.running).insert(id, Arc::clone(&cancelled));
        let port = Arc::clone(self);
        let job: Job = Box::new(move || {
            let outcome = guarded(|| work(&cancelled));
            lock(&port.running).remove(&id);
            port.reply(id, outcome);
        });
        // The pools live as long as the process, so the send cannot fail.
        let _ = lane.send(job);
    }

    fn cancel(&self, id: u32) {
        if let Some(flag) = lock(&self.running).get(&id) {
            flag.store(true, Ordering::Relaxed);
        }
    }

    fn dispatch(self: &Arc<Self>, id: u32, method: &[u8], payload: Vec<u8>, body_start: usize) {
        match method {
            // Answered on the reading thread: what the bench measures is the transport, not a pool.
            b"echo" => self.reply(id, Ok(payload[body_start..].to_vec())),
            b"hash" => self.submit(&self.fast, id, move |_| Ok(sha256(&payload[body_start..]))),
            b"deriveKey" => self.submit(&self.slow, id, move |cancelled| {
                derive_key(&payload[body_start..], cancelled)
            }),
            #[cfg(feature = "crash-tests")]
            b"crash" => crash::trigger(self, id, &payload[body_start..]),
            _ => self.reply(
                id,
                Err(Failure::new(
                    "ERR_INVALID_ARG",
                    format!("unknown method {}", String::from_utf8_lossy(method)),
                )),
            ),
        }
    }

    /// Handles one request frame; an error means the stream from the parent cannot be trusted.
    fn handle(self: &Arc<Self>, payload: Vec<u8>) -> io::Result<()> {
        let malformed = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_owned());
        if payload.len() < 5 {
            return Err(malformed("a request shorter than 5 bytes"));
        }
        let id = u32::from_be_bytes([payload[1], payload[2], payload[3], payload[4]]);
        match payload[0] {
            KIND_CANCEL => self.cancel(id),
            KIND_CALL => {
                let method_end = 6 + usize::from(
                    *payload
                        .get(5)
                        .ok_or_else(|| malformed("a call without a method"))?,
                );
                if payload.len() < method_end {
                    return Err(malformed("a call shorter than its method name"));
                }
                let method = payload[6..method_end].to_vec();
                self.dispatch(id, &method, payload, method_end);
            }
            kind => return Err(malformed(&format!("unknown request kind {kind}"))),
        }
        Ok(())
    }
}

/// Gives the core back now and then. On a small machine the parent's event loop shares the cores with
/// this process; a thread that never yields can keep it waiting for a whole time slice (several ms).
fn checkpoint() {
    thread::yield_now();
}

/// SHA-256, yielding between chunks so a large input does not hold a core for its whole duration.
fn sha256(data: &[u8]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    for chunk in data.chunks(HASH_CHUNK_BYTES) {
        hasher.update(chunk);
        checkpoint();
    }
    hasher.finalize().to_vec()
}

/// deriveKey body: u32 iterations, u16 salt length, salt, password (the rest).
fn derive_key(body: &[u8], cancelled: &AtomicBool) -> Outcome {
    let invalid = |what: &str| Failure::new("ERR_INVALID_ARG", what.to_owned());
    if body.len() < 6 {
        return Err(invalid(
            "a deriveKey request needs iterations and a salt length",
        ));
    }
    let iterations = u32::from_be_bytes([body[0], body[1], body[2], body[3]]);
    let salt_end = 6 + usize::from(u16::from_be_bytes([body[4], body[5]]));
    if body.len() < salt_end {
        return Err(invalid("salt is shorter than its declared length"));
    }
    pbkdf2_sha256(&body[salt_end..], &body[6..salt_end], iterations, cancelled).map(Vec::from)
}

/// PBKDF2-HMAC-SHA256 for a single 32-byte block (RFC 8018, dkLen = hLen), polling `cancelled`.
fn pbkdf2_sha256(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    cancelled: &AtomicBool,
) -> Result<[u8; 32], Failure> {
    if iterations == 0 {
        return Err(Failure::new(
            "ERR_INVALID_ARG",
            "iterations must be at least 1",
        ));
    }
    // HMAC takes keys of any length; keyed once, then cloned for every round.
    let keyed = HmacSha256::new_from_slice(password)
        .map_err(|error| Failure::new("ERR_INTERNAL", error.to_string()))?;
    let mut round = keyed.clone();
    round.update(salt);
    round.update(&1u32.to_be_bytes());
    let mut block = round.finalize().into_bytes();
    let mut key = block;
    for done in 1..iterations {
        if done % CHECKPOINT_ROUNDS == 0 {
            if cancelled.load(Ordering::Relaxed) {
                return Err(Failure::new("ERR_ABORTED", "cancelled by the parent"));
            }
            checkpoint();
        }
        let mut round = keyed.clone();
        round.update(&block);
        block = round.finalize().into_bytes();
        key.iter_mut()
            .zip(block.iter())
            .for_each(|(out, byte)| *out ^= byte);
    }
    Ok(key.into())
}

#[cfg(feature = "crash-tests")]
mod crash {
    use super::{frame, Arc, Failure, Ordering, Port};
    use std::io::Write;
    use std::time::Duration;

    /// Start-up misbehaviour chosen by the tests through arguments: `--exit-at-start` dies at once
    /// (a port that cannot start), `--emit <hex>` writes those bytes to stdout and exits (a fake child
    /// for frame fuzzing).
    pub fn at_start() {
        let args: Vec<String> = std::env::args().skip(1).collect();
        match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["--exit-at-start"] => {
                eprintln!("crash trigger: exit at start");
                std::process::exit(4);
            }
            ["--emit", hex] => {
                let bytes: Vec<u8> = (0..hex.len() / 2)
                    .map(|at| {
                        u8::from_str_radix(&hex[2 * at..2 * at + 2], 16).expect("--emit takes hex")
                    })
                    .collect();
                let mut stdout = std::io::stdout().lock();
                // The parent may already have given up on us; nothing to report then.
                let _ = stdout.write_all(&bytes).and_then(|()| stdout.flush());
                std::process::exit(0);
            }
            _ => {}
        }
    }

    /// Test-only misbehaviour, one per crash mode of the contract that a port can show.
    pub fn trigger(port: &Arc<Port>, id: u32, mode: &[u8]) {
        match mode {
            b"panic" => port.submit(&port.fast, id, |_| panic!("crash trigger: panic")),
            b"exit" => {
                eprintln!("crash trigger: exit");
                std::process::exit(3);
            }
            // Never answers on its own; a cancel (abort or timeout in the parent) ends it.
            b"hang" => port.submit(&port.slow, id, |cancelled| {
                while !cancelled.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(Failure::new("ERR_ABORTED", "hang cancelled"))
            }),
            // A well-framed payload too short to be a reply.
            b"garbage" => port.send(frame(&[0xde, 0xad])),
            // A header announcing 4 GiB, and no body.
            b"oversize" => port.send(u32::MAX.to_be_bytes().to_vec()),
            _ => port.reply(
                id,
                Err(Failure::new("ERR_INVALID_ARG", "unknown crash mode")),
            ),
        }
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

fn serve(port: &Arc<Port>) -> io::Result<()> {
    let mut input = BufReader::with_capacity(64 * 1024, io::stdin().lock());
    let mut header = [0u8; 4];
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
        let mut payload = vec![0u8; length];
        input.read_exact(&mut payload)?;
        port.handle(payload)?;
    }
}

fn main() {
    die_with_parent();
    #[cfg(feature = "crash-tests")]
    crash::at_start();
    let (outbox, queued) = mpsc::channel();
    spawn_writer(queued);
    let cores = thread::available_parallelism().map_or(2, |count| count.get());
    let port = Arc::new(Port {
        outbox,
        running: Mutex::default(),
        fast: pool(cores),
        // One core stays free for the parent's event loop (see CHECKPOINT_ROUNDS).
        slow: pool(cores.saturating_sub(1).max(1)),
    });
    match serve(&port) {
        // stdin closed: the parent is done with us (close()) or gone.
        Ok(()) => std::process::exit(0),
        Err(error) => {
            eprintln!("port: {error}");
            std::process::exit(2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    #[test]
    fn pbkdf2_matches_the_rfc_7914_vector() {
        let key = pbkdf2_sha256(b"passwd", b"salt", 1, &AtomicBool::new(false)).unwrap();
        assert_eq!(
            hex(&key),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
    }

    #[test]
    fn pbkdf2_stops_when_cancelled() {
        let outcome = pbkdf2_sha256(b"pw", b"saltsalt", 10_000_000, &AtomicBool::new(true));
        assert_eq!(outcome.unwrap_err().code, "ERR_ABORTED");
    }

    #[test]
    fn derive_key_names_a_short_body() {
        let failure = derive_key(&[0, 0, 0, 1, 0, 16, 1, 2], &AtomicBool::new(false)).unwrap_err();
        assert_eq!(failure.code, "ERR_INVALID_ARG");
        assert!(failure.message.contains("salt"));
    }

    #[test]
    fn a_panic_becomes_an_error_reply() {
        let outcome = guarded(|| panic!("boom"));
        assert_eq!(outcome, Err(Failure::new("ERR_NATIVE_PANIC", "boom")));
    }

    #[test]
    fn replies_are_framed_as_the_runtime_decodes_them() {
        let ok = reply_frame(7, &Ok(vec![0xaa]));
        assert_eq!(ok, [0, 0, 0, 6, 0, 0, 0, 7, STATUS_OK, 0xaa]);
        let error = reply_frame(7, &Err(Failure::new("ERR_X", "m")));
        assert_eq!(&error[..10], [0, 0, 0, 12, 0, 0, 0, 7, STATUS_ERROR, 5]);
        assert_eq!(&error[10..], b"ERR_Xm");
    }
}
