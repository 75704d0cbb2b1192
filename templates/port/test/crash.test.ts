import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  closeCrashTestPort,
  crash,
  crashTestPort,
  deriveKeyBody,
  findExecutable,
  openPort,
  type CrashMode,
} from '../lib/testing.js';
import { randomData } from './random.js';

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
/** Text that only the crash triggers in src/main.rs put into the executable. */
const triggerMarker = 'crash trigger';

afterAll(() => closeCrashTestPort());

/** The crash-tests port answers a hash correctly: it is serving. */
async function expectServing() {
  const data = randomData(100);
  expect(await crashTestPort().call('hash', data)).toEqual(sha256(data));
}

describe('crash triggers', () => {
  it('panic → ERR_NATIVE_PANIC, and the same process serves on', async () => {
    await expectServing();
    const pid = crashTestPort().pid;
    await expect(crash('panic')).rejects.toMatchObject({
      code: 'ERR_NATIVE_PANIC',
      message: expect.stringContaining(`${triggerMarker}: panic`),
    });
    await expectServing();
    expect(crashTestPort().pid).toBe(pid);
  });

  it('exit → ERR_PORT_CRASHED with the exit code and stderr, then a new process serves', async () => {
    await expectServing();
    const pid = crashTestPort().pid;
    await expect(crash('exit')).rejects.toMatchObject({
      code: 'ERR_PORT_CRASHED',
      message: expect.stringMatching(/exited with code 3.*crash trigger: exit/s),
    });
    await expectServing();
    expect(crashTestPort().pid).not.toBe(pid);
  });

  it('hang → ERR_TIMEOUT at timeoutMs; the cancel frees the worker for the next derivation', async () => {
    const started = performance.now();
    await expect(crash('hang', { timeoutMs: 100 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(performance.now() - started).toBeLessThan(1000);
    const key = await crashTestPort().call('deriveKey', deriveKeyBody(Buffer.from('pw'), randomData(16), 1000));
    expect(key).toHaveLength(32);
  });

  it.each([
    ['garbage', 'ERR_PROTOCOL'],
    ['oversize', 'ERR_FRAME_TOO_LARGE'],
  ] as const)('%s → %s, and the process is recycled', async (mode, code) => {
    await expectServing();
    const pid = crashTestPort().pid;
    await expect(crash(mode)).rejects.toMatchObject({ code });
    await expectServing();
    expect(crashTestPort().pid).not.toBe(pid);
  });

  it('modes a port cannot show are ERR_INVALID_ARG', async () => {
    for (const mode of ['abort', 'trap', 'panic-offloaded', 'melt'] as CrashMode[]) {
      await expect(crash(mode)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG', message: expect.stringContaining('port') });
    }
  });
});

describe('the release executable', () => {
  it('has no crash triggers: it refuses the method, and the trigger text is not in the file', async () => {
    const release = openPort('release');
    try {
      await expect(release.call('crash', Buffer.from('exit'))).rejects.toMatchObject({
        code: 'ERR_INVALID_ARG',
        message: 'unknown method crash',
      });
    } finally {
      await release.close();
    }
    expect(readFileSync(findExecutable('release')).includes(triggerMarker)).toBe(false);
    expect(readFileSync(findExecutable('crash-tests')).includes(triggerMarker)).toBe(true);
  });
});
