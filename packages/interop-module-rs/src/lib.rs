//! The Rust side of `@interop-module/runtime`: what every package that create-interop-module
//! generates shares, so the package's own crate holds just its functions.
//!
//! - [`guarded`]: the panic guard, and [`Error`] with a code from [`ErrorCode`] (the runtime's table,
//!   or a package's own code).
//! - [`CancelFlag`] and [`checkpoint`]: cancellation and cooperative yielding for long work.
//! - [`crypto`] (feature `crypto`): SHA-256 and PBKDF2-HMAC-SHA256 as the template contract has them.
//! - [`napi`] (feature `napi`): panic-safe exports, offloaded tasks, byte results, `CancelToken`.
//! - [`port`] (feature `port`): the serve loop of a port process.
//! - [`wasm`] (feature `wasm`): the wasm32 C ABI the runtime's wasm runner drives.
//! - [`handles`]: native state behind handles that cross a boundary (a port's pipe, a wasm ABI).
//! - [`packed`]: arguments packed into one body (a port's request, a wasm input).
//! - [`example`]: the computation `create-interop-module add` writes into a new function.
//! - feature `crash-tests`: each kind's crash triggers, and the hook of added functions
//!   (`crash`), left out of release builds.

mod cancel;
mod error;
mod guard;

#[cfg(feature = "crash-tests")]
pub mod crash;
#[cfg(feature = "crypto")]
pub mod crypto;
pub mod example;
pub mod handles;
#[cfg(feature = "napi")]
pub mod napi;
pub mod packed;
#[cfg(feature = "port")]
pub mod port;
#[cfg(feature = "wasm")]
pub mod wasm;

pub use cancel::{checkpoint, CancelFlag};
pub use error::{Error, ErrorCode};
pub use guard::{guarded, lock};
