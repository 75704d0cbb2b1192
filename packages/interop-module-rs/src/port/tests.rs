//! The serve loop end to end, on in-memory streams.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::reader::{serve, INPUT_BUFFER_BYTES};
use super::server::Server;
use super::wire::reply_frame;
use super::wire::tests::{call_frame, cancel_frame, frame};
use super::{Lane, Port, DEFAULT_MAX_REQUEST_BYTES};
use crate::{lock, Error, ErrorCode};

/// What the port wrote, readable by the test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        lock(&self.0).extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// The reply frames written so far, by id: (status, rest of the reply).
    fn replies(&self) -> HashMap<u32, (u8, Vec<u8>)> {
        let bytes = lock(&self.0).clone();
        let mut replies = HashMap::new();
        let mut at = 0;
        while at + 4 <= bytes.len() {
            let length = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
            let reply = &bytes[at + 4..at + 4 + length];
            let id = u32::from_be_bytes(reply[..4].try_into().unwrap());
            replies.insert(id, (reply[4], reply[5..].to_vec()));
            at += 4 + length;
        }
        replies
    }

    /// Waits (at most 10 s) until `count` replies have been written, and returns them.
    fn await_replies(&self, count: usize) -> HashMap<u32, (u8, Vec<u8>)> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let replies = self.replies();
            if replies.len() >= count || Instant::now() > deadline {
                return replies;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// Hands out its bytes at most `step` at a time, as a pipe may.
struct Trickle {
    bytes: Vec<u8>,
    at: usize,
    step: usize,
}

impl Read for Trickle {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let count = out.len().min(self.step).min(self.bytes.len() - self.at);
        out[..count].copy_from_slice(&self.bytes[self.at..self.at + count]);
        self.at += count;
        Ok(count)
    }
}

fn serve_bytes(port: Port, bytes: Vec<u8>, step: usize) -> (io::Result<()>, Captured) {
    let captured = Captured::default();
    let server = Server::start(port, Box::new(captured.clone()));
    let result = serve(
        &server,
        Trickle { bytes, at: 0, step },
        DEFAULT_MAX_REQUEST_BYTES,
    );
    (result, captured)
}

const OK: u8 = 0;
const ERROR: u8 = 1;

fn error_reply(code: ErrorCode, message: &str) -> (u8, Vec<u8>) {
    let mut rest = vec![code.as_str().len() as u8];
    rest.extend_from_slice(code.as_str().as_bytes());
    rest.extend_from_slice(message.as_bytes());
    (ERROR, rest)
}

#[test]
fn serves_frames_split_anywhere_including_frames_larger_than_the_input_buffer() {
    let bodies = [
        vec![1u8; 64],
        vec![2u8; INPUT_BUFFER_BYTES + 10],
        vec![],
        vec![3u8; 5],
    ];
    let input: Vec<u8> = (0u32..)
        .zip(&bodies)
        .flat_map(|(id, body)| call_frame(id, b"echo", body))
        .collect();
    let expected: Vec<u8> = (0u32..)
        .zip(&bodies)
        .flat_map(|(id, body)| reply_frame(id, &Ok(body.clone())))
        .collect();
    for step in [1, 7, 4096, 1 << 20] {
        let (result, captured) = serve_bytes(Port::new().with_echo(), input.clone(), step);
        assert!(result.is_ok(), "step {step}: {result:?}");
        assert!(
            *lock(&captured.0) == expected,
            "step {step}: replies differ"
        );
    }
}

#[test]
fn refuses_a_header_over_the_limit_before_reading_its_frame() {
    let oversize = (DEFAULT_MAX_REQUEST_BYTES as u32 + 1)
        .to_be_bytes()
        .to_vec();
    let (result, captured) = serve_bytes(Port::new().with_echo(), oversize, 4);
    let error = result.unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    assert!(error.to_string().contains("over the"), "{error}");
    assert!(lock(&captured.0).is_empty());
}

#[test]
fn a_stream_cut_off_mid_frame_is_an_unexpected_end() {
    let cut = call_frame(1, b"echo", b"body")[..10].to_vec();
    let (result, _) = serve_bytes(Port::new().with_echo(), cut, 3);
    assert_eq!(result.unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
    // Cut inside a frame larger than the input buffer, which is read straight into its own buffer.
    let large = call_frame(2, b"echo", &vec![0u8; INPUT_BUFFER_BYTES * 2]);
    let (result, _) = serve_bytes(
        Port::new().with_echo(),
        large[..INPUT_BUFFER_BYTES].to_vec(),
        4096,
    );
    assert_eq!(result.unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
}

#[test]
fn a_malformed_request_ends_serving() {
    let (result, _) = serve_bytes(Port::new(), frame(&[9, 0, 0, 0, 1]), 64);
    assert_eq!(result.unwrap_err().kind(), io::ErrorKind::InvalidData);
}

#[test]
fn handlers_reply_from_their_pools_and_unknown_methods_are_invalid_arguments() {
    let rejected = ErrorCode::custom("ERR_GATEWAY_REJECTED");
    let port = Port::new()
        .handle("reverse", Lane::Fast, |body, _| {
            Ok(body.iter().rev().copied().collect())
        })
        .handle("refuse", Lane::Slow, move |_, _| {
            Err(Error::new(rejected, "no"))
        });
    let mut input = call_frame(1, b"reverse", b"abc");
    input.extend(call_frame(2, b"refuse", b""));
    input.extend(call_frame(3, b"nothing", b""));
    let (result, captured) = serve_bytes(port, input, 4096);
    assert!(result.is_ok(), "{result:?}");
    let replies = captured.await_replies(3);
    assert_eq!(replies[&1], (OK, b"cba".to_vec()));
    assert_eq!(replies[&2], error_reply(rejected, "no"));
    assert_eq!(
        replies[&3],
        error_reply(ErrorCode::INVALID_ARG, "unknown method nothing")
    );
}

#[test]
fn a_panicking_handler_is_an_error_reply_and_the_port_serves_on() {
    let port = Port::new()
        .threads(Lane::Fast, 1)
        .handle("boom", Lane::Fast, |_, _| panic!("boom in a handler"))
        .handle("fine", Lane::Fast, |_, _| Ok(b"fine".to_vec()));
    let mut input = call_frame(1, b"boom", b"");
    input.extend(call_frame(2, b"fine", b""));
    let (result, captured) = serve_bytes(port, input, 4096);
    assert!(result.is_ok(), "{result:?}");
    let replies = captured.await_replies(2);
    assert_eq!(
        replies[&1],
        error_reply(ErrorCode::NATIVE_PANIC, "boom in a handler")
    );
    assert_eq!(replies[&2], (OK, b"fine".to_vec()));
}

#[test]
fn a_cancel_frame_stops_its_call_at_the_next_checkpoint() {
    let port = Port::new().handle("wait", Lane::Slow, |_, cancel| {
        // Bounded: ten seconds of checkpoints, far longer than the cancel takes to arrive.
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            cancel.checkpoint()?;
        }
        Ok(b"never cancelled".to_vec())
    });
    let mut input = call_frame(5, b"wait", b"");
    input.extend(cancel_frame(5));
    // A cancel for a call that is not running is ignored.
    input.extend(cancel_frame(6));
    let started = Instant::now();
    let (result, captured) = serve_bytes(port, input, 4096);
    assert!(result.is_ok(), "{result:?}");
    let replies = captured.await_replies(1);
    assert_eq!(replies[&5], error_reply(ErrorCode::ABORTED, "cancelled"));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(replies.len(), 1);
}
