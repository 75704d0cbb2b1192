import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InteropError } from '../errors.js';
import { chunkedDigest } from '../testing/chunked-digest.js';
import { defineHasher, type HasherBackend } from './hasher.js';

const sha256 = (...chunks: Uint8Array[]) => {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return new Uint8Array(hash.digest());
};

const bytes = (...values: number[]) => Uint8Array.from(values);

/** node:crypto behind a backend that records what it did and can hold an update until released. */
function recordingBackend(overrides: Partial<HasherBackend<Hash>> = {}) {
  const log = { created: 0, freed: 0 };
  const gates: Array<() => void> = [];
  const backend: HasherBackend<Hash> = {
    create() {
      log.created++;
      return createHash('sha256');
    },
    async update(state, data, cancel) {
      if (data.byteLength === heldBytes) {
        await new Promise<void>((resolve) => {
          gates.push(resolve);
          cancel.addEventListener('abort', () => resolve(), { once: true });
        });
      }
      // Odd sizes take a turn of the loop, so calls that were not kept in order would overtake each other.
      if (data.byteLength % 2 === 1) await new Promise((resolve) => setImmediate(resolve));
      state.update(data);
    },
    async digest(state) {
      return new Uint8Array(state.digest());
    },
    free() {
      log.freed++;
    },
    ...overrides,
  };
  return { hashers: defineHasher(backend), log, gates };
}

/** Update data the recording backend holds until a gate opens or the call is given up: longer than any other here. */
const heldBytes = 1000;
const held = () => new Uint8Array(heldBytes);

describe('defineHasher', () => {
  it('equals one-shot SHA-256 over any chunking, awaited or not', async () => {
    const { hashers } = recordingBackend();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }), fc.boolean(), async (chunks, awaitEach) => {
        expect(await chunkedDigest(hashers.createHasher(), chunks, awaitEach)).toEqual(sha256(...chunks));
      }),
    );
    expect(hashers.live).toBe(0);
  });

  it('keeps 1,000 interleaved hashers apart', async () => {
    const { hashers, log } = recordingBackend();
    const all = Array.from({ length: 1000 }, () => hashers.createHasher());
    // Each hasher's input differs from every other's (its index in two bytes), so a mix-up shows.
    const input = (at: number, round: number) => bytes(at & 0xff, at >> 8, round);
    for (let round = 0; round < 3; round++) all.forEach((hasher, at) => void hasher.update(input(at, round)));
    const digests = await Promise.all(all.map((hasher) => hasher.digest()));
    digests.forEach((digest, at) => expect(digest).toEqual(sha256(input(at, 0), input(at, 1), input(at, 2))));
    await Promise.all(all.map((hasher) => hasher.dispose()));
    expect(log).toEqual({ created: 1000, freed: 1000 });
    expect(hashers.live).toBe(0);
  });

  it('copies up to 1 MiB at the call, so the caller may reuse its buffer at once', async () => {
    const { hashers } = recordingBackend();
    const hasher = hashers.createHasher();
    const buffer = bytes(1, 2, 3);
    const update = hasher.update(buffer);
    buffer.fill(9);
    await update;
    expect(await hasher.digest()).toEqual(sha256(bytes(1, 2, 3)));
  });

  it('refuses calls after digest or dispose with ERR_INVALID_STATE, and frees each state once', async () => {
    const { hashers, log } = recordingBackend();
    const digested = hashers.createHasher();
    await digested.digest();
    expect(log.freed).toBe(1); // before the caller hears the digest
    await expect(digested.update(bytes(1))).rejects.toMatchObject({ code: 'ERR_INVALID_STATE', message: expect.stringContaining('digested') });
    await expect(digested.digest()).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });

    const disposed = hashers.createHasher();
    await Promise.all([disposed.dispose(), disposed.dispose()]);
    await disposed.dispose();
    await expect(disposed.update(bytes(1))).rejects.toMatchObject({ code: 'ERR_INVALID_STATE', message: expect.stringContaining('disposed') });
    await digested.dispose();
    expect(log).toEqual({ created: 2, freed: 2 });
  });

  it('checks its arguments', async () => {
    const { hashers } = recordingBackend();
    const hasher = hashers.createHasher();
    await expect(hasher.update('text' as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    await expect(hasher.update(bytes(1), { timeoutMs: -1 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    // A refused argument leaves the hasher as it was.
    expect(await hasher.digest()).toEqual(sha256());
  });

  it('is disposed by await using, after the calls made before it', async () => {
    const { hashers, log, gates } = recordingBackend();
    let update: Promise<void>;
    {
      await using hasher = hashers.createHasher();
      update = hasher.update(held());
      setTimeout(() => gates.shift()?.(), 5);
    }
    await update;
    expect(log.freed).toBe(1);
    expect(hashers.live).toBe(0);
  });

  it('lets the calls made before a dispose finish, then frees the state', async () => {
    const { hashers, log, gates } = recordingBackend();
    const hasher = hashers.createHasher();
    const running = hasher.update(held());
    const queued = hasher.digest();
    const disposed = hasher.dispose();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(log.freed).toBe(0);
    gates.shift()?.();
    await running;
    expect(await queued).toEqual(sha256(held()));
    await disposed;
    expect(log.freed).toBe(1);
  });

  it('skips an update aborted before it started, and the hasher goes on', async () => {
    const seen: number[] = [];
    const { hashers } = recordingBackend({
      async update(state, data) {
        seen.push(data[0]!);
        state.update(data);
      },
    });
    const hasher = hashers.createHasher();
    const controller = new AbortController();
    const first = hasher.update(bytes(1));
    const skipped = hasher.update(bytes(2), { signal: controller.signal });
    controller.abort();
    await expect(skipped).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await first;
    await hasher.update(bytes(3));
    expect(await hasher.digest()).toEqual(sha256(bytes(1), bytes(3)));
    expect(seen).toEqual([1, 3]); // the backend never saw the skipped one
  });

  it('stays disposed when a digest queued before the dispose is given up before it started', async () => {
    const { hashers, log, gates } = recordingBackend();
    const hasher = hashers.createHasher();
    const running = hasher.update(held());
    const controller = new AbortController();
    const digest = hasher.digest({ signal: controller.signal });
    const disposed = hasher.dispose();
    controller.abort();
    await expect(digest).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    gates.shift()?.();
    await running;
    await disposed;
    expect(log.freed).toBe(1);
    expect(hashers.live).toBe(0);
    await expect(hasher.update(bytes(1))).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
    await expect(hasher.digest()).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
    expect(log.freed).toBe(1);
  });

  it('ends a hasher whose update was given up while it ran: its state is unknown', async () => {
    const { hashers, log } = recordingBackend();
    const hasher = hashers.createHasher();
    const givenUp = hasher.update(held(), { timeoutMs: 5 });
    const queued = hasher.digest();
    await expect(givenUp).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    await expect(queued).rejects.toMatchObject({ code: 'ERR_INVALID_STATE', message: expect.stringContaining('given up') });
    await hasher.dispose();
    expect(log.freed).toBe(1);
  });

  it('refuses a call whose signal has already aborted without holding up the ones after it', async () => {
    const { hashers } = recordingBackend();
    const hasher = hashers.createHasher();
    await expect(hasher.update(bytes(1), { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await expect(hasher.digest({ signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await hasher.update(bytes(2));
    expect(await hasher.digest()).toEqual(sha256(bytes(2)));
    await hasher.dispose();
    expect(hashers.live).toBe(0);
  });

  it('leaves the hasher open when a digest is given up before it started', async () => {
    const { hashers, gates, log } = recordingBackend();
    const hasher = hashers.createHasher();
    const running = hasher.update(held());
    await expect(hasher.digest({ timeoutMs: 5 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    gates.shift()?.();
    await running;
    expect(log.freed).toBe(0);
    expect(await hasher.digest()).toEqual(sha256(held()));
  });

  it('ends a hasher whose call failed part way: what it got through is in the state', async () => {
    const { hashers } = recordingBackend({
      async update(state, data) {
        state.update(data.subarray(0, 1));
        if (data[0] === 0xdd) throw new InteropError('ERR_INVALID_ARG', 'the input was detached part way');
        state.update(data.subarray(1));
      },
    });
    const hasher = hashers.createHasher();
    await expect(hasher.update(bytes(0xdd, 1, 2))).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    await expect(hasher.digest()).rejects.toMatchObject({ code: 'ERR_INVALID_STATE', message: expect.stringContaining('failed while it ran') });
    await hasher.dispose();
    expect(hashers.live).toBe(0);
  });

  it('turns a loss of the backend into ERR_RESOURCE_LOST for this hasher, and for another once the backend finds it gone', async () => {
    const crash = new InteropError('ERR_PORT_CRASHED', 'the port exited with code 1');
    const crashed = new Set<Hash>(); // states the backend no longer has
    const live = new Set<Hash>();
    const { hashers, log } = recordingBackend({
      lostOn: ['ERR_PORT_CRASHED'],
      create() {
        const state = createHash('sha256');
        live.add(state);
        return state;
      },
      async update(state, data) {
        if (crashed.has(state)) throw new InteropError('ERR_RESOURCE_LOST', 'no such hasher in this child');
        if (data[0] === 0xee) {
          for (const each of live) crashed.add(each);
          throw crash;
        }
        state.update(data);
      },
    });
    const crashing = hashers.createHasher();
    const bystander = hashers.createHasher();
    await bystander.update(bytes(1));
    const failed = crashing.update(bytes(0xee));
    await expect(failed).rejects.toMatchObject({ code: 'ERR_RESOURCE_LOST', cause: crash });
    await expect(crashing.digest()).rejects.toMatchObject({ code: 'ERR_RESOURCE_LOST' });
    expect(hashers.live).toBe(1); // the bystander: nothing has found it gone yet
    await expect(bystander.update(bytes(2))).rejects.toMatchObject({ code: 'ERR_RESOURCE_LOST' });
    await expect(bystander.digest()).rejects.toMatchObject({ code: 'ERR_RESOURCE_LOST' });
    await Promise.all([crashing.dispose(), bystander.dispose()]);
    expect(hashers.live).toBe(0);
    expect(log.freed).toBe(0);

    const fresh = hashers.createHasher();
    await fresh.update(bytes(2));
    expect(await fresh.digest()).toEqual(sha256(bytes(2)));
  });

  it('at the limit, stops counting the hashers the backend says it has lost', async () => {
    const states: Hash[] = [];
    let lostBelow = 0; // states created before this index are gone with their backend
    const { hashers } = recordingBackend({
      limit: 2,
      create() {
        const state = createHash('sha256');
        states.push(state);
        return state;
      },
      isLost: (state) => states.indexOf(state) < lostBelow,
    });
    const [first, second] = [hashers.createHasher(), hashers.createHasher()];
    await Promise.all([first!.update(bytes(1)), second!.update(bytes(2))]);
    expect(() => hashers.createHasher()).toThrow(expect.objectContaining({ code: 'ERR_RESOURCE_LIMIT' }));
    lostBelow = 2; // the backend that held both died
    const third = hashers.createHasher();
    await expect(first!.digest()).rejects.toMatchObject({ code: 'ERR_RESOURCE_LOST' });
    await third.update(bytes(3));
    expect(await third.digest()).toEqual(sha256(bytes(3)));
  });

  it('reports a backend that cannot create one at its first call, and counts it no more', async () => {
    const { hashers, log } = recordingBackend({
      create() {
        throw new InteropError('ERR_NATIVE_PANIC', 'out of handles');
      },
    });
    const hasher = hashers.createHasher();
    await expect(hasher.update(bytes(1))).rejects.toMatchObject({ code: 'ERR_NATIVE_PANIC' });
    expect(hashers.live).toBe(0); // before any dispose: a hasher never made holds nothing
    await hasher.dispose();
    expect(hashers.live).toBe(0);
    expect(log.freed).toBe(0);
  });

  it('counts a hasher whose creation failed no more, even before its first call', async () => {
    const { hashers } = recordingBackend({
      limit: 1,
      async create() {
        throw new InteropError('ERR_PORT_UNAVAILABLE', 'the circuit is open');
      },
    });
    const refused = hashers.createHasher();
    await new Promise((resolve) => setImmediate(resolve));
    expect(hashers.live).toBe(0);
    expect(() => hashers.createHasher()).not.toThrow();
    await expect(refused.digest()).rejects.toMatchObject({ code: 'ERR_PORT_UNAVAILABLE' });
  });

  it('refuses a hasher over the limit with ERR_RESOURCE_LIMIT until one is freed', async () => {
    const { hashers, log } = recordingBackend({ limit: 2 });
    const [first] = [hashers.createHasher(), hashers.createHasher()];
    expect(() => hashers.createHasher()).toThrow(expect.objectContaining({ code: 'ERR_RESOURCE_LIMIT' }));
    expect(log.created).toBe(2); // the backend was not asked for the refused one
    await first!.dispose();
    expect(() => hashers.createHasher()).not.toThrow();
  });

  it('lets the loop turn between the calls of a backend on this thread, and between the chunks of hashStream, which a chain of awaits never does', async () => {
    const turnsDuring = async (onThisThread: boolean, via: 'calls' | 'hashStream') => {
      const { hashers } = recordingBackend({
        onThisThread,
        async update(state, data) {
          const until = performance.now() + 0.1; // 0.1 ms of work on this thread
          while (performance.now() < until);
          state.update(data);
        },
      });
      async function* chunks() {
        for (let call = 0; call < 100; call++) yield bytes(call); // 10 ms of work in all
      }
      let turns = 0;
      const ticking = setInterval(() => turns++, 0);
      if (via === 'hashStream') {
        await hashers.hashStream(chunks());
      } else {
        await using hasher = hashers.createHasher();
        for await (const chunk of chunks()) await hasher.update(chunk);
      }
      clearInterval(ticking);
      return turns;
    };
    for (const via of ['calls', 'hashStream'] as const) {
      expect(await turnsDuring(false, via)).toBe(0);
      expect(await turnsDuring(true, via)).toBeGreaterThanOrEqual(2);
    }
  });

  it('frees the state of hashers dropped without dispose once they are garbage-collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { hashers, log } = recordingBackend();
    for (let at = 0; at < 2000; at++) void hashers.createHasher().update(bytes(at & 0xff));
    for (let round = 0; round < 50 && hashers.live > 0; round++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(hashers.live).toBe(0);
    expect(log.freed).toBe(2000);
  });
});

/** A web ReadableStream of `chunks` (ReadableStream.from is not in Node 20's types). */
function webStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

describe('hashStream', () => {
  const chunks = [bytes(1, 2), new Uint8Array(0), bytes(3), new Uint8Array(70_000).fill(4)];

  it('hashes a Node stream, a web ReadableStream and an async generator like one-shot SHA-256', async () => {
    const { hashers } = recordingBackend();
    const expected = sha256(...chunks);
    expect(await hashers.hashStream(Readable.from(chunks))).toEqual(expected);
    expect(await hashers.hashStream(webStream(chunks))).toEqual(expected);
    expect(
      await hashers.hashStream(
        (async function* () {
          yield* chunks;
        })(),
      ),
    ).toEqual(expected);
    expect(hashers.live).toBe(0);
  });

  it('hashes a source that reuses one buffer for every chunk', async () => {
    const { hashers } = recordingBackend();
    const buffer = new Uint8Array(3);
    const reusing = (async function* () {
      for (let round = 1; round <= 50; round++) {
        buffer.fill(round);
        yield buffer;
      }
    })();
    const expected = sha256(...Array.from({ length: 50 }, (_, at) => new Uint8Array(3).fill(at + 1)));
    expect(await hashers.hashStream(reusing)).toEqual(expected);
  });

  it('reads a ReadableStream that has no async iteration through its reader', async () => {
    const { hashers } = recordingBackend();
    const stream = webStream(chunks);
    const readerOnly = { getReader: () => stream.getReader() } as unknown as ReadableStream<Uint8Array>;
    expect(await hashers.hashStream(readerOnly)).toEqual(sha256(...chunks));
  });

  it('refuses a source that is not a stream, or a chunk that is not bytes, and frees its hasher', async () => {
    const { hashers } = recordingBackend();
    await expect(hashers.hashStream(bytes(1) as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    await expect(hashers.hashStream(Readable.from(['text']) as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG',
      message: expect.stringContaining('Uint8Array chunks'),
    });
    expect(hashers.live).toBe(0);
  });

  it("passes the source's failure on as it is and frees its hasher, whatever the failure's code", async () => {
    const { hashers, log } = recordingBackend({ lostOn: ['ERR_PORT_CRASHED'] });
    // The second is a code this backend reads as its own loss: from a source, it must not mark the hasher lost.
    const failures = [new Error('disk gone'), new InteropError('ERR_PORT_CRASHED', "another package's port died")];
    for (const broken of failures) {
      const source = (async function* () {
        yield bytes(1);
        throw broken;
      })();
      await expect(hashers.hashStream(source)).rejects.toBe(broken);
    }
    expect(log.freed).toBe(2);
    expect(hashers.live).toBe(0);
  });

  it('stops at the next step when the caller gives up between two, even with a source that cannot be stopped', async () => {
    const { hashers } = recordingBackend({
      onThisThread: true,
      async update(state, data) {
        const until = performance.now() + 0.1; // 0.1 ms on this thread, not watching cancel (as napi's small updates)
        while (performance.now() < until);
        state.update(data);
      },
    });
    let reads = 0;
    // Neither return() nor destroy(): nothing but hashStream itself stops reading it. Bounded: 100,000 reads.
    const unstoppable: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          reads++;
          return reads > 100_000 ? { done: true, value: undefined } : { done: false, value: bytes(reads & 0xfe) };
        },
      }),
    };
    await expect(hashers.hashStream(unstoppable, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    const readsWhenGivenUp = reads;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reads).toBe(readsWhenGivenUp);
    expect(hashers.live).toBe(0);
  });

  it('frees the hasher of a stream dropped while its source waits for a read that never comes, once collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { hashers, log } = recordingBackend();
    const dropStream = () => {
      const stuck = (async function* () {
        yield bytes(2);
        await new Promise(() => {}); // never settles, and nothing else holds the stream
      })();
      void hashers.hashStream(stuck).catch(() => {});
    };
    dropStream();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(hashers.live).toBe(1);
    for (let round = 0; round < 50 && hashers.live > 0; round++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(hashers.live).toBe(0);
    expect(log.freed).toBe(1);
  });

  it('cancels a stalled web stream when the caller gives up, and leaves no hasher behind', async () => {
    const { hashers } = recordingBackend();
    let cancelled = false;
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes(1));
      },
      cancel() {
        cancelled = true;
      },
    });
    await expect(hashers.hashStream(stalled, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(cancelled).toBe(true);
    expect(hashers.live).toBe(0);
  });

  it('stops the source of a call refused before it began', async () => {
    const { hashers } = recordingBackend();
    const source = Readable.from([bytes(1)]);
    await expect(hashers.hashStream(source, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(source.destroyed).toBe(true);
  });

  it('frees its hasher when the caller gives up on a generator stalled in an await, before the generator returns', async () => {
    const { hashers } = recordingBackend();
    let resume!: () => void;
    const stalled = (async function* () {
      yield bytes(1);
      await new Promise<void>((resolve) => (resume = resolve)); // cannot be stopped until this settles
      yield bytes(2);
    })();
    await expect(hashers.hashStream(stalled, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(hashers.live).toBe(0);
    resume();
  });

  it('stops a stalled source when the caller gives up', async () => {
    const { hashers } = recordingBackend();
    const stalled = new Readable({ read() {} });
    stalled.push(bytes(1));
    await expect(hashers.hashStream(stalled, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stalled.destroyed).toBe(true);
    expect(hashers.live).toBe(0);
  });
});
