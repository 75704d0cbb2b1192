//! SHA-256 and PBKDF2-HMAC-SHA256 as the template contract defines them (`hash`, `deriveKey`), for
//! work off the JavaScript thread: they yield at checkpoints, and PBKDF2 stops when cancelled.

use core::slice;

use hmac::{Hmac, KeyInit, Mac};
use sha2::block_api::compress256;
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
/// [`CHECKPOINT_ROUNDS`]. The key is wiped when dropped; so are the HMAC states keyed with the password
/// and the round block, also when cancelled (copies the compiler leaves on the stack are beyond reach).
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
    // U1 = HMAC(password, salt || INT(1)): a salt of any length, so through the hmac crate. HMAC takes
    // keys of any length, so new_from_slice cannot fail.
    let mut first = HmacSha256::new_from_slice(password)
        .map_err(|error| Error::new(ErrorCode::INTERNAL, error.to_string()))?;
    first.update(salt);
    first.update(&1u32.to_be_bytes());
    let mut round = RoundBlock::holding(first.finalize().into_bytes().into());
    let mut key = Zeroizing::new(round.words());
    // U2.. take a 32-byte message each: two compressions of one block from the keyed states.
    let keyed = KeyedStates::new(password);
    for done in 1..iterations {
        if done % CHECKPOINT_ROUNDS == 0 {
            cancel.checkpoint()?;
        }
        keyed.mac_in_place(&mut round);
        key.iter_mut()
            .zip(round.words())
            .for_each(|(out, word)| *out ^= word);
    }
    let mut bytes = Zeroizing::new(Bytes32::default());
    write_words(&mut bytes[..], &key);
    Ok(bytes)
}

/// SHA-256's initial state (FIPS 180-4, section 5.3.3).
const SHA256_INITIAL_STATE: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// HMAC-SHA256 with its key absorbed: the SHA-256 states after the inner and the outer padded key
/// block (RFC 2104). Cloning a keyed `Hmac` for each of 100,000 rounds instead copied its buffers, and
/// cost PBKDF2 a fifth of its time.
struct KeyedStates {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl KeyedStates {
    fn new(password: &[u8]) -> Self {
        let mut key = Zeroizing::new([0u8; 64]);
        if password.len() > key.len() {
            key[..32].copy_from_slice(&*Zeroizing::new(sha256(password)));
        } else {
            key[..password.len()].copy_from_slice(password);
        }
        let padded_state = |pad: u8| {
            let mut block = Zeroizing::new([0u8; 64]);
            block
                .iter_mut()
                .zip(key.iter())
                .for_each(|(out, byte)| *out = byte ^ pad);
            let mut state = SHA256_INITIAL_STATE;
            compress256(&mut state, slice::from_ref(&*block));
            state
        };
        KeyedStates {
            inner: padded_state(0x36),
            outer: padded_state(0x5c),
        }
    }

    /// Replaces the 32-byte message in `round` by its HMAC.
    fn mac_in_place(&self, round: &mut RoundBlock) {
        for keyed in [&self.inner, &self.outer] {
            let mut state = *keyed;
            // Borrowed, not copied: a copied 64-byte block was moved byte by byte.
            compress256(&mut state, slice::from_ref(&round.0));
            write_words(&mut round.0[..32], &state);
            state.zeroize();
        }
    }
}

impl Drop for KeyedStates {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

/// The one block both hashes of a round compress: a 32-byte message after a 64-byte key block,
/// padded once for that length (FIPS 180-4, section 5.1.1).
struct RoundBlock([u8; 64]);

impl RoundBlock {
    fn holding(message: Bytes32) -> Self {
        let mut block = [0u8; 64];
        block[..32].copy_from_slice(&message);
        block[32] = 0x80;
        block[56..].copy_from_slice(&((64u64 + 32) * 8).to_be_bytes());
        RoundBlock(block)
    }

    fn words(&self) -> [u32; 8] {
        let mut words = [0u32; 8];
        words
            .iter_mut()
            .zip(self.0.chunks_exact(4))
            .for_each(|(word, bytes)| *word = u32::from_be_bytes(bytes.try_into().unwrap()));
        words
    }
}

impl Drop for RoundBlock {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// `words` as the big-endian bytes SHA-256 digests are.
fn write_words(out: &mut [u8], words: &[u32; 8]) {
    out.chunks_exact_mut(4)
        .zip(words)
        .for_each(|(bytes, word)| bytes.copy_from_slice(&word.to_be_bytes()));
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

    /// PBKDF2 as RFC 8018 writes it, one keyed `Hmac` per round.
    fn pbkdf2_by_the_rfc(password: &[u8], salt: &[u8], iterations: u32) -> Bytes32 {
        let keyed = HmacSha256::new_from_slice(password).unwrap();
        let mut message = [salt, &1u32.to_be_bytes()].concat();
        let mut key = Bytes32::default();
        for _ in 0..iterations {
            let mut round = keyed.clone();
            round.update(&message);
            message = round.finalize().into_bytes().to_vec();
            key.iter_mut()
                .zip(&message)
                .for_each(|(out, byte)| *out ^= byte);
        }
        key
    }

    #[test]
    fn pbkdf2_equals_the_rfc_definition_for_keys_shorter_than_equal_to_and_longer_than_a_block() {
        for password_len in [0, 1, 32, 63, 64, 65, 200] {
            for salt_len in [0, 16, 55, 56, 64, 100] {
                let password: Vec<u8> = (0..password_len).map(|at| (at * 7 + 1) as u8).collect();
                let salt: Vec<u8> = (0..salt_len).map(|at| (at * 13 + 5) as u8).collect();
                for iterations in [1, 2, 3, CHECKPOINT_ROUNDS + 1] {
                    let key =
                        pbkdf2_sha256(&password, &salt, iterations, &CancelFlag::new()).unwrap();
                    assert_eq!(
                        *key,
                        pbkdf2_by_the_rfc(&password, &salt, iterations),
                        "password {password_len} B, salt {salt_len} B, {iterations} iterations"
                    );
                }
            }
        }
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
