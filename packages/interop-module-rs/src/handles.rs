//! Native state behind handles, for the backends whose JavaScript side cannot hold a Rust value:
//! a port process (the handle crosses the pipe) and a wasm instance (it crosses the ABI). The
//! runtime's resource table (`packages/runtime/src/resources/table.ts`) keeps the other half: the
//! call order, the end states, the loss of every handle when the process or instance is gone.
//!
//! A [`HandleTable`] is bounded (a loop that never frees meets `ERR_RESOURCE_LIMIT`, not the OOM
//! killer), never reuses a handle (a stale one is `ERR_INVALID_STATE`, never another caller's state),
//! and lets calls on different handles run at once while calls on one handle take turns.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::{lock, Error, ErrorCode};

/// How many live states a table of the contract's resources holds: the runtime's `defaultHasherLimit`
/// (test/crate.test.mjs checks they agree), so the JavaScript side refuses first, with its message.
pub const DEFAULT_LIMIT: usize = 10_000;

/// A handle as it crosses the boundary: never 0, never reused by its table.
pub type Handle = u32;

/// Live state of type `T` by handle, at most `limit` at once. `Sync`: a port's pool threads share it.
pub struct HandleTable<T> {
    name: &'static str,
    limit: usize,
    inner: Mutex<Inner<T>>,
}

struct Inner<T> {
    entries: HashMap<Handle, Arc<Mutex<T>>>,
    last: Handle,
}

impl<T> HandleTable<T> {
    /// An empty table; `name` says what the state is in messages ("hasher"). A process-wide one
    /// lives in a `static` behind `std::sync::LazyLock`.
    pub fn new(name: &'static str, limit: usize) -> Self {
        HandleTable {
            name,
            limit,
            inner: Mutex::new(Inner {
                entries: HashMap::new(),
                last: 0,
            }),
        }
    }

    /// Keeps `state` and returns its handle; `ERR_RESOURCE_LIMIT` when `limit` are live.
    pub fn insert(&self, state: T) -> Result<Handle, Error> {
        let mut inner = lock(&self.inner);
        if inner.entries.len() >= self.limit {
            return Err(Error::new(
                ErrorCode::RESOURCE_LIMIT,
                format!(
                    "{} {}s are live, the most this backend holds",
                    self.limit, self.name
                ),
            ));
        }
        let handle = inner.last.checked_add(1).ok_or_else(|| {
            Error::new(
                ErrorCode::RESOURCE_LIMIT,
                format!(
                    "this backend has handed out every {} handle it has",
                    self.name
                ),
            )
        })?;
        inner.last = handle;
        inner.entries.insert(handle, Arc::new(Mutex::new(state)));
        Ok(handle)
    }

    /// Runs `body` on the state behind `handle`, after any call on the same handle running now.
    /// A handle that is not live (freed, or never handed out) is `ERR_INVALID_STATE`. A panic in
    /// `body` leaves the state half-changed: the next call on the handle drops it and is
    /// `ERR_INVALID_STATE` (as a `remove` drops it); run `body` under [`crate::guarded`] to turn the
    /// panic itself into an error.
    pub fn with<R>(&self, handle: Handle, body: impl FnOnce(&mut T) -> R) -> Result<R, Error> {
        let entry = self.entry(handle)?;
        let Ok(mut state) = entry.lock() else {
            return Err(self.unknown_state(handle));
        };
        Ok(body(&mut state))
    }

    /// Takes the state behind `handle` out of the table (to digest it, or to drop it); `None` if it
    /// is not live. A call on it running now finishes first.
    pub fn remove(&self, handle: Handle) -> Option<T> {
        let mut entry = lock(&self.inner).entries.remove(&handle)?;
        // Each call that reached the entry before it left the table holds a reference; no new one can
        // come, so waiting for each holder's turn to end makes the state ours.
        loop {
            match Arc::try_unwrap(entry) {
                // Poisoned: a panic left it half-changed, as good as gone.
                Ok(state) => return state.into_inner().ok(),
                Err(shared) => {
                    drop(shared.lock());
                    std::thread::yield_now();
                    entry = shared;
                }
            }
        }
    }

    /// How many handles are live (leak tests read it).
    pub fn live(&self) -> usize {
        lock(&self.inner).entries.len()
    }

    fn entry(&self, handle: Handle) -> Result<Arc<Mutex<T>>, Error> {
        lock(&self.inner)
            .entries
            .get(&handle)
            .cloned()
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::INVALID_STATE,
                    format!(
                        "no live {} has handle {handle}: it was ended, disposed or never made",
                        self.name
                    ),
                )
            })
    }

    fn unknown_state(&self, handle: Handle) -> Error {
        lock(&self.inner).entries.remove(&handle);
        Error::new(
            ErrorCode::INVALID_STATE,
            format!(
                "a panic while using {} {handle} left its state unknown; it was dropped",
                self.name
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guarded;
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    #[test]
    fn handles_reach_their_own_state_and_are_never_reused() {
        let table = HandleTable::new("counter", 8);
        let first = table.insert(1).unwrap();
        let second = table.insert(10).unwrap();
        assert_ne!(first, 0);
        table.with(first, |count| *count += 1).unwrap();
        assert_eq!(table.with(first, |count| *count).unwrap(), 2);
        assert_eq!(table.with(second, |count| *count).unwrap(), 10);
        assert_eq!(table.remove(first), Some(2));
        let third = table.insert(3).unwrap();
        assert!(third != first && third != second);
        let stale = table.with(first, |_| ()).unwrap_err();
        assert_eq!(stale.code(), ErrorCode::INVALID_STATE);
        assert!(stale.message().contains("counter"), "{stale}");
        assert_eq!(table.remove(first), None);
        assert_eq!(table.live(), 2);
    }

    #[test]
    fn the_limit_is_resource_limit_until_one_is_removed() {
        let table = HandleTable::new("hasher", 2);
        let first = table.insert(()).unwrap();
        table.insert(()).unwrap();
        assert_eq!(
            table.insert(()).unwrap_err().code(),
            ErrorCode::RESOURCE_LIMIT
        );
        table.remove(first);
        assert!(table.insert(()).is_ok());
    }

    #[test]
    fn handles_run_out_as_a_limit_not_a_wrap() {
        let table = HandleTable::new("hasher", 8);
        lock(&table.inner).last = Handle::MAX - 1;
        let last = table.insert(()).unwrap();
        assert_eq!(last, Handle::MAX);
        assert_eq!(
            table.insert(()).unwrap_err().code(),
            ErrorCode::RESOURCE_LIMIT
        );
    }

    #[test]
    fn a_panic_while_using_a_handle_drops_it() {
        let table = HandleTable::new("hasher", 8);
        let handle = table.insert(vec![1u8]).unwrap();
        let other = table.insert(vec![2u8]).unwrap();
        let panicked = guarded(|| table.with(handle, |_| panic!("half-updated"))).unwrap_err();
        assert_eq!(panicked.code(), ErrorCode::NATIVE_PANIC);
        let after = table.with(handle, |state| state.len()).unwrap_err();
        assert_eq!(after.code(), ErrorCode::INVALID_STATE);
        assert!(after.message().contains("panic"), "{after}");
        assert_eq!(table.with(other, |state| state[0]).unwrap(), 2);
        assert_eq!(table.live(), 1);
    }

    #[test]
    fn calls_on_one_handle_take_turns_and_other_handles_do_not_wait() {
        let table = Arc::new(HandleTable::new("log", 8));
        let slow = table.insert(Vec::new()).unwrap();
        let fast = table.insert(Vec::new()).unwrap();
        let (started, wait_started) = mpsc::channel();
        let (release, wait_release) = mpsc::channel::<()>();
        let holder = {
            let table = Arc::clone(&table);
            thread::spawn(move || {
                table
                    .with(slow, |log: &mut Vec<&str>| {
                        started.send(()).unwrap();
                        wait_release.recv_timeout(Duration::from_secs(10)).unwrap();
                        log.push("first");
                    })
                    .unwrap()
            })
        };
        wait_started.recv_timeout(Duration::from_secs(10)).unwrap();
        // Another handle is not held up by the running call.
        table.with(fast, |log| log.push("other")).unwrap();
        let second = {
            let table = Arc::clone(&table);
            thread::spawn(move || table.with(slow, |log| log.push("second")).unwrap())
        };
        release.send(()).unwrap();
        holder.join().unwrap();
        second.join().unwrap();
        assert_eq!(table.remove(slow), Some(vec!["first", "second"]));
        assert_eq!(table.live(), 1);
    }

    #[test]
    fn remove_waits_for_the_running_call() {
        let table = Arc::new(HandleTable::new("log", 8));
        let handle = table.insert(Vec::new()).unwrap();
        let (started, wait_started) = mpsc::channel();
        let running = {
            let table = Arc::clone(&table);
            thread::spawn(move || {
                table
                    .with(handle, |log: &mut Vec<u8>| {
                        started.send(()).unwrap();
                        thread::sleep(Duration::from_millis(20));
                        log.push(1);
                    })
                    .unwrap()
            })
        };
        wait_started.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(table.remove(handle), Some(vec![1]));
        running.join().unwrap();
    }
}
