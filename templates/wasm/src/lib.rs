//! SHA-256 and PBKDF2-HMAC-SHA256 for `wasm32-unknown-unknown`, behind a small C ABI that
//! `lib/abi.ts` drives. The caller owns every buffer: it allocates with `interop_alloc`, frees with
//! `interop_free`, and reads results from the 32-byte output slot.

use sha2::{Digest, Sha256};
use std::alloc::{alloc, dealloc, Layout};

const DIGEST_BYTES: usize = 32;

/// Where every call leaves its 32-byte result: one static slot, so results need no allocation.
static mut OUTPUT: [u8; DIGEST_BYTES] = [0; DIGEST_BYTES];

fn output() -> &'static mut [u8; DIGEST_BYTES] {
    // SAFETY: an instance runs one call at a time (wasm32-unknown-unknown has no threads) and the
    // caller copies the slot out before its next call.
    unsafe { &mut *std::ptr::addr_of_mut!(OUTPUT) }
}

/// # Safety
/// `ptr`/`len` must come from `interop_alloc`, or `len` must be 0.
unsafe fn input<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    }
}

/// Address of the output slot.
#[no_mangle]
pub extern "C" fn interop_output() -> *const u8 {
    output().as_ptr()
}

/// Allocates `len` (> 0) bytes; returns 0 when the memory cannot grow (the cap set by the host),
/// instead of aborting, so the host can report a typed error.
#[no_mangle]
pub extern "C" fn interop_alloc(len: usize) -> *mut u8 {
    match Layout::from_size_align(len, 1) {
        // SAFETY: the layout has a non-zero size.
        Ok(layout) if len > 0 => unsafe { alloc(layout) },
        _ => std::ptr::null_mut(),
    }
}

/// # Safety
/// `ptr` must come from `interop_alloc(len)` and not be freed twice.
#[no_mangle]
pub unsafe extern "C" fn interop_free(ptr: *mut u8, len: usize) {
    if let Ok(layout) = Layout::from_size_align(len, 1) {
        dealloc(ptr, layout);
    }
}

/// # Safety
/// `ptr`/`len` as for `input`.
#[no_mangle]
pub unsafe extern "C" fn interop_sha256(ptr: *const u8, len: usize) {
    output().copy_from_slice(&Sha256::digest(input(ptr, len)));
}

/// # Safety
/// Both buffers as for `input`; `iterations` ≥ 1 (checked by the host).
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
    pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, output());
}

/// A panic: with `panic = "abort"` it compiles to an `unreachable` trap.
#[cfg(feature = "crash-tests")]
#[no_mangle]
pub extern "C" fn interop_crash_trap() {
    panic!("interop-crash-trigger: trapping on purpose");
}

/// Never returns: only terminating the thread that runs it ends it.
#[cfg(feature = "crash-tests")]
#[no_mangle]
pub extern "C" fn interop_crash_hang() {
    let mut spins: u64 = 0;
    loop {
        // A volatile write keeps the loop from being optimised into something else.
        spins = spins.wrapping_add(1);
        // SAFETY: writing a local through its own pointer.
        unsafe { std::ptr::write_volatile(&mut spins, spins) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    /// One test, not three: the output slot is shared, and cargo runs tests on parallel threads.
    #[test]
    fn abi_round_trip() {
        let data = b"abc";
        let ptr = interop_alloc(data.len());
        unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), ptr, data.len());
            interop_sha256(ptr, data.len());
            interop_free(ptr, data.len());
        }
        assert_eq!(
            hex(output()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );

        // RFC 7914 section 11, first PBKDF2-HMAC-SHA256 vector (its first 16 bytes).
        unsafe { interop_pbkdf2_sha256(b"passwd".as_ptr(), 6, b"salt".as_ptr(), 4, 1) };
        assert_eq!(hex(&output()[..16]), "55ac046e56e3089fec1691c22544b605");

        assert!(interop_alloc(0).is_null());
    }
}
