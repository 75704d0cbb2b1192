//! The napi kind's crash triggers (feature `crash-tests`), exported by the addon's crate through
//! [`napi_crash_triggers!`](crate::napi_crash_triggers).

use crate::Error;

/// Text the package's tests search for in the `.node` files: only a crash-tests build contains it.
pub use crate::crash::MARKER;

pub fn panic_on_the_javascript_thread() -> Result<(), Error> {
    panic!("{MARKER}: deliberate panic on the JavaScript thread")
}

pub fn panic_on_a_pool_thread() -> Result<(), Error> {
    panic!("{MARKER}: deliberate panic on a libuv pool thread")
}

/// `abort` is not a panic: catch_unwind cannot stop it, which is the point of this trigger.
pub fn abort() -> Result<(), Error> {
    eprintln!("{MARKER}: aborting the process on purpose");
    std::process::abort()
}

/// Exports `crashPanic`, `crashPanicOffloaded` and `crashAbort` from the invoking crate, and
/// `crashArmPanic`, which makes the next function added with `create-interop-module add` panic
/// ([`crate::crash`]); invoke it under the crate's own `crash-tests` feature, which must enable
/// `interop-module/crash-tests`.
#[macro_export]
macro_rules! napi_crash_triggers {
    () => {
        #[::napi_derive::napi]
        pub fn crash_panic() -> ::napi::Result<()> {
            $crate::napi::sync($crate::napi::crash::panic_on_the_javascript_thread)
        }

        #[::napi_derive::napi(ts_return_type = "Promise<void>")]
        pub fn crash_panic_offloaded(
        ) -> ::napi::bindgen_prelude::AsyncTask<$crate::napi::Offload<()>> {
            $crate::napi::offload($crate::napi::crash::panic_on_a_pool_thread)
        }

        #[::napi_derive::napi]
        pub fn crash_abort() -> ::napi::Result<()> {
            $crate::napi::sync($crate::napi::crash::abort)
        }

        #[::napi_derive::napi]
        pub fn crash_arm_panic() {
            $crate::crash::arm_panic();
        }
    };
}
