//! The port: a child process that serves SHA-256 and PBKDF2-HMAC-SHA256 to its Node parent over
//! stdin/stdout, in the framing and encoding of `@interop-module/runtime/port`:
//!
//! - frame: u32 big-endian payload length, then the payload;
//! - request: u8 kind (0 call, 1 cancel), u32 id, and for a call u8 method length, method, body;
//! - reply: u32 id, u8 status (0 ok, 1 error), then the body, or u8 code length, code, message.
//!
//! The main thread reads and dispatches; work runs on two pools so a slow `deriveKey` never delays a
//! `hash`. Replies go through one buffered stdout: the reading thread answers `echo` in place and
//! flushes before it waits for input, a writer thread sends what the pools produce. Each request runs under `catch_unwind`: a panic is
//! an `ERR_NATIVE_PANIC` reply and the process lives on. The process exits on stdin EOF, and on Linux
//! the kernel kills it if its parent dies (PR_SET_PDEATHSIG), so it is never orphaned.

use std::any::Any;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, BufWriter, Read, Write};
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
/// Requests are parsed in place from a buffer this large; a larger request gets its own allocation.
const INPUT_BUFFER_BYTES: usize = 256 * 1024;
const OUTPUT_BUFFER_BYTES: usize = 64 * 1024;
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

/// Writes one reply frame, header included, without building it in memory first.
fn write_reply(out: &mut impl Write, id: u32, outcome: Result<&[u8], &Failure>) -> io::Result<()> {
    let length = 5 + match outcome {
        Ok(body) => body.len(),
        Err(failure) => 1 + failure.code.len() + failure.message.len(),
    };
    // Replies are far below 4 GiB: the largest is a 32-byte key or an echoed 64 MiB body.
    out.write_all(&(length as u32).to_be_bytes())?;
    out.write_all(&id.to_be_bytes())?;
    match outcome {
        Ok(body) => {
            out.write_all(&[STATUS_OK])?;
            out.write_all(body)
        }
        Err(failure) => {
            out.write_all(&[STATUS_ERROR, failure.code.len() as u8])?;
            out.write_all(failure.code.as_bytes())?;
            out.write_all(failure.message.as_bytes())
        }
    }
}

fn reply_frame(id: u32, outcome: &Outcome) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_reply(&mut out, id, outcome.as_deref());
    out
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

/// The process's stdout and stdin as plain files. Rust's `io::stdout()` is line-buffered: on binary
/// replies it would split each batch into one write per newline byte.
#[cfg(unix)]
fn standard_streams() -> (Box<dyn Read + Send>, Box<dyn Write + Send>) {
    use std::fs::File;
    use std::os::fd::FromRawFd;
    // SAFETY: fds 0 and 1 are open for the whole life of the process, and nothing else in it uses them.
    unsafe {
        (
            Box::new(File::from_raw_fd(0)),
            Box::new(File::from_raw_fd(1)),
        )
    }
}

#[cfg(not(unix))]
fn standard_streams() -> (Box<dyn Read + Send>, Box<dyn Write + Send>) {
    (Box::new(io::stdin()), Box::new(io::stdout()))
}

type Output = Mutex<BufWriter<Box<dyn Write + Send>>>;

/// Sends the buffered replies; if the parent has closed the pipe, nobody is left to serve.
fn flush_or_exit(output: &mut BufWriter<Box<dyn Write + Send>>) {
    if output.flush().is_err() {
        std::process::exit(0);
    }
}

/// Writes what the pools produce, batching: stdout is flushed only when nothing else is queued.
fn spawn_writer(output: Arc<Output>, outbox: Receiver<Vec<u8>>) {
    thread::spawn(move || {
        while let Ok(bytes) = outbox.recv() {
            let mut output = lock(&output);
            let mut written = output.write_all(&bytes);
            while written.is_ok() {
                match outbox.try_recv() {
                    Ok(more) => written = output.write_all(&more),
                    Err(_) => break,
                }
            }
            if written.is_err() {
                std::process::exit(0);
            }
            flush_or_exit(&mut output);
        }
    });
}

struct Port {
    /// Replies written on the reading thread, flushed before it waits for more input.
    output: Arc<Output>,
    /// Replies from the pools, for the writer thread.
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

    /// Answers on the reading thread, into the output buffer.
    fn reply_in_place(&self, id: u32, body: &[u8]) {
        if write_reply(&mut *lock(&self.output), id, Ok(body)).is_err() {
            std::process::exit(0);
        }
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

    /// Runs the call in `payload`, whose method name ends where its body starts.
    fn dispatch(self: &Arc<Self>, id: u32, payload: Cow<[u8]>, body_start: usize) {
        match &payload[6..body_start] {
            // Answered on the reading thread: what the bench measures is the transport, not a pool.
            b"echo" => self.reply_in_place(id, &payload[body_start..]),
            b"hash" => {
                let payload = payload.into_owned();
                self.submit(&self.fast, id, move |_| Ok(sha256(&payload[body_start..])))
            }
            b"deriveKey" => {
                let payload = payload.into_owned();
                self.submit(&self.slow, id, move |cancelled| {
                    derive_key(&payload[body_start..], cancelled)
                })
            }
            #[cfg(feature = "crash-tests")]
            b"crash" => crash::trigger(self, id, &payload[body_start..]),
            method => self.reply(
                id,
                Err(Failure::new(
                    "ERR_INVALID_ARG",
                    format!("unknown method {}", String::from_utf8_lossy(method)),
                )),
            ),
        }
    }

    /// Handles one request frame; an error means the stream from the parent cannot be trusted.
    fn handle(self: &Arc<Self>, payload: Cow<[u8]>) -> io::Result<()> {
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
                self.dispatch(id, payload, method_end);
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
    use super::{Arc, Failure, Ordering, Port};
    use std::io::Write;
    use std::time::Duration;

    fn frame(payload: &[u8]) -> Vec<u8> {
        let mut out = (payload.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(payload);
        out
    }

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

/// Reads request frames and handles each as soon as it is complete. Frames that fit are parsed in place
/// from one buffer, so a batch of small requests costs one read; once no complete frame is left, the
/// replies written in place are flushed, as one write, before the next read waits.
fn serve(port: &Arc<Port>, mut input: impl Read) -> io::Result<()> {
    let mut buffer = vec![0u8; INPUT_BUFFER_BYTES];
    let (mut start, mut end) = (0, 0);
    loop {
        if end - start >= 4 {
            let header = buffer[start..start + 4].try_into().expect("a 4-byte slice");
            let length = u32::from_be_bytes(header) as usize;
            if length > MAX_REQUEST_BYTES {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "a request frame of {length} bytes is over the {MAX_REQUEST_BYTES}-byte limit"
                    ),
                ));
            }
            let frame_end = start + 4 + length;
            if frame_end <= end {
                port.handle(Cow::Borrowed(&buffer[start + 4..frame_end]))?;
                start = frame_end;
                continue;
            }
            if 4 + length > buffer.len() {
                let mut payload = Vec::with_capacity(length);
                payload.extend_from_slice(&buffer[start + 4..end]);
                payload.resize(length, 0);
                input.read_exact(&mut payload[end - start - 4..])?;
                (start, end) = (0, 0);
                port.handle(Cow::Owned(payload))?;
                continue;
            }
        }
        flush_or_exit(&mut lock(&port.output));
        buffer.copy_within(start..end, 0);
        (start, end) = (0, end - start);
        match input.read(&mut buffer[end..]) {
            Ok(0) if end == 0 => return Ok(()),
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(read) => end += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
}

/// The port's state and threads, replying to `stdout`.
fn start_port(stdout: Box<dyn Write + Send>) -> Arc<Port> {
    let output = Arc::new(Mutex::new(BufWriter::with_capacity(
        OUTPUT_BUFFER_BYTES,
        stdout,
    )));
    let (outbox, queued) = mpsc::channel();
    spawn_writer(Arc::clone(&output), queued);
    let cores = thread::available_parallelism().map_or(2, |count| count.get());
    Arc::new(Port {
        output,
        outbox,
        running: Mutex::default(),
        fast: pool(cores),
        // One core stays free for the parent's event loop (see CHECKPOINT_ROUNDS).
        slow: pool(cores.saturating_sub(1).max(1)),
    })
}

fn main() {
    die_with_parent();
    #[cfg(feature = "crash-tests")]
    crash::at_start();
    let (input, stdout) = standard_streams();
    let port = start_port(stdout);
    match serve(&port, input) {
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

    /// What the port wrote, readable by the test.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            lock(&self.0).extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Hands out its bytes at most `step` at a time, as a pipe may.
    struct Trickle {
        bytes: Vec<u8>,
        at: usize,
        step: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let count = out.len().min(self.step).min(self.bytes.len() - self.at);
            out[..count].copy_from_slice(&self.bytes[self.at..self.at + count]);
            self.at += count;
            Ok(count)
        }
    }

    fn call_frame(id: u32, method: &[u8], body: &[u8]) -> Vec<u8> {
        let mut payload = vec![KIND_CALL];
        payload.extend_from_slice(&id.to_be_bytes());
        payload.push(method.len() as u8);
        payload.extend_from_slice(method);
        payload.extend_from_slice(body);
        let mut frame = (payload.len() as u32).to_be_bytes().to_vec();
        frame.extend_from_slice(&payload);
        frame
    }

    fn serve_bytes(bytes: Vec<u8>, step: usize) -> (io::Result<()>, Vec<u8>) {
        let captured = Captured::default();
        let port = start_port(Box::new(captured.clone()));
        let result = serve(&port, Trickle { bytes, at: 0, step });
        let written = lock(&captured.0).clone();
        (result, written)
    }

    #[test]
    fn serves_frames_split_anywhere_including_frames_larger_than_the_buffer() {
        let bodies = [
            vec![1u8; 64],
            vec![2u8; INPUT_BUFFER_BYTES + 10],
            vec![],
            vec![3u8; 5],
        ];
        let input: Vec<u8> = (0u32..)
            .zip(&bodies)
            .flat_map(|(id, body)| call_frame(id, b"echo", body))
            .collect();
        let expected: Vec<u8> = (0u32..)
            .zip(&bodies)
            .flat_map(|(id, body)| reply_frame(id, &Ok(body.clone())))
            .collect();
        for step in [1, 7, 4096, 1 << 20] {
            let (result, written) = serve_bytes(input.clone(), step);
            assert!(result.is_ok(), "step {step}: {result:?}");
            assert!(written == expected, "step {step}: replies differ");
        }
    }

    #[test]
    fn refuses_a_stream_cut_mid_frame_or_announcing_too_large_a_frame() {
        let cut = call_frame(1, b"echo", b"body")[..10].to_vec();
        let (result, _) = serve_bytes(cut, 3);
        assert_eq!(result.unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
        let oversize = (MAX_REQUEST_BYTES as u32 + 1).to_be_bytes().to_vec();
        let (result, written) = serve_bytes(oversize, 4);
        assert_eq!(result.unwrap_err().kind(), io::ErrorKind::InvalidData);
        assert!(written.is_empty());
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
