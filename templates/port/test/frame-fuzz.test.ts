import { InteropError } from '@interop-module/runtime';
import type { Port } from '@interop-module/runtime/port';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openPort } from '../lib/testing.js';

const streamCount = 10_000;
const concurrency = 4;
const timeoutMs = 5000;
/** ArrayBuffer memory the parent may gain while fuzzing: the streams themselves are under 400 bytes. */
const maxGrowthBytes = 16 * 2 ** 20;
const open = new Set<Port>();

afterEach(async () => {
  await Promise.all([...open].map((port) => port.close()));
  open.clear();
});

const header = (declared: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(declared);
  return bytes;
};

/**
 * What a broken or hostile child might write: noise; headers above the frame limit (up to 4 GiB);
 * headers within it but with too few bytes after them; well-framed replies with random ids, statuses
 * and bodies; and runs of these.
 */
function streams(maxFrameBytes: number) {
  const piece = fc.oneof(
    fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
    fc
      .tuple(fc.integer({ min: maxFrameBytes + 1, max: 0xffff_ffff }), fc.uint8Array({ maxLength: 16 }))
      .map(([declared, rest]) => Buffer.concat([header(declared), rest])),
    fc
      .tuple(fc.integer({ min: 0, max: maxFrameBytes }), fc.uint8Array({ maxLength: 64 }))
      .map(([declared, rest]) => Buffer.concat([header(declared), rest])),
    fc
      .tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom(0, 1, 2, 255), fc.uint8Array({ maxLength: 40 }))
      .map(([id, status, rest]) => {
        const payload = Buffer.concat([header(id), Buffer.from([status]), rest]);
        return Buffer.concat([header(payload.length), payload]);
      }),
  );
  return fc.array(piece, { minLength: 1, maxLength: 4 }).map((pieces) => Buffer.concat(pieces));
}

describe('frame fuzz', () => {
  it(`${streamCount.toLocaleString('en')} random byte streams from a fake child: every call settles typed, nothing hangs, no allocation from headers`, async () => {
    const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
    console.log(`frame fuzz seed ${seed} (set FUZZ_SEED to replay)`);
    // The package's own limit: 64 MiB of data per call, so an allocating reader would be caught at once.
    const { maxFrameBytes } = openPort('release');
    const samples = fc.sample(streams(maxFrameBytes), { numRuns: streamCount, seed });
    const outcomes = new Map<string, number>();
    const baseline = process.memoryUsage().arrayBuffers;
    let peakGrowth = 0;
    let hostileFirstHeaders = 0;

    const fuzzOne = async (stream: Buffer) => {
      // The crash-tests build with --emit writes exactly these bytes, then exits.
      const port = openPort('crash-tests', { args: ['--emit', stream.toString('hex')], restart: { maxRestarts: 0 } });
      open.add(port);
      const started = performance.now();
      const label = await port.call('hash', new Uint8Array(8), { timeoutMs }).then(
        () => 'ok',
        (error: unknown) => (error instanceof InteropError ? error.code : `untyped: ${String(error)}`),
      );
      expect(performance.now() - started).toBeLessThan(timeoutMs);
      await port.close();
      open.delete(port);
      outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
      if (stream.length >= 4 && stream.readUInt32BE(0) > maxFrameBytes) {
        hostileFirstHeaders++;
        expect(label).toBe('ERR_FRAME_TOO_LARGE');
      }
      peakGrowth = Math.max(peakGrowth, process.memoryUsage().arrayBuffers - baseline);
      // Headers declare up to 64 MiB within the limit and up to 4 GiB beyond it: a reader that
      // allocated what a header declares would fail here on the first such stream.
      expect(peakGrowth).toBeLessThan(maxGrowthBytes);
    };

    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < samples.length) await fuzzOne(samples[next++]!);
      }),
    );

    console.log(
      `frame fuzz: ${streamCount} streams, ${hostileFirstHeaders} opening with a header over ${maxFrameBytes} bytes, ` +
        `outcomes ${JSON.stringify(Object.fromEntries(outcomes))}, peak ArrayBuffer growth ${(peakGrowth / 2 ** 20).toFixed(2)} MiB`,
    );
    const settled = [...outcomes.values()].reduce((sum, count) => sum + count, 0);
    expect(settled).toBe(streamCount);
    // 'ok': a stream may happen to hold a well-formed reply to the call's id.
    const expected = ['ok', 'ERR_PROTOCOL', 'ERR_FRAME_TOO_LARGE', 'ERR_PORT_CRASHED'];
    expect([...outcomes.keys()].filter((label) => !expected.includes(label))).toEqual([]);
    expect(hostileFirstHeaders).toBeGreaterThan(streamCount / 10);
  });
});
