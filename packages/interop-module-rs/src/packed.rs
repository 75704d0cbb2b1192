//! Arguments packed into one body, for the functions `create-interop-module add` writes into port and
//! wasm packages (napi passes them one by one). The package's `lib/packed-arguments.ts` packs them in
//! order: a `u32` as 4 bytes and an `f64` as the 8 bytes of its bits, both big-endian; a `bool` as one
//! byte, 0 or 1; bytes and UTF-8 strings behind a 4-byte big-endian length, except the last field
//! when it is one of them, which is the rest of the body (so a lone bytes argument is the body as
//! it is, never copied to be packed).

use crate::{Error, ErrorCode};

/// Reads the fields of a packed body in the order they were packed.
pub struct Fields<'a> {
    rest: &'a [u8],
}

impl<'a> Fields<'a> {
    pub fn new(body: &'a [u8]) -> Self {
        Fields { rest: body }
    }

    fn take(&mut self, length: usize, what: &str) -> Result<&'a [u8], Error> {
        if self.rest.len() < length {
            return Err(Error::new(
                ErrorCode::INVALID_ARG,
                format!("the packed arguments end before their {what}"),
            ));
        }
        let (field, rest) = self.rest.split_at(length);
        self.rest = rest;
        Ok(field)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], Error> {
        let mut bytes = [0; N];
        bytes.copy_from_slice(self.take(N, what)?);
        Ok(bytes)
    }

    pub fn u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_be_bytes(self.array("u32")?))
    }

    pub fn f64(&mut self) -> Result<f64, Error> {
        Ok(f64::from_bits(u64::from_be_bytes(self.array("f64")?)))
    }

    pub fn bool(&mut self) -> Result<bool, Error> {
        match self.array::<1>("bool")? {
            [0] => Ok(false),
            [1] => Ok(true),
            [other] => Err(Error::new(
                ErrorCode::INVALID_ARG,
                format!("a packed bool is 0 or 1, got {other}"),
            )),
        }
    }

    /// Bytes behind their length.
    pub fn bytes(&mut self) -> Result<&'a [u8], Error> {
        let length = self.u32()?;
        self.take(length as usize, "bytes")
    }

    /// A UTF-8 string behind its length.
    pub fn str(&mut self) -> Result<&'a str, Error> {
        utf8(self.bytes()?)
    }

    /// The rest of the body, as the last field.
    pub fn rest_bytes(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.rest)
    }

    /// The rest of the body as a UTF-8 string, as the last field.
    pub fn rest_str(&mut self) -> Result<&'a str, Error> {
        utf8(self.rest_bytes())
    }

    /// Checks that every byte was read: a longer body was packed for another signature.
    pub fn finish(self) -> Result<(), Error> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(Error::new(
                ErrorCode::INVALID_ARG,
                format!("{} bytes follow the packed arguments", self.rest.len()),
            ))
        }
    }
}

fn utf8(bytes: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(bytes)
        .map_err(|_| Error::new(ErrorCode::INVALID_ARG, "a packed string is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_come_out_in_the_order_and_form_they_were_packed() {
        let body = [
            &[0, 0, 0, 3][..],
            b"abc",
            &7u32.to_be_bytes(),
            &(-0.5f64).to_bits().to_be_bytes(),
            &[1],
            "héllo".as_bytes(),
        ]
        .concat();
        let mut fields = Fields::new(&body);
        assert_eq!(fields.bytes(), Ok(&b"abc"[..]));
        assert_eq!(fields.u32(), Ok(7));
        assert_eq!(fields.f64(), Ok(-0.5));
        assert_eq!(fields.bool(), Ok(true));
        assert_eq!(fields.rest_str(), Ok("héllo"));
        assert_eq!(fields.finish(), Ok(()));
    }

    #[test]
    fn a_short_or_long_or_malformed_body_is_invalid_arg() {
        assert_eq!(
            Fields::new(&[0, 0, 0, 9, 1]).bytes().unwrap_err().code(),
            ErrorCode::INVALID_ARG
        );
        assert!(Fields::new(&[2]).bool().is_err());
        assert!(Fields::new(&[0xff]).rest_str().is_err());
        let mut fields = Fields::new(&[0, 0, 0, 1, 9]);
        assert_eq!(fields.u32(), Ok(1));
        assert_eq!(
            fields.finish().unwrap_err().message(),
            "1 bytes follow the packed arguments"
        );
    }
}
