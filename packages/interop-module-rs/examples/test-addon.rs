//! The addon test/addon.test.mjs loads: byte results of any size, offloaded and on the JavaScript
//! thread, so the tests can time what reaching JavaScript costs the event loop.

use interop_module::napi::{offload, sync, Bytes, Offload};
use napi::bindgen_prelude::AsyncTask;
use napi_derive::napi;

/// `length` bytes, each `length % 251`, made on libuv's pool.
#[napi(ts_return_type = "Promise<Uint8Array>")]
pub fn bytes_of_length(length: u32) -> AsyncTask<Offload<Bytes>> {
    offload(move || Ok(filled(length).into()))
}

/// The same, made on the JavaScript thread.
#[napi(ts_return_type = "Uint8Array")]
pub fn bytes_of_length_sync(length: u32) -> napi::Result<Bytes> {
    sync(|| Ok(filled(length).into()))
}

fn filled(length: u32) -> Vec<u8> {
    vec![(length % 251) as u8; length as usize]
}
