//! Payments with one effect per idempotency key, over a legacy SDK that charges whenever it is asked.
//!
//! Requests with the same key take turns; under its key's turn a request is answered from the
//! journal when it can be, and sent to the SDK only when nothing can have been charged for it yet:
//!
//! 1. the key has an outcome in the journal: that outcome again (`replayed`);
//! 2. it has an intent but no outcome: an earlier attempt was cut off, maybe after the charge. The
//!    processor is asked (`gw_inquire`); if it has the key, its record is the outcome (`replayed`);
//! 3. otherwise the intent is journaled, the SDK called, and its answer journaled, each on disk
//!    before the next step.
//!
//! A key's terms are fixed by its first request; a different request with the same key is refused.

use std::collections::HashSet;
use std::ffi::c_long;
use std::path::Path;
use std::sync::{Condvar, Mutex};

use interop_module::{lock, Error, ErrorCode};
use serde::{Deserialize, Serialize};

use crate::journal::{Entry, Journal, Outcome, Terms, TornTail};
use crate::legacy::{c_text, Answer, Charge, Sdk, SdkError};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Authorization {
    idempotency_key: String,
    card: String,
    amount: i64,
    currency: String,
}

/// A capture or a refund: both name the authorization they draw on.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FollowUp {
    idempotency_key: String,
    authorization_id: String,
    amount: i64,
    currency: String,
}

pub enum Request {
    Authorize(Authorization),
    Capture(FollowUp),
    Refund(FollowUp),
}

impl Request {
    /// The methods a port serves, one per kind of request.
    pub const METHODS: [&'static str; 3] = ["authorize", "capture", "refund"];

    /// The request in the body of a call to `method`, one of [`Request::METHODS`]. The error says
    /// where the body went wrong but never quotes it: it may hold a card number.
    pub fn parse(method: &str, body: &[u8]) -> Result<Request, String> {
        let parsed = match method {
            "authorize" => serde_json::from_slice(body).map(Request::Authorize),
            "capture" => serde_json::from_slice(body).map(Request::Capture),
            "refund" => serde_json::from_slice(body).map(Request::Refund),
            _ => return Err(format!("{method} is not a payment method")),
        };
        match parsed {
            Ok(request) if request.texts().iter().any(|text| text.contains('\0')) => {
                Err("a request field contains a NUL character".to_owned())
            }
            Ok(request) => Ok(request),
            Err(error) => Err(format!(
                "the {method} request body does not match its schema (column {})",
                error.column()
            )),
        }
    }

    /// The request's strings, as the SDK takes them: the key (its reference), the card or the
    /// authorization id, and the currency.
    fn texts(&self) -> [&str; 3] {
        match self {
            Request::Authorize(request) => {
                [&request.idempotency_key, &request.card, &request.currency]
            }
            Request::Capture(request) | Request::Refund(request) => [
                &request.idempotency_key,
                &request.authorization_id,
                &request.currency,
            ],
        }
    }

    fn operation(&self) -> &'static str {
        match self {
            Request::Authorize(_) => "authorize",
            Request::Capture(_) => "capture",
            Request::Refund(_) => "refund",
        }
    }

    fn key(&self) -> &str {
        self.texts()[0]
    }

    fn terms(&self) -> Terms {
        match self {
            Request::Authorize(request) => Terms::Authorize {
                amount: request.amount,
                currency: request.currency.clone(),
                card_last4: last4(&request.card),
            },
            Request::Capture(request) => Terms::Capture {
                authorization_id: request.authorization_id.clone(),
                amount: request.amount,
                currency: request.currency.clone(),
            },
            Request::Refund(request) => Terms::Refund {
                authorization_id: request.authorization_id.clone(),
                amount: request.amount,
                currency: request.currency.clone(),
            },
        }
    }

    /// Sends the request to the SDK, whose reference for it is the idempotency key.
    fn send(&self, sdk: &mut Sdk) -> Result<Answer, SdkError> {
        let [key, subject, currency] = self
            .texts()
            .map(|text| c_text(text).expect("parse refuses NULs"));
        let amount =
            c_long::try_from(self.amount()).map_err(|_| SdkError::Rejected("GW_BAD_AMOUNT"))?;
        let charge = match self {
            Request::Authorize(_) => Charge::Authorize,
            Request::Capture(_) => Charge::Capture,
            Request::Refund(_) => Charge::Refund,
        };
        sdk.charge(charge, &key, &subject, amount, &currency)
    }

    fn amount(&self) -> i64 {
        match self {
            Request::Authorize(request) => request.amount,
            Request::Capture(request) | Request::Refund(request) => request.amount,
        }
    }
}

fn last4(card: &str) -> String {
    let skip = card.chars().count().saturating_sub(4);
    card.chars().skip(skip).collect()
}

/// The gateway's answer to a request, sent back as JSON in an ok reply; `replayed` when an earlier
/// request with the key got it. A request with no answer to give is an error reply instead.
#[derive(Serialize, Debug, PartialEq)]
pub struct Settled {
    outcome: Outcome,
    replayed: bool,
}

/// The gateway's own codes, checked in form where they are declared. They cross the port as error
/// replies; lib/errors.ts registers them with the runtime, whose supervisor would otherwise take an
/// error reply with a code outside its table for a protocol error.
const GATEWAY_REJECTED: ErrorCode = ErrorCode::custom("ERR_GATEWAY_REJECTED");
const GATEWAY_MALFORMED: ErrorCode = ErrorCode::custom("ERR_GATEWAY_MALFORMED");
const IDEMPOTENCY_CONFLICT: ErrorCode = ErrorCode::custom("ERR_IDEMPOTENCY_CONFLICT");

pub struct Payments {
    journal: Journal,
    sdk: Mutex<Sdk>,
    turns: KeyTurns,
}

impl Payments {
    pub fn open(journal: &Path, ledger: &Path) -> Result<(Payments, Option<TornTail>), String> {
        let (journal, torn) = Journal::open(journal)?;
        let sdk = Sdk::open(ledger)?;
        let payments = Payments {
            journal,
            sdk: Mutex::new(sdk),
            turns: KeyTurns::default(),
        };
        Ok((payments, torn))
    }

    /// Runs a request to its one outcome (see the module comment), or says why it has none.
    pub fn execute(&self, request: &Request) -> Result<Settled, Error> {
        let key = request.key();
        let terms = request.terms();
        let _turn = self.turns.take(key);
        match self.journal.entry(key) {
            Some(entry) if entry.terms != terms => {
                return Err(conflict(key, request, &entry.terms))
            }
            Some(Entry {
                outcome: Some(outcome),
                ..
            }) => return Ok(settled(outcome, true)),
            Some(Entry { outcome: None, .. }) => {
                if let Some(outcome) = self.inquire(request, &terms)? {
                    self.journal.record_outcome(key, &outcome);
                    return Ok(settled(outcome, true));
                }
                // The processor never got it: sending it now is its first charge.
            }
            None => self.journal.record_intent(key, &terms),
        }
        let outcome = match self.in_sdk(request, |sdk| request.send(sdk))? {
            Answer::Approved { transaction_id } => Outcome::Approved { transaction_id },
            Answer::Declined => Outcome::Declined,
        };
        self.journal.record_outcome(key, &outcome);
        Ok(settled(outcome, false))
    }

    /// What the processor recorded under the request's key, checked against the request.
    fn inquire(&self, request: &Request, terms: &Terms) -> Result<Option<Outcome>, Error> {
        let key = c_text(request.key()).expect("parse refuses NULs");
        match self.in_sdk(request, |sdk| sdk.inquire(&key))? {
            None => Ok(None),
            Some((transaction_id, amount)) if amount == terms.amount() => {
                Ok(Some(Outcome::Approved { transaction_id }))
            }
            Some((_, amount)) => Err(refused(
                request,
                SdkError::Malformed(format!(
                    "its record under this key is for {amount}, the request for {}",
                    terms.amount()
                )),
            )),
        }
    }

    /// Runs `call` with the SDK to itself (it is not thread-safe).
    fn in_sdk<T>(
        &self,
        request: &Request,
        call: impl FnOnce(&mut Sdk) -> Result<T, SdkError>,
    ) -> Result<T, Error> {
        let mut sdk = lock(&self.sdk);
        match call(&mut sdk) {
            Ok(value) => Ok(value),
            // Still holding the SDK, so no other call meets it broken before the process ends.
            Err(SdkError::Broken) => crate::stop(
                crate::EXIT_SDK_BROKEN,
                "the gateway library lost its ledger; ending so that a new process reopens it",
            ),
            Err(error) => Err(refused(request, error)),
        }
    }
}

fn settled(outcome: Outcome, replayed: bool) -> Settled {
    Settled { outcome, replayed }
}

fn refused(request: &Request, error: SdkError) -> Error {
    let operation = request.operation();
    match error {
        // The status ends the message, where lib/errors.ts reads it (an error reply carries a code and
        // a message, nothing else).
        SdkError::Rejected(status) => Error::new(
            GATEWAY_REJECTED,
            format!("the gateway refused the {operation}: {status}"),
        ),
        SdkError::Malformed(what) => Error::new(
            GATEWAY_MALFORMED,
            format!(
                "the gateway library answered the {operation} out of spec ({what}), so it was not taken as approved; \
                 retry with the same idempotency key, which first asks the processor whether it went through"
            ),
        ),
        SdkError::Broken => unreachable!("in_sdk ends the process when the SDK is broken"),
    }
}

fn conflict(key: &str, request: &Request, first: &Terms) -> Error {
    let first = match first {
        Terms::Authorize {
            amount,
            currency,
            card_last4,
        } => format!("an authorize of {amount} {currency} on the card ending {card_last4}"),
        Terms::Capture {
            authorization_id,
            amount,
            currency,
        } => format!("a capture of {amount} {currency} on {authorization_id}"),
        Terms::Refund {
            authorization_id,
            amount,
            currency,
        } => format!("a refund of {amount} {currency} on {authorization_id}"),
    };
    Error::new(
        IDEMPOTENCY_CONFLICT,
        format!(
            "idempotency key {key} was first used for {first}; this {} differs. A new request needs a new key",
            request.operation()
        ),
    )
}

/// One request per idempotency key at a time: duplicates in flight wait, then replay the outcome.
#[derive(Default)]
struct KeyTurns {
    busy: Mutex<HashSet<String>>,
    freed: Condvar,
}

struct Turn<'a> {
    turns: &'a KeyTurns,
    key: String,
}

impl KeyTurns {
    fn take(&self, key: &str) -> Turn<'_> {
        let mut busy = lock(&self.busy);
        while busy.contains(key) {
            busy = self
                .freed
                .wait(busy)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        busy.insert(key.to_owned());
        Turn {
            turns: self,
            key: key.to_owned(),
        }
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        lock(&self.turns.busy).remove(&self.key);
        self.turns.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::thread;
    use std::time::Duration;

    #[test]
    fn a_body_that_does_not_parse_is_described_without_quoting_it() {
        let body = br#"{"idempotencyKey":"k","card":4111111111111111,"amount":5,"currency":"EUR"}"#;
        let error = Request::parse("authorize", body).err().unwrap();
        assert!(!error.contains("4111"), "{error}");
        assert!(Request::parse("charge", body).is_err());
    }

    #[test]
    fn terms_keep_only_the_last_4_card_digits() {
        let body =
            br#"{"idempotencyKey":"k","card":"4111111111111111","amount":5,"currency":"EUR"}"#;
        let request = Request::parse("authorize", body).unwrap();
        let terms = serde_json::to_string(&request.terms()).unwrap();
        assert_eq!(
            terms,
            r#"{"operation":"authorize","amount":5,"currency":"EUR","cardLast4":"1111"}"#
        );
    }

    #[test]
    fn a_nul_in_a_field_is_refused() {
        let body = br#"{"idempotencyKey":"k\u0000","card":"4111111111111111","amount":5,"currency":"EUR"}"#;
        assert!(Request::parse("authorize", body).is_err());
    }

    #[test]
    fn replies_serialize_as_the_client_reads_them() {
        let settled = settled(
            Outcome::Approved {
                transaction_id: "TX0000000001".into(),
            },
            true,
        );
        assert_eq!(
            serde_json::to_string(&settled).unwrap(),
            r#"{"outcome":{"status":"approved","transactionId":"TX0000000001"},"replayed":true}"#
        );
    }

    #[test]
    fn a_key_is_taken_by_one_request_at_a_time() {
        let turns = Arc::new(KeyTurns::default());
        let inside = Arc::new(Mutex::new(0));
        let most = Arc::new(Mutex::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (turns, inside, most) = (turns.clone(), inside.clone(), most.clone());
                thread::spawn(move || {
                    let _turn = turns.take("k");
                    let now = {
                        let mut inside = lock(&inside);
                        *inside += 1;
                        *inside
                    };
                    let mut most = lock(&most);
                    *most = (*most).max(now);
                    drop(most);
                    thread::sleep(Duration::from_millis(2));
                    *lock(&inside) -= 1;
                })
            })
            .collect();
        threads
            .into_iter()
            .for_each(|thread| thread.join().unwrap());
        assert_eq!(*lock(&most), 1);
    }
}
