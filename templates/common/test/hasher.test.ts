import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { defaultHasherLimit } from '@interop-module/runtime';
import { chunkedDigest, runInChild } from '@interop-module/runtime/testing';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { backend, close, createHasher, hashStream } from '../lib/index.js';
import { liveHashers } from '../lib/testing.js';
import { randomData } from './random.js';

const mebibyte = 1024 * 1024;
const sha256 = (...chunks: Uint8Array[]) => {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return new Uint8Array(hash.digest());
};

afterAll(() => close());

/** Waits until the backend holds no hasher: it frees them just after the calls that end them. */
async function expectNoLiveHashers() {
  for (let round = 0; round < 100 && (await liveHashers()) > 0; round++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(await liveHashers()).toBe(0);
}

describe(`createHasher (${backend})`, () => {
  const source = randomData(4 * mebibyte);

  it('equals one-shot SHA-256 over random chunkings from 0 B to 1 MiB, awaited or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: mebibyte })), { maxLength: 6 }),
        fc.boolean(),
        async (sizes, awaitEach) => {
          let offset = 0;
          const chunks = sizes.map((size) => source.subarray(offset, (offset = Math.min(offset + size, source.length))));
          expect(await chunkedDigest(createHasher(), chunks, awaitEach)).toEqual(sha256(...chunks));
        },
      ),
      { numRuns: 60 },
    );
    await expectNoLiveHashers();
  });

  it('keeps 1,000 hashers interleaved concurrently apart', async () => {
    const hashers = Array.from({ length: 1000 }, () => createHasher());
    const parts = hashers.map((_, at) => [Uint8Array.of(at & 0xff, at >> 8), randomData(at % 97)]);
    const written = hashers.map((hasher, at) => parts[at]!.map((part) => hasher.update(part)));
    const digests = await Promise.all(hashers.map((hasher) => hasher.digest()));
    await Promise.all(written.flat());
    expect(digests).toEqual(parts.map((each) => sha256(...each)));
    await expectNoLiveHashers();
  });

  it('refuses calls after digest and after dispose with ERR_INVALID_STATE; dispose is idempotent', async () => {
    const digested = createHasher();
    await digested.update(Uint8Array.of(1));
    await digested.digest();
    await expect(digested.update(Uint8Array.of(2))).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
    await expect(digested.digest()).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
    await digested.dispose();

    const disposed = createHasher();
    const update = disposed.update(Uint8Array.of(3));
    await Promise.all([disposed.dispose(), disposed[Symbol.asyncDispose]()]);
    await update; // made before the dispose: it ran first
    await expect(disposed.update(Uint8Array.of(4))).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
    await expect(disposed.digest()).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
    await expectNoLiveHashers();
  });

  it('refuses bad input with ERR_INVALID_ARG and goes on', async () => {
    const hasher = createHasher();
    await expect(hasher.update('text' as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    await expect(hasher.update(new Uint8Array(64 * mebibyte + 1))).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    await expect(hasher.update(Uint8Array.of(1), { timeoutMs: -1 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    await expect(hashStream(Uint8Array.of(1) as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    await expect(hashStream((async function* () { yield 'text'; })() as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    expect(await hasher.digest()).toEqual(sha256());
    await expectNoLiveHashers();
  });

  it('settles an update aborted mid-way with ERR_ABORTED, and the hasher, its state unknown, ends', async () => {
    const hasher = createHasher();
    // Created first (a round trip for the port, which may start its child): an abort that lands before the
    // update starts skips it instead, and the hasher goes on unchanged.
    await hasher.update(Uint8Array.of(0));
    const controller = new AbortController();
    const update = hasher.update(randomData(64 * mebibyte), { signal: controller.signal });
    setTimeout(() => controller.abort(), 2);
    await expect(update).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await expect(hasher.digest()).rejects.toMatchObject({ code: 'ERR_INVALID_STATE', message: expect.stringContaining('given up') });
    await hasher.dispose();
    const next = createHasher();
    await next.update(Uint8Array.of(1));
    expect(await next.digest()).toEqual(sha256(Uint8Array.of(1)));
    await expectNoLiveHashers();
  });

  it(`refuses hasher ${defaultHasherLimit + 1} with ERR_RESOURCE_LIMIT until one is disposed`, async () => {
    const hashers = Array.from({ length: defaultHasherLimit }, () => createHasher());
    await Promise.all(hashers.map((hasher) => hasher.update(Uint8Array.of(1))));
    expect(await liveHashers()).toBe(defaultHasherLimit);
    expect(() => createHasher()).toThrow(expect.objectContaining({ code: 'ERR_RESOURCE_LIMIT' }));
    await hashers.pop()!.dispose();
    hashers.push(createHasher());
    await Promise.all(hashers.map((hasher) => hasher.dispose()));
    await expectNoLiveHashers();
  });
});

describe(`hashStream (${backend})`, () => {
  const artifacts = fileURLToPath(new URL('../test-artifacts/hash-stream/', import.meta.url));
  afterAll(() => rmSync(artifacts, { recursive: true, force: true }));

  /** The system's own SHA-256 of a file, as a second opinion beside node:crypto. */
  function systemSha256(file: string): string {
    if (process.platform === 'win32') return createHash('sha256').update(execFileSync('cmd', ['/c', 'type', file])).digest('hex');
    const [command, ...args] = process.platform === 'linux' ? ['sha256sum'] : ['shasum', '-a', '256'];
    return execFileSync(command!, [...args, file], { encoding: 'utf8' }).split(' ')[0]!;
  }

  it('hashes a 64 MiB file stream in 64 KiB chunks as sha256sum does', async () => {
    mkdirSync(artifacts, { recursive: true });
    const file = path.join(artifacts, 'data.bin');
    writeFileSync(file, randomData(64 * mebibyte));
    const digest = await hashStream(createReadStream(file, { highWaterMark: 64 * 1024 }));
    expect(Buffer.from(digest).toString('hex')).toBe(systemSha256(file));
    await expectNoLiveHashers();
  });

  it('hashes a web ReadableStream and an async generator', async () => {
    const chunks = [randomData(10), new Uint8Array(0), randomData(70_000)];
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    expect(await hashStream(web)).toEqual(sha256(...chunks));
    expect(await hashStream((async function* () { yield* chunks; })())).toEqual(sha256(...chunks));
  });

  it('ends with ERR_TIMEOUT when a source stalls, and stops it', async () => {
    const stalled = new Readable({ read() {} });
    stalled.push(randomData(100));
    await expect(hashStream(stalled, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    await expectNoLiveHashers();
    expect(stalled.destroyed).toBe(true);
  });
});

describe(`hashers dropped without dispose (${backend})`, () => {
  it('200,000 are freed by garbage collection: RSS grows by less than 10 MiB and the backend holds none', async () => {
    const outcome = await runInChild({
      modulePath: fileURLToPath(new URL('./fixtures/hashers.mjs', import.meta.url)),
      exportName: 'dropHashers',
      args: [200_000],
      execArgv: ['--expose-gc'],
      timeoutMs: 300_000,
    });
    expect(outcome.error).toBeUndefined();
    const { growthBytes, live } = outcome.result as { growthBytes: number; live: number };
    console.log(`${backend}: 200,000 hashers dropped: RSS growth ${(growthBytes / mebibyte).toFixed(2)} MiB, ${live} live after GC`);
    expect(live).toBe(0);
    expect(growthBytes).toBeLessThan(10 * mebibyte);
  });
});
