//! The port kind's crash triggers (feature `crash-tests`): a `crash` method with the contract's port
//! modes (and `arm-panic`, for the panic tests of added functions), and start-up misbehaviour chosen by
//! arguments.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use super::server::Server;
use super::Lane;
use crate::{Error, ErrorCode};

/// Start-up misbehaviour chosen by the tests through arguments: `--exit-at-start` dies at once (a
/// port that cannot start), `--emit <hex>` writes those bytes to stdout and exits (a fake child for
/// frame fuzzing).
pub(crate) fn at_start() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["--exit-at-start"] => {
            eprintln!("crash trigger: exit at start");
            std::process::exit(4);
        }
        ["--emit", hex] => {
            let bytes: Vec<u8> = (0..hex.len() / 2)
                .map(|at| {
                    u8::from_str_radix(&hex[2 * at..2 * at + 2], 16).expect("--emit takes hex")
                })
                .collect();
            let mut stdout = std::io::stdout().lock();
            // The parent may already have given up on us; nothing to report then.
            let _ = stdout.write_all(&bytes).and_then(|()| stdout.flush());
            std::process::exit(0);
        }
        _ => {}
    }
}

/// Test-only misbehaviour, one per crash mode of the contract that a port can show.
pub(crate) fn trigger(server: &Arc<Server>, id: u32, mode: &[u8]) {
    match mode {
        b"panic" => server.submit(Lane::Fast, id, |_| panic!("crash trigger: panic")),
        b"exit" => {
            eprintln!("crash trigger: exit");
            std::process::exit(3);
        }
        // Never answers on its own; a cancel (abort or timeout in the parent) ends it.
        b"hang" => server.submit(Lane::Slow, id, |cancel| {
            while !cancel.is_cancelled() {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(Error::new(ErrorCode::ABORTED, "hang cancelled"))
        }),
        // A well-framed payload too short to be a reply.
        b"garbage" => server.send(vec![0, 0, 0, 2, 0xde, 0xad]),
        // A header announcing 4 GiB, and no body.
        b"oversize" => server.send(u32::MAX.to_be_bytes().to_vec()),
        // Not a crash mode of the contract: the next function added with `create-interop-module
        // add` panics (crate::crash), for its panic test.
        b"arm-panic" => {
            crate::crash::arm_panic();
            server.reply(id, Ok(Vec::new()));
        }
        _ => server.reply(
            id,
            Err(Error::new(ErrorCode::INVALID_ARG, "unknown crash mode")),
        ),
    }
}
