//! Native state behind a napi class, the NIF resource object: the class holds a [`Shared`], its
//! offloaded methods work on the state on libuv's pool, `free()` drops it at once, and napi's
//! finalizer drops it when JavaScript has collected the object. The runtime's resource table keeps
//! the calls in order, so a method never waits here for another one.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use ::napi::bindgen_prelude::{AsyncTask, ToNapiValue, TypeName};

use super::{offload, Offload};
use crate::{lock, Error, ErrorCode};

/// How many states of one type are live (not freed, not dropped): leak tests read it.
pub struct Live {
    name: &'static str,
    count: AtomicUsize,
}

impl Live {
    pub const fn new(name: &'static str) -> Self {
        Live {
            name,
            count: AtomicUsize::new(0),
        }
    }

    pub fn count(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }
}

/// The state of one resource, counted in its type's [`Live`] until freed or dropped.
pub struct Shared<T> {
    live: &'static Live,
    state: Arc<Mutex<Option<T>>>,
}

impl<T: Send + 'static> Shared<T> {
    pub fn new(live: &'static Live, state: T) -> Self {
        live.count.fetch_add(1, Ordering::Relaxed);
        Shared {
            live,
            state: Arc::new(Mutex::new(Some(state))),
        }
    }

    /// Runs `body` on the state, on this thread: `ERR_INVALID_STATE` once it is freed.
    pub fn with<R>(&self, body: impl FnOnce(&mut T) -> Result<R, Error>) -> Result<R, Error> {
        with_state(self.live, &self.state, body)
    }

    /// Runs `body` on the state on libuv's pool, under the panic guard. A panic leaves the state
    /// half-changed, so it is dropped: later calls are `ERR_INVALID_STATE`.
    pub fn offload<R>(
        &self,
        body: impl FnOnce(&mut T) -> Result<R, Error> + Send + 'static,
    ) -> AsyncTask<Offload<R>>
    where
        R: ToNapiValue + TypeName + Send + 'static,
    {
        let (live, state) = (self.live, Arc::clone(&self.state));
        offload(move || with_state(live, &state, body))
    }

    /// Drops the state now, instead of when JavaScript collects its object. Idempotent.
    pub fn free(&self) {
        if lock(&self.state).take().is_some() {
            self.live.count.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

impl<T> Drop for Shared<T> {
    fn drop(&mut self) {
        // A pool thread may still hold the state for a call given up on; it is counted until then, no longer.
        if lock(&self.state).take().is_some() {
            self.live.count.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

fn with_state<T, R>(
    live: &Live,
    state: &Mutex<Option<T>>,
    body: impl FnOnce(&mut T) -> Result<R, Error>,
) -> Result<R, Error> {
    let mut guard = match state.lock() {
        Ok(guard) => guard,
        Err(poisoned) => {
            // A panic in an earlier call left it half-changed: dropped, and no longer counted.
            if poisoned.into_inner().take().is_some() {
                live.count.fetch_sub(1, Ordering::Relaxed);
            }
            return Err(Error::new(
                ErrorCode::INVALID_STATE,
                format!(
                    "a panic while using this {} left its state unknown; it was dropped",
                    live.name
                ),
            ));
        }
    };
    let Some(state) = guard.as_mut() else {
        return Err(Error::new(
            ErrorCode::INVALID_STATE,
            format!("this {} was freed", live.name),
        ));
    };
    body(state)
}

/// Defines `NativeHasher` (the contract's incremental SHA-256: `update` offloaded and cancellable,
/// `digest`, `free`) and `liveHashers()` in the invoking crate, which must also invoke
/// [`napi_cancel_token!`](crate::napi_cancel_token). Needs the `crypto` feature. A resource of your
/// own follows the same few lines: a `#[napi]` struct holding a [`Shared`], its methods calling
/// `with` or `offload`, and `free`.
#[cfg(feature = "crypto")]
#[macro_export]
macro_rules! napi_sha256_hasher {
    () => {
        static LIVE_HASHERS: $crate::napi::Live = $crate::napi::Live::new("hasher");

        /// Incremental SHA-256 state; lib/index.ts wraps it in the contract's `Hasher`.
        #[::napi_derive::napi]
        pub struct NativeHasher {
            state: $crate::napi::Shared<$crate::crypto::Sha256Hasher>,
        }

        #[::napi_derive::napi]
        impl NativeHasher {
            #[napi(constructor)]
            #[allow(clippy::new_without_default)] // napi constructors are plain `new` functions
            pub fn new() -> Self {
                NativeHasher {
                    state: $crate::napi::Shared::new(&LIVE_HASHERS, Default::default()),
                }
            }

            /// Adds `data` on libuv's pool; `cancel_token.cancel()` stops it within 256 KiB.
            #[napi(ts_return_type = "Promise<void>")]
            pub fn update(
                &self,
                data: ::napi::bindgen_prelude::Uint8Array,
                cancel_token: &CancelToken,
            ) -> ::napi::bindgen_prelude::AsyncTask<$crate::napi::Offload<()>> {
                let cancel = cancel_token.flag();
                self.state
                    .offload(move |hasher| hasher.update(&data, &cancel))
            }

            /// Adds `data` on this thread: for an update small enough that a trip to the pool would
            /// cost more than hashing it (lib/index.ts sends up to 256 KiB, ~0.2 ms). A borrowed
            /// slice, as the call ends before JavaScript runs again: no reference to create and
            /// delete (0.5 of the 1.8 µs a call cost, measured).
            #[napi]
            pub fn update_sync(
                &self,
                data: ::napi::bindgen_prelude::Uint8ArraySlice,
            ) -> ::napi::Result<()> {
                $crate::napi::sync(|| {
                    self.state
                        .with(|hasher| hasher.update(&data, &$crate::CancelFlag::new()))
                })
            }

            /// The digest (32 bytes, on this thread: a few hundred nanoseconds).
            #[napi(ts_return_type = "Uint8Array")]
            pub fn digest(&self) -> ::napi::Result<$crate::napi::Bytes> {
                $crate::napi::sync(|| {
                    self.state
                        .with(|hasher| Ok(hasher.finish().as_slice().into()))
                })
            }

            #[napi]
            pub fn free(&self) {
                self.state.free();
            }
        }

        /// Hashers whose state this addon holds now.
        #[::napi_derive::napi]
        pub fn live_hashers() -> u32 {
            u32::try_from(LIVE_HASHERS.count()).unwrap_or(u32::MAX)
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    static LIVE: Live = Live::new("counter");

    #[test]
    fn states_are_counted_until_freed_or_dropped_and_refused_after() {
        let before = LIVE.count();
        let first = Shared::new(&LIVE, 1u32);
        let second = Shared::new(&LIVE, 2u32);
        assert_eq!(LIVE.count(), before + 2);
        first
            .with(|count| {
                *count += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!(first.with(|count| Ok(*count)), Ok(2));
        first.free();
        first.free();
        assert_eq!(LIVE.count(), before + 1);
        let error = first.with(|_| Ok(())).unwrap_err();
        assert_eq!(error.code(), ErrorCode::INVALID_STATE);
        assert!(error.message().contains("counter was freed"), "{error}");
        drop(second);
        drop(first);
        assert_eq!(LIVE.count(), before);
    }

    #[test]
    fn a_panic_drops_the_half_changed_state() {
        static PANICKY: Live = Live::new("hasher");
        let shared = Shared::new(&PANICKY, vec![1u8]);
        let state = Arc::clone(&shared.state);
        let panicked = crate::guarded(|| {
            with_state(&PANICKY, &state, |_: &mut Vec<u8>| -> Result<(), Error> {
                panic!("midway")
            })
        });
        assert_eq!(panicked.unwrap_err().code(), ErrorCode::NATIVE_PANIC);
        let after = shared.with(|state| Ok(state.len())).unwrap_err();
        assert_eq!(after.code(), ErrorCode::INVALID_STATE);
        assert!(after.message().contains("panic"), "{after}");
        // Dropped with the panic, so no longer counted; a free or the finalizer later counts nothing.
        assert_eq!(PANICKY.count(), 0);
        shared.free();
        drop(shared);
        assert_eq!(PANICKY.count(), 0);
    }
}
