//! SHA-256 and PBKDF2-HMAC-SHA256 for `wasm32-unknown-unknown`, behind the small C ABI that
//! `lib/abi.ts` drives. The ABI's plumbing comes from the `interop-module` crate
//! (vendor/interop-module): `interop_alloc`, `interop_free` and the 32-byte output slot
//! (`interop_output`), and, with `--features crash-tests`, the trap and hang triggers. Each export
//! here reads its inputs with `input` and leaves its result with `write_output`.

use interop_module::crypto::{pbkdf2_sha256, sha256};
use interop_module::wasm::{input, write_output};
use interop_module::CancelFlag;

// Functions added with `create-interop-module add`.
mod functions;

/// # Safety
/// `ptr`/`len` as for `interop_module::wasm::input`.
#[no_mangle]
pub unsafe extern "C" fn interop_sha256(ptr: *const u8, len: usize) {
    write_output(&sha256(input(ptr, len)));
}

/// # Safety
/// Both buffers as for `interop_module::wasm::input`; `iterations` ≥ 1 (checked by the host).
#[no_mangle]
pub unsafe extern "C" fn interop_pbkdf2_sha256(
    password_ptr: *const u8,
    password_len: usize,
    salt_ptr: *const u8,
    salt_len: usize,
    iterations: u32,
) {
    let password = input(password_ptr, password_len);
    let salt = input(salt_ptr, salt_len);
    // Never cancelled from inside: the host ends a call by terminating the worker that runs it.
    let key = pbkdf2_sha256(password, salt, iterations, &CancelFlag::new());
    write_output(&key.expect("the host checks that iterations is at least 1"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use interop_module::crypto::hex;
    use interop_module::wasm::{interop_alloc, interop_free, interop_output, OUTPUT_BYTES};

    fn hex_of_output() -> String {
        // SAFETY: the output slot is OUTPUT_BYTES initialised bytes.
        hex(unsafe { std::slice::from_raw_parts(interop_output(), OUTPUT_BYTES) })
    }

    /// One test, not two: the output slot is shared, and cargo runs tests on parallel threads.
    #[test]
    fn exports_leave_their_results_in_the_output_slot() {
        let data = b"abc";
        let ptr = interop_alloc(data.len());
        // SAFETY: `ptr` has room for `data`, and is freed once, with its length.
        unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), ptr, data.len());
            interop_sha256(ptr, data.len());
            interop_free(ptr, data.len());
        }
        assert_eq!(
            hex_of_output(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );

        // RFC 7914 section 11, first PBKDF2-HMAC-SHA256 vector (its first 32 bytes).
        // SAFETY: both inputs are live slices of the lengths passed.
        unsafe { interop_pbkdf2_sha256(b"passwd".as_ptr(), 6, b"salt".as_ptr(), 4, 1) };
        assert_eq!(
            hex_of_output(),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
    }
}
