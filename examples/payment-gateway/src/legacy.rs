//! The legacy SDK (legacy/gateway.h) behind a safe interface that checks everything it returns.
//!
//! The SDK writes its answers into buffers we own and reports an integer status. Neither is trusted:
//! the status must be one gateway.h defines and that makes sense for the call, and a transaction id
//! must be NUL-terminated inside the buffer and look like one ("TX" and 10 digits). Anything else is
//! `SdkError::Malformed`, never an approval.

use std::ffi::{c_char, c_int, c_long, CStr, CString};
use std::path::Path;

mod ffi {
    use std::ffi::{c_char, c_int, c_long};

    /// gateway.h's three charges share one signature: the reference, what is charged (a card, or
    /// the authorization a capture or refund draws on), the amount and currency, and a buffer for
    /// the transaction id.
    pub type Charge = unsafe extern "C" fn(
        *const c_char,
        *const c_char,
        c_long,
        *const c_char,
        *mut c_char,
        usize,
    ) -> c_int;

    /// Declares the charges of gateway.h, with the signature of [`Charge`].
    macro_rules! charges {
        ($($name:ident),+) => {
            extern "C" {
                $(pub fn $name(
                    reference: *const c_char,
                    subject: *const c_char,
                    amount: c_long,
                    currency: *const c_char,
                    transaction_id: *mut c_char,
                    transaction_id_size: usize,
                ) -> c_int;)+
            }
        };
    }

    charges!(gw_authorize, gw_capture, gw_refund);

    extern "C" {
        pub fn gw_open(ledger_path: *const c_char) -> c_int;
        pub fn gw_inquire(
            reference: *const c_char,
            transaction_id: *mut c_char,
            transaction_id_size: usize,
            amount: *mut c_long,
        ) -> c_int;
    }
}

/// The SDK's charges: each moves money when it succeeds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Charge {
    Authorize,
    Capture,
    Refund,
}

// Statuses, as gateway.h numbers them.
const GW_OK: c_int = 0;
const GW_DECLINED: c_int = 1;
const GW_NOT_FOUND: c_int = 8;
const GW_LEDGER_ERROR: c_int = 10;

/// Statuses that refuse a request without moving money: a fact about the request, not a failure.
const REJECTIONS: [(c_int, &str); 6] = [
    (2, "GW_BAD_CARD"),
    (3, "GW_BAD_AMOUNT"),
    (4, "GW_BAD_CURRENCY"),
    (5, "GW_BAD_REFERENCE"),
    (6, "GW_UNKNOWN_TRANSACTION"),
    (7, "GW_AMOUNT_EXCEEDED"),
];

/// Larger than the 13 bytes an id needs, so an overlong id is caught rather than cut to size.
const ID_BUFFER_BYTES: usize = 32;

/// A well-formed answer to a charge (authorize, capture or refund).
#[derive(Debug, PartialEq)]
pub enum Answer {
    Approved { transaction_id: String },
    Declined,
}

#[derive(Debug, PartialEq)]
pub enum SdkError {
    /// The gateway refused the request (its status is named); nothing was charged.
    Rejected(&'static str),
    /// The SDK answered outside its own specification: whether money moved is unknown.
    Malformed(String),
    /// The SDK lost its ledger (GW_LEDGER_ERROR) and refuses every call until it is reopened.
    Broken,
}

/// The SDK's one global session. It is not thread-safe: callers keep it behind a mutex.
pub struct Sdk(());

impl Sdk {
    /// Opens the processor's ledger; called once per process.
    pub fn open(ledger: &Path) -> Result<Sdk, String> {
        let path = c_text(ledger.to_string_lossy().as_ref())
            .ok_or_else(|| format!("the ledger path {} contains a NUL", ledger.display()))?;
        // SAFETY: a valid C string; the SDK copies what it needs.
        match unsafe { ffi::gw_open(path.as_ptr()) } {
            GW_OK => Ok(Sdk(())),
            status => Err(format!(
                "the gateway library could not open its ledger {} (status {status})",
                ledger.display()
            )),
        }
    }

    /// Sends `charge` for `subject`: the card for an authorization, the authorization a capture or
    /// refund draws on.
    pub fn charge(
        &mut self,
        charge: Charge,
        reference: &CStr,
        subject: &CStr,
        amount: c_long,
        currency: &CStr,
    ) -> Result<Answer, SdkError> {
        let call: ffi::Charge = match charge {
            Charge::Authorize => ffi::gw_authorize,
            Charge::Capture => ffi::gw_capture,
            Charge::Refund => ffi::gw_refund,
        };
        let mut id = [0 as c_char; ID_BUFFER_BYTES];
        // SAFETY: C strings and a buffer of the size passed, all alive for the call.
        let status = unsafe {
            call(
                reference.as_ptr(),
                subject.as_ptr(),
                amount,
                currency.as_ptr(),
                id.as_mut_ptr(),
                id.len(),
            )
        };
        answer(status, &id)
    }

    /// The id and amount of what the processor recorded under `reference`, if anything.
    #[allow(
        clippy::useless_conversion,
        reason = "c_long is i64 here but i32 on 32-bit targets"
    )]
    pub fn inquire(&mut self, reference: &CStr) -> Result<Option<(String, i64)>, SdkError> {
        let mut id = [0 as c_char; ID_BUFFER_BYTES];
        let mut amount: c_long = 0;
        // SAFETY: a C string, a buffer of the size passed and a place for the amount, all alive for the call.
        let status =
            unsafe { ffi::gw_inquire(reference.as_ptr(), id.as_mut_ptr(), id.len(), &mut amount) };
        match status {
            GW_OK => Ok(Some((transaction_id(&id)?, i64::from(amount)))),
            GW_NOT_FOUND => Ok(None),
            other => Err(unexpected(other)),
        }
    }
}

/// A C string for the SDK, or None if `text` has a NUL inside (the SDK would see less of it).
pub fn c_text(text: &str) -> Option<CString> {
    CString::new(text).ok()
}

fn answer(status: c_int, id: &[c_char]) -> Result<Answer, SdkError> {
    match status {
        GW_OK => Ok(Answer::Approved {
            transaction_id: transaction_id(id)?,
        }),
        GW_DECLINED => Ok(Answer::Declined),
        other => Err(unexpected(other)),
    }
}

/// A status that is not an answer: a rejection, a broken SDK, or out of spec.
fn unexpected(status: c_int) -> SdkError {
    if status == GW_LEDGER_ERROR {
        return SdkError::Broken;
    }
    match REJECTIONS.iter().find(|(code, _)| *code == status) {
        Some((_, name)) => SdkError::Rejected(name),
        None => SdkError::Malformed(format!(
            "status {status}, which is not an answer to this call"
        )),
    }
}

/// The id the SDK wrote, if it is NUL-terminated within the buffer and looks like "TX" and 10 digits.
fn transaction_id(buffer: &[c_char]) -> Result<String, SdkError> {
    // c_char is i8 or u8 depending on the platform; either way one byte.
    let bytes: Vec<u8> = buffer.iter().map(|&byte| byte as u8).collect();
    let text = CStr::from_bytes_until_nul(&bytes).map_err(|_| {
        SdkError::Malformed(format!(
            "a transaction id with no terminating NUL in its {}-byte buffer",
            bytes.len()
        ))
    })?;
    let id = text.to_bytes();
    if id.len() == 12 && id.starts_with(b"TX") && id[2..].iter().all(u8::is_ascii_digit) {
        // Checked: ASCII.
        Ok(String::from_utf8_lossy(id).into_owned())
    } else {
        // The bytes themselves are not repeated: an SDK that overruns may be showing other memory.
        Err(SdkError::Malformed(format!(
            "a transaction id of {} bytes that is not \"TX\" and 10 digits",
            id.len()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buffer(content: &[u8]) -> [c_char; ID_BUFFER_BYTES] {
        let mut buffer = [0 as c_char; ID_BUFFER_BYTES];
        for (slot, byte) in buffer.iter_mut().zip(content) {
            *slot = *byte as c_char;
        }
        buffer
    }

    #[test]
    fn a_well_formed_approval_is_approved() {
        assert_eq!(
            answer(GW_OK, &buffer(b"TX0000000042\0")),
            Ok(Answer::Approved {
                transaction_id: "TX0000000042".into()
            })
        );
    }

    #[test]
    fn ok_with_an_unterminated_id_is_malformed() {
        let full = buffer(&[b'7'; ID_BUFFER_BYTES]);
        assert!(
            matches!(answer(GW_OK, &full), Err(SdkError::Malformed(why)) if why.contains("NUL"))
        );
    }

    #[test]
    fn ok_with_an_id_out_of_spec_is_malformed() {
        for id in [
            &b"TX00000000\0"[..],
            b"TX00000000420\0",
            b"TX00000x0042\0",
            b"\0",
        ] {
            assert!(matches!(
                answer(GW_OK, &buffer(id)),
                Err(SdkError::Malformed(_))
            ));
        }
    }

    #[test]
    fn an_undefined_status_is_malformed_never_approved() {
        for status in [-1, 12, 0x7f3a, GW_NOT_FOUND] {
            assert!(matches!(
                answer(status, &buffer(b"TX0000000042\0")),
                Err(SdkError::Malformed(_))
            ));
        }
    }

    #[test]
    fn rejections_name_their_status_and_a_lost_ledger_is_broken() {
        assert_eq!(
            answer(7, &buffer(b"")),
            Err(SdkError::Rejected("GW_AMOUNT_EXCEEDED"))
        );
        assert_eq!(answer(GW_LEDGER_ERROR, &buffer(b"")), Err(SdkError::Broken));
    }
}
