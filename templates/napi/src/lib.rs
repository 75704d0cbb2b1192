//! Native side of the package: SHA-256 and PBKDF2-HMAC-SHA256 exposed to Node through napi-rs.
//!
//! The plumbing comes from the `interop-module` crate (vendor/interop-module): `sync` and `offload`
//! run an export under a panic guard (a panic is an `ERR_NATIVE_PANIC` error, never an abort), on
//! this thread or on libuv's pool; errors reach JavaScript as `Error`s whose message starts with a
//! stable code (`ERR_INVALID_ARG: ...`), which lib/index.ts turns into typed `InteropError`s.

use interop_module::crypto::{pbkdf2_sha256, sha256, sha256_yielding};
use interop_module::napi::{offload, sync, Bytes, Input, Offload};
use napi::bindgen_prelude::{AsyncTask, Uint8Array};
use napi::Result;
use napi_derive::napi;

// `CancelToken`: lib/index.ts cancels a running deriveKey or hasher update through it (abort, timeout).
interop_module::napi_cancel_token!();

// `NativeHasher`, the incremental SHA-256 behind createHasher: its state lives in Rust until
// lib/index.ts frees it (dispose, digest) or JavaScript collects it. `liveHashers` counts them.
// A stateful object of your own follows the same few lines: see `napi_sha256_hasher!` in the crate.
interop_module::napi_sha256_hasher!();

// Functions added with `create-interop-module add` (public, as the exports above are: napi exports them).
pub mod functions;

/// SHA-256 of `data`, computed on the calling (JavaScript) thread.
#[napi(ts_return_type = "Uint8Array")]
pub fn hash_sync(data: Uint8Array) -> Result<Bytes> {
    sync(|| Ok(sha256(&data).into()))
}

/// SHA-256 of `data`, computed on the libuv thread pool (`Input`: copied now up to 1 MiB, so the
/// caller may reuse its buffer at once).
#[napi(ts_return_type = "Promise<Uint8Array>")]
pub fn hash(data: Uint8Array) -> AsyncTask<Offload<Bytes>> {
    let data = Input::from(data);
    offload(move || Ok(sha256_yielding(&data).into()))
}

/// PBKDF2-HMAC-SHA256 (32-byte key) on the libuv thread pool; `cancel_token.cancel()` stops it
/// within 1000 rounds.
#[napi(ts_return_type = "Promise<Uint8Array>")]
pub fn derive_key(
    password: Uint8Array,
    salt: Uint8Array,
    iterations: u32,
    cancel_token: &CancelToken,
) -> AsyncTask<Offload<Bytes>> {
    let cancel = cancel_token.flag();
    offload(move || {
        let key = pbkdf2_sha256(&password, &salt, iterations, &cancel)?;
        Ok(key.as_slice().into())
    })
}

// Deliberate failures for the crash tests (crashPanic, crashPanicOffloaded, crashAbort). Compiled
// only with `--features crash-tests`, so a release binary carries neither them nor their marker text.
#[cfg(feature = "crash-tests")]
interop_module::napi_crash_triggers!();

#[cfg(test)]
mod tests {
    use super::*;
    use interop_module::crypto::hex;

    #[test]
    fn hash_sync_is_sha256() {
        let digest = hash_sync(Uint8Array::from(b"abc".to_vec())).unwrap();
        assert_eq!(
            hex(&digest),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
