//! Bytes from JavaScript for work that runs after the export returns (on libuv's pool).

use ::napi::bindgen_prelude::Uint8Array;
use zeroize::Zeroizing;

/// Inputs up to this many bytes are copied when the call is made: the runtime's
/// `LIMITS.copiedAtCallBytes` (test/crate.test.mjs holds them equal).
pub const COPIED_AT_CALL_BYTES: usize = 1024 * 1024;

/// A call's bytes, taken as the contract takes every call's input (the runtime's large-input.ts): up to
/// [`COPIED_AT_CALL_BYTES`] copied at once, on the JavaScript thread, so the caller may reuse its buffer
/// as soon as the call returns; a larger one read in place, and it must not change until the call
/// settles. Copied here rather than in JavaScript, where `new Uint8Array(bytes)` of 1 MiB cost about
/// 270 µs of the event loop against 80 µs for this copy. The copy may hold a secret (a password, a key),
/// so it is wiped when dropped, on the pool thread that ran the call.
pub enum Input {
    Copied(Zeroizing<Vec<u8>>),
    InPlace(Uint8Array),
}

impl From<Uint8Array> for Input {
    fn from(bytes: Uint8Array) -> Self {
        if bytes.len() <= COPIED_AT_CALL_BYTES {
            Input::Copied(Zeroizing::new(bytes.to_vec()))
        } else {
            Input::InPlace(bytes)
        }
    }
}

impl std::ops::Deref for Input {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Input::Copied(bytes) => bytes,
            Input::InPlace(bytes) => bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_up_to_the_limit_are_copied_and_larger_ones_read_in_place() {
        for (len, copied) in [
            (0, true),
            (COPIED_AT_CALL_BYTES, true),
            (COPIED_AT_CALL_BYTES + 1, false),
        ] {
            let input = Input::from(Uint8Array::from(vec![7u8; len]));
            assert_eq!(matches!(input, Input::Copied(_)), copied, "{len} bytes");
            assert_eq!(input.len(), len);
            assert!(input.iter().all(|&byte| byte == 7));
        }
    }
}
