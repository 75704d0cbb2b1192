import { fileURLToPath } from 'node:url';
import { runInChild } from '@interop-module/runtime/testing';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/leak.mjs', import.meta.url));
const mebibyte = 1024 * 1024;

describe('memory', () => {
  it('1,000,000 hashSync calls grow RSS by less than 10 MiB after GC', async () => {
    const outcome = await runInChild({
      modulePath: fixture,
      exportName: 'hashSyncRssGrowth',
      args: [1_000_000],
      execArgv: ['--expose-gc'],
      timeoutMs: 110_000,
    });
    expect(outcome.error).toBeUndefined();
    const { growthBytes } = outcome.result as { growthBytes: number };
    console.log(`RSS growth after 1,000,000 hashSync calls: ${(growthBytes / mebibyte).toFixed(2)} MiB`);
    expect(growthBytes).toBeLessThan(10 * mebibyte);
  });
});
