import { describe, expect, it } from 'vitest';
import * as mainEntry from '../lib/index.js';
import { hashSync } from '../lib/index.js';
import { crash } from '../lib/testing.js';

describe('crash triggers (pure)', () => {
  it('a hang ends with ERR_TIMEOUT at timeoutMs and the next call works', async () => {
    await expect(crash('hang', { timeoutMs: 50 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(hashSync(new Uint8Array([1]))).toHaveLength(32);
  });

  it('a hang ends with ERR_ABORTED when its signal fires', async () => {
    const controller = new AbortController();
    const call = crash('hang', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(call).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });

  it('modes that need native code are refused with ERR_INVALID_ARG', async () => {
    await expect(crash('panic')).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    await expect(crash('abort')).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
  });

  it('the main entry carries no crash trigger', () => {
    expect(Object.keys(mainEntry)).toEqual(expect.arrayContaining(['InteropError', 'backend', 'close', 'deriveKey', 'hash', 'hashSync']));
    expect(Object.keys(mainEntry).filter((name) => name.toLowerCase().includes('crash'))).toEqual([]);
  });
});
