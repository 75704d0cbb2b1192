import { createHash } from 'node:crypto';
import { defaultHasherLimit } from '@interop-module/runtime';
import { afterAll, expect, it } from 'vitest';
import { close, createHasher, hashStream } from '../lib/index.js';
import { liveHashers, releasePortPid } from '../lib/testing.js';

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

afterAll(() => close());

it('hashers of a port child SIGKILLed mid-stream fail with ERR_RESOURCE_LOST; new ones live in the restarted child', async () => {
  const idle = createHasher();
  await idle.update(Uint8Array.of(1));
  const killedPid = releasePortPid();
  expect(killedPid).toBeGreaterThan(0);
  let chunks = 0;
  async function* slowChunks() {
    // Bounded: the stream must end at the first call on a hasher the kill lost.
    for (; chunks < 10_000; chunks++) {
      if (chunks === 20) process.kill(killedPid!, 'SIGKILL');
      yield new Uint8Array(64 * 1024).fill(chunks);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  await expect(hashStream(slowChunks())).rejects.toMatchObject({ code: 'ERR_RESOURCE_LOST' });
  expect(chunks).toBeLessThan(10_000);
  // Idle at the kill, it hears of it at its next call (the restarted child knows its handle is not its own).
  await expect(idle.digest()).rejects.toMatchObject({ code: 'ERR_RESOURCE_LOST' });
  await expect(idle.update(Uint8Array.of(2))).rejects.toMatchObject({ code: 'ERR_RESOURCE_LOST' });
  await idle.dispose();

  const next = createHasher();
  await next.update(Uint8Array.of(3));
  expect(await next.digest()).toEqual(sha256(Uint8Array.of(3)));
  expect(releasePortPid()).not.toBe(killedPid);
  expect(await liveHashers()).toBe(0);
});

it('hashers lost with a killed child stop counting toward the limit of live ones', async () => {
  const hashers = Array.from({ length: defaultHasherLimit }, () => createHasher());
  await Promise.all(hashers.map((hasher) => hasher.update(Uint8Array.of(1))));
  expect(() => createHasher()).toThrow(expect.objectContaining({ code: 'ERR_RESOURCE_LIMIT' }));
  const killedPid = releasePortPid()!;
  process.kill(killedPid, 'SIGKILL');
  // Bounded wait for the supervisor to see the exit.
  for (let tries = 0; tries < 500 && releasePortPid() === killedPid; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
  const next = createHasher();
  await next.update(Uint8Array.of(2));
  expect(await next.digest()).toEqual(sha256(Uint8Array.of(2)));
  await expect(hashers[0]!.digest()).rejects.toMatchObject({ code: 'ERR_RESOURCE_LOST' });
  await Promise.all(hashers.map((hasher) => hasher.dispose()));
});
