import { createHash } from 'node:crypto';
import { defaultHasherLimit } from '@interop-module/runtime/wasm';
import { afterAll, expect, it } from 'vitest';
import { operations } from '../lib/abi.js';
import { createWasmModule } from '../lib/module.js';
import { crashBuildUrl } from '../lib/testing.js';

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
const crashBuild = createWasmModule({ wasmUrl: crashBuildUrl });

afterAll(() => crashBuild.close());

it('hashers of an instance that traps mid-stream fail with ERR_RESOURCE_LOST; new ones live in a fresh instance', async () => {
  await crashBuild.ready();
  const idle = crashBuild.createHasher();
  await idle.update(Uint8Array.of(1));
  expect(crashBuild.liveHashers()).toBe(1);
  let chunks = 0;
  async function* chunksThenTrap() {
    // Bounded: the stream must end at the first call on a hasher the trap lost.
    for (; chunks < 10_000; chunks++) {
      if (chunks === 20) expect(() => operations.crashTrap(crashBuild.runner)).toThrow(expect.objectContaining({ code: 'ERR_WASM_TRAP' }));
      yield new Uint8Array(64 * 1024).fill(chunks);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  await expect(crashBuild.hashStream(chunksThenTrap())).rejects.toMatchObject({ code: 'ERR_RESOURCE_LOST' });
  expect(chunks).toBeLessThan(10_000);
  await expect(idle.digest()).rejects.toMatchObject({ code: 'ERR_RESOURCE_LOST' });
  await idle.dispose();

  const next = crashBuild.createHasher();
  await next.update(Uint8Array.of(3));
  expect(await next.digest()).toEqual(sha256(Uint8Array.of(3)));
  expect(crashBuild.liveHashers()).toBe(0);
});

it('hashers lost with a trapped instance stop counting toward the limit of live ones', async () => {
  await crashBuild.ready();
  const hashers = Array.from({ length: defaultHasherLimit }, () => crashBuild.createHasher());
  await Promise.all(hashers.map((hasher) => hasher.update(Uint8Array.of(1))));
  expect(() => crashBuild.createHasher()).toThrow(expect.objectContaining({ code: 'ERR_RESOURCE_LIMIT' }));
  expect(() => operations.crashTrap(crashBuild.runner)).toThrow(expect.objectContaining({ code: 'ERR_WASM_TRAP' }));
  const next = crashBuild.createHasher();
  await next.update(Uint8Array.of(2));
  expect(await next.digest()).toEqual(sha256(Uint8Array.of(2)));
  await expect(hashers[0]!.digest()).rejects.toMatchObject({ code: 'ERR_RESOURCE_LOST' });
  await Promise.all(hashers.map((hasher) => hasher.dispose()));
});
