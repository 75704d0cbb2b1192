//! A serving port's state and threads: the pools that run handlers, the writer that sends their
//! replies, and the cancellation flags of the calls in flight.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, BufWriter, Write};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;

use super::process::exit_parent_gone;
use super::wire::{parse_request, reply_frame, write_reply, Request};
use super::{Handler, Lane, Port};
use crate::{guarded, lock, CancelFlag, Error, ErrorCode};

const OUTPUT_BUFFER_BYTES: usize = 64 * 1024;

type Job = Box<dyn FnOnce() + Send>;
pub(crate) type Output = Mutex<BufWriter<Box<dyn Write + Send>>>;

pub(crate) struct Server {
    /// Replies written on the reading thread, flushed before it waits for more input.
    pub(crate) output: Arc<Output>,
    /// Replies from the pools, for the writer thread.
    outbox: Sender<Vec<u8>>,
    /// Cancellation flags of the calls being worked on, by id.
    running: Mutex<HashMap<u32, CancelFlag>>,
    /// One pool per lane in use, by `Lane as usize`.
    pools: [Option<Sender<Job>>; 2],
    handlers: HashMap<Vec<u8>, (Lane, Arc<Handler>)>,
    echo: bool,
}

impl Server {
    /// Starts the pools and the writer, replying to `out`.
    pub(crate) fn start(port: Port, out: Box<dyn Write + Send>) -> Arc<Server> {
        let output = Arc::new(Mutex::new(BufWriter::with_capacity(
            OUTPUT_BUFFER_BYTES,
            out,
        )));
        let (outbox, queued) = mpsc::channel();
        spawn_writer(Arc::clone(&output), queued);
        let in_use = |lane: Lane| {
            cfg!(feature = "crash-tests") || port.handlers.values().any(|(used, _)| *used == lane)
        };
        let pools =
            [Lane::Fast, Lane::Slow].map(|lane| in_use(lane).then(|| pool(port.threads_of(lane))));
        Arc::new(Server {
            output,
            outbox,
            running: Mutex::default(),
            pools,
            handlers: port.handlers,
            echo: port.echo,
        })
    }

    /// Handles one request frame; an error means the stream from the parent cannot be trusted.
    pub(crate) fn handle(self: &Arc<Self>, payload: Cow<[u8]>) -> io::Result<()> {
        match parse_request(&payload)? {
            Request::Cancel { id } => self.cancel(id),
            Request::Call { id, body_start } => self.dispatch(id, payload, body_start),
        }
        Ok(())
    }

    fn dispatch(self: &Arc<Self>, id: u32, payload: Cow<[u8]>, body_start: usize) {
        let method = &payload[6..body_start];
        if self.echo && method == b"echo" {
            return self.reply_in_place(id, &payload[body_start..]);
        }
        #[cfg(feature = "crash-tests")]
        if method == b"crash" {
            return super::crash::trigger(self, id, &payload[body_start..]);
        }
        let Some((lane, handler)) = self.handlers.get(method) else {
            let method = String::from_utf8_lossy(method);
            let unknown = Error::new(ErrorCode::INVALID_ARG, format!("unknown method {method}"));
            return self.reply(id, Err(unknown));
        };
        let handler = Arc::clone(handler);
        let payload = payload.into_owned();
        self.submit(*lane, id, move |cancel| {
            handler(&payload[body_start..], cancel)
        });
    }

    /// Runs `work` on `lane` under the panic guard; a cancel request for `id` sets its flag.
    pub(crate) fn submit(
        self: &Arc<Self>,
        lane: Lane,
        id: u32,
        work: impl FnOnce(&CancelFlag) -> Result<Vec<u8>, Error> + Send + 'static,
    ) {
        let cancel = CancelFlag::new();
        lock(&self.running).insert(id, cancel.clone());
        let server = Arc::clone(self);
        let job: Job = Box::new(move || {
            let outcome = guarded(|| work(&cancel));
            lock(&server.running).remove(&id);
            server.reply(id, outcome);
        });
        let pool = self.pools[lane as usize]
            .as_ref()
            .expect("every lane with a handler has a pool");
        // The pools live as long as the process, so the send cannot fail.
        let _ = pool.send(job);
    }

    fn cancel(&self, id: u32) {
        if let Some(flag) = lock(&self.running).get(&id) {
            flag.cancel();
        }
    }

    /// Queues bytes for the writer thread. Fails only when the writer has exited, which ends the
    /// process anyway.
    pub(crate) fn send(&self, bytes: Vec<u8>) {
        let _ = self.outbox.send(bytes);
    }

    pub(crate) fn reply(&self, id: u32, outcome: Result<Vec<u8>, Error>) {
        self.send(reply_frame(id, &outcome));
    }

    /// Answers on the reading thread, into the output buffer.
    fn reply_in_place(&self, id: u32, body: &[u8]) {
        if write_reply(&mut *lock(&self.output), id, Ok(body)).is_err() {
            exit_parent_gone();
        }
    }

    /// Sends the buffered replies.
    pub(crate) fn flush(&self) {
        flush_or_exit(&mut lock(&self.output));
    }
}

/// A fixed set of threads taking jobs from one queue.
fn pool(threads: usize) -> Sender<Job> {
    let (jobs, queue) = mpsc::channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    for _ in 0..threads {
        let queue = Arc::clone(&queue);
        thread::spawn(move || loop {
            // The lock is released at the end of this statement, before the job runs.
            let next = lock(&queue).recv();
            match next {
                Ok(job) => job(),
                Err(_) => return,
            }
        });
    }
    jobs
}

fn flush_or_exit(output: &mut BufWriter<Box<dyn Write + Send>>) {
    if output.flush().is_err() {
        exit_parent_gone();
    }
}

/// Writes what the pools produce, batching: the output is flushed only when nothing else is queued.
fn spawn_writer(output: Arc<Output>, outbox: Receiver<Vec<u8>>) {
    thread::spawn(move || {
        while let Ok(bytes) = outbox.recv() {
            let mut output = lock(&output);
            let mut written = output.write_all(&bytes);
            while written.is_ok() {
                match outbox.try_recv() {
                    Ok(more) => written = output.write_all(&more),
                    Err(_) => break,
                }
            }
            if written.is_err() {
                exit_parent_gone();
            }
            flush_or_exit(&mut output);
        }
    });
}
