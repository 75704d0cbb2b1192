//! What a port process needs from its OS: raw standard streams, and dying with its parent.

use std::io::{Read, Write};

/// The process's stdin and stdout as plain files. Rust's `io::stdout()` is line-buffered: on binary
/// replies it would split each batch into one write per newline byte.
#[cfg(unix)]
pub(crate) fn standard_streams() -> (Box<dyn Read + Send>, Box<dyn Write + Send>) {
    use std::fs::File;
    use std::os::fd::FromRawFd;
    // SAFETY: fds 0 and 1 are open for the whole life of the process, and nothing else in it uses
    // them once the port serves.
    unsafe {
        (
            Box::new(File::from_raw_fd(0)),
            Box::new(File::from_raw_fd(1)),
        )
    }
}

#[cfg(not(unix))]
pub(crate) fn standard_streams() -> (Box<dyn Read + Send>, Box<dyn Write + Send>) {
    (Box::new(std::io::stdin()), Box::new(std::io::stdout()))
}

/// Asks the kernel to SIGKILL this process when its parent dies, even if the parent is SIGKILLed.
#[cfg(target_os = "linux")]
pub(crate) fn die_with_parent() {
    // SAFETY: PR_SET_PDEATHSIG takes a signal number; no pointers are involved.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    }
}

/// Elsewhere, stdin EOF (the parent's end of the pipe closes when it dies) is what ends the port.
#[cfg(not(target_os = "linux"))]
pub(crate) fn die_with_parent() {}

/// Ends the process quietly: the parent closed its end of a pipe, so nobody is left to serve.
pub(crate) fn exit_parent_gone() -> ! {
    std::process::exit(0)
}
