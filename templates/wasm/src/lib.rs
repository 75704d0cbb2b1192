//! SHA-256 and PBKDF2-HMAC-SHA256 for `wasm32-unknown-unknown`, behind the small C ABI that
//! `lib/abi.ts` drives. The ABI's plumbing comes from the `interop-module` crate
//! (vendor/interop-module): `interop_alloc`, `interop_free` and the 32-byte output slot
//! (`interop_output`), and, with `--features crash-tests`, the trap and hang triggers. Each export
//! here reads its inputs with `input` and leaves its result with `write_output`.

use std::sync::OnceLock;

use interop_module::crypto::{pbkdf2_sha256, sha256, Sha256Hasher};
use interop_module::handles::{Handle, HandleTable, DEFAULT_LIMIT};
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

/// createHasher's state, behind handles this instance hands out; lib/module.ts wraps them, and a
/// trap loses them with the instance. A resource of your own is a table and a few exports like these.
fn hashers() -> &'static HandleTable<Sha256Hasher> {
    static HASHERS: OnceLock<HandleTable<Sha256Hasher>> = OnceLock::new();
    HASHERS.get_or_init(|| HandleTable::new("hasher", DEFAULT_LIMIT))
}

/// A new hasher's handle, or 0 when `DEFAULT_LIMIT` are live.
#[no_mangle]
pub extern "C" fn interop_hasher_create() -> Handle {
    hashers().insert(Sha256Hasher::new()).unwrap_or(0)
}

/// Adds the bytes at `ptr` to hasher `handle`: 1, or 0 if it is not live.
///
/// # Safety
/// `ptr`/`len` as for `interop_module::wasm::input`.
#[no_mangle]
pub unsafe extern "C" fn interop_hasher_update(handle: Handle, ptr: *const u8, len: usize) -> u32 {
    let data = input(ptr, len);
    // The host hands over at most a slice per call, so nothing here needs to stop early.
    let updated = hashers().with(handle, |hasher| hasher.update(data, &CancelFlag::new()));
    u32::from(matches!(updated, Ok(Ok(()))))
}

/// Leaves hasher `handle`'s digest in the output slot: 1, or 0 if it is not live.
#[no_mangle]
pub extern "C" fn interop_hasher_digest(handle: Handle) -> u32 {
    let digested = hashers().with(handle, |hasher| write_output(&hasher.finish()));
    u32::from(digested.is_ok())
}

#[no_mangle]
pub extern "C" fn interop_hasher_free(handle: Handle) {
    hashers().remove(handle);
}

/// Hashers this instance holds (the leak tests read it).
#[no_mangle]
pub extern "C" fn interop_hasher_live() -> u32 {
    u32::try_from(hashers().live()).unwrap_or(u32::MAX)
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

        let hasher = interop_hasher_create();
        // SAFETY: both inputs are live slices of the lengths passed.
        let updated = unsafe {
            interop_hasher_update(hasher, b"a".as_ptr(), 1)
                + interop_hasher_update(hasher, b"bc".as_ptr(), 2)
        };
        assert_eq!(updated, 2);
        assert_eq!(interop_hasher_live(), 1);
        assert_eq!(interop_hasher_digest(hasher), 1);
        assert_eq!(
            hex_of_output(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        interop_hasher_free(hasher);
        assert_eq!(
            (interop_hasher_digest(hasher), interop_hasher_live()),
            (0, 0)
        );
    }
}
