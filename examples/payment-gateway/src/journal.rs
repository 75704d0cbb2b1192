//! The port's journal: an append-only file of what each idempotency key asked for (its intent,
//! written before the gateway is called) and what it got (its outcome, written before the reply).
//!
//! File: the 8 bytes `PGJRNL01`, then records of
//!
//! ```text
//! u32 big-endian  payload length (1 to 64 KiB)
//! u32 big-endian  CRC-32 (IEEE) of the payload
//! payload         one JSON object: {"type":"intent","key":…,"terms":{…}} or {"type":"outcome","key":…,"outcome":{…}}
//! ```
//!
//! Each record is one write() and is on disk (`sync_data`) before the caller goes on. A power cut
//! can leave the last record incomplete; on open that tail is recognised and cut off. Damage
//! anywhere else means the file cannot be trusted, and the journal refuses to open.

use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::Mutex;

use interop_module::lock;
use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 8] = b"PGJRNL01";
/// A record's length and checksum.
const RECORD_HEADER_BYTES: usize = 8;
const MAX_PAYLOAD_BYTES: usize = 64 * 1024;

/// What a request asks for, as far as it is safe to keep: the card is reduced to its last 4 digits.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(
    tag = "operation",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Terms {
    Authorize {
        amount: i64,
        currency: String,
        card_last4: String,
    },
    Capture {
        authorization_id: String,
        amount: i64,
        currency: String,
    },
    Refund {
        authorization_id: String,
        amount: i64,
        currency: String,
    },
}

impl Terms {
    pub fn amount(&self) -> i64 {
        match self {
            Terms::Authorize { amount, .. }
            | Terms::Capture { amount, .. }
            | Terms::Refund { amount, .. } => *amount,
        }
    }
}

/// What the gateway answered.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum Outcome {
    Approved {
        #[serde(rename = "transactionId")]
        transaction_id: String,
    },
    Declined,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(tag = "type", rename_all = "camelCase")]
enum Record {
    Intent { key: String, terms: Terms },
    Outcome { key: String, outcome: Outcome },
}

/// A key's history: its intent, and its outcome once the gateway gave a definite one.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub terms: Terms,
    pub outcome: Option<Outcome>,
}

/// An incomplete last record that `open` cut off.
#[derive(Debug, PartialEq)]
pub struct TornTail {
    pub offset: usize,
    pub bytes: usize,
}

pub struct Journal {
    file: File,
    /// Held across each write(), so records never interleave.
    appending: Mutex<()>,
    entries: Mutex<HashMap<String, Entry>>,
}

impl Journal {
    /// Opens (or creates) the journal, locked against any other process, and reads it into memory.
    pub fn open(path: &Path) -> Result<(Journal, Option<TornTail>), String> {
        let describe = |error: io::Error| format!("journal {}: {error}", path.display());
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(describe)?;
        file.try_lock().map_err(|error| match error {
            TryLockError::WouldBlock => format!(
                "journal {}: in use by another process (two gateways cannot share a journal)",
                path.display()
            ),
            TryLockError::Error(error) => describe(error),
        })?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(describe)?;
        let scan = scan(&bytes).map_err(|why| format!("journal {}: {why}", path.display()))?;
        let entries =
            replay(scan.records).map_err(|why| format!("journal {}: {why}", path.display()))?;
        let torn = (scan.valid_bytes < bytes.len()).then(|| TornTail {
            offset: scan.valid_bytes,
            bytes: bytes.len() - scan.valid_bytes,
        });
        if scan.valid_bytes < MAGIC.len() {
            // New, or its creation was cut short.
            file.set_len(0).map_err(describe)?;
            file.write_all(MAGIC).map_err(describe)?;
        } else if torn.is_some() {
            file.set_len(scan.valid_bytes as u64).map_err(describe)?;
        }
        file.sync_all().map_err(describe)?;
        sync_directory_of(path).map_err(describe)?;
        let journal = Journal {
            file,
            appending: Mutex::new(()),
            entries: Mutex::new(entries),
        };
        Ok((journal, torn))
    }

    pub fn entry(&self, key: &str) -> Option<Entry> {
        lock(&self.entries).get(key).cloned()
    }

    /// Records that `key` is about to be sent to the gateway with `terms`; durable on return.
    pub fn record_intent(&self, key: &str, terms: &Terms) {
        self.append(&Record::Intent {
            key: key.to_owned(),
            terms: terms.clone(),
        });
        lock(&self.entries).insert(
            key.to_owned(),
            Entry {
                terms: terms.clone(),
                outcome: None,
            },
        );
    }

    /// Records the gateway's answer for `key`, whose intent is recorded; durable on return.
    pub fn record_outcome(&self, key: &str, outcome: &Outcome) {
        self.append(&Record::Outcome {
            key: key.to_owned(),
            outcome: outcome.clone(),
        });
        if let Some(entry) = lock(&self.entries).get_mut(key) {
            entry.outcome = Some(outcome.clone());
        }
    }

    /// Appends one record and waits until it is on disk. A journal that cannot be written cannot
    /// keep its promise, so a failure ends the process: the next one reopens the file and cuts off
    /// whatever part of this record reached it. The write lock is held until then, so no record can
    /// follow a partial one.
    fn append(&self, record: &Record) {
        let payload = serde_json::to_vec(record).expect("journal records always serialize");
        let mut bytes = Vec::with_capacity(RECORD_HEADER_BYTES + payload.len());
        bytes.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        bytes.extend_from_slice(&crc32fast::hash(&payload).to_be_bytes());
        bytes.extend_from_slice(&payload);
        {
            let _appending = lock(&self.appending);
            if let Err(error) = (&self.file).write_all(&bytes) {
                crate::stop(
                    crate::EXIT_JOURNAL_FAILED,
                    &format!("journal write failed: {error}"),
                );
            }
        }
        // Outside the lock: concurrent syncs can share one disk flush. Each covers the write before it.
        if let Err(error) = self.file.sync_data() {
            crate::stop(
                crate::EXIT_JOURNAL_FAILED,
                &format!("journal sync failed: {error}"),
            );
        }
    }
}

/// So that a newly created journal's name survives a power cut too.
fn sync_directory_of(path: &Path) -> io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    File::open(directory)?.sync_all()
}

#[derive(Debug)]
struct Scan {
    records: Vec<Record>,
    /// Where the last complete record ends; bytes after it are a torn tail.
    valid_bytes: usize,
}

/// Reads every record. A record that fails its checks is a torn tail when nothing complete could
/// follow it: it reaches the end of the file, or only zeros follow (a power cut can extend a file
/// before its data lands). Anywhere else it is damage, and an error.
fn scan(bytes: &[u8]) -> Result<Scan, String> {
    if bytes.len() < MAGIC.len() {
        return if MAGIC.starts_with(bytes) {
            Ok(Scan {
                records: Vec::new(),
                valid_bytes: 0,
            })
        } else {
            Err("not a journal (it does not start with PGJRNL01)".to_owned())
        };
    }
    if !bytes.starts_with(MAGIC) {
        return Err("not a journal (it does not start with PGJRNL01)".to_owned());
    }
    let mut records = Vec::new();
    let mut at = MAGIC.len();
    while at < bytes.len() {
        match read_record(&bytes[at..]) {
            Ok((record, length)) => {
                records.push(record);
                at += length;
            }
            Err(Damage::Unreadable(why)) => {
                return Err(format!("the record at offset {at} is intact but unreadable: {why}"))
            }
            Err(Damage::Incomplete) if is_torn_tail(&bytes[at..]) => break,
            Err(Damage::Incomplete) => {
                return Err(format!(
                    "the record at offset {at} is damaged and complete records may follow it; refusing to guess"
                ))
            }
        }
    }
    Ok(Scan {
        records,
        valid_bytes: at,
    })
}

enum Damage {
    /// Cut short or scrambled: its length or checksum does not hold.
    Incomplete,
    /// Its checksum holds, so it was written whole, yet it is not a record this program knows.
    Unreadable(String),
}

/// The record at the start of `bytes` and how many bytes it takes.
fn read_record(bytes: &[u8]) -> Result<(Record, usize), Damage> {
    if bytes.len() < RECORD_HEADER_BYTES {
        return Err(Damage::Incomplete);
    }
    let length = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let checksum = u32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    if length == 0 || length > MAX_PAYLOAD_BYTES || bytes.len() < RECORD_HEADER_BYTES + length {
        return Err(Damage::Incomplete);
    }
    let payload = &bytes[RECORD_HEADER_BYTES..RECORD_HEADER_BYTES + length];
    if crc32fast::hash(payload) != checksum {
        return Err(Damage::Incomplete);
    }
    let record =
        serde_json::from_slice(payload).map_err(|error| Damage::Unreadable(error.to_string()))?;
    Ok((record, RECORD_HEADER_BYTES + length))
}

/// `rest` starts with a record that failed its checks: is it what an interrupted last append leaves?
/// That is a piece of a header, zeros, or a header whose (plausible) length reaches the end of the
/// file. A length this program never writes is damage, wherever it is.
fn is_torn_tail(rest: &[u8]) -> bool {
    if rest.len() < RECORD_HEADER_BYTES || rest.iter().all(|&byte| byte == 0) {
        return true;
    }
    let length = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
    (1..=MAX_PAYLOAD_BYTES).contains(&length) && RECORD_HEADER_BYTES + length >= rest.len()
}

/// Builds the key → entry map, checking that the records tell a possible story.
fn replay(records: Vec<Record>) -> Result<HashMap<String, Entry>, String> {
    let mut entries: HashMap<String, Entry> = HashMap::with_capacity(records.len() / 2);
    for record in records {
        match record {
            Record::Intent { key, terms } => {
                if entries.contains_key(&key) {
                    return Err(format!("key {key} has two intents"));
                }
                entries.insert(
                    key,
                    Entry {
                        terms,
                        outcome: None,
                    },
                );
            }
            Record::Outcome { key, outcome } => match entries.get_mut(&key) {
                Some(entry) if entry.outcome.is_none() => entry.outcome = Some(outcome),
                Some(_) => return Err(format!("key {key} has two outcomes")),
                None => return Err(format!("key {key} has an outcome but no intent")),
            },
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(payload: &[u8]) -> Vec<u8> {
        let mut bytes = (payload.len() as u32).to_be_bytes().to_vec();
        bytes.extend_from_slice(&crc32fast::hash(payload).to_be_bytes());
        bytes.extend_from_slice(payload);
        bytes
    }

    fn intent(key: &str) -> Vec<u8> {
        framed(
            format!(r#"{{"type":"intent","key":"{key}","terms":{{"operation":"authorize","amount":5,"currency":"EUR","cardLast4":"1111"}}}}"#)
                .as_bytes(),
        )
    }

    fn journal(records: &[Vec<u8>]) -> Vec<u8> {
        let mut bytes = MAGIC.to_vec();
        records
            .iter()
            .for_each(|record| bytes.extend_from_slice(record));
        bytes
    }

    #[test]
    fn reads_complete_records() {
        let bytes = journal(&[intent("a"), intent("b")]);
        let scan = scan(&bytes).unwrap();
        assert_eq!(scan.records.len(), 2);
        assert_eq!(scan.valid_bytes, bytes.len());
    }

    #[test]
    fn a_last_record_cut_anywhere_is_a_torn_tail() {
        let whole = journal(&[intent("a"), intent("b")]);
        let second = MAGIC.len() + intent("a").len();
        for cut in second + 1..whole.len() {
            let scan = scan(&whole[..cut]).unwrap();
            assert_eq!(
                (scan.records.len(), scan.valid_bytes),
                (1, second),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn zeros_after_the_last_record_are_a_torn_tail() {
        let mut bytes = journal(&[intent("a")]);
        let complete = bytes.len();
        bytes.resize(complete + 4096, 0);
        assert_eq!(scan(&bytes).unwrap().valid_bytes, complete);
    }

    #[test]
    fn a_scrambled_last_record_is_a_torn_tail() {
        let mut bytes = journal(&[intent("a"), intent("b")]);
        let last = bytes.len() - 3;
        bytes[last] ^= 0xff;
        assert_eq!(scan(&bytes).unwrap().records.len(), 1);
    }

    #[test]
    fn damage_followed_by_records_is_refused() {
        let mut scrambled = journal(&[intent("a"), intent("b"), intent("c")]);
        scrambled[MAGIC.len() + RECORD_HEADER_BYTES + 2] ^= 0xff;
        assert!(scan(&scrambled).unwrap_err().contains("refusing"));
        // A length no record has, even if it would reach the end of the file.
        let mut overlong = journal(&[intent("a"), intent("b")]);
        overlong[MAGIC.len()] = 0xff;
        assert!(scan(&overlong).unwrap_err().contains("refusing"));
    }

    #[test]
    fn an_intact_record_it_does_not_know_is_refused_even_last() {
        let bytes = journal(&[intent("a"), framed(br#"{"type":"merge"}"#)]);
        assert!(scan(&bytes).unwrap_err().contains("unreadable"));
    }

    #[test]
    fn other_files_are_refused_and_a_cut_magic_is_a_new_journal() {
        assert!(scan(b"hello, world").is_err());
        assert_eq!(scan(b"PGJR").unwrap().valid_bytes, 0);
    }

    #[test]
    fn replay_refuses_impossible_histories() {
        let outcome = |key: &str| Record::Outcome {
            key: key.into(),
            outcome: Outcome::Declined,
        };
        let terms = Terms::Authorize {
            amount: 5,
            currency: "EUR".into(),
            card_last4: "1111".into(),
        };
        let intent = |key: &str| Record::Intent {
            key: key.into(),
            terms: terms.clone(),
        };
        assert!(replay(vec![outcome("a")]).is_err());
        assert!(replay(vec![intent("a"), intent("a")]).is_err());
        assert!(replay(vec![intent("a"), outcome("a"), outcome("a")]).is_err());
        let entries = replay(vec![intent("a"), outcome("a"), intent("b")]).unwrap();
        assert_eq!(entries["a"].outcome, Some(Outcome::Declined));
        assert_eq!(entries["b"].outcome, None);
    }
}
