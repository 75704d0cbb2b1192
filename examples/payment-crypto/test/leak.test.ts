import { fileURLToPath } from 'node:url';
import { runInChild } from '@interop-module/runtime/testing';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/leak.mjs', import.meta.url));
const mebibyte = 1024 * 1024;

async function rssGrowth(exportName: string, calls: number): Promise<number> {
  const outcome = await runInChild({
    modulePath: fixture,
    exportName,
    args: [calls],
    execArgv: ['--expose-gc'],
    timeoutMs: 110_000,
  });
  expect(outcome.error).toBeUndefined();
  const { growthBytes } = outcome.result as { growthBytes: number };
  console.log(`RSS growth after ${calls.toLocaleString('en')} calls of ${exportName}: ${(growthBytes / mebibyte).toFixed(2)} MiB`);
  return growthBytes;
}

describe('memory', () => {
  it('1,000,000 hashSync calls grow RSS by less than 10 MiB after GC', async () => {
    expect(await rssGrowth('hashSyncRssGrowth', 1_000_000)).toBeLessThan(10 * mebibyte);
  });

  it('1,000,000 encrypt + decrypt round trips grow RSS by less than 10 MiB after GC', async () => {
    expect(await rssGrowth('sealOpenRssGrowth', 1_000_000)).toBeLessThan(10 * mebibyte);
  });

  it('30,000 sign + verify pairs grow RSS by less than 10 MiB after GC', async () => {
    expect(await rssGrowth('signVerifyRssGrowth', 30_000)).toBeLessThan(10 * mebibyte);
  });
});
