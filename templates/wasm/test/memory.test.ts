import { fileURLToPath } from 'node:url';
import { runInChild } from '@interop-module/runtime/testing';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/wasm-memory.mjs', import.meta.url));
const mebibyte = 1024 * 1024;

describe('memory after 100,000 calls', () => {
  it.each(['hashSync', 'hash', 'deriveKey'])('%s: linear memory unchanged, RSS grows less than 10 MiB', async (exportName) => {
    const outcome = await runInChild({
      modulePath: fixture,
      exportName: 'growthAfterCalls',
      args: [exportName, 100_000],
      execArgv: ['--expose-gc'],
      timeoutMs: 110_000,
    });
    expect(outcome.error).toBeUndefined();
    const { rssGrowthBytes, memoryBefore, memoryAfter } = outcome.result as Record<string, number>;
    console.log(
      `${exportName} × 100,000: linear memory ${memoryBefore} → ${memoryAfter} bytes, RSS growth ${(rssGrowthBytes / mebibyte).toFixed(2)} MiB`,
    );
    expect(memoryBefore).toBeGreaterThan(0);
    expect(memoryAfter).toBe(memoryBefore);
    expect(rssGrowthBytes).toBeLessThan(10 * mebibyte);
  });
});
