//! Native side of the payment-crypto example, exposed to Node through napi-rs: SHA-256 and
//! PBKDF2-HMAC-SHA256 (the template contract), AES-256-GCM sealing, Ed25519 signatures, and the
//! constant-time digest comparison behind `verifyTransaction`. Secret material held in Rust memory
//! (derived keys, PBKDF2 state, signing seeds and expanded keys, AES key schedules) is zeroized after use;
//! decrypted plaintext never enters Rust memory: it is written straight into the caller's array.
//!
//! Errors cross into JavaScript as plain `Error`s whose message starts with a stable code
//! (`ERR_INVALID_ARG: ...`); lib/index.ts turns them into typed `InteropError`s.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use aes_gcm::aead::inout::InOutBuf;
use aes_gcm::aead::{Nonce, Tag};
use aes_gcm::{AeadInOut, Aes256Gcm};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use hmac::{Hmac, KeyInit, Mac};
use napi::bindgen_prelude::{AsyncTask, Uint8Array, Uint8ArraySlice};
use napi::{Env, Error, Result, ScopedTask, Status};
use napi_derive::napi;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

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
) -> Result<Zeroizing<Bytes32>> {
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
    let mut key = Zeroizing::new(Bytes32::from(block));

    for done in 1..iterations {
        if done % CHECKPOINT_ROUNDS == 0 {
            if cancelled.load(Ordering::Relaxed) {
                block.zeroize();
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
    block.zeroize();
    Ok(key)
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
    /// Zeroized once `resolve` has copied it into JavaScript memory.
    type Output = Zeroizing<Bytes32>;
    type JsValue = Uint8ArraySlice<'env>;

    fn compute(&mut self) -> Result<Self::Output> {
        guarded(|| pbkdf2_sha256(&self.password, &self.salt, self.iterations, &self.cancelled))
    }

    fn resolve(&mut self, env: &'env Env, output: Self::Output) -> Result<Self::JsValue> {
        guarded(|| to_js(env, &*output))
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

// ---- AES-256-GCM -------------------------------------------------------------------------------------

const NONCE_BYTES: usize = 12;
const TAG_BYTES: usize = 16;
const AES_KEY_BYTES: usize = 32;

/// The one message every authentication failure gets: which check failed (tag, length, key) is exactly
/// what an attacker probing the decryptor would like to learn.
const DECRYPT_FAILED: &str = "the message could not be decrypted";

fn aes_256_gcm(key: &[u8]) -> Result<Aes256Gcm> {
    // Sizes are checked in TypeScript first; this guards direct callers of the binding.
    Aes256Gcm::new_from_slice(key).map_err(|_| {
        coded_error(
            "ERR_INVALID_ARG",
            format!("key must be {AES_KEY_BYTES} bytes, got {}", key.len()),
        )
    })
}

/// Splits are made at fixed offsets, so these conversions cannot fail; a failure would be a bug here.
fn nonce_of(bytes: &[u8]) -> Result<&Nonce<Aes256Gcm>> {
    bytes
        .try_into()
        .map_err(|_| coded_error("ERR_INTERNAL", "nonce split at the wrong offset"))
}

fn tag_of(bytes: &[u8]) -> Result<&Tag<Aes256Gcm>> {
    bytes
        .try_into()
        .map_err(|_| coded_error("ERR_INTERNAL", "tag split at the wrong offset"))
}

fn os_random(buffer: &mut [u8]) -> Result<()> {
    getrandom::fill(buffer).map_err(|error| coded_error("ERR_INTERNAL", format!("OS RNG: {error}")))
}

fn output_size_error(name: &str, expected: usize, got: usize) -> Error {
    coded_error(
        "ERR_INVALID_ARG",
        format!("{name} must be {expected} bytes for this input, got {got}"),
    )
}

/// Writes `nonce(12) ‖ ciphertext ‖ tag(16)` into `sealed`, which must be exactly that long.
fn seal_into(
    nonce: &[u8; NONCE_BYTES],
    plaintext: &[u8],
    key: &[u8],
    aad: &[u8],
    sealed: &mut [u8],
) -> Result<()> {
    let cipher = aes_256_gcm(key)?;
    let expected = NONCE_BYTES + plaintext.len() + TAG_BYTES;
    if sealed.len() != expected {
        return Err(output_size_error("sealed", expected, sealed.len()));
    }
    let (nonce_out, rest) = sealed.split_at_mut(NONCE_BYTES);
    let (body, tag_out) = rest.split_at_mut(plaintext.len());
    nonce_out.copy_from_slice(nonce);
    // Encrypting from the caller's buffer straight into the output: one pass, no plaintext copy to wipe.
    let buffer = InOutBuf::new(plaintext, body)
        .map_err(|error| coded_error("ERR_INTERNAL", format!("{error:?}")))?;
    let tag = cipher
        .encrypt_inout_detached(nonce_of(nonce_out)?, aad, buffer)
        .map_err(|_| {
            coded_error(
                "ERR_INVALID_ARG",
                "plaintext or aad is too long for AES-GCM",
            )
        })?;
    tag_out.copy_from_slice(&tag);
    Ok(())
}

/// Inverse of `seal_into`, writing into `plaintext` (exactly `sealed.len() - 28` bytes). Any failure,
/// including a message too short to hold nonce and tag, is ERR_DECRYPT.
fn open_into(sealed: &[u8], key: &[u8], aad: &[u8], plaintext: &mut [u8]) -> Result<()> {
    let cipher = aes_256_gcm(key)?;
    if sealed.len() < NONCE_BYTES + TAG_BYTES {
        return Err(coded_error("ERR_DECRYPT", DECRYPT_FAILED));
    }
    let expected = sealed.len() - NONCE_BYTES - TAG_BYTES;
    if plaintext.len() != expected {
        return Err(output_size_error("plaintext", expected, plaintext.len()));
    }
    let (nonce, rest) = sealed.split_at(NONCE_BYTES);
    let (body, tag) = rest.split_at(expected);
    let buffer = InOutBuf::new(body, plaintext)
        .map_err(|error| coded_error("ERR_INTERNAL", format!("{error:?}")))?;
    // aes-gcm checks the tag (in constant time) before it decrypts a single byte into `plaintext`.
    cipher
        .decrypt_inout_detached(nonce_of(nonce)?, aad, buffer, tag_of(tag)?)
        .map_err(|_| coded_error("ERR_DECRYPT", DECRYPT_FAILED))
}

/// Gives Rust the output array that lib/aead.ts allocated for this call.
///
/// Writing into a JavaScript-owned array saves a copy of every result (a tenth of the time at 1 MiB) and
/// keeps decrypted plaintext out of Rust memory altogether.
fn output_bytes<'a>(output: &'a mut Uint8Array, inputs: &[&[u8]]) -> Result<&'a mut [u8]> {
    let range = output.as_ptr_range();
    // Input and output must not share memory, or the &mut below would alias a & (undefined behaviour).
    // lib/aead.ts always passes a fresh array; this refuses anything else reaching the binding directly.
    let overlaps = |input: &&[u8]| {
        let input_range = input.as_ptr_range();
        !input.is_empty() && input_range.start < range.end && range.start < input_range.end
    };
    if !output.is_empty() && inputs.iter().any(overlaps) {
        return Err(coded_error(
            "ERR_INVALID_ARG",
            "the output array must not share memory with an input",
        ));
    }
    // SAFETY: this runs synchronously on the JavaScript thread, so no JavaScript can read or write the
    // array while Rust holds this slice, and the check above rules out aliasing with the inputs.
    Ok(unsafe { output.as_mut() })
}

/// AES-256-GCM encryption on the calling thread into `sealed`: `nonce ‖ ciphertext ‖ tag`.
#[napi]
pub fn aes_gcm_seal(
    plaintext: Uint8Array,
    key: Uint8Array,
    aad: Uint8Array,
    mut sealed: Uint8Array,
) -> Result<()> {
    guarded(|| {
        let mut nonce = [0u8; NONCE_BYTES];
        os_random(&mut nonce)?;
        let output = output_bytes(&mut sealed, &[&plaintext, &key, &aad])?;
        seal_into(&nonce, &plaintext, &key, &aad, output)
    })
}

/// AES-256-GCM decryption on the calling thread into `plaintext`; `ERR_DECRYPT` on any failure to
/// authenticate, and then `plaintext` is left untouched.
#[napi]
pub fn aes_gcm_open(
    sealed: Uint8Array,
    key: Uint8Array,
    aad: Uint8Array,
    mut plaintext: Uint8Array,
) -> Result<()> {
    guarded(|| {
        let output = output_bytes(&mut plaintext, &[&sealed, &key, &aad])?;
        open_into(&sealed, &key, &aad, output)
    })
}

// ---- Ed25519 -----------------------------------------------------------------------------------------

fn fixed<const N: usize>(bytes: &[u8], name: &str) -> Result<[u8; N]> {
    bytes.try_into().map_err(|_| {
        coded_error(
            "ERR_INVALID_ARG",
            format!("{name} must be {N} bytes, got {}", bytes.len()),
        )
    })
}

/// `seed(32) ‖ public key(32)`: the RFC 8032 private key from the OS RNG and the public key it gives.
#[napi]
pub fn ed25519_generate(env: &Env) -> Result<Uint8ArraySlice<'_>> {
    guarded(|| {
        let mut seed = Zeroizing::new([0u8; 32]);
        os_random(seed.as_mut())?;
        let signing_key = SigningKey::from_bytes(&seed);
        let mut pair = Zeroizing::new([0u8; 64]);
        pair[..32].copy_from_slice(seed.as_ref());
        pair[32..].copy_from_slice(signing_key.verifying_key().as_bytes());
        to_js(env, pair.as_ref())
    })
}

/// The 64-byte Ed25519 signature of `message` under the 32-byte seed `secret_key`.
#[napi]
pub fn ed25519_sign(
    env: &Env,
    message: Uint8Array,
    secret_key: Uint8Array,
) -> Result<Uint8ArraySlice<'_>> {
    guarded(|| {
        let seed = Zeroizing::new(fixed::<32>(&secret_key, "secretKey")?);
        // SigningKey wipes its copy of the seed and the expanded scalar on drop.
        let signing_key = SigningKey::from_bytes(&seed);
        to_js(env, &signing_key.sign(&message).to_bytes())
    })
}

/// Strict RFC 8032 verification (canonical encodings, no small-order keys or R): false on any mismatch.
#[napi]
pub fn ed25519_verify(
    message: Uint8Array,
    signature: Uint8Array,
    public_key: Uint8Array,
) -> Result<bool> {
    guarded(|| {
        let signature = Signature::from_bytes(&fixed::<64>(&signature, "signature")?);
        let public_key = fixed::<32>(&public_key, "publicKey")?;
        // A key of the right size that is not a curve point cannot have signed anything.
        let Ok(verifying_key) = VerifyingKey::from_bytes(&public_key) else {
            return Ok(false);
        };
        Ok(verifying_key.verify_strict(&message, &signature).is_ok())
    })
}

// ---- Transactions ------------------------------------------------------------------------------------

/// Whether SHA-256(`encoding`) equals `expected`, compared in constant time (`subtle`), so the time taken
/// says nothing about how many leading bytes of a forged digest were right.
#[napi]
pub fn sha256_matches(encoding: Uint8Array, expected: Uint8Array) -> Result<bool> {
    guarded(|| {
        let expected = fixed::<32>(&expected, "expected digest")?;
        Ok(bool::from(sha256(&encoding).ct_eq(&expected)))
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
            hex(key.as_ref()),
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

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    fn seal(nonce: &[u8; NONCE_BYTES], plaintext: &[u8], key: &[u8], aad: &[u8]) -> Vec<u8> {
        let mut sealed = vec![0u8; NONCE_BYTES + plaintext.len() + TAG_BYTES];
        seal_into(nonce, plaintext, key, aad, &mut sealed).unwrap();
        sealed
    }

    fn open(sealed: &[u8], key: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
        let mut plaintext = vec![0u8; sealed.len().saturating_sub(NONCE_BYTES + TAG_BYTES)];
        open_into(sealed, key, aad, &mut plaintext).map(|()| plaintext)
    }

    #[test]
    fn open_reverses_seal_and_binds_the_aad() {
        let key = [7u8; 32];
        let sealed = seal(&[9u8; NONCE_BYTES], b"payment", &key, b"order-1");
        assert_eq!(sealed.len(), NONCE_BYTES + 7 + TAG_BYTES);
        assert_eq!(open(&sealed, &key, b"order-1").unwrap(), b"payment");
        let error = open(&sealed, &key, b"order-2").unwrap_err();
        assert_eq!(error.reason, format!("ERR_DECRYPT: {DECRYPT_FAILED}"));
    }

    #[test]
    fn open_rejects_messages_shorter_than_nonce_and_tag_as_a_decrypt_failure() {
        let error = open(&[0u8; NONCE_BYTES + TAG_BYTES - 1], &[0u8; 32], b"").unwrap_err();
        assert_eq!(error.reason, format!("ERR_DECRYPT: {DECRYPT_FAILED}"));
    }

    #[test]
    fn a_key_or_output_of_the_wrong_size_is_an_invalid_argument() {
        let mut sealed = [0u8; NONCE_BYTES + 1 + TAG_BYTES];
        let error = seal_into(&[0u8; NONCE_BYTES], b"x", &[0u8; 16], b"", &mut sealed).unwrap_err();
        assert_eq!(
            error.reason,
            "ERR_INVALID_ARG: key must be 32 bytes, got 16"
        );
        let error =
            seal_into(&[0u8; NONCE_BYTES], b"xy", &[0u8; 32], b"", &mut sealed).unwrap_err();
        assert_eq!(
            error.reason,
            "ERR_INVALID_ARG: sealed must be 30 bytes for this input, got 29"
        );
        let error = open_into(&sealed, &[0u8; 32], b"", &mut [0u8; 2]).unwrap_err();
        assert_eq!(
            error.reason,
            "ERR_INVALID_ARG: plaintext must be 1 bytes for this input, got 2"
        );
    }

    #[test]
    fn seal_and_open_match_gcm_spec_test_case_16() {
        // McGrew & Viega, "The Galois/Counter Mode of Operation", Test Case 16 (AES-256, 60-byte P, AAD).
        let key = unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        let nonce: [u8; NONCE_BYTES] = unhex("cafebabefacedbaddecaf888").try_into().unwrap();
        let sealed = unhex(concat!(
            "cafebabefacedbaddecaf888",
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa",
            "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
            "76fc6ece0f4e1768cddf8853bb2d551b",
        ));
        let aad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        let plaintext = unhex(concat!(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72",
            "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        ));
        assert_eq!(seal(&nonce, &plaintext, &key, &aad), sealed);
        assert_eq!(open(&sealed, &key, &aad).unwrap(), plaintext);
    }

    #[test]
    fn ed25519_verify_is_strict_about_sizes_and_false_for_non_points() {
        let signing_key = SigningKey::from_bytes(&[1u8; 32]);
        let signature = signing_key.sign(b"m").to_bytes();
        let public_key = signing_key.verifying_key().to_bytes();
        let verify = |message: &[u8], public_key: &[u8]| -> bool {
            let key = VerifyingKey::from_bytes(&fixed::<32>(public_key, "publicKey").unwrap());
            key.is_ok_and(|key| {
                key.verify_strict(message, &Signature::from_bytes(&signature))
                    .is_ok()
            })
        };
        assert!(verify(b"m", &public_key));
        assert!(!verify(b"n", &public_key));
        let error = fixed::<32>(&public_key[..31], "publicKey").unwrap_err();
        assert_eq!(
            error.reason,
            "ERR_INVALID_ARG: publicKey must be 32 bytes, got 31"
        );
    }

    #[test]
    fn guarded_turns_a_panic_into_a_coded_error() {
        let error = guarded::<()>(|| panic!("boom {}", 7)).unwrap_err();
        assert_eq!(error.reason, "ERR_NATIVE_PANIC: boom 7");
    }
}
