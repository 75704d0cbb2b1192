import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { close, deriveKey, hash } from '../lib/index.js';
import { findExecutable } from '../lib/testing.js';
import { randomData } from './random.js';

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

afterAll(() => close());

describe('the port process', () => {
  it('serves calls concurrently: a hash started after a long deriveKey finishes first', async () => {
    const finished: string[] = [];
    const slow = deriveKey('pw', randomData(16), 2_000_000).then(() => finished.push('deriveKey'));
    // Sent once the derivation is certainly running in the child.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const data = randomData(1024);
    const digest = await hash(data);
    finished.push('hash');
    expect(digest).toEqual(sha256(data));
    await slow;
    expect(finished).toEqual(['hash', 'deriveKey']);
  });

  it('hashes the largest input the contract allows (64 MiB) in one frame', async () => {
    const data = randomData(64 * 1024 * 1024);
    expect(await hash(data)).toEqual(sha256(data));
  });

  it('starts again for a call made after close()', async () => {
    await close();
    const data = randomData(10);
    expect(await hash(data)).toEqual(sha256(data));
  });

  it('a missing executable is ERR_PORT_UNAVAILABLE naming the build to run', () => {
    expect(() => findExecutable('release', 'aix', 'ppc64')).toThrow(
      expect.objectContaining({ code: 'ERR_PORT_UNAVAILABLE', message: expect.stringContaining('npm run build') }),
    );
  });
});
