//! The messages inside frames, exactly as `@interop-module/runtime/port` encodes them (codec.ts):
//!
//! - frame: u32 big-endian payload length, then the payload (framing.ts);
//! - request: u8 kind (0 call, 1 cancel), u32 id, and for a call u8 method length, method, body;
//! - reply: u32 id, u8 status (0 ok, 1 error), then the body, or u8 code length, code, message.

use std::io::{self, Write};

use crate::Error;

const KIND_CALL: u8 = 0;
const KIND_CANCEL: u8 = 1;
const STATUS_OK: u8 = 0;
const STATUS_ERROR: u8 = 1;

pub(crate) const FRAME_HEADER_BYTES: usize = 4;

/// What a request frame asks for. A call's method is `payload[6..body_start]`, its body the rest.
#[derive(Debug, PartialEq)]
pub(crate) enum Request {
    Call { id: u32, body_start: usize },
    Cancel { id: u32 },
}

/// Reads a request's head; an error means the stream from the parent cannot be trusted.
pub(crate) fn parse_request(payload: &[u8]) -> io::Result<Request> {
    let malformed = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_owned());
    if payload.len() < 5 {
        return Err(malformed("a request shorter than 5 bytes"));
    }
    let id = u32::from_be_bytes([payload[1], payload[2], payload[3], payload[4]]);
    match payload[0] {
        KIND_CANCEL => Ok(Request::Cancel { id }),
        KIND_CALL => {
            let method_length = *payload
                .get(5)
                .ok_or_else(|| malformed("a call without a method"))?;
            let body_start = 6 + usize::from(method_length);
            if payload.len() < body_start {
                return Err(malformed("a call shorter than its method name"));
            }
            Ok(Request::Call { id, body_start })
        }
        kind => Err(malformed(&format!("unknown request kind {kind}"))),
    }
}

/// Writes one reply frame, header included, without building it in memory first.
pub(crate) fn write_reply(
    out: &mut impl Write,
    id: u32,
    outcome: Result<&[u8], &Error>,
) -> io::Result<()> {
    let length = 5 + match outcome {
        Ok(body) => body.len(),
        Err(error) => 1 + error.code().as_str().len() + error.message().len(),
    };
    // Replies stay far below 4 GiB: request frames are capped, and so is what is made of them.
    out.write_all(&(length as u32).to_be_bytes())?;
    out.write_all(&id.to_be_bytes())?;
    match outcome {
        Ok(body) => {
            out.write_all(&[STATUS_OK])?;
            out.write_all(body)
        }
        Err(error) => {
            let code = error.code().as_str();
            // ErrorCode guarantees at most 255 bytes of ASCII.
            out.write_all(&[STATUS_ERROR, code.len() as u8])?;
            out.write_all(code.as_bytes())?;
            out.write_all(error.message().as_bytes())
        }
    }
}

pub(crate) fn reply_frame(id: u32, outcome: &Result<Vec<u8>, Error>) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_reply(&mut out, id, outcome.as_deref());
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ErrorCode;

    pub(crate) fn frame(payload: &[u8]) -> Vec<u8> {
        let mut out = (payload.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(payload);
        out
    }

    pub(crate) fn call_frame(id: u32, method: &[u8], body: &[u8]) -> Vec<u8> {
        let mut payload = vec![KIND_CALL];
        payload.extend_from_slice(&id.to_be_bytes());
        payload.push(method.len() as u8);
        payload.extend_from_slice(method);
        payload.extend_from_slice(body);
        frame(&payload)
    }

    pub(crate) fn cancel_frame(id: u32) -> Vec<u8> {
        let mut payload = vec![KIND_CANCEL];
        payload.extend_from_slice(&id.to_be_bytes());
        frame(&payload)
    }

    #[test]
    fn replies_are_framed_as_the_runtime_decodes_them() {
        let ok = reply_frame(7, &Ok(vec![0xaa]));
        assert_eq!(ok, [0, 0, 0, 6, 0, 0, 0, 7, STATUS_OK, 0xaa]);
        let custom = ErrorCode::custom("ERR_X");
        let error = reply_frame(7, &Err(Error::new(custom, "m")));
        assert_eq!(&error[..10], [0, 0, 0, 12, 0, 0, 0, 7, STATUS_ERROR, 5]);
        assert_eq!(&error[10..], b"ERR_Xm");
    }

    #[test]
    fn requests_are_read_as_the_runtime_encodes_them() {
        let call = call_frame(0x0102_0304, b"hash", b"body");
        let request = parse_request(&call[FRAME_HEADER_BYTES..]).unwrap();
        assert_eq!(
            request,
            Request::Call {
                id: 0x0102_0304,
                body_start: 10
            }
        );
        assert_eq!(
            &call[FRAME_HEADER_BYTES + 6..FRAME_HEADER_BYTES + 10],
            b"hash"
        );
        let cancel = cancel_frame(9);
        assert_eq!(
            parse_request(&cancel[FRAME_HEADER_BYTES..]).unwrap(),
            Request::Cancel { id: 9 }
        );
    }

    #[test]
    fn malformed_requests_are_invalid_data() {
        for payload in [
            &[KIND_CALL, 0, 0, 0][..],
            &[KIND_CALL, 0, 0, 0, 1],
            &[KIND_CALL, 0, 0, 0, 1, 4, b'h'],
            &[7, 0, 0, 0, 1],
        ] {
            let error = parse_request(payload).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidData, "{payload:?}");
        }
    }
}
