//! Work offloaded to libuv's thread pool, panic-safe.

use ::napi::bindgen_prelude::{AsyncTask, ToNapiValue, TypeName};
use ::napi::{Env, Task};

use crate::{guarded, Error, ErrorCode};

type Work<T> = Box<dyn FnOnce() -> Result<T, Error> + Send>;

/// A computation for libuv's pool whose result (or coded error) settles the export's promise.
/// Made by [`offload`].
pub struct Offload<T> {
    work: Option<Work<T>>,
}

/// Runs `work` on libuv's thread pool (`UV_THREADPOOL_SIZE` threads, 4 by default) under the panic
/// guard, and resolves the export's promise with its result. A long `work` should reach a
/// checkpoint (a [`crate::CancelFlag`]'s, or [`crate::checkpoint`]) every fraction of a millisecond.
pub fn offload<T>(work: impl FnOnce() -> Result<T, Error> + Send + 'static) -> AsyncTask<Offload<T>>
where
    T: ToNapiValue + TypeName + Send + 'static,
{
    AsyncTask::new(Offload {
        work: Some(Box::new(work)),
    })
}

impl<T> Task for Offload<T>
where
    T: ToNapiValue + TypeName + Send + 'static,
{
    type Output = T;
    type JsValue = T;

    fn compute(&mut self) -> ::napi::Result<T> {
        let work = self.work.take().ok_or_else(|| {
            Error::new(ErrorCode::INTERNAL, "an offloaded task was computed twice")
        })?;
        Ok(guarded(work)?)
    }

    fn resolve(&mut self, _env: Env, output: T) -> ::napi::Result<T> {
        Ok(output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::napi::Bytes;
    use crate::CancelFlag;
    use std::time::{Duration, Instant};

    fn task<T>(work: impl FnOnce() -> Result<T, Error> + Send + 'static) -> Offload<T> {
        Offload {
            work: Some(Box::new(work)),
        }
    }

    #[test]
    fn a_panic_in_the_pool_becomes_a_native_panic_rejection() {
        let mut panicking = task::<()>(|| panic!("boom on the pool"));
        let error = panicking.compute().unwrap_err();
        assert_eq!(error.reason, "ERR_NATIVE_PANIC: boom on the pool");
        // A task is computed once; a second call is a coded error, not a panic.
        assert!(panicking
            .compute()
            .unwrap_err()
            .reason
            .starts_with("ERR_INTERNAL: "));
    }

    #[test]
    fn a_cancelled_computation_rejects_with_err_aborted() {
        let cancel = CancelFlag::new();
        let polled = cancel.clone();
        let mut long_work = task(move || {
            // Bounded: ten seconds of checkpoints, far longer than the cancel takes to arrive.
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                polled.checkpoint()?;
            }
            Ok(Bytes::from(vec![1u8; 32]))
        });
        let pool_thread = std::thread::spawn(move || long_work.compute().map(drop));
        cancel.cancel();
        let error = pool_thread.join().unwrap().unwrap_err();
        assert_eq!(error.reason, "ERR_ABORTED: cancelled");
    }
}
