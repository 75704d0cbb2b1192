//! The crash hook of the functions `create-interop-module add` writes (feature `crash-tests`): their
//! panic tests arm it through the kind's own trigger (napi `crashArmPanic`, the port's `crash` method
//! with `arm-panic`, wasm `interop_crash_arm_panic`), and the next added function that runs panics.
//! Release builds leave the hook and its calls out.

use std::sync::atomic::{AtomicBool, Ordering};

/// Text the packages' tests search their binaries for: only a crash-tests build contains it.
pub const MARKER: &str = "interop-crash-trigger";

static ARMED: AtomicBool = AtomicBool::new(false);

/// Makes the next added function that calls [`panic_if_armed`] panic.
pub fn arm_panic() {
    ARMED.store(true, Ordering::SeqCst);
}

/// Called first by every added function in a crash-tests build: panics, once, after [`arm_panic`].
pub fn panic_if_armed(function: &str) {
    if ARMED.swap(false, Ordering::SeqCst) {
        panic!("{MARKER}: deliberate panic in {function}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{guarded, ErrorCode};

    #[test]
    fn an_armed_hook_panics_once() {
        arm_panic();
        let error = guarded(|| {
            panic_if_armed("checksum");
            Ok(())
        })
        .unwrap_err();
        assert_eq!(error.code(), ErrorCode::NATIVE_PANIC);
        assert_eq!(
            error.message(),
            "interop-crash-trigger: deliberate panic in checksum"
        );
        panic_if_armed("checksum");
    }
}
