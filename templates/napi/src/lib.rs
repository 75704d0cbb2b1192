//! Native side of the package: SHA-256 and PBKDF2-HMAC-SHA256 exposed to Node through napi-rs.
//!
//! Errors cross into JavaScript as plain `Error`s whose message starts with a stable code
//! (`ERR_INVALID_ARG: ...`); lib/index.ts turns them into typed `InteropError`s.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use hmac::{Hmac, KeyInit, Mac};
use napi::bindgen_prelude::{AsyncTask, Uint8Array, Uint8ArraySlice};
use napi::{Env, Error, Result, ScopedTask, Status};
use napi_derive::napi;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// PBKDF2 rounds between two checkpoints (~0.3 ms of work): a cancelled call frees its pool thread within
/// about a millisecond, while the checkpoint stays invisible next to 1000 HMAC computations.
const CHECKPOINT_ROUNDS: u32 = 1000;

/// Bytes hashed between two yields on the pool (~0.1 ms of work).
const HASH_CHUNK_BYTES: usize = 256 * 1024;

/// Pool threads give the CPU back at every checkpoint. When busy threads outnumber the cores (libuv runs
/// four, a small machine has two), the OS otherwise lets the event-loop thread wait for a full time slice:
/// ~6 ms measured on 2 cores without yielding, ~1.5 ms with it.
fn checkpoint() {
    std::thread::yield_now();
}

fn coded_error(code: &str, detail: impl std::fmt::Display) -> Error {
    Error::new(Status::GenericFailure, format!("{code}: {detail}"))
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

/// Runs `body` so that a panic becomes an `ERR_NATIVE_PANIC` error instead of unwinding into Node,
/// which would abort the whole process. Every export and every off-thread computation goes through it.
fn guarded<T>(body: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(payload) => {
            let message = panic_message(payload.as_ref());
            // A payload whose Drop panics again would escape here; leaking that rare payload is safer.
            if let Err(nested) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
                std::mem::forget(nested);
            }
            Err(coded_error("ERR_NATIVE_PANIC", message))
        }
    }
}

/// SHA-256 digests and PBKDF2 keys are both 32 bytes.
type Bytes32 = [u8; 32];

fn sha256(data: &[u8]) -> Bytes32 {
    Sha256::digest(data).into()
}

/// The same digest, yielding the CPU between chunks: for the thread pool, never the JavaScript thread.
fn sha256_offloaded(data: &[u8]) -> Bytes32 {
    let mut hasher = Sha256::new();
    for chunk in data.chunks(HASH_CHUNK_BYTES) {
        hasher.update(chunk);
        checkpoint();
    }
    hasher.finalize().into()
}

/// Results are copied into memory V8 owns. Handing a Rust buffer over instead makes each result an
/// external buffer with its own finalizer, and a million such calls left ~300 MB resident in testing.
fn to_js<'env>(env: &'env Env, bytes: &[u8]) -> Result<Uint8ArraySlice<'env>> {
    Uint8ArraySlice::copy_from(env, bytes)
}

/// PBKDF2-HMAC-SHA256 for a single 32-byte block (RFC 8018, dkLen = hLen), polling `cancelled`.
fn pbkdf2_sha256(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    cancelled: &AtomicBool,
) -> Result<Bytes32> {
    if iterations == 0 {
        return Err(coded_error(
            "ERR_INVALID_ARG",
            "iterations must be at least 1",
        ));
    }
    // HMAC accepts keys of any length, so this cannot fail; keyed once, then cloned per round.
    let keyed =
        HmacSha256::new_from_slice(password).map_err(|error| coded_error("ERR_INTERNAL", error))?;

    let mut round = keyed.clone();
    round.update(salt);
    round.update(&1u32.to_be_bytes());
    let mut block = round.finalize().into_bytes();
    let mut key = block;

    for done in 1..iterations {
        if done % CHECKPOINT_ROUNDS == 0 {
            if cancelled.load(Ordering::Relaxed) {
                return Err(coded_error("ERR_ABORTED", "cancelled"));
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

/// SHA-256 of `data`, computed on the calling (JavaScript) thread.
#[napi]
pub fn hash_sync(env: &Env, data: Uint8Array) -> Result<Uint8ArraySlice<'_>> {
    guarded(|| to_js(env, &sha256(&data)))
}

pub struct HashTask {
    data: Uint8Array,
}

impl<'env> ScopedTask<'env> for HashTask {
    type Output = Bytes32;
    type JsValue = Uint8ArraySlice<'env>;

    fn compute(&mut self) -> Result<Self::Output> {
        guarded(|| Ok(sha256_offloaded(&self.data)))
    }

    fn resolve(&mut self, env: &'env Env, output: Self::Output) -> Result<Self::JsValue> {
        guarded(|| to_js(env, &output))
    }
}

/// SHA-256 of `data`, computed on the libuv thread pool.
#[napi(ts_return_type = "Promise<Uint8Array>")]
pub fn hash(data: Uint8Array) -> Result<AsyncTask<HashTask>> {
    guarded(|| Ok(AsyncTask::new(HashTask { data })))
}

/// Shared flag that JavaScript sets to stop a running `deriveKey` between PBKDF2 rounds.
#[napi]
pub struct CancelToken {
    cancelled: Arc<AtomicBool>,
}

#[napi]
impl CancelToken {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)] // napi constructors are plain `new` functions
    pub fn new() -> Self {
        CancelToken {
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }

    #[napi]
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
}

pub struct DeriveKeyTask {
    password: Uint8Array,
    salt: Uint8Array,
    iterations: u32,
    cancelled: Arc<AtomicBool>,
}

impl<'env> ScopedTask<'env> for DeriveKeyTask {
    type Output = Bytes32;
    type JsValue = Uint8ArraySlice<'env>;

    fn compute(&mut self) -> Result<Self::Output> {
        guarded(|| pbkdf2_sha256(&self.password, &self.salt, self.iterations, &self.cancelled))
    }

    fn resolve(&mut self, env: &'env Env, output: Self::Output) -> Result<Self::JsValue> {
        guarded(|| to_js(env, &output))
    }
}

/// PBKDF2-HMAC-SHA256 (32-byte key) on the libuv thread pool; `cancel_token.cancel()` stops it.
#[napi(ts_return_type = "Promise<Uint8Array>")]
pub fn derive_key(
    password: Uint8Array,
    salt: Uint8Array,
    iterations: u32,
    cancel_token: &CancelToken,
) -> Result<AsyncTask<DeriveKeyTask>> {
    guarded(|| {
        Ok(AsyncTask::new(DeriveKeyTask {
            password,
            salt,
            iterations,
            cancelled: Arc::clone(&cancel_token.cancelled),
        }))
    })
}

/// Deliberate failures for the crash tests. Compiled only with `--features crash-tests`, so a release
/// binary carries neither these exports nor their marker text.
#[cfg(feature = "crash-tests")]
pub mod crash_triggers {
    use super::*;

    /// Text the tests search for in the .node files to prove release builds leave the triggers out.
    const MARKER: &str = "interop-crash-trigger";

    #[napi]
    pub fn crash_panic() -> Result<()> {
        guarded(|| panic!("{MARKER}: deliberate panic on the JavaScript thread"))
    }

    pub struct PanicTask;

    impl<'env> ScopedTask<'env> for PanicTask {
        type Output = ();
        type JsValue = ();

        fn compute(&mut self) -> Result<Self::Output> {
            guarded(|| panic!("{MARKER}: deliberate panic on a libuv pool thread"))
        }

        fn resolve(&mut self, _env: &'env Env, output: Self::Output) -> Result<Self::JsValue> {
            Ok(output)
        }
    }

    #[napi(ts_return_type = "Promise<void>")]
    pub fn crash_panic_offloaded() -> Result<AsyncTask<PanicTask>> {
        guarded(|| Ok(AsyncTask::new(PanicTask)))
    }

    /// `abort` is not a panic: catch_unwind cannot stop it, which is the point of this trigger.
    #[napi]
    pub fn crash_abort() -> Result<()> {
        guarded(|| {
            eprintln!("{MARKER}: aborting the process on purpose");
            std::process::abort()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    #[test]
    fn sha256_matches_the_fips_vector() {
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn offloaded_sha256_equals_the_one_shot_digest_across_chunk_edges() {
        for size in [
            0,
            1,
            HASH_CHUNK_BYTES - 1,
            HASH_CHUNK_BYTES,
            3 * HASH_CHUNK_BYTES + 7,
        ] {
            let data: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            assert_eq!(sha256_offloaded(&data), sha256(&data), "size {size}");
        }
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
        let error =
            pbkdf2_sha256(b"pw", b"saltsalt", 10_000_000, &AtomicBool::new(true)).unwrap_err();
        assert_eq!(error.reason, "ERR_ABORTED: cancelled");
    }

    #[test]
    fn pbkdf2_rejects_zero_iterations() {
        let error = pbkdf2_sha256(b"pw", b"saltsalt", 0, &AtomicBool::new(false)).unwrap_err();
        assert!(error.reason.starts_with("ERR_INVALID_ARG: "));
    }

    #[test]
    fn guarded_turns_a_panic_into_a_coded_error() {
        let error = guarded::<()>(|| panic!("boom {}", 7)).unwrap_err();
        assert_eq!(error.reason, "ERR_NATIVE_PANIC: boom 7");
    }
}
