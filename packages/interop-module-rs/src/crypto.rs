//! SHA-256 and PBKDF2-HMAC-SHA256 as the template contract defines them (`hash`, `deriveKey`), for
//! work off the JavaScript thread: they yield at checkpoints, and PBKDF2 stops when cancelled.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::{checkpoint, CancelFlag, Error, ErrorCode};

type HmacSha256 = Hmac<Sha256>;

/// SHA-256 digests and PBKDF2-HMAC-SHA256 keys (dkLen = hLen) are both 32 bytes.
pub type Bytes32 = [u8; 32];

/// PBKDF2 rounds between two checkpoints (~0.3 ms of work): a cancelled call frees its thread within
/// about a millisecond, while the checkpoint stays invisible next to 1000 HMAC computations.
pub const CHECKPOINT_ROUNDS: u32 = 1000;

/// Bytes hashed between two checkpoints (~0.1 ms of work).
pub const HASH_CHUNK_BYTES: usize = 256 * 1024;

/// SHA-256 in one go: for the JavaScript thread (`hashSync`), where yielding only delays the caller.
pub fn sha256(data: &[u8]) -> Bytes32 {
    Sha256::digest(data).into()
}

/// SHA-256 with a checkpoint every [`HASH_CHUNK_BYTES`]: for pool threads and ports.
pub fn sha256_yielding(data: &[u8]) -> Bytes32 {
    let mut hasher = Sha256::new();
    for chunk in data.chunks(HASH_CHUNK_BYTES) {
        hasher.update(chunk);
        checkpoint();
    }
    hasher.finalize().into()
}

/// Incremental SHA-256, the state behind the contract's `createHasher`: updates checkpoint every
/// [`HASH_CHUNK_BYTES`] and stop when cancelled (the runtime then ends the hasher, whose state is
/// partly updated).
#[derive(Clone, Default)]
pub struct Sha256Hasher(Sha256);

impl Sha256Hasher {
    pub fn new() -> Self {
        Sha256Hasher::default()
    }

    /// Adds `data`, in [`HASH_CHUNK_BYTES`] steps with a checkpoint between them.
    pub fn update(&mut self, data: &[u8], cancel: &CancelFlag) -> Result<(), Error> {
        for chunk in data.chunks(HASH_CHUNK_BYTES) {
            cancel.checkpoint()?;
            self.0.update(chunk);
        }
        Ok(())
    }

    /// The digest of everything added; the hasher starts over (the runtime frees it after this).
    pub fn finish(&mut self) -> Bytes32 {
        self.0.finalize_reset().into()
    }
}

/// PBKDF2-HMAC-SHA256 for a single 32-byte block (RFC 8018, dkLen = hLen), checking `cancel` every
/// [`CHECKPOINT_ROUNDS`]. The key is wiped when dropped, and so is the last block.
pub fn pbkdf2_sha256(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    cancel: &CancelFlag,
) -> Result<Zeroizing<Bytes32>, Error> {
    if iterations == 0 {
        return Err(Error::new(
            ErrorCode::INVALID_ARG,
            "iterations must be at least 1",
        ));
    }
    // HMAC takes keys of any length, so this cannot fail; keyed once, then cloned for every round.
    let keyed = HmacSha256::new_from_slice(password)
        .map_err(|error| Error::new(ErrorCode::INTERNAL, error.to_string()))?;
    let mut round = keyed.clone();
    round.update(salt);
    round.update(&1u32.to_be_bytes());
    let mut block = round.finalize().into_bytes();
    let mut key = Zeroizing::new(Bytes32::from(block));
    for done in 1..iterations {
        if done % CHECKPOINT_ROUNDS == 0 {
            if let Err(cancelled) = cancel.checkpoint() {
                block.zeroize();
                return Err(cancelled);
            }
        }
        let mut round = keyed.clone();
        round.update(&block);
        block = round.finalize().into_bytes();
        key.iter_mut()
            .zip(block.iter())
            .for_each(|(out, byte)| *out ^= byte);
    }
    block.zeroize();
    Ok(key)
}

/// Lowercase hex of `bytes`, the way digests and their test vectors are written.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incremental_sha256_equals_one_shot_over_any_split_and_starts_over_after_finish() {
        let data: Vec<u8> = (0..HASH_CHUNK_BYTES * 2 + 7).map(|at| at as u8).collect();
        let never = CancelFlag::new();
        for split in [0, 1, 64, HASH_CHUNK_BYTES, data.len()] {
            let mut hasher = Sha256Hasher::new();
            hasher.update(&data[..split], &never).unwrap();
            hasher.update(&data[split..], &never).unwrap();
            assert_eq!(hasher.finish(), sha256(&data), "split at {split}");
            assert_eq!(hasher.finish(), sha256(b""));
        }
    }

    #[test]
    fn a_cancelled_update_stops_with_err_aborted() {
        let cancel = CancelFlag::new();
        cancel.cancel();
        let error = Sha256Hasher::new().update(b"abc", &cancel).unwrap_err();
        assert_eq!(error.code(), ErrorCode::ABORTED);
    }

    #[test]
    fn sha256_matches_the_fips_vector() {
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn yielding_sha256_equals_the_one_shot_digest_across_chunk_edges() {
        for size in [
            0,
            1,
            HASH_CHUNK_BYTES - 1,
            HASH_CHUNK_BYTES,
            3 * HASH_CHUNK_BYTES + 7,
        ] {
            let data: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            assert_eq!(sha256_yielding(&data), sha256(&data), "size {size}");
        }
    }

    #[test]
    fn pbkdf2_matches_the_rfc_7914_vectors() {
        let key = pbkdf2_sha256(b"passwd", b"salt", 1, &CancelFlag::new()).unwrap();
        assert_eq!(
            hex(key.as_ref()),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
        // Past several checkpoints: RFC 7914 section 11, 80,000 iterations (first 32 bytes).
        let key = pbkdf2_sha256(b"Password", b"NaCl", 80_000, &CancelFlag::new()).unwrap();
        assert_eq!(
            hex(key.as_ref()),
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
        );
    }

    #[test]
    fn pbkdf2_stops_at_its_first_checkpoint_once_cancelled() {
        let cancel = CancelFlag::new();
        cancel.cancel();
        let error = pbkdf2_sha256(b"pw", b"saltsalt", 10_000_000, &cancel).unwrap_err();
        assert_eq!(error.to_string(), "ERR_ABORTED: cancelled");
    }

    #[test]
    fn pbkdf2_rejects_zero_iterations() {
        let error = pbkdf2_sha256(b"pw", b"saltsalt", 0, &CancelFlag::new()).unwrap_err();
        assert_eq!(error.code(), ErrorCode::INVALID_ARG);
    }
}
