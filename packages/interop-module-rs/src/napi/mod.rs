//! napi-rs helpers (feature `napi`): exports that cannot panic into Node, work offloaded to libuv's
//! pool, inputs taken as the contract takes them, byte results that never block the event loop on a
//! copy, and a cancel token for JavaScript.
//!
//! ```ignore
//! use interop_module::napi::{offload, sync, Bytes, Input, Offload};
//! use napi::bindgen_prelude::{AsyncTask, Uint8Array};
//! use napi_derive::napi;
//!
//! interop_module::napi_cancel_token!();
//!
//! #[napi(ts_return_type = "Uint8Array")]
//! pub fn hash_sync(data: Uint8Array) -> napi::Result<Bytes> {
//!     sync(|| Ok(sha256(&data).into()))
//! }
//!
//! #[napi(ts_return_type = "Promise<Uint8Array>")]
//! pub fn derive_key(password: Uint8Array, cancel_token: &CancelToken) -> AsyncTask<Offload<Bytes>> {
//!     let password = Input::from(password); // read on the pool: copied now, up to 1 MiB
//!     let cancel = cancel_token.flag();
//!     offload(move || Ok(slow_work(&password, &cancel)?.into()))
//! }
//! ```
//!
//! `#[napi]` items only reach JavaScript from the crate that builds the addon: defined in this
//! crate, their registration is dropped by the linker whenever the addon references nothing else
//! in the same object file, while the generated `.d.ts` still declares them. So the cancel token
//! and the crash triggers are macros that the addon's crate invokes.

mod bytes;
#[cfg(feature = "crash-tests")]
pub mod crash;
mod input;
mod offload;
mod shared;

pub use bytes::{Bytes, COPY_LIMIT_BYTES};
pub use input::{Input, COPIED_AT_CALL_BYTES};
pub use offload::{offload, Offload};
pub use shared::{Live, Shared};

use crate::{guarded, Error};

impl From<Error> for ::napi::Error {
    fn from(error: Error) -> Self {
        ::napi::Error::new(::napi::Status::GenericFailure, error.to_string())
    }
}

/// Runs an export's body on the JavaScript thread under the panic guard; a failure reaches
/// JavaScript as an `Error` whose message starts with its code, which `toInteropError` reads.
pub fn sync<T>(body: impl FnOnce() -> Result<T, Error>) -> ::napi::Result<T> {
    Ok(guarded(body)?)
}

/// Defines the `CancelToken` class in the invoking crate: JavaScript calls `cancel()` on it (from an
/// AbortSignal), and an offloaded computation polls `token.flag()` at its checkpoints.
#[macro_export]
macro_rules! napi_cancel_token {
    () => {
        /// Shared flag that JavaScript sets to stop an offloaded call at its next checkpoint.
        #[::napi_derive::napi]
        pub struct CancelToken {
            flag: $crate::CancelFlag,
        }

        #[::napi_derive::napi]
        impl CancelToken {
            #[napi(constructor)]
            #[allow(clippy::new_without_default)] // napi constructors are plain `new` functions
            pub fn new() -> Self {
                CancelToken {
                    flag: $crate::CancelFlag::new(),
                }
            }

            #[napi]
            pub fn cancel(&self) {
                self.flag.cancel();
            }
        }

        impl CancelToken {
            /// The flag this token sets, for the computation to poll.
            pub fn flag(&self) -> $crate::CancelFlag {
                self.flag.clone()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn a_failure_crosses_as_a_message_starting_with_its_code() {
        let error = sync::<()>(|| Err(Error::new(ErrorCode::INVALID_ARG, "data"))).unwrap_err();
        assert_eq!(error.reason, "ERR_INVALID_ARG: data");
        let error = sync::<()>(|| panic!("boom")).unwrap_err();
        assert_eq!(error.reason, "ERR_NATIVE_PANIC: boom");
    }

    // The macro expands as it does in an addon's crate (napi-derive is a dev-dependency).
    crate::napi_cancel_token!();

    // The hasher as an addon's crate gets it (it needs the token above).
    #[cfg(feature = "crypto")]
    mod hasher {
        #![allow(dead_code)]
        use super::CancelToken;
        crate::napi_sha256_hasher!();

        #[test]
        fn the_hasher_digests_counts_and_frees() {
            let hasher = NativeHasher::new();
            assert_eq!(live_hashers(), 1);
            let digest = hasher.digest().unwrap();
            assert_eq!(
                crate::crypto::hex(&digest),
                crate::crypto::hex(&crate::crypto::sha256(b""))
            );
            hasher.free();
            assert_eq!(live_hashers(), 0);
            let Err(refused) = hasher.digest() else {
                panic!("a freed hasher digested")
            };
            assert!(refused.reason.starts_with("ERR_INVALID_STATE: "));
        }
    }

    #[test]
    fn the_cancel_token_sets_the_flag_its_computation_polls() {
        let token = CancelToken::new();
        let flag = token.flag();
        assert!(!flag.is_cancelled());
        token.cancel();
        assert!(flag.is_cancelled());
    }

    /// The triggers as an addon's crate gets them; `crashAbort` ends the process and
    /// `crashPanicOffloaded` needs libuv, so the templates' crash tests run those two.
    #[cfg(feature = "crash-tests")]
    mod triggers {
        #![allow(dead_code)]
        crate::napi_crash_triggers!();
    }

    #[cfg(feature = "crash-tests")]
    #[test]
    fn the_panic_trigger_rejects_with_its_marker_text() {
        let error = triggers::crash_panic().unwrap_err();
        assert_eq!(
            error.reason,
            "ERR_NATIVE_PANIC: interop-crash-trigger: deliberate panic on the JavaScript thread"
        );
    }
}
