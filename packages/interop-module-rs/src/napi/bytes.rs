//! Byte results on their way to JavaScript, as a `Uint8Array`.

use ::napi::bindgen_prelude::{ToNapiValue, TypeName, Uint8Array, Uint8ArraySlice};
use ::napi::{sys, Env, ValueType};
use std::sync::mpsc::{channel, Sender};
use std::sync::OnceLock;
use zeroize::Zeroizing;

/// Results of at least this many bytes are handed over, not copied.
pub const COPY_LIMIT_BYTES: usize = 64 * 1024;

/// A byte result for JavaScript. How it gets there depends on its size, and happens on the
/// JavaScript thread (when the export returns, or when an offloaded task resolves):
///
/// - below [`COPY_LIMIT_BYTES`], it is copied into memory V8 owns, and the Rust buffer is wiped.
///   Handing each small result over instead makes it an external buffer with its own finalizer,
///   and a million such calls left ~300 MB resident in testing.
/// - from [`COPY_LIMIT_BYTES`] on, the buffer itself becomes the array's memory (an external
///   buffer), so nothing is copied: copying a 64 MiB result held the event loop for 34–35 ms.
///   That buffer is not wiped; when V8 collects the array, a thread of its own frees it.
pub struct Bytes(Zeroizing<Vec<u8>>);

impl Bytes {
    fn is_handed_over(&self) -> bool {
        self.0.len() >= COPY_LIMIT_BYTES
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes(Zeroizing::new(bytes))
    }
}

impl From<&[u8]> for Bytes {
    fn from(bytes: &[u8]) -> Self {
        Bytes::from(bytes.to_vec())
    }
}

impl<const N: usize> From<[u8; N]> for Bytes {
    fn from(bytes: [u8; N]) -> Self {
        Bytes::from(bytes.as_slice())
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl TypeName for Bytes {
    fn type_name() -> &'static str {
        "Uint8Array"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

/// Frees a large result off the JavaScript thread. V8 runs an external buffer's finalizer there, and
/// returning 64 MiB to the OS took it 6–7 ms, every time a result was collected.
fn free_elsewhere(buffer: Vec<u8>) {
    static FREER: OnceLock<Option<Sender<Vec<u8>>>> = OnceLock::new();
    let freer = FREER.get_or_init(|| {
        let (sender, receiver) = channel::<Vec<u8>>();
        std::thread::Builder::new()
            .name("interop-module-free".into())
            .spawn(move || receiver.into_iter().for_each(drop))
            .ok()
            .map(|_| sender)
    });
    // Without the thread (it could not start), or should sending fail, the buffer is freed here.
    if let Some(sender) = freer {
        let _ = sender.send(buffer);
    }
}

impl ToNapiValue for Bytes {
    unsafe fn to_napi_value(
        env: sys::napi_env,
        mut bytes: Self,
    ) -> ::napi::Result<sys::napi_value> {
        if bytes.is_handed_over() {
            let mut handed_over = std::mem::ManuallyDrop::new(std::mem::take(&mut *bytes.0));
            let (data, length, capacity) = (
                handed_over.as_mut_ptr(),
                handed_over.len(),
                handed_over.capacity(),
            );
            // SAFETY: V8 owns the buffer until it calls the finalizer, once, with the same pointer and
            // length; the finalizer rebuilds the Vec from them and the capacity, as it was allocated.
            let array = unsafe {
                Uint8Array::with_external_data(data, length, move |data, length| {
                    free_elsewhere(Vec::from_raw_parts(data, length, capacity));
                })
            };
            // SAFETY: `env` is the live environment napi-rs passes to this conversion.
            return unsafe { Uint8Array::to_napi_value(env, array) };
        }
        let copy = &Uint8ArraySlice::copy_from(&Env::from_raw(env), &*bytes.0)?;
        // SAFETY: as above; the copy's value belongs to that same environment.
        unsafe { ToNapiValue::to_napi_value(env, copy) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_from_the_limit_on_are_handed_over_and_smaller_ones_copied() {
        assert!(!Bytes::from([0u8; 32]).is_handed_over());
        assert!(!Bytes::from(vec![0u8; COPY_LIMIT_BYTES - 1]).is_handed_over());
        assert!(Bytes::from(vec![0u8; COPY_LIMIT_BYTES]).is_handed_over());
        assert!(Bytes::from(vec![0u8; 64 << 20]).is_handed_over());
    }
}
