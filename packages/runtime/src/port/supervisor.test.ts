import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../contract-args.js';
import { InteropError } from '../errors.js';
import { sampleEventLoopBlocking } from '../testing/event-loop-blocking.js';
import { runInChild } from '../testing/run-in-child.js';
import type { PortOptions } from './options.js';
import { createPort, type Port } from './supervisor.js';

const fakePort = fileURLToPath(new URL('./fixtures/fake-port.mjs', import.meta.url));
const lostCall = fileURLToPath(new URL('./fixtures/lost-call.mjs', import.meta.url));
const ports: Port[] = [];

/** A port on the fake child; closed (child killed) after each test. */
function open(mode = 'serve', options: Partial<PortOptions> = {}): Port {
  const port = createPort({ command: process.execPath, args: [fakePort, mode], closeGraceMs: 500, ...options });
  ports.push(port);
  return port;
}

afterEach(async () => {
  await Promise.all(ports.splice(0).map((port) => port.close()));
});

const u32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
};

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(InteropError);
    return (error as InteropError).code;
  }
  return 'resolved';
}

function nextEvent<K extends 'spawn' | 'exit' | 'restart' | 'circuit-open' | 'circuit-close'>(port: Port, name: K) {
  return new Promise((resolve) => port.once(name, ((...args: unknown[]) => resolve(args[0])) as never));
}

describe('calls', () => {
  it('multiplexes concurrent calls by id; a slow call does not delay a fast one', async () => {
    const port = open();
    const order: string[] = [];
    const slow = port.call('sleep', u32(200)).then(() => order.push('slow'));
    const fast = port.call('echo', Buffer.from('hi')).then((reply) => order.push(Buffer.from(reply).toString()));
    await Promise.all([slow, fast]);
    expect(order).toEqual(['hi', 'slow']);
  });

  it('passes an error reply through with its code and message', async () => {
    const port = open();
    await expect(port.call('fail', Buffer.from('ERR_NATIVE_PANIC'))).rejects.toMatchObject({
      code: 'ERR_NATIVE_PANIC',
      message: 'failed on purpose',
    });
    await expect(port.call('fail', Buffer.from('NOT_A_CODE'))).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
  });

  it('abort and timeout settle at once and send the child a cancel', async () => {
    const port = open();
    const controller = new AbortController();
    const aborted = port.call('sleep', u32(10_000), { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await codeOf(aborted)).toBe('ERR_ABORTED');
    expect(await codeOf(port.call('sleep', u32(10_000), { timeoutMs: 20 }))).toBe('ERR_TIMEOUT');
    expect(Buffer.from(await port.call('cancels', Buffer.alloc(0))).toString()).toBe('2');
  });

  it('recycles a child that leaves a cancelled call unanswered past cancelGraceMs; calls keep flowing', async () => {
    const port = open('serve', { maxInFlight: 2, cancelGraceMs: 100, restart: { initialDelayMs: 1 } });
    await port.call('echo', Buffer.alloc(1));
    const stuckPid = port.pid;
    const exited = nextEvent(port, 'exit');
    expect(await codeOf(port.call('ignore', Buffer.alloc(0), { timeoutMs: 20 }))).toBe('ERR_TIMEOUT');
    // The other call in flight on the stuck child fails typed, naming why the child was recycled.
    const bystander = port.call('sleep', u32(5000));
    await expect(bystander).rejects.toMatchObject({ code: 'ERR_PORT_CRASHED', message: expect.stringContaining('cancelled ignore call') });
    expect(await exited).toMatchObject({ pid: stuckPid, signal: 'SIGKILL' });
    // Without the recycle, the stuck call would hold one of the two slots for good.
    const echoes = await Promise.all([1, 2, 3].map((n) => port.call('echo', Buffer.from([n]))));
    expect(echoes.map((echo) => echo[0])).toEqual([1, 2, 3]);
    expect(port.pid).not.toBe(stuckPid);
  });

  it('a cancelled call answered within cancelGraceMs leaves the child alone', async () => {
    const port = open('serve', { cancelGraceMs: 300 });
    await port.call('echo', Buffer.alloc(1));
    const pid = port.pid;
    expect(await codeOf(port.call('sleep', u32(10_000), { timeoutMs: 20 }))).toBe('ERR_TIMEOUT');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(port.pid).toBe(pid);
    expect(Buffer.from(await port.call('echo', Buffer.from('still here'))).toString()).toBe('still here');
  });

  it('queues calls beyond maxInFlight, or rejects them with ERR_BACKPRESSURE if asked to', async () => {
    const waiting = open('serve', { maxInFlight: 2 });
    const replies = await Promise.all([1, 2, 3, 4, 5].map((i) => waiting.call('echo', Buffer.from([i]))));
    expect(replies.map((reply) => reply[0])).toEqual([1, 2, 3, 4, 5]);

    const rejecting = open('serve', { maxInFlight: 2, whenFull: 'reject' });
    const calls = [1, 2, 3].map(() => codeOf(rejecting.call('sleep', u32(50))));
    expect(await Promise.all(calls)).toEqual(['resolved', 'resolved', 'ERR_BACKPRESSURE']);
  });

  it('refuses a request over maxFrameBytes without sending it', async () => {
    const port = open('serve', { maxFrameBytes: 64 });
    expect(await codeOf(port.call('echo', Buffer.alloc(100)))).toBe('ERR_FRAME_TOO_LARGE');
    expect(port.pid).toBeUndefined();
  });

  it('keeps working when the child writes far more stderr than a pipe holds', async () => {
    const port = open('serve', { stderrTailBytes: 100 });
    for (let i = 0; i < 5; i++) await port.call('noisy-stderr', u32(1024 * 1024));
    expect(Buffer.from(await port.call('echo', Buffer.from('still here'))).toString()).toBe('still here');
  });

  it('honours write backpressure: a 32 MiB burst arrives intact', async () => {
    const port = open('serve', { maxFrameBytes: 2 * 1024 * 1024 });
    const bodies = Array.from({ length: 16 }, (_, i) => Buffer.alloc(2 * 1024 * 1024 - 64, i));
    const replies = await Promise.all(bodies.map((body) => port.call('echo', body)));
    expect(replies.every((reply, i) => bodies[i]!.equals(reply))).toBe(true);
  });

  it('sends the body as it was at call time, even if the caller reuses its buffer at once', async () => {
    const port = open();
    const body = Buffer.from('original');
    const reply = port.call('echo', body);
    body.fill('x');
    expect(Buffer.from(await reply).toString()).toBe('original');
  });

  it('copies a body up to LIMITS.copiedAtCallBytes at the call, so the caller may reuse its buffer at once', async () => {
    const port = open('serve', { maxFrameBytes: 4 * LIMITS.copiedAtCallBytes });
    const body = Buffer.alloc(LIMITS.copiedAtCallBytes, 1);
    const reply = port.call('echo', body);
    body.fill(2);
    expect(Buffer.from(await reply).equals(Buffer.alloc(LIMITS.copiedAtCallBytes, 1))).toBe(true);
  });

  it('writes a larger body from the caller\'s buffer slice by slice, and hands a large reply over intact', async () => {
    const port = open('serve', { maxFrameBytes: 8 * LIMITS.copiedAtCallBytes });
    const body = Buffer.from(Array.from({ length: 3 * LIMITS.copiedAtCallBytes + 17 }, (_, i) => i % 253));
    const [first, second] = await Promise.all([port.call('echo', body), port.call('echo', Buffer.from('after'))]);
    expect(Buffer.from(first).equals(body)).toBe(true);
    expect(Buffer.from(second).toString()).toBe('after');
  });

  it('validates its options and arguments with ERR_INVALID_ARG', async () => {
    expect(() => createPort({ command: '' })).toThrow(/command/);
    expect(() => createPort({ command: 'x', cancelGraceMs: 0 })).toThrow(/cancelGraceMs/);
    expect(() => createPort({ command: 'x', maxInFlight: 0 })).toThrow(/maxInFlight/);
    expect(() => createPort({ command: 'x', whenFull: 'drop' as never })).toThrow(/whenFull/);
    expect(() => createPort({ command: 'x', restart: { withinMs: 0 } })).toThrow(/withinMs/);
    expect(() => createPort({ command: 'x', maxFrameBytes: 2 ** 33 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG', message: expect.stringContaining('maxFrameBytes') }),
    );
    expect(await codeOf(open().call('echo', 'text' as never))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(open().call('é', new Uint8Array()))).toBe('ERR_INVALID_ARG');
  });
});

describe('supervision', () => {
  it('rejects every call in flight with ERR_PORT_CRASHED, naming the exit code and stderr, then restarts', async () => {
    const port = open('serve', { restart: { initialDelayMs: 1 } });
    expect(port.childNumber).toBeUndefined();
    const inFlight = [port.call('sleep', u32(5000)), port.call('sleep', u32(5000))];
    await port.call('echo', Buffer.alloc(1));
    const firstChild = port.childNumber;
    expect(firstChild).toBeGreaterThan(0);
    const restarted = nextEvent(port, 'restart');
    const crash = port.call('exit', Buffer.from([3]));
    for (const call of [...inFlight, crash]) {
      await expect(call).rejects.toMatchObject({
        code: 'ERR_PORT_CRASHED',
        message: expect.stringMatching(/exited with code 3.*dying on request/s),
      });
    }
    expect(port.childNumber).toBeUndefined(); // none runs until the restart
    await restarted;
    expect(Buffer.from(await port.call('echo', Buffer.from('back'))).toString()).toBe('back');
    // A number no child had (a pid may be reused), so state a resource kept in the first one reads as lost.
    expect(port.childNumber).toBeGreaterThan(firstChild!);
  });

  it('reports a SIGKILL as the signal', async () => {
    const port = open();
    await port.call('echo', Buffer.alloc(1));
    const call = port.call('sleep', u32(5000));
    process.kill(port.pid!, 'SIGKILL');
    await expect(call).rejects.toMatchObject({ code: 'ERR_PORT_CRASHED', message: expect.stringContaining('SIGKILL') });
  });

  it.each([
    ['a malformed reply', 'garbage', 'ERR_PROTOCOL'],
    ['a reply to an unknown id', 'unknown-id', 'ERR_PROTOCOL'],
    ['a 4 GiB header', 'oversize', 'ERR_FRAME_TOO_LARGE'],
  ])('on %s fails the calls in flight with its code and recycles the child', async (_label, method, code) => {
    const port = open();
    const bystander = port.call('sleep', u32(5000));
    await port.call('echo', Buffer.alloc(1));
    const firstPid = port.pid;
    expect(await codeOf(port.call(method, Buffer.alloc(0)))).toBe(code);
    expect(await codeOf(bystander)).toBe(code);
    // Sent at once, before the killed child's exit is seen: it waits for the new child.
    expect(Buffer.from(await port.call('echo', Buffer.from('ok'))).toString()).toBe('ok');
    expect(port.pid).not.toBe(firstPid);
  });

  it('a child that dies at start opens the circuit within the intensity limit; after the cooldown one trial decides', async () => {
    const port = open('die-at-start', { restart: { initialDelayMs: 1, maxRestarts: 3, withinMs: 10_000, cooldownMs: 200 } });
    const spawns: unknown[] = [];
    port.on('spawn', (event) => spawns.push(event));
    const opened = nextEvent(port, 'circuit-open');
    // The first call reached the first child, so it saw the crash; the circuit opens on the fourth exit.
    expect(await codeOf(port.call('echo', Buffer.alloc(1)))).toBe('ERR_PORT_CRASHED');
    expect(await opened).toMatchObject({ exitsInWindow: 4, cooldownMs: 200 });
    expect(spawns).toHaveLength(4);
    await expect(port.call('echo', Buffer.alloc(1))).rejects.toMatchObject({
      code: 'ERR_PORT_UNAVAILABLE',
      message: expect.stringContaining('cannot start: no config'),
    });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const reopened = nextEvent(port, 'circuit-open');
    const trial = port.call('echo', Buffer.alloc(1));
    expect(await codeOf(port.call('echo', Buffer.alloc(1)))).toBe('ERR_PORT_UNAVAILABLE');
    expect(await codeOf(trial)).toBe('ERR_PORT_CRASHED');
    await reopened;
    expect(spawns).toHaveLength(5);
  });

  /** A port whose circuit a crash opened (no restarts allowed) and whose 50 ms cooldown has passed: the next call is the trial. */
  async function cooledDownCircuit() {
    const port = open('serve', { restart: { initialDelayMs: 1, maxRestarts: 0, cooldownMs: 50 } });
    await port.call('echo', Buffer.alloc(1));
    const opened = nextEvent(port, 'circuit-open');
    process.kill(port.pid!, 'SIGKILL');
    await opened;
    expect(port.circuitState).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 80));
    return port;
  }

  it('a successful trial closes the circuit', async () => {
    const port = await cooledDownCircuit();
    const closed = nextEvent(port, 'circuit-close');
    expect(Buffer.from(await port.call('echo', Buffer.from('trial'))).toString()).toBe('trial');
    await closed;
    expect(port.circuitState).toBe('closed');
  });

  it('a trial the caller gives up on recycles the child that could not answer, and the circuit reopens', async () => {
    const port = await cooledDownCircuit();
    const reopened = nextEvent(port, 'circuit-open');
    expect(await codeOf(port.call('ignore', Buffer.alloc(0), { timeoutMs: 100 }))).toBe('ERR_TIMEOUT');
    await reopened;
    expect(port.circuitState).toBe('open');
  });

  it('writing to a child that already died (EPIPE) is a typed error, not an uncaught one', async () => {
    const port = open('die-at-start', { restart: { maxRestarts: 0 }, maxFrameBytes: 8 * 1024 * 1024 });
    // Far more than a pipe holds, so the write is still going on when the child is gone.
    expect(await codeOf(port.call('echo', Buffer.alloc(4 * 1024 * 1024)))).toBe('ERR_PORT_CRASHED');
  });

  it('a spawn failure (no such executable) is a typed error, not an uncaught one', async () => {
    const port = createPort({ command: '/nonexistent/port', restart: { maxRestarts: 0 } });
    ports.push(port);
    await expect(port.call('echo', Buffer.alloc(1))).rejects.toMatchObject({
      code: 'ERR_PORT_CRASHED',
      message: expect.stringContaining('ENOENT'),
    });
  });
});

describe('no lost calls', () => {
  // Each run is a fresh node process with nothing pending but one call, as in a user's batch script:
  // if the supervisor let Node exit before the child's death was reported, the call would never settle.
  it.each([
    ['exit', 'ERR_PORT_CRASHED'],
    ['kill', 'ERR_PORT_CRASHED'],
    ['garbage', 'ERR_PROTOCOL'],
    ['oversize', 'ERR_FRAME_TOO_LARGE'],
  ])('a call in flight when the child fails by %s settles with %s, 20 runs out of 20', async (fault, code) => {
    const outcomes = [];
    for (let batch = 0; batch < 5; batch++) {
      outcomes.push(
        ...(await Promise.all(
          [1, 2, 3, 4].map(() => runInChild({ modulePath: lostCall, exportName: 'callThenFault', args: [fault], timeoutMs: 20_000 })),
        )),
      );
    }
    const codes = outcomes.map((outcome) => (outcome.settled ? String(outcome.error?.code ?? 'resolved') : 'lost'));
    expect(codes).toEqual(Array(20).fill(code));
    expect(outcomes.every((outcome) => outcome.exitCode === 0 && !outcome.timedOut)).toBe(true);
  });
});

describe('close', () => {
  it('waits for calls in flight, then the child exits on stdin EOF; later calls get ERR_PORT_UNAVAILABLE', async () => {
    // A grace long enough for a busy machine to start the child and run the call: this test is about waiting.
    const port = open('serve', { closeGraceMs: 20_000 });
    const call = port.call('sleep', u32(50));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const exited = nextEvent(port, 'exit');
    await port.close();
    expect(Buffer.from(await call).toString()).toBe('slept');
    expect(await exited).toMatchObject({ exitCode: 0, signal: null });
    expect(await codeOf(port.call('echo', Buffer.alloc(1)))).toBe('ERR_PORT_UNAVAILABLE');
    await port.close();
  });

  it('stops waiting for a call in flight once its caller gives up on it', async () => {
    const port = open('serve', { closeGraceMs: 20_000, cancelGraceMs: 15_000 });
    const outcome = codeOf(port.call('ignore', Buffer.alloc(0), { timeoutMs: 100 }));
    const started = Date.now();
    await port.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await outcome).toBe('ERR_TIMEOUT');
  });

  it('after the grace period rejects what is left, then escalates to SIGTERM and SIGKILL', async () => {
    const port = open('stubborn', { closeGraceMs: 100 });
    // Answered only once the child's script has run, so its SIGTERM handler is in place (a busy machine can
    // take longer than the grace period to start it).
    await port.call('echo', Buffer.from('up'));
    const outcome = codeOf(port.call('sleep', u32(10_000)));
    const exited = nextEvent(port, 'exit');
    await port.close();
    expect(await outcome).toBe('ERR_PORT_UNAVAILABLE');
    expect(await exited).toMatchObject({ signal: 'SIGKILL' });
  });

  it('resolves in a process with nothing else pending, also when it has to SIGKILL the child', async () => {
    const outcome = await runInChild({ modulePath: lostCall, exportName: 'closeStubborn', timeoutMs: 20_000 });
    expect(outcome).toMatchObject({ settled: true, result: 'closed', exitCode: 0, timedOut: false });
  });
});

describe('the event loop with 64 MiB each way', () => {
  it('a call whose request and reply are 64 MiB keeps the longest stretch on the loop within 10 ms', async () => {
    const size = 64 * 1024 * 1024;
    const port = open('serve', { maxFrameBytes: size + 1024 });
    const body = Buffer.alloc(size, 7);
    await port.call('echo', new Uint8Array(16));
    // The longest stretch of a healthy call is a collection V8 runs for external memory: the reply and
    // 1,024 pipe reads are 128 MiB of new buffers per call, and one such scavenge or mark-compact took
    // 3-5 ms (medians 3.2-5.6 ms, one CI run above 5). The faults this guards cost 25 ms or more: the
    // payload's first half copied at once when its last byte lands 25-34 ms, the body handed to one
    // write() 47-64 ms.
    const sampled = await sampleEventLoopBlocking(async () => {
      const reply = await port.call('echo', body);
      expect(reply.length).toBe(size);
    });
    console.log(`longest block while echoing 64 MiB through the port: ${sampled.summary}`);
    expect(sampled.medianMs).toBeLessThanOrEqual(10);
  }, 120_000);
});

describe('a body over LIMITS.copiedAtCallBytes, lent to the call', () => {
  const large = () => new Uint8Array(8 * 1024 * 1024).fill(3);

  it('is the caller’s again once the call settles early: reused or transferred, the port goes on unharmed', async () => {
    const port = open();
    await port.call('echo', new Uint8Array(1));
    const body = large();
    expect(await codeOf(port.call('echo', body, { timeoutMs: 1 }))).toBe('ERR_TIMEOUT');
    body.fill(0);
    structuredClone(body.buffer, { transfer: [body.buffer] });
    // The timed-out frame still went out whole: the next call is read in step.
    expect(Buffer.from(await port.call('echo', Buffer.from('after')))).toEqual(Buffer.from('after'));
  });

  it('transferred before its call settles (a misuse) fails that call with ERR_INVALID_ARG and restarts the port, without throwing', async () => {
    const port = open();
    await port.call('echo', new Uint8Array(1));
    const exits = nextEvent(port, 'exit');
    const body = large();
    const call = port.call('echo', body);
    structuredClone(body.buffer, { transfer: [body.buffer] });
    expect(await codeOf(call)).toBe('ERR_INVALID_ARG');
    await exits;
    expect(Buffer.from(await port.call('echo', Buffer.from('after')))).toEqual(Buffer.from('after'));
  });
});
