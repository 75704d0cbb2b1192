//! Native side of the payment-crypto example, exposed to Node through napi-rs: SHA-256 and
//! PBKDF2-HMAC-SHA256 (the template contract), AES-256-GCM sealing, Ed25519 signatures, and the
//! constant-time digest comparison behind `verifyTransaction`. Secret material held in Rust memory
//! (derived keys, PBKDF2 state, signing seeds and expanded keys, AES key schedules) is zeroized after use;
//! decrypted plaintext never enters Rust memory: it is written straight into the caller's array.
//!
//! The plumbing comes from the `interop-module` crate (packages/interop-module-rs): `sync` runs an
//! export under a panic guard; errors reach JavaScript as `Error`s whose message starts with a stable
//! code (`ERR_INVALID_ARG: ...`), which lib/ turns into typed `InteropError`s; small `Bytes` results
//! are wiped once copied.

use aes_gcm::aead::inout::InOutBuf;
use aes_gcm::aead::{Nonce, Tag};
use aes_gcm::{AeadInOut, Aes256Gcm, KeyInit};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use interop_module::crypto::sha256;
use interop_module::napi::{sync, Bytes};
use interop_module::{Error, ErrorCode};
use napi::bindgen_prelude::Uint8Array;
use napi_derive::napi;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

// The contract's exports (hashSync, hash, deriveKey, CancelToken) and the crash triggers are the napi
// template's, compiled from it, so this example cannot drift from what create-interop-module generates.
#[path = "../../../templates/napi/src/lib.rs"]
pub mod contract;

// ---- AES-256-GCM -------------------------------------------------------------------------------------

const NONCE_BYTES: usize = 12;
const TAG_BYTES: usize = 16;
const AES_KEY_BYTES: usize = 32;

/// The one message every authentication failure gets: which check failed (tag, length, key) is exactly
/// what an attacker probing the decryptor would like to learn.
const DECRYPT_FAILED: &str = "the message could not be decrypted";

fn aes_256_gcm(key: &[u8]) -> Result<Aes256Gcm, Error> {
    // Sizes are checked in TypeScript first; this guards direct callers of the binding.
    Aes256Gcm::new_from_slice(key).map_err(|_| {
        Error::new(
            ErrorCode::INVALID_ARG,
            format!("key must be {AES_KEY_BYTES} bytes, got {}", key.len()),
        )
    })
}

/// Splits are made at fixed offsets, so these conversions cannot fail; a failure would be a bug here.
fn nonce_of(bytes: &[u8]) -> Result<&Nonce<Aes256Gcm>, Error> {
    bytes
        .try_into()
        .map_err(|_| Error::new(ErrorCode::INTERNAL, "nonce split at the wrong offset"))
}

fn tag_of(bytes: &[u8]) -> Result<&Tag<Aes256Gcm>, Error> {
    bytes
        .try_into()
        .map_err(|_| Error::new(ErrorCode::INTERNAL, "tag split at the wrong offset"))
}

fn os_random(buffer: &mut [u8]) -> Result<(), Error> {
    getrandom::fill(buffer)
        .map_err(|error| Error::new(ErrorCode::INTERNAL, format!("OS RNG: {error}")))
}

fn output_size_error(name: &str, expected: usize, got: usize) -> Error {
    Error::new(
        ErrorCode::INVALID_ARG,
        format!("{name} must be {expected} bytes for this input, got {got}"),
    )
}

/// Writes `nonce(12) ‖ ciphertext ‖ tag(16)` into `sealed`, which must be exactly that long.
fn seal_into(
    nonce: &[u8; NONCE_BYTES],
    plaintext: &[u8],
    key: &[u8],
    aad: &[u8],
    sealed: &mut [u8],
) -> Result<(), Error> {
    let cipher = aes_256_gcm(key)?;
    let expected = NONCE_BYTES + plaintext.len() + TAG_BYTES;
    if sealed.len() != expected {
        return Err(output_size_error("sealed", expected, sealed.len()));
    }
    let (nonce_out, rest) = sealed.split_at_mut(NONCE_BYTES);
    let (body, tag_out) = rest.split_at_mut(plaintext.len());
    nonce_out.copy_from_slice(nonce);
    // Encrypting from the caller's buffer straight into the output: one pass, no plaintext copy to wipe.
    let buffer = InOutBuf::new(plaintext, body)
        .map_err(|error| Error::new(ErrorCode::INTERNAL, format!("{error:?}")))?;
    let tag = cipher
        .encrypt_inout_detached(nonce_of(nonce_out)?, aad, buffer)
        .map_err(|_| {
            Error::new(
                ErrorCode::INVALID_ARG,
                "plaintext or aad is too long for AES-GCM",
            )
        })?;
    tag_out.copy_from_slice(&tag);
    Ok(())
}

/// Inverse of `seal_into`, writing into `plaintext` (exactly `sealed.len() - 28` bytes). Any failure,
/// including a message too short to hold nonce and tag, is ERR_DECRYPT.
fn open_into(sealed: &[u8], key: &[u8], aad: &[u8], plaintext: &mut [u8]) -> Result<(), Error> {
    let cipher = aes_256_gcm(key)?;
    if sealed.len() < NONCE_BYTES + TAG_BYTES {
        return Err(Error::new(ErrorCode::DECRYPT, DECRYPT_FAILED));
    }
    let expected = sealed.len() - NONCE_BYTES - TAG_BYTES;
    if plaintext.len() != expected {
        return Err(output_size_error("plaintext", expected, plaintext.len()));
    }
    let (nonce, rest) = sealed.split_at(NONCE_BYTES);
    let (body, tag) = rest.split_at(expected);
    let buffer = InOutBuf::new(body, plaintext)
        .map_err(|error| Error::new(ErrorCode::INTERNAL, format!("{error:?}")))?;
    // aes-gcm checks the tag (in constant time) before it decrypts a single byte into `plaintext`.
    cipher
        .decrypt_inout_detached(nonce_of(nonce)?, aad, buffer, tag_of(tag)?)
        .map_err(|_| Error::new(ErrorCode::DECRYPT, DECRYPT_FAILED))
}

/// Gives Rust the output array that lib/aead.ts allocated for this call.
///
/// Writing into a JavaScript-owned array saves a copy of every result (a tenth of the time at 1 MiB) and
/// keeps decrypted plaintext out of Rust memory altogether.
fn output_bytes<'a>(output: &'a mut Uint8Array, inputs: &[&[u8]]) -> Result<&'a mut [u8], Error> {
    let range = output.as_ptr_range();
    // Input and output must not share memory, or the &mut below would alias a & (undefined behaviour).
    // lib/aead.ts always passes a fresh array; this refuses anything else reaching the binding directly.
    let overlaps = |input: &&[u8]| {
        let input_range = input.as_ptr_range();
        !input.is_empty() && input_range.start < range.end && range.start < input_range.end
    };
    if !output.is_empty() && inputs.iter().any(overlaps) {
        return Err(Error::new(
            ErrorCode::INVALID_ARG,
            "the output array must not share memory with an input",
        ));
    }
    // SAFETY: this runs synchronously on the JavaScript thread, so no JavaScript can read or write the
    // array while Rust holds this slice, and the check above rules out aliasing with the inputs.
    Ok(unsafe { output.as_mut() })
}

/// AES-256-GCM encryption on the calling thread into `sealed`: `nonce ‖ ciphertext ‖ tag`.
#[napi]
pub fn aes_gcm_seal(
    plaintext: Uint8Array,
    key: Uint8Array,
    aad: Uint8Array,
    mut sealed: Uint8Array,
) -> napi::Result<()> {
    sync(|| {
        let mut nonce = [0u8; NONCE_BYTES];
        os_random(&mut nonce)?;
        let output = output_bytes(&mut sealed, &[&plaintext, &key, &aad])?;
        seal_into(&nonce, &plaintext, &key, &aad, output)
    })
}

/// AES-256-GCM decryption on the calling thread into `plaintext`; `ERR_DECRYPT` on any failure to
/// authenticate, and then `plaintext` is left untouched.
#[napi]
pub fn aes_gcm_open(
    sealed: Uint8Array,
    key: Uint8Array,
    aad: Uint8Array,
    mut plaintext: Uint8Array,
) -> napi::Result<()> {
    sync(|| {
        let output = output_bytes(&mut plaintext, &[&sealed, &key, &aad])?;
        open_into(&sealed, &key, &aad, output)
    })
}

// ---- Ed25519 -----------------------------------------------------------------------------------------

fn fixed<const N: usize>(bytes: &[u8], name: &str) -> Result<[u8; N], Error> {
    bytes.try_into().map_err(|_| {
        Error::new(
            ErrorCode::INVALID_ARG,
            format!("{name} must be {N} bytes, got {}", bytes.len()),
        )
    })
}

/// `seed(32) ‖ public key(32)`: the RFC 8032 private key from the OS RNG and the public key it gives.
#[napi(ts_return_type = "Uint8Array")]
pub fn ed25519_generate() -> napi::Result<Bytes> {
    sync(|| {
        let mut seed = Zeroizing::new([0u8; 32]);
        os_random(seed.as_mut())?;
        let signing_key = SigningKey::from_bytes(&seed);
        let mut pair = Zeroizing::new([0u8; 64]);
        pair[..32].copy_from_slice(seed.as_ref());
        pair[32..].copy_from_slice(signing_key.verifying_key().as_bytes());
        Ok(pair.as_slice().into())
    })
}

/// The 64-byte Ed25519 signature of `message` under the 32-byte seed `secret_key`.
#[napi(ts_return_type = "Uint8Array")]
pub fn ed25519_sign(message: Uint8Array, secret_key: Uint8Array) -> napi::Result<Bytes> {
    sync(|| {
        let seed = Zeroizing::new(fixed::<32>(&secret_key, "secretKey")?);
        // SigningKey wipes its copy of the seed and the expanded scalar on drop.
        let signing_key = SigningKey::from_bytes(&seed);
        Ok(signing_key.sign(&message).to_bytes().into())
    })
}

/// Strict RFC 8032 verification (canonical encodings, no small-order keys or R): false on any mismatch.
#[napi]
pub fn ed25519_verify(
    message: Uint8Array,
    signature: Uint8Array,
    public_key: Uint8Array,
) -> napi::Result<bool> {
    sync(|| {
        let signature = Signature::from_bytes(&fixed::<64>(&signature, "signature")?);
        let public_key = fixed::<32>(&public_key, "publicKey")?;
        // A key of the right size that is not a curve point cannot have signed anything.
        let Ok(verifying_key) = VerifyingKey::from_bytes(&public_key) else {
            return Ok(false);
        };
        Ok(verifying_key.verify_strict(&message, &signature).is_ok())
    })
}

// ---- Transactions ------------------------------------------------------------------------------------

/// Whether SHA-256(`encoding`) equals `expected`, compared in constant time (`subtle`), so the time taken
/// says nothing about how many leading bytes of a forged digest were right.
#[napi]
pub fn sha256_matches(encoding: Uint8Array, expected: Uint8Array) -> napi::Result<bool> {
    sync(|| {
        let expected = fixed::<32>(&expected, "expected digest")?;
        Ok(bool::from(sha256(&encoding).ct_eq(&expected)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    fn seal(nonce: &[u8; NONCE_BYTES], plaintext: &[u8], key: &[u8], aad: &[u8]) -> Vec<u8> {
        let mut sealed = vec![0u8; NONCE_BYTES + plaintext.len() + TAG_BYTES];
        seal_into(nonce, plaintext, key, aad, &mut sealed).unwrap();
        sealed
    }

    fn open(sealed: &[u8], key: &[u8], aad: &[u8]) -> Result<Vec<u8>, Error> {
        let mut plaintext = vec![0u8; sealed.len().saturating_sub(NONCE_BYTES + TAG_BYTES)];
        open_into(sealed, key, aad, &mut plaintext).map(|()| plaintext)
    }

    #[test]
    fn open_reverses_seal_and_binds_the_aad() {
        let key = [7u8; 32];
        let sealed = seal(&[9u8; NONCE_BYTES], b"payment", &key, b"order-1");
        assert_eq!(sealed.len(), NONCE_BYTES + 7 + TAG_BYTES);
        assert_eq!(open(&sealed, &key, b"order-1").unwrap(), b"payment");
        let error = open(&sealed, &key, b"order-2").unwrap_err();
        assert_eq!(error.to_string(), format!("ERR_DECRYPT: {DECRYPT_FAILED}"));
    }

    #[test]
    fn open_rejects_messages_shorter_than_nonce_and_tag_as_a_decrypt_failure() {
        let error = open(&[0u8; NONCE_BYTES + TAG_BYTES - 1], &[0u8; 32], b"").unwrap_err();
        assert_eq!(error.to_string(), format!("ERR_DECRYPT: {DECRYPT_FAILED}"));
    }

    #[test]
    fn a_key_or_output_of_the_wrong_size_is_an_invalid_argument() {
        let mut sealed = [0u8; NONCE_BYTES + 1 + TAG_BYTES];
        let error = seal_into(&[0u8; NONCE_BYTES], b"x", &[0u8; 16], b"", &mut sealed).unwrap_err();
        assert_eq!(
            error.to_string(),
            "ERR_INVALID_ARG: key must be 32 bytes, got 16"
        );
        let error =
            seal_into(&[0u8; NONCE_BYTES], b"xy", &[0u8; 32], b"", &mut sealed).unwrap_err();
        assert_eq!(
            error.to_string(),
            "ERR_INVALID_ARG: sealed must be 30 bytes for this input, got 29"
        );
        let error = open_into(&sealed, &[0u8; 32], b"", &mut [0u8; 2]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "ERR_INVALID_ARG: plaintext must be 1 bytes for this input, got 2"
        );
    }

    #[test]
    fn seal_and_open_match_gcm_spec_test_case_16() {
        // McGrew & Viega, "The Galois/Counter Mode of Operation", Test Case 16 (AES-256, 60-byte P, AAD).
        let key = unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        let nonce: [u8; NONCE_BYTES] = unhex("cafebabefacedbaddecaf888").try_into().unwrap();
        let sealed = unhex(concat!(
            "cafebabefacedbaddecaf888",
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa",
            "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
            "76fc6ece0f4e1768cddf8853bb2d551b",
        ));
        let aad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        let plaintext = unhex(concat!(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72",
            "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        ));
        assert_eq!(seal(&nonce, &plaintext, &key, &aad), sealed);
        assert_eq!(open(&sealed, &key, &aad).unwrap(), plaintext);
    }

    #[test]
    fn ed25519_verify_is_strict_about_sizes_and_false_for_non_points() {
        let signing_key = SigningKey::from_bytes(&[1u8; 32]);
        let signature = signing_key.sign(b"m").to_bytes();
        let public_key = signing_key.verifying_key().to_bytes();
        let verify = |message: &[u8], public_key: &[u8]| -> bool {
            let key = VerifyingKey::from_bytes(&fixed::<32>(public_key, "publicKey").unwrap());
            key.is_ok_and(|key| {
                key.verify_strict(message, &Signature::from_bytes(&signature))
                    .is_ok()
            })
        };
        assert!(verify(b"m", &public_key));
        assert!(!verify(b"n", &public_key));
        let error = fixed::<32>(&public_key[..31], "publicKey").unwrap_err();
        assert_eq!(
            error.to_string(),
            "ERR_INVALID_ARG: publicKey must be 32 bytes, got 31"
        );
    }
}
