import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { measureRssGrowth } from './rss-growth.js';
import { runInChild } from './run-in-child.js';

// The fixture runs the built helper in plain node (turbo builds the package before its tests).
const modulePath = fileURLToPath(new URL('./fixtures/rss.mjs', import.meta.url));
const mebibyte = 1024 * 1024;

describe('measureRssGrowth', () => {
  it('needs --expose-gc and says so', async () => {
    await expect(measureRssGrowth(() => 1, { iterations: 1 })).rejects.toThrow(/--expose-gc/);
  });

  it('reports little growth for garbage that is collected', async () => {
    const outcome = await runInChild({ modulePath, exportName: 'steady', execArgv: ['--expose-gc'] });
    expect(outcome.error).toBeUndefined();
    expect((outcome.result as { growthBytes: number }).growthBytes).toBeLessThan(10 * mebibyte);
  });

  it('reports the growth of memory that is kept', async () => {
    const outcome = await runInChild({ modulePath, exportName: 'leaking', execArgv: ['--expose-gc'] });
    expect(outcome.error).toBeUndefined();
    // 50,000 retained KiB arrays: at least 40 MiB must show.
    expect((outcome.result as { growthBytes: number }).growthBytes).toBeGreaterThan(40 * mebibyte);
  });
});
