//! The serve loop: request frames read from one buffer and handled as soon as each is complete.

use std::borrow::Cow;
use std::io::{self, Read};
use std::sync::Arc;

use super::server::Server;
use super::wire::FRAME_HEADER_BYTES;

/// Requests are parsed in place from a buffer this large; a larger request gets its own allocation.
pub(crate) const INPUT_BUFFER_BYTES: usize = 256 * 1024;

/// Reads request frames until `input` ends. Frames that fit are parsed in place from one buffer, so
/// a batch of small requests costs one read; once no complete frame is left, the replies written
/// in place are flushed, as one write, before the next read waits. `Ok` at a clean end of input;
/// an error for a frame over `max_request_bytes` (refused before anything is allocated for it), a
/// malformed request, or input cut off mid-frame.
pub(crate) fn serve(
    server: &Arc<Server>,
    mut input: impl Read,
    max_request_bytes: usize,
) -> io::Result<()> {
    let mut buffer = vec![0u8; INPUT_BUFFER_BYTES];
    let (mut start, mut end) = (0, 0);
    loop {
        if end - start >= FRAME_HEADER_BYTES {
            let header = buffer[start..start + FRAME_HEADER_BYTES]
                .try_into()
                .expect("a 4-byte slice");
            let length = u32::from_be_bytes(header) as usize;
            if length > max_request_bytes {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "a request frame of {length} bytes is over the {max_request_bytes}-byte limit"
                    ),
                ));
            }
            let payload_start = start + FRAME_HEADER_BYTES;
            if payload_start + length <= end {
                server.handle(Cow::Borrowed(
                    &buffer[payload_start..payload_start + length],
                ))?;
                start = payload_start + length;
                continue;
            }
            if FRAME_HEADER_BYTES + length > buffer.len() {
                let mut payload = Vec::with_capacity(length);
                payload.extend_from_slice(&buffer[payload_start..end]);
                let received = payload.len();
                payload.resize(length, 0);
                input.read_exact(&mut payload[received..])?;
                (start, end) = (0, 0);
                server.handle(Cow::Owned(payload))?;
                continue;
            }
        }
        server.flush();
        buffer.copy_within(start..end, 0);
        (start, end) = (0, end - start);
        match input.read(&mut buffer[end..]) {
            Ok(0) if end == 0 => return Ok(()),
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(read) => end += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
}
