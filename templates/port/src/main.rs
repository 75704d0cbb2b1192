//! The port: a child process that serves SHA-256 and PBKDF2-HMAC-SHA256 to its Node parent over
//! stdin/stdout, in the framing and encoding of `@interop-module/runtime/port`.
//!
//! The serving comes from the `interop-module` crate (vendor/interop-module): framing, a fast and a
//! slow pool (a long `deriveKey` never delays a `hash`), cancel frames, a panic becoming an
//! `ERR_NATIVE_PANIC` reply, exiting on stdin EOF or with the parent, and, with `--features
//! crash-tests`, the crash triggers. This file holds the methods.

use interop_module::crypto::{pbkdf2_sha256, sha256_yielding, Sha256Hasher};
use interop_module::handles::DEFAULT_LIMIT;
use interop_module::port::{Lane, Port};
use interop_module::{CancelFlag, Error, ErrorCode};

// Functions added with `create-interop-module add`.
mod functions;

fn main() {
    let port = Port::new()
        // Answered on the reading thread: what the bench measures is the transport, not a pool.
        .with_echo()
        .handle("hash", Lane::Fast, |data, _| {
            Ok(sha256_yielding(data).to_vec())
        })
        .handle("deriveKey", Lane::Slow, derive_key)
        // createHasher's state, behind handles this process hands out (hasher.create, .update,
        // .digest, .free, .live); a resource of your own is registered the same way.
        .resource(
            "hasher",
            DEFAULT_LIMIT,
            Sha256Hasher::new,
            &[
                ("update", Lane::Fast, |hasher, data, cancel| {
                    hasher.update(data, cancel).map(|()| Vec::new())
                }),
                ("digest", Lane::Fast, |hasher, _, _| {
                    Ok(hasher.finish().to_vec())
                }),
            ],
        );
    functions::register(port).serve()
}

/// deriveKey body (lib/port.ts, `deriveKeyBody`): u32 iterations, u16 salt length, salt, password
/// (the rest). A cancel from the parent stops it within 1000 rounds.
fn derive_key(body: &[u8], cancel: &CancelFlag) -> Result<Vec<u8>, Error> {
    let invalid = |what: &str| Error::new(ErrorCode::INVALID_ARG, what);
    if body.len() < 6 {
        return Err(invalid(
            "a deriveKey request needs iterations and a salt length",
        ));
    }
    let iterations = u32::from_be_bytes([body[0], body[1], body[2], body[3]]);
    let salt_end = 6 + usize::from(u16::from_be_bytes([body[4], body[5]]));
    if body.len() < salt_end {
        return Err(invalid("salt is shorter than its declared length"));
    }
    let key = pbkdf2_sha256(&body[salt_end..], &body[6..salt_end], iterations, cancel)?;
    Ok(key.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use interop_module::crypto::hex;

    #[test]
    fn derive_key_reads_its_body_as_lib_port_ts_writes_it() {
        // RFC 7914 section 11: "passwd", salt "salt", one iteration.
        let body = [&[0, 0, 0, 1, 0, 4][..], b"salt", b"passwd"].concat();
        assert_eq!(
            hex(&derive_key(&body, &CancelFlag::new()).unwrap()),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
    }

    #[test]
    fn derive_key_names_a_short_body() {
        let error = derive_key(&[0, 0, 0, 1, 0, 16, 1, 2], &CancelFlag::new()).unwrap_err();
        assert_eq!(error.code(), ErrorCode::INVALID_ARG);
        assert!(error.message().contains("salt"));
    }
}
