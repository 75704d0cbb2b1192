//! The panic guard: a panic in a package's code becomes an `ERR_NATIVE_PANIC` error instead of
//! unwinding into Node (which aborts the process) or ending a port.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Mutex, MutexGuard};

use crate::{Error, ErrorCode};

/// Runs `body`; a panic in it is returned as an `ERR_NATIVE_PANIC` error with the panic's message.
/// Every export, offloaded computation and port request goes through it.
pub fn guarded<T>(body: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        let message = panic_message(payload.as_ref());
        // A payload whose Drop panics again would escape here; leaking that rare payload is safer.
        if let Err(nested) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
            std::mem::forget(nested);
        }
        Err(Error::new(ErrorCode::NATIVE_PANIC, message))
    })
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

/// Locks `mutex` even if a panic poisoned it: work runs under [`guarded`], so a poisoned lock only
/// means a panic elsewhere, and the data behind it is intact.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_native_panic_error_with_its_message() {
        let error = guarded::<()>(|| panic!("boom {}", 7)).unwrap_err();
        assert_eq!(error.to_string(), "ERR_NATIVE_PANIC: boom 7");
        let error = guarded::<()>(|| std::panic::panic_any(42u8)).unwrap_err();
        assert_eq!(error.message(), "panic with a non-string payload");
    }

    #[test]
    fn results_and_errors_pass_through() {
        assert_eq!(guarded(|| Ok(3)), Ok(3));
        let failure = Error::new(ErrorCode::INVALID_ARG, "no");
        assert_eq!(guarded::<()>(|| Err(failure.clone())), Err(failure));
    }

    /// A payload whose own Drop panics: without the second guard it would unwind out of `guarded`.
    struct PanicsOnDrop;

    impl Drop for PanicsOnDrop {
        fn drop(&mut self) {
            panic!("panicking in drop");
        }
    }

    #[test]
    fn a_payload_that_panics_when_dropped_does_not_escape() {
        let error = guarded::<()>(|| std::panic::panic_any(PanicsOnDrop)).unwrap_err();
        assert_eq!(error.code(), ErrorCode::NATIVE_PANIC);
    }

    #[test]
    fn lock_recovers_a_poisoned_mutex() {
        let mutex = Mutex::new(1);
        let _ = catch_unwind(AssertUnwindSafe(|| {
            let _held = mutex.lock().unwrap();
            panic!("poisoning");
        }));
        assert!(mutex.is_poisoned());
        assert_eq!(*lock(&mutex), 1);
    }
}
