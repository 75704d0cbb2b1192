import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Outbox, writeBytes, writeTurnMs } from './outbox.js';

/**
 * A stream standing in for a child's stdin: records each chunk it is handed, and takes it at once or,
 * while `holding`, only on release() — as a pipe whose reader has fallen behind.
 */
function fakeStdin({ highWaterMark = 16 * 1024, holding = false } = {}) {
  const writes: Buffer[] = [];
  const held: Array<() => void> = [];
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk);
      if (holding) held.push(done);
      else done();
    },
  });
  return { stream, writes, release: () => held.splice(0).forEach((done) => done()) };
}

/** A clock that stands still, so only the stream decides when writing pauses. */
const frozen = () => 0;

/** A clock that moves by `stepMs` each time it is read. */
function ticking(stepMs: number) {
  let now = 0;
  return () => (now += stepMs);
}

const nextTick = () => new Promise((resolve) => process.nextTick(resolve));
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function outboxOn(stream: Writable, now: () => number = frozen) {
  const resumed = { count: 0 };
  const torn = { count: 0 };
  const outbox = new Outbox(stream, () => resumed.count++, () => torn.count++, now);
  return { outbox, resumed, torn };
}

describe('batching', () => {
  it('a lone frame leaves at once, in one write', () => {
    const { stream, writes } = fakeStdin();
    const { outbox } = outboxOn(stream);
    outbox.write([Buffer.from('head'), Buffer.from('body')], true);
    expect(writes.map(String)).toEqual(['headbody']);
  });

  it('the frames of one burst leave together on the next tick', async () => {
    const { stream, writes } = fakeStdin();
    const { outbox } = outboxOn(stream);
    outbox.write([Buffer.from('one')], false);
    outbox.write([Buffer.from('two')], false);
    // A burst already started: even a lone frame joins it.
    outbox.write([Buffer.from('three')], true);
    expect(writes).toEqual([]);
    await nextTick();
    expect(writes.map(String)).toEqual(['onetwothree']);
  });

  it(`gathers small parts up to ${writeBytes / 1024} KiB per write`, async () => {
    const { stream, writes } = fakeStdin({ highWaterMark: 1024 * 1024 });
    const { outbox } = outboxOn(stream);
    const part = writeBytes / 2 - 100;
    for (const fill of [1, 2, 3]) outbox.write([Buffer.alloc(part, fill)], false);
    await nextTick();
    expect(writes.map((chunk) => [...new Set(chunk)])).toEqual([[1, 2], [3]]);
  });

  it(`writes a larger part in ${writeBytes / 1024} KiB slices that are views of it, never copies`, () => {
    const { stream, writes } = fakeStdin({ highWaterMark: 1024 * 1024 });
    const { outbox } = outboxOn(stream);
    const body = Buffer.alloc(3 * writeBytes + 100, 7);
    outbox.write([body], true);
    expect(writes.map((chunk) => chunk.length)).toEqual([writeBytes, writeBytes, writeBytes, 100]);
    expect(writes.every((chunk) => chunk.buffer === body.buffer)).toBe(true);
  });
});

describe('the write budget', () => {
  it(`spends at most ${writeTurnMs} ms of a turn writing, then goes on in the next turn`, async () => {
    const { stream, writes } = fakeStdin({ highWaterMark: 1024 * 1024 });
    // Each write() seems to take 0.2 ms: two fit in the budget, the third spends it.
    const { outbox, resumed } = outboxOn(stream, ticking(0.2));
    const body = Buffer.alloc(8 * writeBytes);
    outbox.write([body], true);
    expect([writes.length, outbox.blocked]).toEqual([3, true]);
    await nextTurn();
    expect([writes.length, resumed.count]).toEqual([6, 1]);
    await nextTurn();
    await nextTurn();
    expect(Buffer.concat(writes).equals(body)).toBe(true);
    expect(outbox.blocked).toBe(false);
  });

  it('frames written while it waits for the next turn are queued behind the rest', async () => {
    const { stream, writes } = fakeStdin({ highWaterMark: 1024 * 1024 });
    const { outbox } = outboxOn(stream, ticking(1));
    outbox.write([Buffer.alloc(writeBytes, 1)], true);
    outbox.write([Buffer.from('later')], true);
    expect(writes).toHaveLength(1);
    await nextTurn();
    expect(writes.map((chunk) => chunk.length)).toEqual([writeBytes, 5]);
  });
});

describe('a full stream', () => {
  it("past the stream's mark, waits for 'drain' and resumes after it", async () => {
    const { stream, writes, release } = fakeStdin({ highWaterMark: writeBytes, holding: true });
    const { outbox, resumed } = outboxOn(stream);
    outbox.write([Buffer.alloc(3 * writeBytes)], true);
    expect([writes.length, outbox.blocked]).toEqual([1, true]);
    await nextTurn();
    await nextTurn();
    expect([writes.length, resumed.count]).toEqual([1, 0]);
    release();
    await nextTurn();
    expect([writes.length, resumed.count]).toEqual([2, 1]);
  });

  it("below the stream's mark, goes on in the next turn: no 'drain' comes for such a write", async () => {
    const { stream, writes } = fakeStdin({ highWaterMark: 1024 * 1024, holding: true });
    const { outbox } = outboxOn(stream);
    outbox.write([Buffer.alloc(4 * writeBytes)], true);
    for (let turn = 0; turn < 4; turn++) await nextTurn();
    // The reader took nothing after the first chunk, yet every slice was handed to the stream.
    expect(writes).toHaveLength(1);
    expect(stream.writableLength).toBe(4 * writeBytes);
    expect(outbox.blocked).toBe(false);
  });
});

describe('a child gone', () => {
  it('discard drops what is queued, and the pending turn writes nothing', async () => {
    const { stream, writes } = fakeStdin({ highWaterMark: 1024 * 1024 });
    const { outbox, resumed } = outboxOn(stream, ticking(1));
    outbox.write([Buffer.alloc(4 * writeBytes)], true);
    outbox.discard();
    outbox.write([Buffer.from('for the dead child')], false);
    await nextTick();
    await nextTurn();
    expect([writes.length, resumed.count]).toEqual([1, 0]);
  });

  it('writes nothing to a destroyed stream', async () => {
    const { stream, writes } = fakeStdin();
    stream.destroy();
    const { outbox } = outboxOn(stream);
    outbox.write([Buffer.from('x')], true);
    outbox.write([Buffer.from('y')], false);
    await nextTick();
    expect(writes).toEqual([]);
  });
});

describe('a body lent by a caller', () => {
  it('ownPending copies what is still queued of it, so the caller may change it and the frame still carries the original', async () => {
    const { stream, writes, release } = fakeStdin({ highWaterMark: writeBytes, holding: true });
    const { outbox } = outboxOn(stream);
    const body = new Uint8Array(4 * writeBytes).fill(7);
    outbox.write([Buffer.from('head'), body], true);
    outbox.ownPending(body.buffer);
    body.fill(0);
    structuredClone(body.buffer, { transfer: [body.buffer] });
    for (let turn = 0; turn < 20 && Buffer.concat(writes).length < 4 + 4 * writeBytes; turn++) {
      release();
      await nextTurn();
    }
    const sent = Buffer.concat(writes);
    expect(sent.length).toBe(4 + 4 * writeBytes);
    expect(sent.subarray(4).every((byte) => byte === 7)).toBe(true);
  });

  it('a part whose buffer was detached before it was written stops the outbox and reports the frame torn, never throwing', async () => {
    const { stream, writes, release } = fakeStdin({ highWaterMark: writeBytes, holding: true });
    const { outbox, torn } = outboxOn(stream);
    const body = new Uint8Array(4 * writeBytes).fill(7);
    outbox.write([Buffer.from('head'), body], true);
    structuredClone(body.buffer, { transfer: [body.buffer] });
    for (let turn = 0; turn < 20 && torn.count === 0; turn++) {
      release();
      await nextTurn();
    }
    expect(torn.count).toBe(1);
    const written = Buffer.concat(writes).length;
    outbox.write([Buffer.from('after')], true);
    release();
    await nextTurn();
    expect(Buffer.concat(writes).length).toBe(written);
  });
});
