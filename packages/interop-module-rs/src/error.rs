//! Coded errors. Every failure that crosses into JavaScript carries a code from the runtime's table
//! (`packages/runtime/src/errors.ts`, checked equal to [`ErrorCode::TABLE`] by test/crate.test.mjs),
//! or a package's own code made with [`ErrorCode::custom`].

use std::fmt;

/// A stable error code: `ERR_` and capitals, as the TypeScript side reads it back
/// (`toInteropError` for napi messages, the supervisor for port replies).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ErrorCode(&'static str);

/// Declares the runtime's codes, in its order, and the table of them.
macro_rules! runtime_codes {
    ($($(#[$doc:meta])* $name:ident = $code:literal,)+) => {
        impl ErrorCode {
            $($(#[$doc])* pub const $name: ErrorCode = ErrorCode($code);)+
            /// The runtime's table, in its order.
            pub const TABLE: &'static [ErrorCode] = &[$(ErrorCode::$name),+];
        }
    };
}

runtime_codes! {
    /// An argument of the wrong type, size or range.
    INVALID_ARG = "ERR_INVALID_ARG",
    /// The caller's AbortSignal fired (here: the call was cancelled).
    ABORTED = "ERR_ABORTED",
    /// `timeoutMs` passed before a result.
    TIMEOUT = "ERR_TIMEOUT",
    /// Rust code panicked; the process lives on.
    NATIVE_PANIC = "ERR_NATIVE_PANIC",
    /// The wasm instance trapped.
    WASM_TRAP = "ERR_WASM_TRAP",
    /// The input does not fit under the wasm instance's memory cap.
    WASM_MEMORY = "ERR_WASM_MEMORY",
    /// The port process died while the call was in flight.
    PORT_CRASHED = "ERR_PORT_CRASHED",
    /// The port is restarting too often, or closed.
    PORT_UNAVAILABLE = "ERR_PORT_UNAVAILABLE",
    /// A frame over the configured limit.
    FRAME_TOO_LARGE = "ERR_FRAME_TOO_LARGE",
    /// A malformed frame or reply.
    PROTOCOL = "ERR_PROTOCOL",
    /// Too many calls in flight.
    BACKPRESSURE = "ERR_BACKPRESSURE",
    /// A message that could not be authenticated and decrypted.
    DECRYPT = "ERR_DECRYPT",
    /// A shipped binary does not match its package's integrity manifest (raised by the loaders).
    NATIVE_INTEGRITY = "ERR_NATIVE_INTEGRITY",
    /// The package itself is broken.
    INTERNAL = "ERR_INTERNAL",
    /// A call on a resource that was ended (digested) or disposed.
    INVALID_STATE = "ERR_INVALID_STATE",
    /// The state behind a resource's handle is gone with the backend that held it.
    RESOURCE_LOST = "ERR_RESOURCE_LOST",
    /// Too many live resources in one backend instance.
    RESOURCE_LIMIT = "ERR_RESOURCE_LIMIT",
}

impl ErrorCode {
    /// A package's own code, e.g. `ErrorCode::custom("ERR_GATEWAY_REJECTED")`. Checked when the
    /// constant is evaluated: `ERR_` then capitals and underscores, at most 255 bytes (the wire's
    /// length field). The runtime's supervisor maps a code outside its table to ERR_PROTOCOL,
    /// unless the package registers it (`registerErrorCodes`).
    pub const fn custom(code: &'static str) -> ErrorCode {
        assert!(
            is_well_formed(code),
            "an error code is ERR_ followed by A-Z or _, at most 255 bytes"
        );
        ErrorCode(code)
    }

    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

const fn is_well_formed(code: &str) -> bool {
    let bytes = code.as_bytes();
    if bytes.len() <= 4 || bytes.len() > 255 {
        return false;
    }
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let allowed = if at < 4 {
            byte == b"ERR_"[at]
        } else {
            byte.is_ascii_uppercase() || byte == b'_'
        };
        if !allowed {
            return false;
        }
        at += 1;
    }
    true
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A failure with a code and a message for people. Displayed as `CODE: message`, the form napi
/// errors carry into JavaScript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_codes_are_well_formed_and_distinct() {
        for (at, code) in ErrorCode::TABLE.iter().enumerate() {
            assert!(is_well_formed(code.as_str()), "{code}");
            assert!(!ErrorCode::TABLE[..at].contains(code), "{code} twice");
        }
    }

    #[test]
    fn custom_codes_follow_the_same_form() {
        const CONFLICT: ErrorCode = ErrorCode::custom("ERR_IDEMPOTENCY_CONFLICT");
        assert_eq!(CONFLICT.as_str(), "ERR_IDEMPOTENCY_CONFLICT");
        for bad in ["ERR_", "err_x", "ERR_lower", "E_X", "ERR_A1"] {
            assert!(!is_well_formed(bad), "{bad}");
        }
        assert!(!is_well_formed(&format!("ERR_{}", "X".repeat(252))));
    }

    #[test]
    fn an_error_displays_as_code_then_message() {
        let error = Error::new(ErrorCode::ABORTED, "cancelled");
        assert_eq!(error.to_string(), "ERR_ABORTED: cancelled");
        assert_eq!(error.code(), ErrorCode::ABORTED);
        assert_eq!(error.message(), "cancelled");
    }
}
