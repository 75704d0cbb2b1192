//! Cancellation and cooperative checkpoints for long computations off the JavaScript thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::{Error, ErrorCode};

/// A flag the caller's side sets (napi's `CancelToken`, a port's cancel frame) and a long
/// computation polls at its checkpoints. Clones share the flag.
#[derive(Clone, Debug, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    pub fn new() -> Self {
        CancelFlag::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// A checkpoint of a cancellable computation: `ERR_ABORTED` once cancelled, else [`checkpoint`].
    pub fn checkpoint(&self) -> Result<(), Error> {
        if self.is_cancelled() {
            return Err(Error::new(ErrorCode::ABORTED, "cancelled"));
        }
        checkpoint();
        Ok(())
    }
}

/// Gives the core back, every ~0.1–0.3 ms of work. When busy threads outnumber the cores (libuv runs
/// four, a small machine has two; a port's pools share the cores with its parent), the OS otherwise
/// lets the event-loop thread wait for a full time slice: ~6 ms measured on 2 cores without
/// yielding, ~1.5 ms with it.
pub fn checkpoint() {
    std::thread::yield_now();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_flag_and_checkpoints_see_it() {
        let flag = CancelFlag::new();
        let seen_elsewhere = flag.clone();
        assert_eq!(seen_elsewhere.checkpoint(), Ok(()));
        flag.cancel();
        assert!(seen_elsewhere.is_cancelled());
        let error = seen_elsewhere.checkpoint().unwrap_err();
        assert_eq!(error.to_string(), "ERR_ABORTED: cancelled");
    }

    #[test]
    fn a_flag_set_on_another_thread_stops_a_loop() {
        let flag = CancelFlag::new();
        let worker = {
            let flag = flag.clone();
            std::thread::spawn(move || {
                // Bounded: ten seconds of checkpoints, far longer than the cancel takes.
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
                while std::time::Instant::now() < deadline {
                    flag.checkpoint()?;
                }
                Ok(())
            })
        };
        flag.cancel();
        let outcome: Result<(), Error> = worker.join().unwrap();
        assert_eq!(outcome.unwrap_err().code(), ErrorCode::ABORTED);
    }
}
