//! A resource type a port serves: state behind handles in the child ([`crate::handles`]), reached
//! by the calls `<name>.create`, `<name>.<operation>`, `<name>.free` and `<name>.live`, which the
//! runtime's `portResource` makes. A handle crosses the pipe as 12 bytes, a number this process drew
//! at random when it started, then the table's handle (big-endian), at the start of each call's body:
//! a handle of a child that died is `ERR_RESOURCE_LOST` in the next one, never another caller's state
//! (a pid could be reused, and is not the child's own when a wrapper starts it).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, OnceLock};

use super::{Lane, Port};
use crate::handles::{Handle, HandleTable};
use crate::{CancelFlag, Error, ErrorCode};

/// One operation on a resource's state: the call's body after the handle in, the reply body out.
pub type ResourceOperation<T> = fn(&mut T, &[u8], &CancelFlag) -> Result<Vec<u8>, Error>;

/// Bytes of a handle on the wire: this process's nonce, then the table's handle.
pub const TOKEN_BYTES: usize = 12;

/// This process's nonce: random (std's hash keys come from the OS), drawn once.
fn nonce() -> [u8; 8] {
    static NONCE: OnceLock<[u8; 8]> = OnceLock::new();
    *NONCE.get_or_init(|| {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        hasher.finish().to_be_bytes()
    })
}

impl Port {
    /// Serves a resource type `name`: `create` makes the state of a new one (at most `limit` live),
    /// and each of `operations` (name, lane, function) runs on one. Calls on one handle take turns;
    /// a panic in an operation is an `ERR_NATIVE_PANIC` reply, and the handle's state, half-changed, is
    /// dropped at its next call or free.
    pub fn resource<T: Send + 'static>(
        self,
        name: &'static str,
        limit: usize,
        create: fn() -> T,
        operations: &[(&str, Lane, ResourceOperation<T>)],
    ) -> Self {
        let table = Arc::new(HandleTable::new(name, limit));
        let mut port = {
            let table = Arc::clone(&table);
            self.handle(&format!("{name}.create"), Lane::Fast, move |_, _| {
                let handle = table.insert(create())?;
                Ok(token(handle).to_vec())
            })
        };
        for &(operation, lane, run) in operations {
            let table = Arc::clone(&table);
            port = port.handle(&format!("{name}.{operation}"), lane, move |body, cancel| {
                let (handle, rest) = parse(name, body)?;
                table.with(handle, |state| run(state, rest, cancel))?
            });
        }
        let freed = Arc::clone(&table);
        port.handle(&format!("{name}.free"), Lane::Fast, move |body, _| {
            // Idempotent, and a handle of an earlier process has nothing here to free.
            if let Ok((handle, _)) = parse(name, body) {
                freed.remove(handle);
            }
            Ok(Vec::new())
        })
        .handle(&format!("{name}.live"), Lane::Fast, move |_, _| {
            Ok(u32::try_from(table.live())
                .unwrap_or(u32::MAX)
                .to_be_bytes()
                .to_vec())
        })
    }
}

fn token(handle: Handle) -> [u8; TOKEN_BYTES] {
    let mut token = [0; TOKEN_BYTES];
    token[..8].copy_from_slice(&nonce());
    token[8..].copy_from_slice(&handle.to_be_bytes());
    token
}

/// The handle at the start of `body` and the rest; a handle of another process is lost.
fn parse<'a>(name: &str, body: &'a [u8]) -> Result<(Handle, &'a [u8]), Error> {
    let Some((token, rest)) = body.split_first_chunk::<TOKEN_BYTES>() else {
        return Err(Error::new(
            ErrorCode::INVALID_ARG,
            format!("a {name} call starts with its {TOKEN_BYTES}-byte handle"),
        ));
    };
    if token[..8] != nonce() {
        return Err(Error::new(
            ErrorCode::RESOURCE_LOST,
            format!("this {name} was held by an earlier port process, which is gone"),
        ));
    }
    Ok((
        u32::from_be_bytes([token[8], token[9], token[10], token[11]]),
        rest,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_carries_this_process_nonce_and_the_handle() {
        let body = [&token(7)[..], b"data"].concat();
        let (handle, rest) = parse("hasher", &body).unwrap();
        assert_eq!((handle, rest), (7, &b"data"[..]));
    }

    #[test]
    fn a_token_of_another_process_is_lost_and_a_short_one_is_invalid() {
        let mut foreign = token(7);
        foreign[0] ^= 1;
        let lost = parse("hasher", &foreign).unwrap_err();
        assert_eq!(lost.code(), ErrorCode::RESOURCE_LOST);
        assert!(lost.message().contains("earlier port process"), "{lost}");
        assert_eq!(
            parse("hasher", &[0; 7]).unwrap_err().code(),
            ErrorCode::INVALID_ARG
        );
    }
}
