//! The wasm32 C ABI (feature `wasm`) that `@interop-module/runtime/wasm` drives: the host copies
//! inputs in with `interop_alloc`, calls an export of the package with (pointer, length) pairs,
//! reads the 32-byte result from `interop_output()`, and frees with `interop_free`. Panics compile to
//! traps (`panic = "abort"`), after which the host discards the instance.
//!
//! A package's export reads its inputs with [`input`] and leaves its result with [`write_output`]:
//!
//! ```ignore
//! #[no_mangle]
//! pub unsafe extern "C" fn interop_sha256(ptr: *const u8, len: usize) {
//!     interop_module::wasm::write_output(&sha256(interop_module::wasm::input(ptr, len)));
//! }
//! ```
//!
//! A result of any length (the bytes and strings of functions `create-interop-module add` writes)
//! goes through [`write_result`] instead, which the host reads from `interop_result()` and
//! `interop_result_len()`.

use std::alloc::{alloc, dealloc, Layout};
use std::cell::RefCell;

/// Size of the output slot: every result of the contract (a digest, a key) is 32 bytes.
pub const OUTPUT_BYTES: usize = 32;

/// Where every call leaves its result: one static slot, so results need no allocation.
static mut OUTPUT: [u8; OUTPUT_BYTES] = [0; OUTPUT_BYTES];

/// Leaves `result` in the output slot, for the host to copy out after the call.
pub fn write_output(result: &[u8; OUTPUT_BYTES]) {
    // SAFETY: an instance runs one call at a time (wasm32-unknown-unknown has no threads), and the
    // host copies the slot out before its next call, so nothing else reads or writes it now.
    unsafe { std::ptr::addr_of_mut!(OUTPUT).write(*result) }
}

/// The bytes the host copied in at `ptr`.
///
/// # Safety
/// `ptr`/`len` must come from `interop_alloc(len)` and stay allocated while the slice is used, or
/// `len` must be 0 (the host passes a null pointer for empty inputs).
pub unsafe fn input<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        // SAFETY: the caller's guarantee above.
        unsafe { std::slice::from_raw_parts(ptr, len) }
    }
}

thread_local! {
    /// The last result of any length. An instance runs one call at a time, and the host copies the
    /// result out before its next call; the buffer is replaced, not grown, so a large result's memory
    /// goes back to the allocator with the next one.
    static RESULT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Leaves `result` for the host to copy out after the call (`interop_result`, `interop_result_len`).
pub fn write_result(result: Vec<u8>) {
    RESULT.with(|slot| *slot.borrow_mut() = result);
}

/// Address of the last result that [`write_result`] left.
#[no_mangle]
pub extern "C" fn interop_result() -> *const u8 {
    RESULT.with(|slot| slot.borrow().as_ptr())
}

/// Length of the last result that [`write_result`] left.
#[no_mangle]
pub extern "C" fn interop_result_len() -> usize {
    RESULT.with(|slot| slot.borrow().len())
}

/// Address of the output slot.
#[no_mangle]
pub extern "C" fn interop_output() -> *const u8 {
    std::ptr::addr_of!(OUTPUT).cast()
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
        // SAFETY: the caller's guarantee above; the layout is the one it was allocated with.
        unsafe { dealloc(ptr, layout) }
    }
}

/// The wasm kind's crash triggers (feature `crash-tests`), exported as they are.
#[cfg(feature = "crash-tests")]
mod crash {
    /// A panic: with `panic = "abort"` it compiles to an `unreachable` trap.
    #[no_mangle]
    pub extern "C" fn interop_crash_trap() {
        panic!("interop-crash-trigger: trapping on purpose");
    }

    /// Makes the next function added with `create-interop-module add` trap (crate::crash).
    #[no_mangle]
    pub extern "C" fn interop_crash_arm_panic() {
        crate::crash::arm_panic();
    }

    /// Never returns: only terminating the thread that runs it ends it.
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output() -> [u8; OUTPUT_BYTES] {
        // SAFETY: the slot is 32 initialised bytes, and this test is its only user.
        unsafe { *interop_output().cast::<[u8; OUTPUT_BYTES]>() }
    }

    /// One test, not several: the output slot is shared, and cargo runs tests on parallel threads.
    #[test]
    fn inputs_go_in_through_alloc_and_results_come_out_of_the_slot() {
        let data = b"some input";
        let ptr = interop_alloc(data.len());
        assert!(!ptr.is_null());
        // SAFETY: `ptr` has room for `data`, and is freed once, with its length.
        let copied = unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), ptr, data.len());
            let copied = input(ptr, data.len()).to_vec();
            interop_free(ptr, data.len());
            copied
        };
        assert_eq!(copied, data);
        // SAFETY: an empty input may come with a null pointer.
        assert!(unsafe { input(std::ptr::null(), 0) }.is_empty());

        write_output(&[7u8; OUTPUT_BYTES]);
        assert_eq!(output(), [7u8; OUTPUT_BYTES]);
        assert!(interop_alloc(0).is_null());

        write_result(b"any length".to_vec());
        // SAFETY: the result is interop_result_len() initialised bytes until the next write_result.
        let result = unsafe { std::slice::from_raw_parts(interop_result(), interop_result_len()) };
        assert_eq!(result, b"any length");
    }
}
