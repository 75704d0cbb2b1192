import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameReader, encodeFrame, maxDeclarableFrameBytes } from './framing.js';

function collect(maxFrameBytes: number) {
  const frames: Buffer[] = [];
  const oversize: number[] = [];
  const reader = new FrameReader(maxFrameBytes, {
    onFrame: (payload) => frames.push(Buffer.from(payload)),
    onOversize: (declared) => oversize.push(declared),
  });
  return { reader, frames, oversize };
}

const bytesOf = (payload: Uint8Array) => Buffer.concat(encodeFrame([payload]));

describe('encodeFrame', () => {
  it('puts a 4-byte big-endian length before the parts, without copying them', () => {
    const body = Buffer.from('hello');
    const parts = encodeFrame([Buffer.from([1]), body]);
    expect(Buffer.concat(parts)).toEqual(Buffer.from([0, 0, 0, 6, 1, ...body]));
    expect(parts[2]).toBe(body);
  });
});

describe('FrameReader', () => {
  it('delivers every frame whatever the split of headers and bodies across chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
        (payloads, cuts) => {
          const stream = Buffer.concat(payloads.map(bytesOf));
          const { reader, frames } = collect(1024);
          let at = 0;
          for (let i = 0; at < stream.length; i++) {
            const next = Math.min(stream.length, at + cuts[i % cuts.length]!);
            reader.push(stream.subarray(at, next));
            at = next;
          }
          expect(frames).toEqual(payloads.map((payload) => Buffer.from(payload)));
          expect(reader.bufferedBytes).toBe(0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reports a header above the limit at once, holds nothing, and ignores later input', () => {
    const { reader, frames, oversize } = collect(1024);
    reader.push(Buffer.concat([bytesOf(Buffer.from('ok')), Buffer.from([0xff, 0xff, 0xff, 0xff, 9, 9])]));
    expect(frames).toEqual([Buffer.from('ok')]);
    expect(oversize).toEqual([maxDeclarableFrameBytes]);
    expect(reader.bufferedBytes).toBe(0);
    reader.push(bytesOf(Buffer.from('late')));
    expect(frames).toHaveLength(1);
  });

  it('accepts a frame of exactly maxFrameBytes and refuses one byte more', () => {
    const { reader, frames, oversize } = collect(8);
    reader.push(bytesOf(Buffer.alloc(8, 7)));
    reader.push(bytesOf(Buffer.alloc(9, 7)));
    expect(frames).toEqual([Buffer.alloc(8, 7)]);
    expect(oversize).toEqual([9]);
  });

  it('never holds more than it was given, for 10,000 random byte streams', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 6 }), (chunks) => {
        const { reader } = collect(4096);
        let given = 0;
        for (const chunk of chunks) {
          given += chunk.length;
          reader.push(Buffer.from(chunk));
          expect(reader.bufferedBytes).toBeLessThanOrEqual(given);
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it('copies each payload once, so a 1 MiB frame in 1-KiB chunks is assembled in linear time', () => {
    const payload = Buffer.alloc(1024 * 1024, 3);
    const stream = bytesOf(payload);
    const { reader, frames } = collect(2 * 1024 * 1024);
    for (let at = 0; at < stream.length; at += 1024) reader.push(stream.subarray(at, at + 1024));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.equals(payload)).toBe(true);
  });

  it('copies a small split payload into its own buffer as its chunks arrive', () => {
    const payload = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
    const stream = bytesOf(payload);
    const { reader, frames } = collect(20_000);
    for (let at = 0; at < stream.length; at += 999) {
      const chunk = Buffer.from(stream.subarray(at, at + 999));
      reader.push(chunk);
      chunk.fill(0);
    }
    expect(frames).toEqual([payload]);
  });

  it('assembles large payloads split anywhere, next to small ones, byte for byte', () => {
    const payloads = [200 * 1024, 70 * 1024, 3, 1024 * 1024 + 5, 0].map((size, n) =>
      Buffer.from(Array.from({ length: size }, (_, i) => (i * 7 + n) % 256)),
    );
    const stream = Buffer.concat(payloads.map(bytesOf));
    for (const step of [997, 7919, 65_536, stream.length]) {
      const { reader, frames } = collect(2 * 1024 * 1024);
      for (let at = 0; at < stream.length; at += step) reader.push(stream.subarray(at, at + step));
      expect(frames.length).toBe(payloads.length);
      frames.forEach((frame, i) => expect(frame.equals(payloads[i]!)).toBe(true));
      expect(reader.bufferedBytes).toBe(0);
    }
  });

  it('allocates nothing for a large payload until half of it has arrived', () => {
    const { reader, frames } = collect(64 * 1024 * 1024);
    const before = process.memoryUsage().arrayBuffers;
    const header = Buffer.alloc(4);
    header.writeUInt32BE(64 * 1024 * 1024);
    reader.push(Buffer.concat([header, Buffer.alloc(1024)]));
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
    expect(reader.bufferedBytes).toBe(1024);
    expect(frames).toEqual([]);
  });

  it('hands out a payload within one chunk as a view, and a split one in a buffer of its own', () => {
    const delivered: Array<{ payload: Buffer; owned: boolean }> = [];
    const reader = new FrameReader(1024, {
      onFrame: (payload, owned) => delivered.push({ payload, owned }),
      onOversize: () => {},
    });
    const whole = bytesOf(Buffer.from('in one chunk'));
    reader.push(whole);
    const split = bytesOf(Buffer.from('across two chunks'));
    reader.push(split.subarray(0, 9));
    reader.push(split.subarray(9));
    expect(delivered.map(({ payload, owned }) => [payload.toString(), owned])).toEqual([
      ['in one chunk', false],
      ['across two chunks', true],
    ]);
    expect(delivered[0]!.payload.buffer).toBe(whole.buffer);
    const own = delivered[1]!.payload;
    expect(own.byteOffset === 0 && own.buffer.byteLength === own.length).toBe(true);
  });

  it('rejects a limit a 4-byte header cannot express', () => {
    expect(() => collect(-1)).toThrow(RangeError);
    expect(() => collect(2 ** 32)).toThrow(RangeError);
    expect(() => collect(1.5)).toThrow(RangeError);
  });
});
